from typing import Any

import httpx

from tests.helpers import problem


class TestListAreas:
    async def test_lists_all_22_areas_with_welsh_names(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/v1/areas")
        assert response.status_code == 200
        body = response.json()
        assert body["next_cursor"] is None
        assert len(body["items"]) == 22
        codes = [a["code"] for a in body["items"]]
        assert codes == sorted(codes)
        assert "W06000007" not in codes
        assert "W06000017" not in codes
        swansea = next(a for a in body["items"] if a["code"] == "W06000011")
        assert swansea["name_cy"] == "Abertawe"
        assert swansea["health_board_code"].startswith("W11")

    async def test_pages_with_a_cursor(self, client: httpx.AsyncClient) -> None:
        seen: list[dict[str, Any]] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 5}
            if cursor:
                params["cursor"] = cursor
            body = (await client.get("/api/v1/areas", params=params)).json()
            seen.extend(body["items"])
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == 22
        assert len({a["code"] for a in seen}) == 22

    async def test_a_limit_above_200_is_a_validation_error(self, client: httpx.AsyncClient) -> None:
        problem(await client.get("/api/v1/areas", params={"limit": 201}), 422, "validation_error")

    async def test_a_forged_cursor_is_a_validation_error(self, client: httpx.AsyncClient) -> None:
        problem(
            await client.get("/api/v1/areas", params={"cursor": "nonsense!"}),
            422,
            "validation_error",
        )


class TestGetArea:
    async def test_reads_one_area(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/v1/areas/W06000015")
        assert response.status_code == 200
        assert response.json()["name_en"] == "Cardiff"
        assert response.json()["name_cy"] == "Caerdydd"

    async def test_an_unknown_code_is_area_not_found(self, client: httpx.AsyncClient) -> None:
        problem(await client.get("/api/v1/areas/W06000007"), 404, "area_not_found")
