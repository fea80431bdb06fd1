import json
import uuid
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.core.clock import FrozenClock
from app.support.models import SupportComment, SupportRequest
from tests.factories import (
    apply_to_coop,
    grant_mandate,
    join_coop,
    raise_support_request,
    register_person,
)
from tests.helpers import ok, problem
from tests.support.conftest import World

GOOD_REQUEST = {
    "category": "payroll",
    "subject": "My PA's payslip is wrong",
    "body": "Her hours for the week of 9 March are missing.",
    "priority": "urgent",
}


def requests_url(world: World) -> str:
    return f"/api/v1/coops/{world.coop_id}/support/requests"


def request_url(world: World, request_id: uuid.UUID) -> str:
    return f"/api/v1/coops/{world.coop_id}/support/requests/{request_id}"


async def requests_in(session: AsyncSession, coop_id: uuid.UUID) -> int:
    return (
        await session.scalar(
            select(func.count())
            .select_from(SupportRequest)
            .where(SupportRequest.coop_id == coop_id)
        )
        or 0
    )


async def comments_on(session: AsyncSession, request_id: uuid.UUID) -> int:
    return (
        await session.scalar(
            select(func.count())
            .select_from(SupportComment)
            .where(SupportComment.request_id == request_id)
        )
        or 0
    )


async def stored(session: AsyncSession, request_id: uuid.UUID) -> SupportRequest:
    request = await session.get(SupportRequest, request_id, populate_existing=True)
    assert request is not None
    return request


async def desk_entries(session: AsyncSession, request_id: uuid.UUID) -> list[AuditEntry]:
    return list(
        (
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.subject_id == str(request_id))
                .order_by(AuditEntry.seq)
            )
        ).all()
    )


class TestRaiseRequest:
    async def test_a_member_asks_for_help(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        response = await client.post(
            requests_url(world), json=GOOD_REQUEST, headers=world.holder.headers
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body == {
            **GOOD_REQUEST,
            "id": body["id"],
            "coop_id": str(world.coop_id),
            "requester_member_id": str(world.holder_member_id),
            "raised_by_user_id": str(world.holder.id),
            "status": "open",
            "assignee_member_id": None,
            "created_at": "2026-03-02T09:00:00Z",
            "updated_at": "2026-03-02T09:00:00Z",
            "resolved_at": None,
        }
        [entry] = await desk_entries(session, uuid.UUID(body["id"]))
        assert entry.action == "support_request.raised"
        assert entry.data == {
            "requester_member_id": str(world.holder_member_id),
            "category": "payroll",
            "priority": "urgent",
        }

    async def test_priority_defaults_to_normal(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        body = {k: v for k, v in GOOD_REQUEST.items() if k != "priority"}
        response = await client.post(requests_url(world), json=body, headers=world.carer.headers)
        assert response.status_code == 201, response.text
        assert response.json()["priority"] == "normal"

    async def test_a_representative_with_support_raises_one_for_the_holder(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        representative = await register_person(client)
        await grant_mandate(client, world.holder, representative, scopes=("view", "support"))
        response = await client.post(
            requests_url(world),
            json=GOOD_REQUEST,
            headers=representative.on_behalf_of(world.holder),
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["requester_member_id"] == str(world.holder_member_id)
        assert body["raised_by_user_id"] == str(representative.id)
        [entry] = await desk_entries(session, uuid.UUID(body["id"]))
        assert (entry.actor_user_id, entry.on_behalf_of_user_id) == (
            representative.id,
            world.holder.id,
        )

    @pytest.mark.parametrize(
        ("field", "value"),
        [("subject", "  "), ("priority", "asap"), ("category", "cleaning"), ("body", "")],
    )
    async def test_a_bad_field_is_a_validation_error_and_raises_nothing(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        world: World,
        field: str,
        value: str,
    ) -> None:
        problem(
            await client.post(
                requests_url(world),
                json={**GOOD_REQUEST, field: value},
                headers=world.holder.headers,
            ),
            422,
            "validation_error",
        )
        assert await requests_in(session, world.coop_id) == 0

    async def test_who_may_not(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        url = requests_url(world)
        problem(await client.post(url, json=GOOD_REQUEST), 401, "not_authenticated")
        for person in (world.outsider, world.elsewhere):
            problem(
                await client.post(url, json=GOOD_REQUEST, headers=person.headers), 404, "not_found"
            )
        applicant = await register_person(client)
        await apply_to_coop(client, world.coop_id, applicant)
        problem(
            await client.post(url, json=GOOD_REQUEST, headers=applicant.headers), 404, "not_found"
        )
        payer = await register_person(client)
        await grant_mandate(client, world.holder, payer, scopes=("contribute", "vote", "refund"))
        problem(
            await client.post(url, json=GOOD_REQUEST, headers=payer.on_behalf_of(world.holder)),
            403,
            "outside_mandate",
        )
        problem(
            await client.post(
                url, json=GOOD_REQUEST, headers=world.outsider.on_behalf_of(world.holder)
            ),
            403,
            "no_mandate",
        )
        assert await requests_in(session, world.coop_id) == 0


class TestListRequests:
    async def test_members_see_their_own_and_support_staff_see_all(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        holders = await raise_support_request(client, world.coop_id, world.holder.headers)
        carers = await raise_support_request(client, world.coop_id, world.carer.headers)
        await raise_support_request(client, world.elsewhere_coop_id, world.elsewhere.headers)

        async def seen_by(headers: dict[str, str]) -> set[str]:
            response = await client.get(requests_url(world), headers=headers)
            assert response.status_code == 200, response.text
            return {item["id"] for item in response.json()["items"]}

        assert await seen_by(world.holder.headers) == {str(holders)}
        assert await seen_by(world.carer.headers) == {str(carers)}
        assert await seen_by(world.admin.headers) == {str(holders), str(carers)}
        assert await seen_by(world.worker.headers) == {str(holders), str(carers)}

    async def test_urgent_first_then_newest_first_through_every_page(
        self, client: httpx.AsyncClient, world: World, clock: FrozenClock
    ) -> None:
        raised = {}
        for subject, priority in [
            ("old low", "low"),
            ("old urgent", "urgent"),
            ("normal", "normal"),
            ("new low", "low"),
            ("new urgent", "urgent"),
        ]:
            raised[subject] = str(
                await raise_support_request(
                    client, world.coop_id, world.holder.headers, subject=subject, priority=priority
                )
            )
            clock.advance(timedelta(minutes=1))
        seen: list[str] = []
        cursor = None
        while True:
            params: dict[str, str | int] = {"limit": 2}
            if cursor:
                params["cursor"] = cursor
            page = (
                await client.get(requests_url(world), params=params, headers=world.worker.headers)
            ).json()
            seen += [item["id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        order = ["new urgent", "old urgent", "normal", "new low", "old low"]
        assert seen == [raised[subject] for subject in order]

    async def test_filters_by_status_priority_and_assignee(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        urgent = await raise_support_request(
            client, world.coop_id, world.holder.headers, priority="urgent"
        )
        low = await raise_support_request(
            client, world.coop_id, world.holder.headers, priority="low"
        )
        taken = await client.patch(
            request_url(world, low),
            json={"status": "in_progress", "assignee_member_id": str(world.worker_member_id)},
            headers=world.worker.headers,
        )
        assert taken.status_code == 200, taken.text

        async def ids(**params: str) -> list[str]:
            response = await client.get(
                requests_url(world), params=params, headers=world.admin.headers
            )
            assert response.status_code == 200, response.text
            return [item["id"] for item in response.json()["items"]]

        assert await ids(priority="urgent") == [str(urgent)]
        assert await ids(status="in_progress") == [str(low)]
        assert await ids(status="open") == [str(urgent)]
        assert await ids(assignee_member_id=str(world.worker_member_id)) == [str(low)]
        assert await ids(status="resolved") == []
        problem(
            await client.get(
                requests_url(world), params={"status": "closed"}, headers=world.admin.headers
            ),
            422,
            "validation_error",
        )

    async def test_a_representative_sees_only_the_holders_own_even_for_an_admin(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        admins = await raise_support_request(client, world.coop_id, world.admin.headers)
        await raise_support_request(client, world.coop_id, world.holder.headers)
        representative = await register_person(client)
        await grant_mandate(client, world.admin, representative, scopes=("view",))
        response = await client.get(
            requests_url(world), headers=representative.on_behalf_of(world.admin)
        )
        assert response.status_code == 200, response.text
        assert [item["id"] for item in response.json()["items"]] == [str(admins)]

    async def test_who_may_not(self, client: httpx.AsyncClient, world: World) -> None:
        url = requests_url(world)
        problem(await client.get(url), 401, "not_authenticated")
        for person in (world.outsider, world.elsewhere):
            problem(await client.get(url, headers=person.headers), 404, "not_found")
        payer = await register_person(client)
        await grant_mandate(client, world.holder, payer, scopes=("contribute",))
        problem(
            await client.get(url, headers=payer.on_behalf_of(world.holder)),
            403,
            "outside_mandate",
        )


class TestGetRequest:
    async def test_shows_the_request_with_its_comments_oldest_first(
        self, client: httpx.AsyncClient, world: World, clock: FrozenClock
    ) -> None:
        request_id = await raise_support_request(client, world.coop_id, world.holder.headers)
        comments_url = request_url(world, request_id) + "/comments"
        for person, text in [(world.worker, "On it."), (world.holder, "Thank you!")]:
            clock.advance(timedelta(minutes=1))
            response = await client.post(comments_url, json={"body": text}, headers=person.headers)
            assert response.status_code == 201, response.text
        for viewer in (world.holder, world.worker, world.admin):
            response = await client.get(request_url(world, request_id), headers=viewer.headers)
            assert response.status_code == 200, response.text
            body = response.json()
            assert body["id"] == str(request_id)
            assert body["updated_at"] == "2026-03-02T09:02:00Z"
            assert [(c["number"], c["body"], c["author_member_id"]) for c in body["comments"]] == [
                (1, "On it.", str(world.worker_member_id)),
                (2, "Thank you!", str(world.holder_member_id)),
            ]

    async def test_someone_elses_request_does_not_exist_for_an_ordinary_member(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        request_id = await raise_support_request(client, world.coop_id, world.holder.headers)
        problem(
            await client.get(request_url(world, request_id), headers=world.carer.headers),
            404,
            "not_found",
        )

    async def test_another_coops_request_is_not_found_even_for_an_admin(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        theirs = await raise_support_request(
            client, world.elsewhere_coop_id, world.elsewhere.headers
        )
        problem(
            await client.get(request_url(world, theirs), headers=world.admin.headers),
            404,
            "not_found",
        )
        problem(
            await client.get(request_url(world, uuid.uuid4()), headers=world.admin.headers),
            404,
            "not_found",
        )

    async def test_a_representative_with_view_reads_the_holders_request(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        request_id = await raise_support_request(client, world.coop_id, world.holder.headers)
        viewer = await register_person(client)
        await grant_mandate(client, world.holder, viewer, scopes=("view",))
        response = await client.get(
            request_url(world, request_id), headers=viewer.on_behalf_of(world.holder)
        )
        assert response.status_code == 200, response.text
        payer = await register_person(client)
        await grant_mandate(client, world.holder, payer, scopes=("contribute",))
        problem(
            await client.get(
                request_url(world, request_id), headers=payer.on_behalf_of(world.holder)
            ),
            403,
            "outside_mandate",
        )

    async def test_who_may_not(self, client: httpx.AsyncClient, world: World) -> None:
        request_id = await raise_support_request(client, world.coop_id, world.holder.headers)
        url = request_url(world, request_id)
        problem(await client.get(url), 401, "not_authenticated")
        for person in (world.outsider, world.elsewhere):
            problem(await client.get(url, headers=person.headers), 404, "not_found")


class TestUpdateRequest:
    async def test_a_worker_takes_a_request_on(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World, clock: FrozenClock
    ) -> None:
        request_id = await raise_support_request(client, world.coop_id, world.holder.headers)
        clock.advance(timedelta(minutes=5))
        response = await client.patch(
            request_url(world, request_id),
            json={"status": "in_progress", "assignee_member_id": str(world.worker_member_id)},
            headers=world.worker.headers,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["status"], body["assignee_member_id"]) == (
            "in_progress",
            str(world.worker_member_id),
        )
        assert body["updated_at"] == "2026-03-02T09:05:00Z"
        assert body["comments"] == []
        entries = await desk_entries(session, request_id)
        assert [(e.action, e.data) for e in entries[1:]] == [
            ("support_request.status_changed", {"from": "open", "to": "in_progress"}),
            ("support_request.assigned", {"assignee_member_id": str(world.worker_member_id)}),
        ]
        assert all(e.about_user_id == world.holder.id for e in entries)

    async def test_an_admin_resolves_and_unassigns(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        request_id = await raise_support_request(client, world.coop_id, world.holder.headers)
        url = request_url(world, request_id)
        ok(
            await client.patch(
                url,
                json={"assignee_member_id": str(world.worker_member_id)},
                headers=world.admin.headers,
            )
        )
        response = await client.patch(
            url,
            json={"status": "resolved", "assignee_member_id": None},
            headers=world.admin.headers,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["status"], body["assignee_member_id"]) == ("resolved", None)
        assert body["resolved_at"] == "2026-03-02T09:00:00Z"

    async def test_the_assignee_must_be_an_active_worker_of_this_coop(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        request_id = await raise_support_request(client, world.coop_id, world.holder.headers)
        other_worker = await register_person(client)
        their_worker = await join_coop(
            client, world.elsewhere_coop_id, other_worker, world.elsewhere, "worker"
        )
        suspended = await register_person(client)
        suspended_id = await join_coop(client, world.coop_id, suspended, world.admin, "worker")
        ok(
            await client.post(
                f"/api/v1/coops/{world.coop_id}/members/{suspended_id}/suspend",
                headers=world.admin.headers,
            )
        )
        for assignee in (
            str(world.carer_member_id),
            str(world.admin_member_id),
            str(their_worker),
            str(suspended_id),
            str(uuid.uuid4()),
        ):
            problem(
                await client.patch(
                    request_url(world, request_id),
                    json={"status": "in_progress", "assignee_member_id": assignee},
                    headers=world.admin.headers,
                ),
                422,
                "assignee_not_a_worker",
            )
        request = await stored(session, request_id)
        assert (request.status, request.assignee_member_id) == ("open", None)
        assert len(await desk_entries(session, request_id)) == 1

    async def test_the_requester_resolves_and_reopens_their_own(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        request_id = await raise_support_request(client, world.coop_id, world.holder.headers)
        url = request_url(world, request_id)
        resolved = await client.patch(
            url, json={"status": "resolved"}, headers=world.holder.headers
        )
        assert resolved.status_code == 200, resolved.text
        assert resolved.json()["resolved_at"] is not None
        reopened = await client.patch(url, json={"status": "open"}, headers=world.holder.headers)
        assert reopened.status_code == 200, reopened.text
        assert (reopened.json()["status"], reopened.json()["resolved_at"]) == ("open", None)

    @pytest.mark.parametrize(
        ("start", "change"),
        [
            ("open", {"status": "in_progress"}),
            ("in_progress", {"status": "open"}),
            ("open", {"assignee_member_id": "worker"}),
            ("open", {"status": "resolved", "assignee_member_id": None}),
        ],
    )
    async def test_the_requester_may_do_no_more_and_nothing_changes(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        world: World,
        start: str,
        change: dict[str, str | None],
    ) -> None:
        request_id = await raise_support_request(client, world.coop_id, world.holder.headers)
        url = request_url(world, request_id)
        if start != "open":
            ok(await client.patch(url, json={"status": start}, headers=world.worker.headers))
        before = len(await desk_entries(session, request_id))
        body = {k: str(world.worker_member_id) if v == "worker" else v for k, v in change.items()}
        problem(await client.patch(url, json=body, headers=world.holder.headers), 403, "forbidden")
        request = await stored(session, request_id)
        assert (request.status, request.assignee_member_id) == (start, None)
        assert len(await desk_entries(session, request_id)) == before

    async def test_a_representative_acts_as_the_requester_never_as_staff(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        mine = await raise_support_request(client, world.coop_id, world.admin.headers)
        representative = await register_person(client)
        await grant_mandate(client, world.admin, representative, scopes=("view", "support"))
        headers = representative.on_behalf_of(world.admin)
        problem(
            await client.patch(
                request_url(world, mine),
                json={"assignee_member_id": str(world.worker_member_id)},
                headers=headers,
            ),
            403,
            "forbidden",
        )
        resolved = await client.patch(
            request_url(world, mine), json={"status": "resolved"}, headers=headers
        )
        assert resolved.status_code == 200, resolved.text
        someone_elses = await raise_support_request(client, world.coop_id, world.holder.headers)
        problem(
            await client.patch(
                request_url(world, someone_elses), json={"status": "resolved"}, headers=headers
            ),
            404,
            "not_found",
        )
        assert (await stored(session, someone_elses)).status == "open"

    async def test_no_change_is_no_change(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        request_id = await raise_support_request(client, world.coop_id, world.holder.headers)
        url = request_url(world, request_id)
        for body in ({}, {"status": "open"}, {"status": None}, {"assignee_member_id": None}):
            response = await client.patch(url, json=body, headers=world.worker.headers)
            assert response.status_code == 200, response.text
        assert len(await desk_entries(session, request_id)) == 1

    async def test_who_may_not(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        request_id = await raise_support_request(client, world.coop_id, world.holder.headers)
        url = request_url(world, request_id)
        body = {"status": "resolved"}
        problem(await client.patch(url, json=body), 401, "not_authenticated")
        for person in (world.outsider, world.elsewhere, world.carer):
            problem(await client.patch(url, json=body, headers=person.headers), 404, "not_found")
        payer = await register_person(client)
        await grant_mandate(client, world.holder, payer, scopes=("contribute",))
        problem(
            await client.patch(url, json=body, headers=payer.on_behalf_of(world.holder)),
            403,
            "outside_mandate",
        )
        assert (await stored(session, request_id)).status == "open"


class TestComment:
    async def test_the_requester_and_support_staff_comment_in_turn(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        request_id = await raise_support_request(client, world.coop_id, world.holder.headers)
        url = request_url(world, request_id) + "/comments"
        numbers = []
        for person in (world.holder, world.worker, world.admin):
            response = await client.post(
                url, json={"body": "A private matter"}, headers=person.headers
            )
            assert response.status_code == 201, response.text
            body = response.json()
            assert body["written_by_user_id"] == str(person.id)
            numbers.append(body["number"])
        assert numbers == [1, 2, 3]
        entries = await desk_entries(session, request_id)
        assert [e.action for e in entries[1:]] == ["support_request.commented"] * 3
        assert all("private" not in json.dumps(e.data) for e in entries)
        assert "payslip" not in json.dumps([e.data for e in entries])

    async def test_a_representative_with_support_comments_for_the_holder(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        request_id = await raise_support_request(client, world.coop_id, world.holder.headers)
        viewer = await register_person(client)
        await grant_mandate(client, world.holder, viewer, scopes=("view", "support"))
        response = await client.post(
            request_url(world, request_id) + "/comments",
            json={"body": "Writing for my father."},
            headers=viewer.on_behalf_of(world.holder),
        )
        assert response.status_code == 201, response.text
        assert response.json()["author_member_id"] == str(world.holder_member_id)
        assert response.json()["written_by_user_id"] == str(viewer.id)

    async def test_an_empty_comment_is_a_validation_error(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        request_id = await raise_support_request(client, world.coop_id, world.holder.headers)
        problem(
            await client.post(
                request_url(world, request_id) + "/comments",
                json={"body": " \n "},
                headers=world.holder.headers,
            ),
            422,
            "validation_error",
        )
        assert await comments_on(session, request_id) == 0

    async def test_who_may_not(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        request_id = await raise_support_request(client, world.coop_id, world.holder.headers)
        url = request_url(world, request_id) + "/comments"
        body = {"body": "Me too"}
        problem(await client.post(url, json=body), 401, "not_authenticated")
        for person in (world.outsider, world.elsewhere, world.carer):
            problem(await client.post(url, json=body, headers=person.headers), 404, "not_found")
        payer = await register_person(client)
        await grant_mandate(client, world.holder, payer, scopes=("contribute",))
        problem(
            await client.post(url, json=body, headers=payer.on_behalf_of(world.holder)),
            403,
            "outside_mandate",
        )
        theirs = await raise_support_request(
            client, world.elsewhere_coop_id, world.elsewhere.headers
        )
        problem(
            await client.post(
                request_url(world, theirs) + "/comments", json=body, headers=world.admin.headers
            ),
            404,
            "not_found",
        )
        assert await comments_on(session, request_id) == 0
        assert await comments_on(session, theirs) == 0


class TestWritingNeedsTheSupportScope:
    """Writing to a support request on a holder's behalf needs `support`; `view` only reads
    (SPEC section 25)."""

    async def test_a_view_only_representative_writes_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        request_id = await raise_support_request(client, world.coop_id, world.holder.headers)
        viewer = await register_person(client)
        await grant_mandate(client, world.holder, viewer, scopes=("view",))
        headers = viewer.on_behalf_of(world.holder)
        # Reading is what `view` is for.
        read = await client.get(request_url(world, request_id), headers=headers)
        assert read.status_code == 200, read.text
        before = await requests_in(session, world.coop_id)
        audit_before = len(await desk_entries(session, request_id))
        problem(
            await client.post(requests_url(world), json=GOOD_REQUEST, headers=headers),
            403,
            "outside_mandate",
        )
        problem(
            await client.post(
                request_url(world, request_id) + "/comments",
                json={"body": "Close this, please."},
                headers=headers,
            ),
            403,
            "outside_mandate",
        )
        for status in ("resolved", "open"):
            problem(
                await client.patch(
                    request_url(world, request_id), json={"status": status}, headers=headers
                ),
                403,
                "outside_mandate",
            )
        assert await requests_in(session, world.coop_id) == before
        assert await comments_on(session, request_id) == 0
        assert (await stored(session, request_id)).status == "open"
        assert len(await desk_entries(session, request_id)) == audit_before

    async def test_with_support_each_write_works(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        helper = await register_person(client)
        await grant_mandate(client, world.holder, helper, scopes=("view", "support"))
        headers = helper.on_behalf_of(world.holder)
        raised = await client.post(requests_url(world), json=GOOD_REQUEST, headers=headers)
        assert raised.status_code == 201, raised.text
        request_id = uuid.UUID(raised.json()["id"])
        commented = await client.post(
            request_url(world, request_id) + "/comments",
            json={"body": "Sorted now, diolch."},
            headers=headers,
        )
        assert commented.status_code == 201, commented.text
        resolved = await client.patch(
            request_url(world, request_id), json={"status": "resolved"}, headers=headers
        )
        assert resolved.status_code == 200, resolved.text
        assert (await stored(session, request_id)).status == "resolved"
        reopened = await client.patch(
            request_url(world, request_id), json={"status": "open"}, headers=headers
        )
        assert reopened.status_code == 200, reopened.text
