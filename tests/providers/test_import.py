import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.providers.models import Provider
from tests.factories import Person, platform_admin, register_person, verified_provider
from tests.helpers import ok, problem

URL = "/api/v1/providers/import"
HEADER = (
    "name,ciw_service_id,service_types,area_codes,hourly_rate_pence,"
    "capacity_hours_per_week,welsh_language,contact_email,phone,website"
)
GOOD = f"""{HEADER}
Gofal Cymunedol Eryri,SIN-001,domiciliary_support;respite,W06000002;W06000001,2450,400,full,eryri@example.org,01286 000000,https://eryri.example.org
Cymorth Môn,,personal_assistant,W06000001,2100,120,some,mon@example.org,,
"Care, Cardiff",SIN-003,supported_living,W06000015,2300,800,none,cardiff@example.org,,
"""


@pytest.fixture
async def admin(client: httpx.AsyncClient, session: AsyncSession) -> Person:
    return await platform_admin(client, session)


async def send(client: httpx.AsyncClient, admin: Person, text: str | bytes) -> httpx.Response:
    content = text.encode() if isinstance(text, str) else text
    return await client.post(
        URL, content=content, headers={**admin.headers, "Content-Type": "text/csv"}
    )


async def provider_count(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(Provider)) or 0


class TestImportProviders:
    async def test_creates_verified_providers_listed_at_once(
        self, client: httpx.AsyncClient, admin: Person
    ) -> None:
        response = await send(client, admin, GOOD)
        assert response.status_code == 200, response.text
        assert response.json() == {"created": 3, "updated": 0}
        listing = (await client.get("/api/v1/areas/W06000001/providers")).json()["items"]
        assert [p["name"] for p in listing] == ["Cymorth Môn", "Gofal Cymunedol Eryri"]
        eryri = listing[1]
        assert eryri["status"] == "verified"
        assert eryri["service_types"] == ["domiciliary_support", "respite"]
        assert eryri["area_codes"] == ["W06000001", "W06000002"]
        assert eryri["website"] == "https://eryri.example.org"
        assert listing[0]["phone"] is None
        cardiff = (await client.get("/api/v1/areas/W06000015/providers")).json()["items"]
        assert [p["name"] for p in cardiff] == ["Care, Cardiff"]

    async def test_importing_the_same_file_twice_creates_nothing_new(
        self, client: httpx.AsyncClient, session: AsyncSession, admin: Person
    ) -> None:
        assert (await send(client, admin, GOOD)).json() == {"created": 3, "updated": 0}
        entries = await session.scalar(select(func.count()).select_from(AuditEntry))
        assert (await send(client, admin, GOOD)).json() == {"created": 0, "updated": 3}
        assert await provider_count(session) == 3
        # Nothing changed, so nothing new is audited either.
        assert await session.scalar(select(func.count()).select_from(AuditEntry)) == entries

    async def test_a_row_updates_the_provider_with_its_ciw_id_else_its_name_and_email(
        self, client: httpx.AsyncClient, session: AsyncSession, admin: Person
    ) -> None:
        by_ciw = await verified_provider(client, session, admin=admin, ciw_service_id="SIN-9")
        staff = await register_person(client)
        pending = await verified_provider(
            client,
            session,
            admin=admin,
            staff=staff,
            name="Gofal Ŵyn",
            contact_email="wyn@example.org",
        )
        ok(await client.post(f"/api/v1/providers/{pending['id']}/suspend", headers=admin.headers))
        text = (
            "name,ciw_service_id,service_types,area_codes,hourly_rate_pence,"
            "capacity_hours_per_week,welsh_language,contact_email\n"
            "Renamed,sin-9,respite,W06000015,1999,10,full,new@example.org\n"
            "GOFAL ŴYN,,respite,W06000015,2999,10,full,WYN@example.org\n"
        )
        response = ok(await send(client, admin, text))
        assert response.json() == {"created": 0, "updated": 2}
        renamed = (await client.get(f"/api/v1/providers/{by_ciw['id']}")).json()
        assert renamed["name"] == "Renamed"
        assert renamed["hourly_rate_pence"] == 1999
        wyn = (await client.get(f"/api/v1/providers/{pending['id']}")).json()
        assert wyn["status"] == "verified"
        assert wyn["name"] == "GOFAL ŴYN"
        assert await provider_count(session) == 2

    async def test_columns_the_file_lacks_keep_their_values(
        self, client: httpx.AsyncClient, session: AsyncSession, admin: Person
    ) -> None:
        provider = await verified_provider(
            client, session, admin=admin, ciw_service_id="SIN-5", phone="01970 000000"
        )
        text = (
            "ciw_service_id,name,service_types,area_codes,hourly_rate_pence,"
            "capacity_hours_per_week,welsh_language,contact_email\n"
            f"SIN-5,{provider['name']},respite,W06000015,2100,10,full,{provider['contact_email']}\n"
        )
        assert (await send(client, admin, text)).json() == {"created": 0, "updated": 1}
        after = (await client.get(f"/api/v1/providers/{provider['id']}")).json()
        assert after["phone"] == "01970 000000"

    async def test_a_bad_file_reports_every_bad_row_by_line_and_imports_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession, admin: Person
    ) -> None:
        text = (
            f"{HEADER}\n"
            "Good One,SIN-1,respite,W06000015,2000,10,none,one@example.org,,\n"
            "\n"
            "Bad Rate,,respite,W06000015,20.50,10,none,rate@example.org,,\n"
            '"Two\nLines",,gardening;respite,W06000007,2000,0,fluent,not-an-email,,\n'
            "Short,row\n"
            "Good Two,SIN-1,respite,W06000015,2000,10,none,two@example.org,,\n"
        )
        body = problem(await send(client, admin, text), 422, "validation_error")
        locs = [e["loc"] for e in body["errors"]]
        assert ["body", 4, "hourly_rate_pence"] in locs
        assert ["body", 5, "service_types"] in locs
        assert ["body", 5, "area_codes"] in locs
        assert ["body", 5, "capacity_hours_per_week"] in locs
        assert ["body", 5, "welsh_language"] in locs
        assert ["body", 5, "contact_email"] in locs
        assert ["body", 7] in locs
        assert ["body", 8, "ciw_service_id"] in locs
        assert {loc[1] for loc in locs} == {4, 5, 7, 8}
        assert all(e["msg"] for e in body["errors"])
        assert await provider_count(session) == 0

    async def test_a_header_naming_no_field_or_lacking_one_is_refused(
        self, client: httpx.AsyncClient, session: AsyncSession, admin: Person
    ) -> None:
        text = "name,colour,service_types\nA,blue,respite\n"
        body = problem(await send(client, admin, text), 422, "validation_error")
        locs = [e["loc"] for e in body["errors"]]
        assert ["body", 1, "colour"] in locs
        assert ["body", 1, "hourly_rate_pence"] in locs
        assert await provider_count(session) == 0

    async def test_an_empty_file_is_refused(
        self, client: httpx.AsyncClient, session: AsyncSession, admin: Person
    ) -> None:
        problem(await send(client, admin, ""), 422, "validation_error")
        assert await provider_count(session) == 0

    async def test_non_utf8_is_a_validation_error(
        self, client: httpx.AsyncClient, session: AsyncSession, admin: Person
    ) -> None:
        body = problem(
            await send(client, admin, GOOD.replace("Môn", "M\xf4n").encode("latin-1")),
            422,
            "validation_error",
        )
        assert body["errors"][0]["loc"] == ["body"]
        assert await provider_count(session) == 0

    async def test_another_content_type_is_unsupported(
        self, client: httpx.AsyncClient, session: AsyncSession, admin: Person
    ) -> None:
        for content_type in ("application/json", "text/plain", "text/csv; charset=latin-1"):
            response = await client.post(
                URL, content=GOOD.encode(), headers={**admin.headers, "Content-Type": content_type}
            )
            problem(response, 415, "unsupported_media_type")
        assert await provider_count(session) == 0

    async def test_utf8_with_a_byte_order_mark_and_charset_is_accepted(
        self, client: httpx.AsyncClient, admin: Person
    ) -> None:
        response = await client.post(
            URL,
            content=b"\xef\xbb\xbf" + GOOD.encode(),
            headers={**admin.headers, "Content-Type": "text/csv; charset=UTF-8"},
        )
        assert response.json() == {"created": 3, "updated": 0}

    async def test_only_a_platform_admin_may_import(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        problem(await send(client, person, GOOD), 403, "forbidden")
        assert await provider_count(session) == 0
