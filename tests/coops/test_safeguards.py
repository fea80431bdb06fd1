"""Safeguards one administrator cannot switch off alone (SPEC section 25)."""

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.coops.safeguards import HARMLESS, WEAKENING, weakened
from app.coops.schemas import CoopRules
from tests.factories import Person, create_coop, join_coop, register_person, set_admin
from tests.helpers import problem

BILLION = 10**9


async def two_admins(client: httpx.AsyncClient) -> tuple[uuid.UUID, Person, Person]:
    first = await register_person(client, full_name="First Admin")
    coop_id = await create_coop(client, first)
    second = await register_person(client, full_name="Second Admin")
    await join_coop(client, coop_id, second, first, "carer")
    await set_admin(client, coop_id, second, first, True)
    return coop_id, first, second


async def rules_of(client: httpx.AsyncClient, coop_id: uuid.UUID, admin: Person) -> Any:
    response = await client.get(f"/api/v1/coops/{coop_id}", headers=admin.headers)
    assert response.status_code == 200, response.text
    return response.json()["rules"]


async def patch(
    client: httpx.AsyncClient, coop_id: uuid.UUID, admin: Person, body: dict[str, Any]
) -> httpx.Response:
    return await client.patch(f"/api/v1/coops/{coop_id}", json=body, headers=admin.headers)


def approve_url(coop_id: uuid.UUID, rule_change_id: str) -> str:
    return f"/api/v1/coops/{coop_id}/rule-changes/{rule_change_id}/approve"


def test_every_rule_is_classified() -> None:
    """A rule added to the co-op's rules must say when a change to it weakens a safeguard."""
    assert set(WEAKENING) | HARMLESS == set(CoopRules.model_fields)
    assert not set(WEAKENING) & HARMLESS


@pytest.mark.parametrize(
    ("change", "weakens"),
    [
        ({"refund_second_approval_pence": 50_001}, ["refund_second_approval_pence"]),
        ({"refund_second_approval_pence": 49_999}, []),
        ({"award_requires_vote": False}, ["award_requires_vote"]),
        ({"pass_percent": 49}, ["pass_percent"]),
        ({"pass_percent": 51}, []),
        ({"quorum_percent": 24}, ["quorum_percent"]),
        ({"quorum_percent": 26}, []),
        # Larger rises of a contract's rate agreed without the members' vote.
        ({"variation_vote_percent": 6}, ["variation_vote_percent"]),
        ({"variation_vote_percent": 4}, []),
        # Less time to query a visit before it confirms itself; more is only a longer wait.
        ({"visit_confirm_hours": 47}, ["visit_confirm_hours"]),
        ({"visit_confirm_hours": 72}, []),
        ({"invoice_dispute_days": 1}, ["invoice_dispute_days"]),
        ({"invoice_dispute_days": 3}, []),
        ({"invoices_from_visits_only": True}, []),
        (
            {"voting_mode": "class_weighted", "class_weights": {"service_user": 100}},
            ["voting_mode", "class_weights"],
        ),
    ],
)
def test_weakening_directions(change: dict[str, Any], weakens: list[str]) -> None:
    old = CoopRules().model_dump()
    assert weakened(old, CoopRules.model_validate({**old, **change}).model_dump()) == weakens


class TestWeakeningWaits:
    async def test_raising_the_refund_threshold_alone_changes_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        coop_id, first, second = await two_admins(client)
        response = await patch(
            client, coop_id, first, {"rules": {"refund_second_approval_pence": BILLION}}
        )
        assert response.status_code == 202, response.text
        rule_change_id = response.json()["rule_change_id"]
        assert (await rules_of(client, coop_id, first))["refund_second_approval_pence"] == 50_000

        # The one who proposed it cannot approve it, however often they try.
        for _ in range(2):
            problem(
                await client.post(approve_url(coop_id, rule_change_id), headers=first.headers),
                403,
                "same_admin",
            )
        assert (await rules_of(client, coop_id, first))["refund_second_approval_pence"] == 50_000

        listed = await client.get(
            f"/api/v1/coops/{coop_id}/rule-changes?status=pending", headers=second.headers
        )
        assert listed.status_code == 200, listed.text
        [item] = listed.json()["items"]
        assert item["id"] == rule_change_id
        assert item["weakens"] == ["refund_second_approval_pence"]
        assert item["changes"] == {"rules": {"refund_second_approval_pence": BILLION}}
        assert item["proposed_by_user_id"] == str(first.id)

        approved = await client.post(approve_url(coop_id, rule_change_id), headers=second.headers)
        assert approved.status_code == 200, approved.text
        assert approved.json()["status"] == "applied"
        assert approved.json()["decided_by_user_id"] == str(second.id)
        assert (await rules_of(client, coop_id, first))["refund_second_approval_pence"] == BILLION
        problem(
            await client.post(approve_url(coop_id, rule_change_id), headers=second.headers),
            409,
            "invalid_transition",
        )
        actions = (
            await session.scalars(
                select(AuditEntry.action).where(
                    AuditEntry.coop_id == coop_id, AuditEntry.action.like("coop.rule_change%")
                )
            )
        ).all()
        assert sorted(actions) == ["coop.rule_change_approved", "coop.rule_change_proposed"]

    async def test_a_sole_admin_cannot_weaken_at_all(self, client: httpx.AsyncClient) -> None:
        admin = await register_person(client)
        coop_id = await create_coop(client, admin)
        for rules in (
            {"award_requires_vote": False},
            {"quorum_percent": 0},
            {"pass_percent": 0},
            {"voting_mode": "class_weighted", "class_weights": {"carer": 100}},
        ):
            response = await patch(client, coop_id, admin, {"rules": rules})
            assert response.status_code == 202, (rules, response.text)
            problem(
                await client.post(
                    approve_url(coop_id, response.json()["rule_change_id"]), headers=admin.headers
                ),
                403,
                "same_admin",
            )
        assert await rules_of(client, coop_id, admin) == {
            "voting_mode": "one_member_one_vote",
            "class_weights": None,
            "quorum_percent": 25,
            "pass_percent": 50,
            "award_requires_vote": True,
            "refund_second_approval_pence": 50_000,
            "variation_vote_percent": 5,
            "visit_confirm_hours": 48,
            "invoice_dispute_days": 2,
            "invoices_from_visits_only": False,
        }

    async def test_a_patch_mixing_harmless_and_weakening_changes_waits_as_a_whole(
        self, client: httpx.AsyncClient
    ) -> None:
        coop_id, first, second = await two_admins(client)
        response = await patch(
            client,
            coop_id,
            first,
            {"name": "Renamed", "rules": {"quorum_percent": 60, "pass_percent": 10}},
        )
        assert response.status_code == 202, response.text
        coop = (await client.get(f"/api/v1/coops/{coop_id}", headers=first.headers)).json()
        assert coop["name"] != "Renamed"
        assert (coop["rules"]["quorum_percent"], coop["rules"]["pass_percent"]) == (25, 50)
        approved = await client.post(
            approve_url(coop_id, response.json()["rule_change_id"]), headers=second.headers
        )
        assert approved.status_code == 200, approved.text
        coop = (await client.get(f"/api/v1/coops/{coop_id}", headers=first.headers)).json()
        assert coop["name"] == "Renamed"
        assert (coop["rules"]["quorum_percent"], coop["rules"]["pass_percent"]) == (60, 10)

    async def test_strengthening_applies_at_once(self, client: httpx.AsyncClient) -> None:
        admin = await register_person(client)
        coop_id = await create_coop(client, admin)
        response = await patch(
            client,
            coop_id,
            admin,
            {"rules": {"refund_second_approval_pence": 100, "quorum_percent": 40}},
        )
        assert response.status_code == 200, response.text
        assert response.json()["rules"]["refund_second_approval_pence"] == 100

    async def test_a_change_over_rules_changed_since_cannot_be_approved(
        self, client: httpx.AsyncClient
    ) -> None:
        coop_id, first, second = await two_admins(client)
        lower = await patch(client, coop_id, first, {"rules": {"quorum_percent": 10}})
        assert lower.status_code == 202, lower.text
        # Meanwhile the pass mark goes up (which applies at once): the pending change was
        # judged against rules that no longer hold.
        stricter = await patch(client, coop_id, second, {"rules": {"pass_percent": 60}})
        assert stricter.status_code == 200, stricter.text
        problem(
            await client.post(
                approve_url(coop_id, lower.json()["rule_change_id"]), headers=second.headers
            ),
            409,
            "rule_change_stale",
        )
        assert (await rules_of(client, coop_id, first))["quorum_percent"] == 25
        listed = await client.get(f"/api/v1/coops/{coop_id}/rule-changes", headers=first.headers)
        assert [c["status"] for c in listed.json()["items"]] == ["superseded"]

    async def test_approving_one_change_supersedes_the_others(
        self, client: httpx.AsyncClient
    ) -> None:
        coop_id, first, second = await two_admins(client)
        one = await patch(client, coop_id, first, {"rules": {"quorum_percent": 10}})
        other = await patch(client, coop_id, first, {"rules": {"quorum_percent": 0}})
        assert (one.status_code, other.status_code) == (202, 202)
        approved = await client.post(
            approve_url(coop_id, one.json()["rule_change_id"]), headers=second.headers
        )
        assert approved.status_code == 200, approved.text
        problem(
            await client.post(
                approve_url(coop_id, other.json()["rule_change_id"]), headers=second.headers
            ),
            409,
            "rule_change_stale",
        )
        assert (await rules_of(client, coop_id, first))["quorum_percent"] == 10

    async def test_a_withdrawn_change_never_applies(self, client: httpx.AsyncClient) -> None:
        coop_id, first, second = await two_admins(client)
        asked = await patch(client, coop_id, first, {"rules": {"award_requires_vote": False}})
        rule_change_id = asked.json()["rule_change_id"]
        withdrawn = await client.post(
            f"/api/v1/coops/{coop_id}/rule-changes/{rule_change_id}/withdraw",
            headers=first.headers,
        )
        assert withdrawn.status_code == 200, withdrawn.text
        assert withdrawn.json()["status"] == "withdrawn"
        problem(
            await client.post(approve_url(coop_id, rule_change_id), headers=second.headers),
            409,
            "invalid_transition",
        )
        assert (await rules_of(client, coop_id, first))["award_requires_vote"] is True

    async def test_who_may_see_and_approve(self, client: httpx.AsyncClient) -> None:
        coop_id, first, second = await two_admins(client)
        member = await register_person(client)
        await join_coop(client, coop_id, member, first)
        outsider_admin = await register_person(client)
        other_coop = await create_coop(client, outsider_admin, name="Arall")
        asked = await patch(client, coop_id, first, {"rules": {"pass_percent": 1}})
        rule_change_id = asked.json()["rule_change_id"]
        url = approve_url(coop_id, rule_change_id)
        problem(await client.post(url, headers=member.headers), 403, "forbidden")
        problem(await client.post(url, headers=outsider_admin.headers), 404, "not_found")
        # Another co-op's admin cannot reach it through their own co-op either.
        problem(
            await client.post(
                approve_url(other_coop, rule_change_id), headers=outsider_admin.headers
            ),
            404,
            "not_found",
        )
        problem(
            await client.get(f"/api/v1/coops/{coop_id}/rule-changes", headers=member.headers),
            403,
            "forbidden",
        )
        problem(
            await client.post(approve_url(coop_id, str(uuid.uuid4())), headers=second.headers),
            404,
            "not_found",
        )
        assert (await rules_of(client, coop_id, first))["pass_percent"] == 50
