"""Which language an answer is in: Welsh when the header puts Welsh first; else, with a valid
token, the person's preference, on public routes too; else English."""

import httpx

from tests.factories import register_person
from tests.helpers import ok, problem

ENGLISH_BROWSER = "en-GB,en;q=0.9"


class TestLanguage:
    async def test_a_public_route_answers_in_the_preference_of_the_token(
        self, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client, preferred_language="cy")
        headers = {**person.headers, "Accept-Language": ENGLISH_BROWSER}
        answer = ok(await client.get("/api/v1/areas", headers=headers))
        assert answer.headers["content-language"] == "cy"
        missing = await client.get("/api/v1/areas/W06000099", headers=headers)
        assert problem(missing, 404, "area_not_found")["title"] == "Ardal heb ei chanfod"

    async def test_without_a_valid_token_a_public_route_is_english(
        self, client: httpx.AsyncClient
    ) -> None:
        answer = ok(
            await client.get("/api/v1/areas", headers={"Authorization": "Bearer not-a-token"})
        )
        assert answer.headers["content-language"] == "en"
        assert ok(await client.get("/api/v1/areas")).headers["content-language"] == "en"

    async def test_welsh_first_in_the_header_wins_over_an_english_preference(
        self, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client, preferred_language="en")
        headers = {**person.headers, "Accept-Language": "cy-GB, en;q=0.5"}
        for url in ("/api/v1/me", "/api/v1/areas"):
            assert ok(await client.get(url, headers=headers)).headers["content-language"] == "cy"

    async def test_a_refusal_before_the_caller_is_known_is_in_their_language(
        self, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client, preferred_language="cy")
        body = problem(
            await client.get("/api/v1/me?surprise=1", headers=person.headers),
            422,
            "validation_error",
        )
        assert body["title"] == "Gwall dilysu"
        assert body["errors"] == [
            {
                "loc": ["query", "surprise"],
                "msg": "Paramedr ymholiad anhysbys.",
                "type": "extra_forbidden",
            }
        ]

    async def test_validation_messages_follow_the_language_and_keep_their_types(
        self, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client, preferred_language="cy")
        response = await client.put(
            "/api/v1/me/direct-payment",
            json={
                "area_code": "W06000015",
                "weekly_amount_pence": "100",
                "start_date": "2026-03-02",
            },
            headers=person.headers,
        )
        [error] = problem(response, 422, "validation_error")["errors"]
        assert (error["type"], error["msg"]) == ("int_type", "Dylai hwn fod yn rhif cyfan.")
        english = await client.post("/api/v1/auth/register", json={})
        types = {
            e["loc"][-1]: e["type"] for e in problem(english, 422, "validation_error")["errors"]
        }
        assert types == {"email": "missing", "password": "missing", "full_name": "missing"}
        welsh = await client.post(
            "/api/v1/auth/register", json={}, headers={"Accept-Language": "cy"}
        )
        errors = problem(welsh, 422, "validation_error")["errors"]
        assert {e["msg"] for e in errors} == {"Mae angen y maes hwn."}
