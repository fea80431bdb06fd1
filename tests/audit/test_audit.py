import base64
import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from pydantic import ValidationError
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.audit.models import AuditChainHead, AuditEntry
from app.audit.signing import signing_key
from app.auth.actor import Actor
from app.auth.models import User
from app.core.config import Settings
from app.core.db import commit_unit_of_work
from tests.factories import (
    Person,
    create_coop,
    grant_mandate,
    join_coop,
    platform_admin,
    register_person,
)
from tests.helpers import ok, problem

ZEROS = "0" * 64


def rehash(entry: dict[str, Any]) -> str:
    """The hash from the published JSON alone: every field but prev_hash and hash (and the
    reader's `description` that /me/activity adds beside an entry)."""
    fields = {k: v for k, v in entry.items() if k not in ("prev_hash", "hash", "description")}
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((entry["prev_hash"] + canonical).encode("utf-8")).hexdigest()


async def every_page(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> list[Any]:
    items: list[Any] = []
    cursor = None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        response = await client.get(path, params=params, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return items


async def allow_tampering(session: AsyncSession) -> None:
    """What a database superuser can do: switch the append-only triggers off, in the test's
    own transaction (rolled back with it)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER USER"))
    else:
        await session.execute(text("DROP TRIGGER audit_entry_no_update"))
        await session.execute(text("DROP TRIGGER audit_entry_no_delete"))


async def verify(client: httpx.AsyncClient, admin: Person, **checkpoint: Any) -> dict[str, Any]:
    response = await client.get(
        "/api/v1/admin/audit/verify", params=checkpoint, headers=admin.headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def write_entry_of_form_one(session: AsyncSession, about: uuid.UUID) -> int:
    """An entry as the service wrote them before about_user_id was hashed."""
    head = await session.get(AuditChainHead, 1)
    assert head is not None
    at = datetime(2026, 3, 2, 8, 59, 30, 123456, tzinfo=UTC)
    seq = head.last_seq + 1
    fields: dict[str, Any] = {
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor_user_id": None,
        "on_behalf_of_user_id": None,
        "coop_id": None,
        "action": "user.made_platform_admin",
        "subject_type": "user",
        "subject_id": str(about),
        "data": {"note": "Ŵ"},
    }
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    digest = hashlib.sha256((head.last_hash + canonical).encode()).hexdigest()
    session.add(
        AuditEntry(
            seq=fields["seq"],
            at=at,
            actor_user_id=None,
            on_behalf_of_user_id=None,
            coop_id=None,
            action=fields["action"],
            subject_type="user",
            subject_id=str(about),
            data=fields["data"],
            prev_hash=head.last_hash,
            hash=digest,
            about_user_id=about,
            hash_form=1,
        )
    )
    head.last_seq, head.last_hash = seq, digest
    await session.commit()
    return seq


class TestPublishedEntriesRehash:
    async def test_every_published_entry_rehashes_from_its_json_and_chains(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        """An auditor with nothing but the API's JSON recomputes every hash and the chain."""
        admin = await register_person(client, full_name="Admin")
        old = await write_entry_of_form_one(session, admin.id)
        holder = await register_person(client, full_name="Holder")
        representative = await register_person(client, full_name="Representative")
        coop = await create_coop(client, admin)
        await join_coop(client, coop, holder, admin)
        await grant_mandate(client, holder, representative, scopes=("view",))
        published: dict[int, dict[str, Any]] = {}
        feeds = [await every_page(client, f"/api/v1/coops/{coop}/audit", admin.headers)]
        feeds += [
            await every_page(client, "/api/v1/me/activity", person.headers)
            for person in (admin, holder, representative)
        ]
        for feed in feeds:
            for entry in feed:
                # Each reader sees the same entry; only the reading aid is in their language.
                entry = {k: v for k, v in entry.items() if k != "description"}
                assert published.setdefault(entry["seq"], entry) == entry
        head = await session.get(AuditChainHead, 1)
        assert head is not None
        assert sorted(published) == list(range(1, head.last_seq + 1))
        prev = ZEROS
        for seq in sorted(published):
            entry = published[seq]
            assert entry["prev_hash"] == prev, seq
            assert rehash(entry) == entry["hash"], entry
            prev = entry["hash"]
        assert prev == head.last_hash
        # Written before about_user_id was hashed: published without the key, and still
        # re-hashed by the same rule; every later entry carries it.
        assert "about_user_id" not in published[old]
        assert all("about_user_id" in e for s, e in published.items() if s != old)
        assert published[old]["at"] == "2026-03-02T08:59:30.123456+00:00"

    async def test_an_entry_at_a_whole_second_is_published_as_hashed(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        """A time with no fraction is still spelt with its six zeros, as it was hashed."""
        person = await register_person(client)
        user = await session.get(User, person.id)
        assert user is not None
        at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        audit.record(session, Actor(user=user), "test.noted", "thing", uuid.uuid4(), at=at)
        await commit_unit_of_work(session)
        items = (await client.get("/api/v1/me/activity", headers=person.headers)).json()["items"]
        assert items[0]["action"] == "test.noted"
        assert items[0]["at"] == "2026-03-02T09:00:00.000000+00:00"
        for entry in items:
            assert rehash(entry) == entry["hash"]


class TestAboutIsHashed:
    async def test_changing_who_an_entry_is_about_breaks_verification(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        """about_user_id decides whose activity an entry is in: moving it is detected."""
        admin = await platform_admin(client, session)
        victim, stranger = await register_person(client), await register_person(client)
        seq = await session.scalar(
            select(AuditEntry.seq).where(
                AuditEntry.about_user_id == victim.id, AuditEntry.action == "user.registered"
            )
        )
        await allow_tampering(session)
        await session.execute(
            update(AuditEntry).where(AuditEntry.seq == seq).values(about_user_id=stranger.id)
        )
        await session.commit()
        body = await verify(client, admin)
        assert body["ok"] is False
        assert body["first_bad_seq"] == seq

    async def test_an_act_on_someone_else_is_in_their_activity_with_its_about(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        """An administrator's act on a holder names the holder, hashed, in the holder's feed."""
        admin, holder = await register_person(client), await register_person(client)
        coop = await create_coop(client, admin)
        await join_coop(client, coop, holder, admin)
        items = (await client.get("/api/v1/me/activity", headers=holder.headers)).json()["items"]
        approved = [e for e in items if e["actor_user_id"] == str(admin.id)]
        assert approved, items
        for entry in approved:
            assert entry["about_user_id"] == str(holder.id)
            assert rehash(entry) == entry["hash"]

    async def test_the_service_records_an_explicit_about(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        """`about=` puts an entry in that person's feed, not the actor's only."""
        admin, holder = await register_person(client), await register_person(client)
        user = await session.get(User, admin.id)
        assert user is not None
        audit.record(
            session, Actor(user=user), "test.charged", "thing", uuid.uuid4(), about=holder.id
        )
        await commit_unit_of_work(session)
        items = (await client.get("/api/v1/me/activity", headers=holder.headers)).json()["items"]
        charged = [e for e in items if e["action"] == "test.charged"]
        assert len(charged) == 1
        assert charged[0]["about_user_id"] == str(holder.id)
        assert charged[0]["actor_user_id"] == str(admin.id)
        assert rehash(charged[0]) == charged[0]["hash"]

    async def test_an_unnamed_doer_is_not_published_yet_finds_the_entry(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        """A tender question's asker is never named to the co-op: the entry is published and
        hashed with about_user_id null, and is still in the asker's own activity."""
        admin, asker = await register_person(client), await register_person(client)
        coop = await create_coop(client, admin)
        audit.record(
            session,
            None,
            "test.asked",
            "thing",
            uuid.uuid4(),
            coop_id=coop,
            about=asker.id,
            withhold_about=True,
        )
        await commit_unit_of_work(session)
        feed = ok(await client.get(f"/api/v1/coops/{coop}/audit", headers=admin.headers))
        [shown] = [e for e in feed.json()["items"] if e["action"] == "test.asked"]
        assert str(asker.id) not in feed.text
        assert shown["about_user_id"] is None
        assert rehash(shown) == shown["hash"]
        mine = (await client.get("/api/v1/me/activity", headers=asker.headers)).json()["items"]
        [own] = [e for e in mine if e["action"] == "test.asked"]
        assert own.pop("description")  # the reading aid beside the entry, then the entry itself
        assert own == shown
        platform = await platform_admin(client, session)
        assert (await verify(client, platform))["ok"] is True


class TestAppendOnly:
    """The database refuses to rewrite the chain, whatever the code does."""

    async def test_updating_an_entry_is_refused(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await register_person(client)
        before = (await session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq))).all()
        with pytest.raises(DBAPIError, match="append-only"):
            async with session.begin_nested():
                await session.execute(update(AuditEntry).values(action="user.tampered"))
        after = (await session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq))).all()
        assert after == before
        assert "user.tampered" not in after

    async def test_deleting_an_entry_is_refused(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await register_person(client)
        before = await session.scalar(select(func.count()).select_from(AuditEntry))
        assert before
        with pytest.raises(DBAPIError, match="append-only"):
            async with session.begin_nested():
                await session.execute(delete(AuditEntry))
        assert await session.scalar(select(func.count()).select_from(AuditEntry)) == before

    async def test_truncating_the_chain_is_refused(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        if session.get_bind().dialect.name != "postgresql":
            pytest.skip("SQLite has no TRUNCATE (DELETE is refused above)")
        await register_person(client)
        before = await session.scalar(select(func.count()).select_from(AuditEntry))
        with pytest.raises(DBAPIError, match="append-only"):
            async with session.begin_nested():
                await session.execute(text("TRUNCATE audit_entry"))
        assert await session.scalar(select(func.count()).select_from(AuditEntry)) == before


class TestAuditChain:
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
        await write_entry_of_form_one(session, admin.id)
        await register_person(client)
        body = await verify(client, admin)
        assert body["ok"] is True
        assert body["first_bad_seq"] is None
        assert body["entries_checked"] >= 4

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
        await allow_tampering(session)
        await session.execute(
            update(AuditEntry).where(AuditEntry.seq == victim).values(action="user.tampered")
        )
        await session.commit()
        body = await verify(client, admin)
        assert body["ok"] is False
        assert body["first_bad_seq"] == victim

    async def test_an_altered_old_form_entry_fails_verification(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        old = await write_entry_of_form_one(session, admin.id)
        await register_person(client)
        await allow_tampering(session)
        await session.execute(
            update(AuditEntry).where(AuditEntry.seq == old).values(data={"note": "W"})
        )
        await session.commit()
        body = await verify(client, admin)
        assert (body["ok"], body["first_bad_seq"]) == (False, old)

    async def test_a_deleted_row_fails_verification(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        await register_person(client)
        await register_person(client)
        victim = await session.scalar(
            select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).offset(1)
        )
        await allow_tampering(session)
        await session.execute(text("DELETE FROM audit_entry WHERE seq = :seq"), {"seq": victim})
        await session.commit()
        body = await verify(client, admin)
        assert body["ok"] is False
        assert body["first_bad_seq"] == victim

    async def test_only_platform_admins_may_verify(self, client: httpx.AsyncClient) -> None:
        person = await register_person(client)
        problem(await client.get("/api/v1/admin/audit/verify"), 401, "not_authenticated")
        refused = problem(
            await client.get("/api/v1/admin/audit/verify", headers=person.headers), 403, "forbidden"
        )
        # A refusal, with no verdict on the chain in it.
        assert not {"ok", "entries_checked", "first_bad_seq"} & set(refused)

    @pytest.mark.parametrize(
        "params",
        [{"seq": 3}, {"hash": ZEROS}, {"seq": -1, "hash": ZEROS}, {"seq": 1, "hash": "ab"}],
    )
    async def test_a_half_or_malformed_checkpoint_is_a_validation_error(
        self, client: httpx.AsyncClient, session: AsyncSession, params: dict[str, Any]
    ) -> None:
        admin = await platform_admin(client, session)
        response = await client.get(
            "/api/v1/admin/audit/verify", params=params, headers=admin.headers
        )
        problem(response, 422, "validation_error")


class TestCheckpoint:
    async def checkpoint(self, client: httpx.AsyncClient, admin: Person) -> dict[str, Any]:
        response = await client.get("/api/v1/admin/audit/checkpoint", headers=admin.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert set(body) == {"seq", "hash", "at", "signature"}
        return body

    async def public_key(self, client: httpx.AsyncClient) -> Ed25519PublicKey:
        response = await client.get("/api/v1/audit/public-key")  # no token: public
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["algorithm"] == "Ed25519"
        raw = base64.b64decode(body["public_key"], validate=True)
        assert len(raw) == 32
        assert body["key_id"] == hashlib.sha256(raw).hexdigest()[:16]
        return Ed25519PublicKey.from_public_bytes(raw)

    async def test_the_checkpoint_is_the_head_signed_by_the_public_key(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        await register_person(client)
        taken = await self.checkpoint(client, admin)
        head = await session.get(AuditChainHead, 1)
        assert head is not None
        assert (taken["seq"], taken["hash"]) == (head.last_seq, head.last_hash)
        assert taken["at"] == "2026-03-02T09:00:00.000000+00:00"  # the clock, as entries spell it
        message = json.dumps(
            {"seq": taken["seq"], "hash": taken["hash"], "at": taken["at"]},
            sort_keys=True,
            separators=(",", ":"),
        ).encode("utf-8")
        key = await self.public_key(client)
        key.verify(base64.b64decode(taken["signature"]), message)
        forged = message.replace(f'"seq":{taken["seq"]}'.encode(), b'"seq":1')
        with pytest.raises(InvalidSignature):
            key.verify(base64.b64decode(taken["signature"]), forged)

    async def test_cutting_the_chain_short_below_a_checkpoint_is_detected(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        """Remove the newest entries and wind the head back: the rest still chains, so only a
        kept checkpoint shows it."""
        admin = await platform_admin(client, session)
        for _ in range(3):
            await register_person(client)
        taken = await self.checkpoint(client, admin)
        assert (await verify(client, admin, seq=taken["seq"], hash=taken["hash"]))["ok"] is True
        kept = taken["seq"] - 4
        survivor = await session.get(AuditEntry, kept)
        assert survivor is not None
        await allow_tampering(session)
        await session.execute(delete(AuditEntry).where(AuditEntry.seq > kept))
        await session.execute(update(AuditChainHead).values(last_seq=kept, last_hash=survivor.hash))
        await session.commit()
        alone = await verify(client, admin)
        assert alone == {"ok": True, "entries_checked": kept, "first_bad_seq": None}
        checked = await verify(client, admin, seq=taken["seq"], hash=taken["hash"])
        assert checked["ok"] is False
        assert checked["first_bad_seq"] == kept + 1

    async def test_rewriting_the_chain_below_a_checkpoint_is_detected(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        """Rewrite an entry and re-hash everything after it: the chain verifies, the kept
        checkpoint does not."""
        admin = await platform_admin(client, session)
        victim = await register_person(client)
        await register_person(client)
        taken = await self.checkpoint(client, admin)
        await allow_tampering(session)
        entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.seq))).all()
        prev = ZEROS
        for entry in entries:
            if entry.about_user_id == victim.id:
                entry.data = {**entry.data, "rewritten": True}
            entry.prev_hash = prev
            fields = audit.published_fields(entry)
            entry.hash = "f" * 64  # unique while the row is rewritten
            await session.flush()
            entry.hash = rehash({**fields, "prev_hash": prev, "hash": ""})
            await session.flush()
            prev = entry.hash
        await session.execute(update(AuditChainHead).values(last_hash=prev))
        await session.commit()
        assert (await verify(client, admin))["ok"] is True
        checked = await verify(client, admin, seq=taken["seq"], hash=taken["hash"])
        assert (checked["ok"], checked["first_bad_seq"]) == (False, taken["seq"])

    async def test_an_empty_chain_checkpoint(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        body = await verify(client, admin, seq=0, hash=ZEROS)
        assert body["ok"] is True
        wrong = await verify(client, admin, seq=0, hash="1" * 64)
        assert (wrong["ok"], wrong["first_bad_seq"]) == (False, 0)

    async def test_only_platform_admins_take_checkpoints(self, client: httpx.AsyncClient) -> None:
        person = await register_person(client)
        problem(await client.get("/api/v1/admin/audit/checkpoint"), 401, "not_authenticated")
        problem(
            await client.get("/api/v1/admin/audit/checkpoint", headers=person.headers),
            403,
            "forbidden",
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


class TestSigningKey:
    SECRET = "a-production-secret-key-of-at-least-32-chars"

    def test_without_a_key_every_worker_derives_the_same_one_from_the_secret(self) -> None:
        first = signing_key(Settings(secret_key=self.SECRET))
        again = signing_key(Settings(secret_key=self.SECRET))
        other = signing_key(Settings(secret_key=self.SECRET + "!"))
        assert first.public_key == again.public_key
        assert first.public_key != other.public_key

    def test_a_configured_key_is_used(self) -> None:
        private = Ed25519PrivateKey.generate()
        raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        settings = Settings(
            secret_key=self.SECRET,
            audit_signing_key=base64.b64encode(raw).decode(),
        )
        key = signing_key(settings)
        expected = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        assert base64.b64decode(key.public_key) == expected
        private.public_key().verify(base64.b64decode(key.sign(b"m")), b"m")

    @pytest.mark.parametrize(
        "value",
        ["not base64!", base64.b64encode(b"short").decode(), base64.b64encode(b"x" * 64).decode()],
    )
    def test_a_key_that_is_not_a_raw_ed25519_key_stops_the_service_starting(
        self, value: str
    ) -> None:
        with pytest.raises(ValidationError, match="DPC_AUDIT_SIGNING_KEY"):
            Settings(audit_signing_key=value)
