"""A person's notifications: who receives what, in their language, newest first, read or not."""

import uuid
from datetime import timedelta

import httpx

from app.core.clock import FrozenClock
from tests.factories import (
    contribute,
    create_coop,
    grant_mandate,
    join_coop,
    login,
    register_person,
    request_refund,
    set_direct_payment,
)
from tests.helpers import ok, problem
from tests.notifications.conftest import feed, types_of

FEED = "/api/v1/me/notifications"


class TestWhoReceivesWhat:
    async def test_admins_hear_of_an_application_and_the_member_of_their_approval(
        self, client: httpx.AsyncClient
    ) -> None:
        admin = await register_person(client, full_name="Admin")
        holder = await register_person(client, full_name="Holder", preferred_language="cy")
        coop = await create_coop(client, admin)
        member_id = await join_coop(client, coop, holder, admin)
        [applied] = [i for i in await feed(client, admin) if i["type"] == "membership.applied"]
        assert applied["subject_type"] == "coop_member"
        assert applied["subject_id"] == str(member_id)
        assert "Cydweithfa Gofal Caerdydd" in str(applied["title"])
        # The member reads in Welsh, their preference; nobody else is told.
        [approved] = [i for i in await feed(client, holder) if i["type"] == "membership.approved"]
        assert approved["title"] == "Croeso i Cydweithfa Gofal Caerdydd"
        assert "membership.approved" not in await types_of(client, admin)
        assert "membership.applied" not in await types_of(client, holder)

    async def test_a_representative_with_view_hears_of_the_holders_money_by_name(
        self, client: httpx.AsyncClient
    ) -> None:
        admin = await register_person(client, full_name="Admin")
        holder = await register_person(client, full_name="Ann Holder")
        viewer = await register_person(client, full_name="Viewer")
        voter = await register_person(client, full_name="Voter only")
        coop = await create_coop(client, admin)
        await join_coop(client, coop, holder, admin)
        await grant_mandate(
            client, holder, viewer, scopes=("view", "refund"), limit_pence_per_cycle=10_000
        )
        await grant_mandate(client, holder, voter, scopes=("vote",))
        await set_direct_payment(client, holder, weekly_amount_pence=50_000)
        ok(await contribute(client, coop, holder, amount_pence=20_000))
        [mine] = [i for i in await feed(client, holder) if i["type"] == "contribution.posted"]
        assert "£200.00 has been paid into your account" in str(mine["body"])
        [theirs] = [i for i in await feed(client, viewer) if i["type"] == "contribution.posted"]
        assert "Ann Holder's account" in str(theirs["body"])
        assert "contribution.posted" not in await types_of(client, voter)
        assert "contribution.posted" not in await types_of(client, admin)

    async def test_approval_waiting_reaches_the_holder_never_the_requester(
        self, client: httpx.AsyncClient
    ) -> None:
        admin = await register_person(client, full_name="Admin")
        holder = await register_person(client, full_name="Holder")
        rep = await register_person(client, full_name="Rep")
        other = await register_person(client, full_name="Other viewer")
        coop = await create_coop(client, admin)
        member_id = await join_coop(client, coop, holder, admin)
        await grant_mandate(
            client, holder, rep, scopes=("view", "refund"), limit_pence_per_cycle=50_000
        )
        await grant_mandate(client, holder, other, scopes=("view",))
        await set_direct_payment(client, holder, weekly_amount_pence=50_000)
        ok(await contribute(client, coop, holder, amount_pence=20_000))
        asked = await request_refund(
            client,
            coop,
            rep,
            member_id=member_id,
            amount_pence=5_000,
            headers=rep.on_behalf_of(holder),
        )
        assert asked.status_code == 201, asked.text
        assert "approval.waiting" in await types_of(client, holder)
        assert "approval.waiting" in await types_of(client, other)
        assert "approval.waiting" not in await types_of(client, rep)

    async def test_each_password_sign_in_is_told_to_the_person_only(
        self, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client)
        ok(await login(client, email=person.email, password=person.password))
        assert (await types_of(client, person)).count("account.new_login") == 2


class TestTheFeed:
    async def test_newest_first_paged_with_unread_and_read(
        self, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        person = await register_person(client)
        for _ in range(2):
            clock.advance(timedelta(minutes=1))
            ok(await login(client, email=person.email, password=person.password))
        items = await feed(client, person)
        assert [str(i["at"]) for i in items] == sorted((str(i["at"]) for i in items), reverse=True)
        first = ok(await client.get(f"{FEED}?limit=2", headers=person.headers)).json()
        assert len(first["items"]) == 2
        rest = ok(
            await client.get(
                f"{FEED}?limit=2&cursor={first['next_cursor']}", headers=person.headers
            )
        ).json()
        assert [i["id"] for i in first["items"] + rest["items"]] == [i["id"] for i in items]
        newest = items[0]
        read = ok(await client.post(f"{FEED}/{newest['id']}/read", headers=person.headers)).json()
        assert read["read_at"] is not None
        clock.advance(timedelta(minutes=5))
        again = ok(await client.post(f"{FEED}/{newest['id']}/read", headers=person.headers)).json()
        assert again["read_at"] == read["read_at"]
        assert [i["id"] for i in await feed(client, person, "?unread=true")] == [
            i["id"] for i in items[1:]
        ]
        assert [i["id"] for i in await feed(client, person, "?unread=false")] == [newest["id"]]
        done = ok(await client.post(f"{FEED}/read-all", headers=person.headers)).json()
        assert done == {"read": len(items) - 1}
        assert await feed(client, person, "?unread=true") == []

    async def test_texts_follow_accept_language(self, client: httpx.AsyncClient) -> None:
        person = await register_person(client)
        [welsh] = await feed(client, person, language="cy")
        assert welsh["title"] == "Mewngofnodi newydd i'ch cyfrif"
        [english] = await feed(client, person)
        assert english["title"] == "New sign-in to your account"

    async def test_someone_elses_notification_does_not_exist(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await register_person(client)
        stranger = await register_person(client)
        [item] = await feed(client, owner)
        problem(
            await client.post(f"{FEED}/{item['id']}/read", headers=stranger.headers),
            404,
            "not_found",
        )
        problem(
            await client.post(f"{FEED}/{uuid.uuid4()}/read", headers=owner.headers),
            404,
            "not_found",
        )
        assert (await feed(client, owner))[0]["read_at"] is None

    async def test_my_export_holds_my_notifications_and_choices(
        self, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client)
        ok(
            await client.put(
                "/api/v1/me/notification-preferences",
                json={"email": {"tender.published": False}},
                headers=person.headers,
            )
        )
        export = ok(await client.get("/api/v1/me/export", headers=person.headers)).json()
        [item] = await feed(client, person)
        assert [n["id"] for n in export["notifications"]] == [item["id"]]
        assert export["notification_preferences"][0]["email"] == {"tender.published": False}
