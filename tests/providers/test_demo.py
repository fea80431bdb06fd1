import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.area_list import load_areas
from app.core.db import commit_unit_of_work
from app.providers.demo import demo_rows, load_demo_providers
from app.providers.models import Provider
from tests.conftest import START
from tests.helpers import ok

POWYS, CEREDIGION, GWYNEDD, ANGLESEY, CARDIFF = (
    "W06000023",
    "W06000008",
    "W06000002",
    "W06000001",
    "W06000015",
)


async def coverage(client: httpx.AsyncClient, code: str) -> dict[str, dict[str, object]]:
    body = ok(await client.get(f"/api/v1/areas/{code}/coverage")).json()
    return {row["service_type"]: row for row in body["items"]}


def welsh_full_share(code: str) -> float:
    rows = [r for r in demo_rows() if code in r.details.area_codes]
    return sum(r.details.welsh_language == "full" for r in rows) / len(rows)


class TestDemoProviders:
    def test_are_the_same_on_every_run_and_plainly_invented(self) -> None:
        first, second = demo_rows(), demo_rows()
        assert [r.details for r in first] == [r.details for r in second]
        assert all(r.details.contact_email.endswith("@example.org") for r in first)
        assert all((r.details.ciw_service_id or "").startswith("DEMO-") for r in first)
        assert all(
            r.details.phone is None or r.details.phone.startswith("01632 960") for r in first
        )
        assert any(r.details.name.startswith("Gofal Cymunedol") for r in first)

    def test_welsh_medium_provision_is_higher_in_the_welsh_speaking_west(self) -> None:
        for code in (GWYNEDD, ANGLESEY, CEREDIGION, "W06000010"):
            assert welsh_full_share(code) > welsh_full_share(CARDIFF)

    async def test_load_twice_without_duplicates_covering_every_area_with_rural_gaps(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        created, updated = await load_demo_providers(session, now=START)
        await commit_unit_of_work(session)
        assert created == len(demo_rows())
        assert updated == 0
        again = await load_demo_providers(session, now=START)
        await commit_unit_of_work(session)
        assert again == (0, created)
        assert await session.scalar(select(func.count()).select_from(Provider)) == created

        for area in load_areas():
            listing = ok(await client.get(f"/api/v1/areas/{area['code']}/providers"))
            assert listing.json()["items"], area["code"]
        for rural in (POWYS, CEREDIGION, GWYNEDD, ANGLESEY):
            assert any(row["gap"] for row in (await coverage(client, rural)).values()), rural
        assert not any(row["gap"] for row in (await coverage(client, CARDIFF)).values())
        assert (await coverage(client, POWYS))["adult_placement"]["gap"] is True
