"""Safeguarding concerns: any member raises one; only leads who are not concerned read it."""

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from tests.factories import (
    Person,
    create_coop,
    grant_mandate,
    join_coop,
    member_id_of,
    platform_admin,
    register_person,
    set_admin,
)
from tests.helpers import ok, problem

SUMMARY = "Bruises on her arm again; she said the new carer is rough with her."


@dataclass
class World:
    coop_id: uuid.UUID
    admin: Person  # founder, marked lead
    lead: Person  # a second lead
    plain_admin: Person  # an administrator who is no lead
    holder: Person
    holder_member_id: uuid.UUID
    holder_rep: Person  # the holder's representative
    neighbour: Person  # raises the concern

    def url(self, rest: str = "") -> str:
        return f"/api/v1/coops/{self.coop_id}/safeguarding-concerns{rest}"


async def mark_lead(
    client: httpx.AsyncClient, coop_id: uuid.UUID, person: Person, by: Person, lead: bool = True
) -> httpx.Response:
    return await client.post(
        f"/api/v1/coops/{coop_id}/members/{await member_id_of(client, coop_id, person)}/admin",
        json={"is_admin": True, "safeguarding_lead": lead},
        headers=by.headers,
    )


async def world(client: httpx.AsyncClient) -> World:
    admin = await register_person(client, full_name="Alys Admin")
    coop_id = await create_coop(client, admin)
    lead, plain, holder, rep, neighbour = [
        await register_person(client, full_name=name)
        for name in ("Llinos Lead", "Pedr Plain", "Huw Holder", "Rhys Rep", "Nia Neighbour")
    ]
    for person in (lead, plain):
        await join_coop(client, coop_id, person, admin, "carer")
        await set_admin(client, coop_id, person, admin, True)
    holder_member_id = await join_coop(client, coop_id, holder, admin)
    await join_coop(client, coop_id, neighbour, admin, "community_supporter")
    await grant_mandate(client, holder, rep, scopes=("view",))
    assert ok(await mark_lead(client, coop_id, admin, admin)).json()["safeguarding_lead"]
    ok(await mark_lead(client, coop_id, lead, admin))
    return World(coop_id, admin, lead, plain, holder, holder_member_id, rep, neighbour)


async def raise_about(
    client: httpx.AsyncClient, w: World, member_id: uuid.UUID, by: Person
) -> dict[str, Any]:
    response = await client.post(
        w.url(), json={"member_id": str(member_id), "summary": SUMMARY}, headers=by.headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


class TestReading:
    async def test_leads_and_platform_admins_read_it_and_nobody_else_knows_it_exists(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        w = await world(client)
        concern = await raise_about(client, w, w.holder_member_id, w.neighbour)
        assert concern["summary"] == SUMMARY
        platform = await platform_admin(client, session)
        for reader in (w.admin, w.lead, platform):
            listed = ok(await client.get(w.url(), headers=reader.headers)).json()["items"]
            assert [c["id"] for c in listed] == [concern["id"]]
            one = ok(await client.get(w.url(f"/{concern['id']}"), headers=reader.headers)).json()
            assert one["summary"] == SUMMARY
        outsider = await register_person(client)
        for other in (w.plain_admin, w.holder, w.holder_rep, w.neighbour, outsider):
            problem(await client.get(w.url(), headers=other.headers), 404, "not_found")
            problem(
                await client.get(w.url(f"/{concern['id']}"), headers=other.headers),
                404,
                "not_found",
            )
        # Not through someone else's mandate either.
        problem(
            await client.get(
                w.url(f"/{concern['id']}"), headers=w.holder_rep.on_behalf_of(w.holder)
            ),
            404,
            "not_found",
        )

    async def test_a_lead_never_reads_a_concern_about_themselves_or_someone_they_represent(
        self, client: httpx.AsyncClient
    ) -> None:
        w = await world(client)
        about_lead = await raise_about(
            client, w, await member_id_of(client, w.coop_id, w.lead), w.neighbour
        )
        # The founder lead represents the holder (invited, not yet accepted, is enough).
        await grant_mandate(client, w.holder, w.admin, scopes=("view",), accept=False)
        about_holder = await raise_about(client, w, w.holder_member_id, w.neighbour)
        seen_by_lead = ok(await client.get(w.url(), headers=w.lead.headers)).json()["items"]
        assert [c["id"] for c in seen_by_lead] == [about_holder["id"]]
        seen_by_admin = ok(await client.get(w.url(), headers=w.admin.headers)).json()["items"]
        assert [c["id"] for c in seen_by_admin] == [about_lead["id"]]
        problem(
            await client.get(w.url(f"/{about_lead['id']}"), headers=w.lead.headers),
            404,
            "not_found",
        )
        problem(
            await client.get(w.url(f"/{about_holder['id']}"), headers=w.admin.headers),
            404,
            "not_found",
        )

    async def test_a_member_of_another_coop_cannot_be_named(
        self, client: httpx.AsyncClient
    ) -> None:
        w = await world(client)
        problem(
            await client.post(
                w.url(),
                json={"member_id": str(uuid.uuid4()), "summary": SUMMARY},
                headers=w.neighbour.headers,
            ),
            404,
            "not_found",
        )
        problem(
            await client.post(
                w.url(),
                json={"member_id": str(w.holder_member_id), "summary": SUMMARY},
                headers=(await register_person(client)).headers,
            ),
            404,
            "not_found",
        )


class TestRecords:
    async def test_the_audit_is_about_the_raiser_with_ids_only_and_shown_to_leads(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        w = await world(client)
        concern = await raise_about(client, w, w.holder_member_id, w.neighbour)
        entry = await session.scalar(
            select(AuditEntry).where(AuditEntry.action == "safeguarding_concern.raised")
        )
        assert entry is not None
        assert (entry.actor_user_id, entry.about_user_id, entry.subject_id) == (
            w.neighbour.id,
            w.neighbour.id,
            concern["id"],
        )
        assert SUMMARY not in str(entry.data)
        assert str(w.holder_member_id) not in str(entry.data)

        def concern_entries(response: httpx.Response) -> list[str]:
            return [
                e["subject_id"]
                for e in ok(response).json()["items"]
                if e["subject_type"] == "safeguarding_concern"
            ]

        audit = f"/api/v1/coops/{w.coop_id}/audit"
        assert concern_entries(await client.get(audit, headers=w.lead.headers)) == [concern["id"]]
        assert concern_entries(await client.get(audit, headers=w.plain_admin.headers)) == []
        mine = await client.get("/api/v1/me/activity", headers=w.neighbour.headers)
        assert concern["id"] in mine.text
        theirs = await client.get("/api/v1/me/activity", headers=w.holder.headers)
        assert concern["id"] not in theirs.text

    async def test_the_raisers_export_holds_it_and_the_concerned_persons_leaves_it_out(
        self, client: httpx.AsyncClient
    ) -> None:
        w = await world(client)
        concern = await raise_about(client, w, w.holder_member_id, w.neighbour)
        raiser = ok(await client.get("/api/v1/me/export", headers=w.neighbour.headers)).json()
        assert [c["id"] for c in raiser["safeguarding_concerns_raised"]] == [concern["id"]]
        assert raiser["safeguarding_concerns_raised"][0]["summary"] == SUMMARY
        concerned = await client.get("/api/v1/me/export", headers=w.holder.headers)
        assert concerned.json()["safeguarding_concerns_raised"] == []
        assert concern["id"] not in concerned.text
        assert SUMMARY not in concerned.text


class TestLeads:
    async def test_members_read_who_the_leads_are(self, client: httpx.AsyncClient) -> None:
        w = await world(client)
        members = ok(
            await client.get(f"/api/v1/coops/{w.coop_id}/members", headers=w.neighbour.headers)
        ).json()["items"]
        leads = {m["user_id"] for m in members if m["safeguarding_lead"]}
        assert leads == {str(w.admin.id), str(w.lead.id)}

    async def test_once_a_lead_exists_only_a_lead_may_mark_or_unmark_one(
        self, client: httpx.AsyncClient
    ) -> None:
        w = await world(client)
        problem(
            await mark_lead(client, w.coop_id, w.plain_admin, w.plain_admin),
            403,
            "safeguarding_lead_required",
        )
        problem(
            await mark_lead(client, w.coop_id, w.lead, w.plain_admin, lead=False),
            403,
            "safeguarding_lead_required",
        )
        # Standing a lead down unmarks them, so it needs a lead too.
        stand_down = await client.post(
            f"/api/v1/coops/{w.coop_id}/members/"
            f"{await member_id_of(client, w.coop_id, w.lead)}/admin",
            json={"is_admin": False},
            headers=w.plain_admin.headers,
        )
        problem(stand_down, 403, "safeguarding_lead_required")
        marked = ok(await mark_lead(client, w.coop_id, w.plain_admin, w.lead)).json()
        assert marked["safeguarding_lead"] is True

    async def test_unmarking_the_last_lead_is_refused(self, client: httpx.AsyncClient) -> None:
        w = await world(client)
        ok(await mark_lead(client, w.coop_id, w.lead, w.admin, lead=False))
        problem(
            await mark_lead(client, w.coop_id, w.admin, w.admin, lead=False),
            409,
            "last_safeguarding_lead",
        )
        suspend = await client.post(
            f"/api/v1/coops/{w.coop_id}/members/"
            f"{await member_id_of(client, w.coop_id, w.admin)}/suspend",
            headers=w.plain_admin.headers,
        )
        problem(suspend, 409, "last_safeguarding_lead")

    async def test_a_lead_must_be_an_administrator(self, client: httpx.AsyncClient) -> None:
        w = await world(client)
        body = problem(
            await client.post(
                f"/api/v1/coops/{w.coop_id}/members/{w.holder_member_id}/admin",
                json={"is_admin": False, "safeguarding_lead": True},
                headers=w.admin.headers,
            ),
            422,
            "validation_error",
        )
        assert body["errors"][0]["loc"] == ["body", "safeguarding_lead"]

    async def test_any_administrator_marks_the_first_lead(self, client: httpx.AsyncClient) -> None:
        admin = await register_person(client)
        coop_id = await create_coop(client, admin)
        other = await register_person(client)
        await join_coop(client, coop_id, other, admin, "carer")
        await set_admin(client, coop_id, other, admin, True)
        assert ok(await mark_lead(client, coop_id, admin, other)).json()["safeguarding_lead"]
