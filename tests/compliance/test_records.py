import uuid
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.compliance.models import ComplianceRecord
from app.core.clock import FrozenClock
from tests.compliance.conftest import World, add_worker, file, record_body, records_url
from tests.factories import create_provider, grant_mandate, register_person, sign_in_again
from tests.helpers import ok, problem

SHA = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"


async def stored(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(ComplianceRecord)) or 0


def field_errors(body: dict[str, object]) -> list[list[object]]:
    errors = body["errors"]
    assert isinstance(errors, list)
    return [e["loc"] for e in errors]


class TestFileRecord:
    async def test_an_administrator_files_a_members_check_and_it_is_audited_without_its_number(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        response = await client.post(
            world.url,
            json=record_body(world, document_sha256=SHA),
            headers=world.admin.headers,
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body == {
            "id": body["id"],
            "coop_id": str(world.coop_id),
            "subject_kind": "member",
            "subject_id": str(world.member_id),
            "kind": "dbs_enhanced",
            "reference": "001234567890",
            "issued_on": "2025-06-01",
            "expires_on": "2028-05-31",
            "document_sha256": SHA.lower(),
            "recorded_at": "2026-03-02T09:00:00Z",
            "recorded_by_user_id": str(world.admin.id),
            "state": "current",
            "in_force": True,
        }
        [entry] = (
            await session.scalars(select(AuditEntry).where(AuditEntry.action.startswith("compl")))
        ).all()
        assert entry.action == "compliance.recorded"
        assert entry.coop_id == world.coop_id
        assert entry.subject_id == body["id"]
        assert entry.about_user_id == world.member.id
        assert "001234567890" not in str(entry.data)
        assert entry.data["kind"] == "dbs_enhanced"

    async def test_a_member_files_their_own_record(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        body = await file(client, world, world.member, kind="training", expires_on=None)
        assert body["subject_id"] == str(world.member_id)
        assert body["expires_on"] is None
        assert body["state"] == "current"

    @pytest.mark.parametrize("subject", ["other_member", "worker", "provider"])
    async def test_a_member_may_not_file_about_anyone_else_and_nothing_is_written(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World, subject: str
    ) -> None:
        overrides = {
            "other_member": {"subject_id": str(world.other_member_id)},
            "worker": {"subject_kind": "worker", "subject_id": str(world.worker_id)},
            "provider": {
                "subject_kind": "provider",
                "subject_id": str(world.provider_id),
                "kind": "public_liability",
            },
        }[subject]
        response = await client.post(
            world.url, json=record_body(world, **overrides), headers=world.member.headers
        )
        problem(response, 403, "forbidden")
        assert await stored(session) == 0

    async def test_a_member_learns_nothing_of_subjects_that_do_not_exist(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.post(
            world.url,
            json=record_body(world, subject_id=str(uuid.uuid4())),
            headers=world.member.headers,
        )
        problem(response, 403, "forbidden")

    async def test_another_co_ops_member_and_an_outsider_are_told_it_does_not_exist(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        outsider = await register_person(client)
        for person in (world.elsewhere, outsider):
            problem(
                await client.post(world.url, json=record_body(world), headers=person.headers),
                404,
                "not_found",
            )
        assert await stored(session) == 0

    async def test_a_representative_files_nothing_for_the_holder(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        helper = await register_person(client, full_name="Helper")
        await grant_mandate(client, world.member, helper, scopes=("view", "support"))
        response = await client.post(
            world.url, json=record_body(world), headers=helper.on_behalf_of(world.member)
        )
        problem(response, 403, "outside_mandate")
        assert await stored(session) == 0

    async def test_workers_and_providers_of_the_co_op_are_subjects(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        dbs = await file(client, world, subject_kind="worker", subject_id=str(world.worker_id))
        assert dbs["subject_kind"] == "worker"
        cover = await file(
            client,
            world,
            subject_kind="provider",
            subject_id=str(world.provider_id),
            kind="public_liability",
            reference="PL-2026-118",
        )
        assert cover["kind"] == "public_liability"

    @pytest.mark.parametrize(
        ("subject_kind", "subject"),
        [
            ("member", "elsewhere_member_id"),
            ("member", "missing"),
            ("member", "worker_id"),
            ("worker", "elsewhere_worker_id"),
            ("worker", "member_id"),
            ("provider", "swansea_provider_id"),
            ("provider", "missing"),
        ],
    )
    async def test_a_subject_that_is_not_the_co_ops_is_named(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        world: World,
        subject_kind: str,
        subject: str,
    ) -> None:
        subject_id = uuid.uuid4() if subject == "missing" else getattr(world, subject)
        kind = "public_liability" if subject_kind == "provider" else "dbs_basic"
        response = await client.post(
            world.url,
            json=record_body(
                world, subject_kind=subject_kind, subject_id=str(subject_id), kind=kind
            ),
            headers=world.admin.headers,
        )
        body = problem(response, 422, "validation_error")
        assert field_errors(body) == [["body", "subject_id"]]
        assert await stored(session) == 0

    async def test_a_provider_not_yet_verified_is_not_a_subject(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        pending = await create_provider(client, await register_person(client))
        response = await client.post(
            world.url,
            json=record_body(
                world, subject_kind="provider", subject_id=pending["id"], kind="ciw_registration"
            ),
            headers=world.admin.headers,
        )
        body = problem(response, 422, "validation_error")
        assert field_errors(body) == [["body", "subject_id"]]

    async def test_a_member_who_left_is_not_a_subject(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        ok(
            await client.post(
                f"/api/v1/coops/{world.coop_id}/members/{world.other_member_id}/leave",
                headers=world.other_member.headers,
            )
        )
        response = await client.post(
            world.url,
            json=record_body(world, subject_id=str(world.other_member_id)),
            headers=world.admin.headers,
        )
        assert field_errors(problem(response, 422, "validation_error")) == [["body", "subject_id"]]

    @pytest.mark.parametrize(
        ("subject_kind", "kind"),
        [
            ("member", "public_liability"),
            ("member", "ciw_registration"),
            ("worker", "employers_liability"),
            ("worker", "ciw_registration"),
            ("provider", "dbs_enhanced"),
            ("provider", "training"),
        ],
    )
    async def test_a_kind_not_kept_about_that_subject_is_named(
        self, client: httpx.AsyncClient, world: World, subject_kind: str, kind: str
    ) -> None:
        subject_id = {
            "member": world.member_id,
            "worker": world.worker_id,
            "provider": world.provider_id,
        }[subject_kind]
        response = await client.post(
            world.url,
            json=record_body(
                world, subject_kind=subject_kind, subject_id=str(subject_id), kind=kind
            ),
            headers=world.admin.headers,
        )
        body = problem(response, 422, "validation_error")
        assert field_errors(body) == [["body", "kind"]]

    async def test_an_issue_after_today_and_an_expiry_not_after_issue_are_named_together(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        response = await client.post(
            world.url,
            json=record_body(world, issued_on="2026-03-03", expires_on="2026-03-03"),
            headers={**world.admin.headers, "Accept-Language": "cy"},
        )
        body = problem(response, 422, "validation_error")
        assert field_errors(body) == [["body", "issued_on"], ["body", "expires_on"]]
        assert "heddiw" in str(body["errors"])
        assert await stored(session) == 0

    @pytest.mark.parametrize("bad", ["abc", "g" * 64, "a" * 63, "a" * 65])
    async def test_a_document_hash_must_be_64_hex_digits(
        self, client: httpx.AsyncClient, world: World, bad: str
    ) -> None:
        response = await client.post(
            world.url, json=record_body(world, document_sha256=bad), headers=world.admin.headers
        )
        body = problem(response, 422, "validation_error")
        assert field_errors(body) == [["body", "document_sha256"]]

    async def test_an_unknown_kind_is_refused(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.post(
            world.url, json=record_body(world, kind="passport"), headers=world.admin.headers
        )
        assert field_errors(problem(response, 422, "validation_error")) == [["body", "kind"]]

    async def test_today_is_a_day_in_wales(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        # 23:30 UTC on 10 July is 00:30 on 11 July in Wales (BST).
        clock.set(datetime(2026, 7, 10, 23, 30, tzinfo=UTC))
        await sign_in_again(client, world.admin)
        issued_today = await file(client, world, issued_on="2026-07-11", expires_on="2027-07-10")
        assert issued_today["state"] == "current"
        ran_out = await file(
            client, world, kind="right_to_work", issued_on="2025-07-11", expires_on="2026-07-10"
        )
        assert ran_out["state"] == "lapsed"


class TestRecordsAreNeverChanged:
    async def test_the_database_refuses_to_change_a_record(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        body = await file(client, world)
        with pytest.raises(DBAPIError, match="never updated"):
            async with session.begin_nested():
                await session.execute(
                    update(ComplianceRecord)
                    .where(ComplianceRecord.id == uuid.UUID(body["id"]))
                    .values(reference="changed")
                )
        reference = await session.scalar(
            select(ComplianceRecord.reference).where(ComplianceRecord.id == uuid.UUID(body["id"]))
        )
        assert reference == "001234567890"

    async def test_there_is_no_route_to_change_or_delete_one(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        body = await file(client, world)
        for method in ("PATCH", "PUT", "DELETE"):
            response = await client.request(
                method, f"{world.url}/{body['id']}", json={}, headers=world.admin.headers
            )
            assert response.status_code in {404, 405}


class TestListRecords:
    async def test_a_renewal_is_in_force_and_the_old_record_stays_as_it_was(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        old = await file(client, world, issued_on="2023-04-01", expires_on="2026-03-20")
        renewal = await file(client, world, issued_on="2026-03-01", expires_on="2029-02-28")
        items = ok(await client.get(world.url, headers=world.admin.headers)).json()["items"]
        assert [(i["id"], i["in_force"], i["state"]) for i in items] == [
            (renewal["id"], True, "current"),
            (old["id"], False, "expiring"),
        ]
        in_force = ok(await client.get(f"{world.url}?in_force=true", headers=world.admin.headers))
        assert [i["id"] for i in in_force.json()["items"]] == [renewal["id"]]
        replaced = ok(await client.get(f"{world.url}?in_force=false", headers=world.admin.headers))
        assert [i["id"] for i in replaced.json()["items"]] == [old["id"]]

    async def test_due_within_days_lists_what_needs_renewing_lapsed_included(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        lapsed = await file(
            client, world, kind="dbs_basic", issued_on="2025-01-01", expires_on="2026-03-01"
        )
        today = await file(
            client, world, kind="training", issued_on="2025-03-02", expires_on="2026-03-02"
        )
        in_30 = await file(
            client, world, kind="right_to_work", issued_on="2025-01-01", expires_on="2026-04-01"
        )
        await file(
            client, world, kind="dbs_enhanced", issued_on="2025-01-01", expires_on="2026-04-02"
        )
        await file(client, world, kind="employment_contract", expires_on=None)
        # Renewed: the old record is no longer due.
        await file(
            client,
            world,
            kind="employers_liability",
            issued_on="2025-03-01",
            expires_on="2026-03-10",
        )
        await file(
            client,
            world,
            kind="employers_liability",
            issued_on="2026-03-01",
            expires_on="2027-02-28",
        )
        due = ok(await client.get(f"{world.url}?due_within_days=30", headers=world.admin.headers))
        assert [(i["id"], i["state"]) for i in due.json()["items"]] == [
            (in_30["id"], "expiring"),
            (today["id"], "expiring"),
            (lapsed["id"], "lapsed"),
        ]
        none_ahead = await client.get(f"{world.url}?due_within_days=0", headers=world.admin.headers)
        assert {i["id"] for i in ok(none_ahead).json()["items"]} == {today["id"], lapsed["id"]}

    async def test_filters_by_subject_and_kind(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        mine = await file(client, world)
        theirs = await file(client, world, subject_kind="worker", subject_id=str(world.worker_id))
        training = await file(client, world, kind="training", expires_on=None)
        by_subject = await client.get(
            f"{world.url}?subject_id={world.worker_id}", headers=world.admin.headers
        )
        assert [i["id"] for i in ok(by_subject).json()["items"]] == [theirs["id"]]
        by_kind = await client.get(
            f"{world.url}?kind=dbs_enhanced&subject_kind=member", headers=world.admin.headers
        )
        assert [i["id"] for i in ok(by_kind).json()["items"]] == [mine["id"]]
        assert training["id"] not in str(ok(by_kind).json())

    async def test_a_member_sees_only_their_own_and_a_representative_with_view_the_same(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        mine = await file(client, world)
        await file(client, world, subject_id=str(world.other_member_id))
        await file(client, world, subject_kind="worker", subject_id=str(world.worker_id))
        seen = ok(await client.get(world.url, headers=world.member.headers)).json()["items"]
        assert [i["id"] for i in seen] == [mine["id"]]
        asked = await client.get(
            f"{world.url}?subject_id={world.other_member_id}", headers=world.member.headers
        )
        assert ok(asked).json()["items"] == []
        helper = await register_person(client, full_name="Helper")
        await grant_mandate(client, world.member, helper, scopes=("view",))
        theirs = await client.get(world.url, headers=helper.on_behalf_of(world.member))
        assert [i["id"] for i in ok(theirs).json()["items"]] == [mine["id"]]

    async def test_a_representative_without_view_and_other_co_ops_are_refused(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        helper = await register_person(client, full_name="Helper")
        await grant_mandate(client, world.member, helper, scopes=("support",))
        problem(
            await client.get(world.url, headers=helper.on_behalf_of(world.member)),
            403,
            "outside_mandate",
        )
        problem(await client.get(world.url, headers=world.elsewhere.headers), 404, "not_found")
        problem(
            await client.get(records_url(world.elsewhere_coop_id), headers=world.admin.headers),
            404,
            "not_found",
        )

    async def test_pages_follow_the_cursor_newest_first(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        filed = [await file(client, world, reference=f"ref-{n}") for n in range(3)]
        first = ok(await client.get(f"{world.url}?limit=2", headers=world.admin.headers)).json()
        assert [i["id"] for i in first["items"]] == [filed[2]["id"], filed[1]["id"]]
        rest = await client.get(
            f"{world.url}?limit=2&cursor={first['next_cursor']}", headers=world.admin.headers
        )
        assert [i["id"] for i in ok(rest).json()["items"]] == [filed[0]["id"]]
        assert rest.json()["next_cursor"] is None
        # The records of one subject and kind: only the newest is in force.
        assert [i["in_force"] for i in first["items"] + rest.json()["items"]] == [
            True,
            False,
            False,
        ]

    @pytest.mark.parametrize("query", ["due_within_days=-1", "due_within_days=1.5", "kind=nope"])
    async def test_bad_filters_are_named(
        self, client: httpx.AsyncClient, world: World, query: str
    ) -> None:
        response = await client.get(f"{world.url}?{query}", headers=world.admin.headers)
        body = problem(response, 422, "validation_error")
        assert field_errors(body) == [["query", query.split("=")[0]]]

    async def test_records_of_a_worker_the_co_op_added_later_are_listed(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        newcomer = await add_worker(session, world.coop_id, world.admin)
        body = await file(client, world, subject_kind="worker", subject_id=str(newcomer))
        listed = await client.get(f"{world.url}?subject_id={newcomer}", headers=world.admin.headers)
        assert [i["id"] for i in ok(listed).json()["items"]] == [body["id"]]


class TestSubjectAccess:
    async def test_the_records_about_a_member_or_a_worker_are_in_their_export(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        mine = await file(client, world)
        worker_record = await file(
            client, world, subject_kind="worker", subject_id=str(world.worker_id)
        )
        await file(client, world, subject_id=str(world.other_member_id))
        exported = ok(await client.get("/api/v1/me/export", headers=world.member.headers)).json()
        assert [r["id"] for r in exported["compliance_records"]] == [mine["id"]]
        assert exported["compliance_records"][0]["reference"] == "001234567890"
        theirs = ok(await client.get("/api/v1/me/export", headers=world.pa.headers)).json()
        assert [r["id"] for r in theirs["compliance_records"]] == [worker_record["id"]]
