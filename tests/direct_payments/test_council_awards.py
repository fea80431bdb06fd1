"""The paying council confirms, corrects and rejects the award versions it pays, and no
others: its officers in person, or its own system with an API client's token."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.audit.models import AuditEntry
from app.direct_payments.models import DirectPaymentAward
from tests.conftest import START
from tests.factories import (
    CARDIFF,
    SWANSEA,
    Person,
    appoint_officer,
    platform_admin,
    register_person,
    set_direct_payment,
)
from tests.helpers import ok, problem, what_entries_say
from tests.replay import replayed


def answer(response: Any) -> Any:
    """The JSON of an answer that must have succeeded."""
    return ok(response).json()


@dataclass
class Councils:
    admin: Person
    cardiff: Person
    swansea: Person
    holder: Person
    award: dict[str, Any]  # the holder's declared version, paid by Cardiff


@pytest.fixture
async def councils(
    client: httpx.AsyncClient, session: AsyncSession, connection: AsyncConnection, app: FastAPI
) -> Councils:
    """The same councils in every test: built once per backend, then written back
    (tests.replay)."""
    return await replayed(
        "direct_payments.councils", connection, app, lambda: build_councils(client, session)
    )


async def build_councils(client: httpx.AsyncClient, session: AsyncSession) -> Councils:
    admin = await platform_admin(client, session)
    cardiff = await appoint_officer(client, admin, CARDIFF)
    swansea = await appoint_officer(client, admin, SWANSEA)
    holder = await register_person(client, full_name="Siân Prydderch")
    award = await set_direct_payment(client, holder, area_code=CARDIFF, weekly_amount_pence=25_000)
    return Councils(admin=admin, cardiff=cardiff, swansea=swansea, holder=holder, award=award)


async def client_headers(client: httpx.AsyncClient, admin: Person, area: str) -> dict[str, str]:
    created = answer(
        await client.post(
            "/api/v1/admin/api-clients",
            json={"name": f"{area} casework", "area_code": area},
            headers=admin.headers,
        )
    )
    token = answer(
        await client.post(
            "/api/v1/auth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": created["client_id"],
                "client_secret": created["client_secret"],
            },
        )
    )
    return {"Authorization": f"Bearer {token['access_token']}"}


def confirm_url(award_id: object) -> str:
    return f"/api/v1/la/awards/{award_id}/confirm"


def reject_url(award_id: object) -> str:
    return f"/api/v1/la/awards/{award_id}/reject"


def list_url(area: str) -> str:
    return f"/api/v1/la/areas/{area}/awards"


async def stored(session: AsyncSession, award_id: object) -> DirectPaymentAward:
    award = await session.scalar(
        select(DirectPaymentAward)
        .where(DirectPaymentAward.id == uuid.UUID(str(award_id)))
        .execution_options(populate_existing=True)
    )
    assert award is not None
    return award


class TestListAwards:
    async def test_an_officer_lists_the_versions_their_council_pays(
        self, client: httpx.AsyncClient, councils: Councils
    ) -> None:
        elsewhere = await register_person(client)
        await set_direct_payment(client, elsewhere, area_code=SWANSEA)
        body = answer(await client.get(list_url(CARDIFF), headers=councils.cardiff.headers))
        assert [item["id"] for item in body["items"]] == [councils.award["id"]]
        item = body["items"][0]
        assert (item["holder_user_id"], item["holder_name"]) == (
            str(councils.holder.id),
            "Siân Prydderch",
        )
        assert (item["status"], item["weekly_amount_pence"]) == ("declared", 25_000)

    async def test_filters_by_status(self, client: httpx.AsyncClient, councils: Councils) -> None:
        second = await register_person(client)
        other = await set_direct_payment(client, second, area_code=CARDIFF)
        answer(
            await client.post(confirm_url(other["id"]), json={}, headers=councils.cardiff.headers)
        )
        headers = councils.cardiff.headers
        declared = answer(
            await client.get(list_url(CARDIFF), params={"status": "declared"}, headers=headers)
        )
        confirmed = answer(
            await client.get(list_url(CARDIFF), params={"status": "confirmed"}, headers=headers)
        )
        assert [i["id"] for i in declared["items"]] == [councils.award["id"]]
        assert [i["id"] for i in confirmed["items"]] == [other["id"]]
        problem(
            await client.get(list_url(CARDIFF), params={"status": "paid"}, headers=headers),
            422,
            "validation_error",
        )

    async def test_another_councils_area_is_forbidden_and_no_council_at_all_too(
        self, client: httpx.AsyncClient, councils: Councils
    ) -> None:
        problem(
            await client.get(list_url(CARDIFF), headers=councils.swansea.headers), 403, "forbidden"
        )
        # Platform admins administer the service; deciding awards is the council's.
        for person in (councils.admin, councils.holder):
            problem(await client.get(list_url(CARDIFF), headers=person.headers), 403, "forbidden")
        problem(await client.get(list_url(CARDIFF)), 401, "not_authenticated")
        problem(
            await client.get(list_url("W06999999"), headers=councils.cardiff.headers),
            404,
            "area_not_found",
        )


class TestConfirmAward:
    async def test_an_officer_confirms_with_the_councils_amount_and_reference(
        self, client: httpx.AsyncClient, session: AsyncSession, councils: Councils
    ) -> None:
        body = answer(
            await client.post(
                confirm_url(councils.award["id"]),
                json={"weekly_amount_pence": 24_000, "council_reference": "CDF-DP-0042"},
                headers=councils.cardiff.headers,
            )
        )
        assert (body["status"], body["weekly_amount_pence"], body["council_reference"]) == (
            "confirmed",
            24_000,
            "CDF-DP-0042",
        )
        assert body["confirmed_at"] is not None
        held = answer(
            await client.get("/api/v1/me/direct-payment", headers=councils.holder.headers)
        )
        assert (held["status"], held["current_cycle"]["allowance_pence"]) == ("confirmed", 96_000)
        award = await stored(session, councils.award["id"])
        assert award.decided_by_user_id == councils.cardiff.id
        assert award.confirmed_at == START

    async def test_confirming_again_corrects_the_amount_or_reference(
        self, client: httpx.AsyncClient, councils: Councils
    ) -> None:
        headers = councils.cardiff.headers
        first = answer(
            await client.post(confirm_url(councils.award["id"]), json={}, headers=headers)
        )
        again = answer(
            await client.post(
                confirm_url(councils.award["id"]),
                json={"council_reference": "CDF-7"},
                headers=headers,
            )
        )
        assert (again["status"], again["council_reference"]) == ("confirmed", "CDF-7")
        assert again["weekly_amount_pence"] == 25_000
        assert again["confirmed_at"] == first["confirmed_at"]
        corrected = answer(
            await client.post(
                confirm_url(councils.award["id"]),
                json={"weekly_amount_pence": 26_000},
                headers=headers,
            )
        )
        assert (corrected["weekly_amount_pence"], corrected["council_reference"]) == (
            26_000,
            "CDF-7",
        )

    async def test_another_councils_award_does_not_exist_for_it(
        self, client: httpx.AsyncClient, session: AsyncSession, councils: Councils
    ) -> None:
        for url, body in (
            (confirm_url(councils.award["id"]), {}),
            (reject_url(councils.award["id"]), {"reason": "x"}),
        ):
            problem(
                await client.post(url, json=body, headers=councils.swansea.headers),
                404,
                "not_found",
            )
        problem(
            await client.post(
                confirm_url("00000000-0000-4000-8000-000000000000"),
                json={},
                headers=councils.cardiff.headers,
            ),
            404,
            "not_found",
        )
        award = await stored(session, councils.award["id"])
        assert (award.status.value, award.decided_by_user_id) == ("declared", None)

    async def test_only_a_council_decides(
        self, client: httpx.AsyncClient, session: AsyncSession, councils: Councils
    ) -> None:
        for person in (councils.admin, councils.holder):
            problem(
                await client.post(
                    confirm_url(councils.award["id"]), json={}, headers=person.headers
                ),
                403,
                "forbidden",
            )
        problem(
            await client.post(confirm_url(councils.award["id"]), json={}), 401, "not_authenticated"
        )
        assert (await stored(session, councils.award["id"])).status.value == "declared"

    async def test_an_officer_never_decides_their_own_award(
        self, client: httpx.AsyncClient, session: AsyncSession, councils: Councils
    ) -> None:
        own = await set_direct_payment(client, councils.cardiff, area_code=CARDIFF)
        problem(
            await client.post(confirm_url(own["id"]), json={}, headers=councils.cardiff.headers),
            403,
            "conflict_of_interest",
        )
        assert (await stored(session, own["id"])).status.value == "declared"

    @pytest.mark.parametrize(
        "body",
        [
            {"weekly_amount_pence": 0},
            {"weekly_amount_pence": 10.5},
            {"council_reference": "   "},
            {"council_reference": "x" * 101},
            {"surprise": True},
        ],
    )
    async def test_bad_figures_are_validation_errors_and_change_nothing(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        councils: Councils,
        body: dict[str, Any],
    ) -> None:
        problem(
            await client.post(
                confirm_url(councils.award["id"]), json=body, headers=councils.cardiff.headers
            ),
            422,
            "validation_error",
        )
        assert (await stored(session, councils.award["id"])).status.value == "declared"


class TestRejectAward:
    async def test_an_officer_rejects_a_declared_version(
        self, client: httpx.AsyncClient, councils: Councils
    ) -> None:
        body = answer(
            await client.post(
                reject_url(councils.award["id"]),
                json={"reason": "No award of ours starts that day"},
                headers=councils.cardiff.headers,
            )
        )
        assert (body["status"], body["rejection_reason"]) == (
            "rejected",
            "No award of ours starts that day",
        )
        assert body["rejected_at"] is not None
        rejected = answer(
            await client.get(
                list_url(CARDIFF), params={"status": "rejected"}, headers=councils.cardiff.headers
            )
        )
        assert [i["id"] for i in rejected["items"]] == [councils.award["id"]]

    async def test_a_confirmed_or_rejected_version_cannot_be_rejected(
        self, client: httpx.AsyncClient, session: AsyncSession, councils: Councils
    ) -> None:
        headers = councils.cardiff.headers
        answer(await client.post(confirm_url(councils.award["id"]), json={}, headers=headers))
        problem(
            await client.post(
                reject_url(councils.award["id"]), json={"reason": "x"}, headers=headers
            ),
            409,
            "invalid_transition",
        )
        assert (await stored(session, councils.award["id"])).status.value == "confirmed"
        other = await register_person(client)
        declared = await set_direct_payment(client, other, area_code=CARDIFF)
        answer(await client.post(reject_url(declared["id"]), json={"reason": "x"}, headers=headers))
        problem(
            await client.post(reject_url(declared["id"]), json={"reason": "y"}, headers=headers),
            409,
            "invalid_transition",
        )

    async def test_a_rejected_version_the_council_finds_right_may_be_confirmed(
        self, client: httpx.AsyncClient, councils: Councils
    ) -> None:
        headers = councils.cardiff.headers
        answer(
            await client.post(
                reject_url(councils.award["id"]), json={"reason": "x"}, headers=headers
            )
        )
        body = answer(
            await client.post(confirm_url(councils.award["id"]), json={}, headers=headers)
        )
        assert (body["status"], body["rejected_at"], body["rejection_reason"]) == (
            "confirmed",
            None,
            None,
        )

    async def test_a_reason_is_required(
        self, client: httpx.AsyncClient, councils: Councils
    ) -> None:
        problem(
            await client.post(
                reject_url(councils.award["id"]), json={}, headers=councils.cardiff.headers
            ),
            422,
            "validation_error",
        )


class TestDecisionsAreAudited:
    async def test_each_decision_is_in_the_holders_activity_without_figures(
        self, client: httpx.AsyncClient, councils: Councils
    ) -> None:
        headers = councils.cardiff.headers
        answer(await client.post(confirm_url(councils.award["id"]), json={}, headers=headers))
        answer(
            await client.post(
                confirm_url(councils.award["id"]),
                json={"weekly_amount_pence": 26_000, "council_reference": "CDF-1"},
                headers=headers,
            )
        )
        activity = answer(await client.get("/api/v1/me/activity", headers=councils.holder.headers))
        decisions = [e for e in activity["items"] if e["subject_id"] == councils.award["id"]]
        assert [e["action"] for e in decisions][:2] == [
            "direct_payment.corrected",
            "direct_payment.confirmed",
        ]
        assert all(e["actor_user_id"] == str(councils.cardiff.id) for e in decisions[:2])
        said = what_entries_say(activity)
        assert not [s for s in said if "26000" in s or "260.00" in s], said
        assert not [s for s in said if "CDF-1" in s], said


class TestApiClients:
    async def test_a_council_system_lists_confirms_corrects_and_rejects_its_own_awards(
        self, client: httpx.AsyncClient, session: AsyncSession, councils: Councils
    ) -> None:
        headers = await client_headers(client, councils.admin, CARDIFF)
        listed = answer(await client.get(list_url(CARDIFF), headers=headers))
        assert [i["id"] for i in listed["items"]] == [councils.award["id"]]
        problem(await client.get(list_url(SWANSEA), headers=headers), 403, "forbidden")

        confirmed = answer(
            await client.post(
                confirm_url(councils.award["id"]),
                json={"council_reference": "CDF-SYS-1"},
                headers=headers,
            )
        )
        assert confirmed["status"] == "confirmed"
        corrected = answer(
            await client.post(
                confirm_url(councils.award["id"]),
                json={"weekly_amount_pence": 27_500},
                headers=headers,
            )
        )
        assert corrected["weekly_amount_pence"] == 27_500
        award = await stored(session, councils.award["id"])
        assert award.decided_by_user_id is None
        assert award.decided_by_api_client_id is not None

        other = await register_person(client)
        declared = await set_direct_payment(client, other, area_code=CARDIFF)
        rejected = answer(
            await client.post(
                reject_url(declared["id"]), json={"reason": "Unknown"}, headers=headers
            )
        )
        assert rejected["status"] == "rejected"

        entries = (
            await session.scalars(
                select(AuditEntry).where(AuditEntry.subject_id == councils.award["id"])
            )
        ).all()
        by_client = [e for e in entries if e.action.startswith("direct_payment.c")]
        assert by_client
        assert all(
            e.actor_user_id is None
            and e.data["api_client_id"] == str(award.decided_by_api_client_id)
            for e in by_client
        )

    async def test_another_councils_system_finds_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession, councils: Councils
    ) -> None:
        headers = await client_headers(client, councils.admin, SWANSEA)
        for url, body in (
            (confirm_url(councils.award["id"]), {}),
            (reject_url(councils.award["id"]), {"reason": "x"}),
        ):
            problem(await client.post(url, json=body, headers=headers), 404, "not_found")
        assert (await stored(session, councils.award["id"])).status.value == "declared"

    async def test_a_revoked_client_is_refused(
        self, client: httpx.AsyncClient, councils: Councils
    ) -> None:
        headers = await client_headers(client, councils.admin, CARDIFF)
        clients = answer(
            await client.get("/api/v1/admin/api-clients", headers=councils.admin.headers)
        )
        ok(
            await client.delete(
                f"/api/v1/admin/api-clients/{clients['items'][0]['id']}",
                headers=councils.admin.headers,
            )
        )
        problem(
            await client.post(confirm_url(councils.award["id"]), json={}, headers=headers),
            401,
            "not_authenticated",
        )


async def test_a_holder_who_moves_council_is_listed_by_each_council_for_its_own_version(
    client: httpx.AsyncClient, councils: Councils
) -> None:
    moved = await set_direct_payment(
        client, councils.holder, area_code=SWANSEA, start_date=date(2026, 4, 6)
    )
    cardiff = answer(await client.get(list_url(CARDIFF), headers=councils.cardiff.headers))
    swansea = answer(await client.get(list_url(SWANSEA), headers=councils.swansea.headers))
    assert [i["id"] for i in cardiff["items"]] == [councils.award["id"]]
    assert cardiff["items"][0]["end_date"] == "2026-04-05"
    assert [i["id"] for i in swansea["items"]] == [moved["id"]]
