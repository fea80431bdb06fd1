import logging
import string

import httpx
import pytest
from fastapi import APIRouter, FastAPI

from app.core.errors import AppError, error_catalogue, iter_error_classes
from tests.helpers import problem


class TestProblemAnswers:
    async def test_an_unknown_route_is_a_not_found_problem(self, client: httpx.AsyncClient) -> None:
        problem(await client.get("/api/v1/nowhere"), 404, "not_found")

    async def test_a_wrong_method_is_method_not_allowed(self, client: httpx.AsyncClient) -> None:
        response = await client.delete("/api/v1/areas")
        problem(response, 405, "method_not_allowed")
        assert "GET" in response.headers["allow"]

    async def test_malformed_json_is_malformed_body(self, client: httpx.AsyncClient) -> None:
        response = await client.post(
            "/api/v1/auth/register",
            content=b'{"email": ',
            headers={"content-type": "application/json"},
        )
        problem(response, 400, "malformed_body")

    async def test_validation_errors_list_loc_and_msg(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/api/v1/auth/register", json={"email": "not-an-email"})
        body = problem(response, 422, "validation_error")
        locs = {tuple(e["loc"]) for e in body["errors"]}
        assert ("body", "email") in locs
        assert ("body", "password") in locs
        assert all(set(e) == {"loc", "msg"} for e in body["errors"])

    async def test_an_oversized_body_is_body_too_large(self, client: httpx.AsyncClient) -> None:
        response = await client.post(
            "/api/v1/auth/register",
            content=b"x" * 1_100_000,
            headers={"content-type": "application/json"},
        )
        problem(response, 413, "body_too_large")

    @pytest.mark.own_app
    async def test_an_unexpected_error_is_a_500_problem_without_a_traceback(
        self, app: FastAPI, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
    ) -> None:
        router = APIRouter()

        @router.get("/boom")
        async def boom() -> None:
            raise RuntimeError("secret internals")

        app.include_router(router)
        with caplog.at_level(logging.ERROR, logger="app.request"):
            response = await client.get("/boom")
        body = problem(response, 500, "internal_error")
        assert "secret internals" not in response.text
        assert "Traceback" not in response.text
        assert body["detail"]
        logged = [r for r in caplog.records if r.name == "app.request" and r.exc_info]
        assert logged, "the traceback is logged"
        assert response.headers["x-request-id"]

    async def test_problems_are_in_welsh_when_asked(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/v1/areas/W06000099", headers={"Accept-Language": "cy"})
        body = problem(response, 404, "area_not_found")
        assert response.headers["content-language"] == "cy"
        assert body["title"] == "Ardal heb ei chanfod"
        assert "W06000099" in body["detail"]


def template_fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


class TestCatalogue:
    def test_every_error_speaks_both_languages_with_the_same_blanks(self) -> None:
        for cls in iter_error_classes():
            assert cls.detail != cls.detail_cy, cls
            assert template_fields(cls.detail) == template_fields(cls.detail_cy), cls

    def test_every_error_class_has_a_code_and_english_and_welsh_texts(self) -> None:
        for cls in iter_error_classes():
            assert cls.code.islower(), cls
            assert cls.title, cls
            assert cls.title_cy, cls
            assert cls.detail, cls
            assert cls.detail_cy, cls
            # A subclass that changes the English must change the Welsh too.
            for parent in cls.__mro__[1:]:
                if not (isinstance(parent, type) and issubclass(parent, AppError)):
                    continue
                if cls.title != parent.title:
                    assert cls.title_cy != parent.title_cy or cls.title_cy == cls.title, cls
                if cls.detail != parent.detail:
                    assert cls.detail_cy != parent.detail_cy, cls
                break

    def test_the_openapi_description_lists_every_code(self, app: FastAPI) -> None:
        description = app.openapi()["info"]["description"]
        for code in error_catalogue():
            assert f"`{code}`" in description
