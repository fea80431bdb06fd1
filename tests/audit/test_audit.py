import hashlib
import json

import httpx
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.chain import GENESIS_HASH
from app.audit.models import AuditChainHead, AuditEntry
from tests.factories import platform_admin, register_person
from tests.helpers import problem


class TestAuditChain:
    async def test_entries_chain_by_the_spec_formula(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await register_person(client)
        await register_person(client)
        entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.seq))).all()
        assert len(entries) >= 4
        prev = GENESIS_HASH
        for entry in entries:
            assert entry.prev_hash == prev
            canonical = json.dumps(
                {
                    "seq": entry.seq,
                    "at": entry.at.isoformat(timespec="microseconds"),
                    "actor_user_id": str(entry.actor_user_id) if entry.actor_user_id else None,
                    "on_behalf_of_user_id": None,
                    "coop_id": None,
                    "action": entry.action,
                    "subject_type": entry.subject_type,
                    "subject_id": entry.subject_id,
                    "data": entry.data,
                },
                sort_keys=True,
                separators=(",", ":"),
                ensure_ascii=False,
            )
            assert entry.hash == hashlib.sha256((prev + canonical).encode()).hexdigest()
            prev = entry.hash
        head = await session.get(AuditChainHead, 1)
        assert head is not None
        assert head.last_hash == prev

    async def test_a_failed_request_writes_no_entry(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        before = await session.scalar(select(AuditChainHead.last_seq))
        response = await client.post(
            "/api/v1/auth/register",
            json={"email": person.email, "password": "long enough password", "full_name": "X"},
        )
        problem(response, 409, "email_taken")
        assert await session.scalar(select(AuditChainHead.last_seq)) == before


class TestVerifyAuditChain:
    async def test_an_intact_chain_verifies(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        response = await client.get("/api/v1/admin/audit/verify", headers=admin.headers)
        assert response.status_code == 200
        body = response.json()
        assert body["ok"] is True
        assert body["first_bad_seq"] is None
        assert body["entries_checked"] >= 2

    async def test_an_altered_row_fails_verification_at_that_entry(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        await register_person(client)
        victim = await session.scalar(
            select(AuditEntry.seq)
            .where(AuditEntry.action == "user.registered")
            .order_by(AuditEntry.seq.desc())
        )
        await session.execute(
            update(AuditEntry).where(AuditEntry.seq == victim).values(action="user.tampered")
        )
        await session.commit()
        body = (await client.get("/api/v1/admin/audit/verify", headers=admin.headers)).json()
        assert body["ok"] is False
        assert body["first_bad_seq"] == victim

    async def test_a_deleted_row_fails_verification(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        await register_person(client)
        await register_person(client)
        victim = await session.scalar(
            select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).offset(1)
        )
        await session.execute(text("DELETE FROM audit_entry WHERE seq = :seq"), {"seq": victim})
        await session.commit()
        body = (await client.get("/api/v1/admin/audit/verify", headers=admin.headers)).json()
        assert body["ok"] is False
        assert body["first_bad_seq"] == victim

    async def test_only_platform_admins_may_verify(self, client: httpx.AsyncClient) -> None:
        person = await register_person(client)
        problem(await client.get("/api/v1/admin/audit/verify"), 401, "not_authenticated")
        problem(
            await client.get("/api/v1/admin/audit/verify", headers=person.headers), 403, "forbidden"
        )


class TestMyActivity:
    async def test_lists_what_concerns_me_newest_first(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        other = await register_person(client)
        body = (await client.get("/api/v1/me/activity", headers=person.headers)).json()
        actions = [e["action"] for e in body["items"]]
        assert actions == ["auth.login", "user.registered"]
        assert all(e["actor_user_id"] == str(person.id) for e in body["items"])
        seqs = [e["seq"] for e in body["items"]]
        assert seqs == sorted(seqs, reverse=True)
        others = (await client.get("/api/v1/me/activity", headers=other.headers)).json()
        assert {e["seq"] for e in others["items"]}.isdisjoint(seqs)

    async def test_pages(self, client: httpx.AsyncClient) -> None:
        person = await register_person(client)
        first = (
            await client.get("/api/v1/me/activity", params={"limit": 1}, headers=person.headers)
        ).json()
        assert len(first["items"]) == 1
        assert first["next_cursor"]
        second = (
            await client.get(
                "/api/v1/me/activity",
                params={"limit": 1, "cursor": first["next_cursor"]},
                headers=person.headers,
            )
        ).json()
        assert second["items"][0]["seq"] < first["items"][0]["seq"]
