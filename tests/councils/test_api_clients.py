import base64
import uuid

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.councils.dependencies import CurrentAreaReader
from app.councils.models import ApiClient
from tests.factories import platform_admin, register_person
from tests.helpers import ok, problem

CARDIFF = "W06000015"
SWANSEA = "W06000011"


@pytest.fixture
def app_with_area_figures(app: FastAPI) -> FastAPI:
    """A stand-in for an area's figures, guarded exactly as the real ones are."""
    router = APIRouter()

    @router.get("/test/areas/{code}/figures")  # noqa: FAST003 - the dependency reads it
    async def figures(reader: CurrentAreaReader) -> dict[str, str | None]:
        return {
            "area_code": reader.area_code,
            "client": str(reader.api_client_id) if reader.api_client_id else None,
        }

    app.include_router(router)
    return app


async def new_client(
    client: httpx.AsyncClient, admin_headers: dict[str, str], area: str = CARDIFF
) -> dict[str, str]:
    response = await client.post(
        "/api/v1/admin/api-clients",
        json={"name": "Cardiff Council BI", "area_code": area},
        headers=admin_headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, str] = response.json()
    return body


async def client_token(
    client: httpx.AsyncClient, creds: dict[str, str], *, basic: bool = False
) -> httpx.Response:
    if basic:
        raw = base64.b64encode(f"{creds['client_id']}:{creds['client_secret']}".encode()).decode()
        return await client.post(
            "/api/v1/auth/token",
            data={"grant_type": "client_credentials"},
            headers={"Authorization": f"Basic {raw}"},
        )
    return await client.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": creds["client_id"],
            "client_secret": creds["client_secret"],
        },
    )


class TestCreateApiClient:
    async def test_the_secret_is_shown_once_and_stored_hashed(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        creds = await new_client(client, admin.headers)
        assert creds["client_secret"]
        stored = await session.scalar(
            select(ApiClient).where(ApiClient.client_id == creds["client_id"])
        )
        assert stored is not None
        assert creds["client_secret"] not in stored.secret_hash
        listed = (await client.get("/api/v1/admin/api-clients", headers=admin.headers)).json()
        assert "client_secret" not in listed["items"][0]

    async def test_only_platform_admins_create_clients(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        body = {"name": "x", "area_code": CARDIFF}
        problem(await client.post("/api/v1/admin/api-clients", json=body), 401, "not_authenticated")
        problem(
            await client.post("/api/v1/admin/api-clients", json=body, headers=person.headers),
            403,
            "forbidden",
        )
        assert await session.scalar(select(ApiClient.id)) is None


@pytest.mark.own_app
@pytest.mark.usefixtures("app_with_area_figures")
class TestClientCredentials:
    async def test_a_client_reads_its_own_area_with_form_or_basic_credentials(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        creds = await new_client(client, admin.headers)
        for basic in (False, True):
            response = await client_token(client, creds, basic=basic)
            assert response.status_code == 200, response.text
            assert "refresh_token" not in response.json()
            headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
            figures = await client.get(f"/test/areas/{CARDIFF}/figures", headers=headers)
            assert figures.status_code == 200
            assert figures.json()["client"] == creds["id"]

    async def test_a_client_token_reads_nothing_else(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        creds = await new_client(client, admin.headers)
        headers = {
            "Authorization": f"Bearer {ok(await client_token(client, creds)).json()['access_token']}"
        }
        problem(
            await client.get(f"/test/areas/{SWANSEA}/figures", headers=headers), 403, "forbidden"
        )
        problem(await client.get("/api/v1/me", headers=headers), 401, "not_authenticated")

    async def test_a_wrong_secret_is_invalid_credentials(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        creds = await new_client(client, admin.headers)
        problem(
            await client_token(client, {**creds, "client_secret": "guess"}),
            401,
            "invalid_credentials",
        )
        problem(
            await client_token(client, {**creds, "client_id": "dpc_nobody"}),
            401,
            "invalid_credentials",
        )

    async def test_revocation_stops_issued_tokens_at_once(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        creds = await new_client(client, admin.headers)
        headers = {
            "Authorization": f"Bearer {ok(await client_token(client, creds)).json()['access_token']}"
        }
        revoked = await client.delete(
            f"/api/v1/admin/api-clients/{creds['id']}", headers=admin.headers
        )
        assert revoked.status_code == 204
        problem(
            await client.get(f"/test/areas/{CARDIFF}/figures", headers=headers),
            401,
            "not_authenticated",
        )
        problem(await client_token(client, creds), 401, "invalid_credentials")
        problem(
            await client.delete(f"/api/v1/admin/api-clients/{uuid.uuid4()}", headers=admin.headers),
            404,
            "not_found",
        )


@pytest.mark.own_app
@pytest.mark.usefixtures("app_with_area_figures")
class TestAreaReaders:
    async def test_officers_read_their_area_only_and_admins_any(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        officer = await register_person(client)
        ok(
            await client.post(
                "/api/v1/admin/la-officers",
                json={"user_id": str(officer.id), "area_code": CARDIFF},
                headers=admin.headers,
            )
        )
        assert (
            await client.get(f"/test/areas/{CARDIFF}/figures", headers=officer.headers)
        ).status_code == 200
        problem(
            await client.get(f"/test/areas/{SWANSEA}/figures", headers=officer.headers),
            403,
            "forbidden",
        )
        assert (
            await client.get(f"/test/areas/{SWANSEA}/figures", headers=admin.headers)
        ).status_code == 200
        problem(
            await client.get("/test/areas/W06000099/figures", headers=admin.headers),
            404,
            "area_not_found",
        )
        someone = await register_person(client)
        problem(
            await client.get(f"/test/areas/{CARDIFF}/figures", headers=someone.headers),
            403,
            "forbidden",
        )
        problem(await client.get(f"/test/areas/{CARDIFF}/figures"), 401, "not_authenticated")
