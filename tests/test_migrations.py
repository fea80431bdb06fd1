"""Models and migrations never drift, and every migration downgrades."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from app.audit.chain import GENESIS_HASH, entry_hash
from app.audit.service import verify_chain
from app.core.config import Settings
from app.core.db import alembic_render_item, create_engine
from app.models import Base
from tests.conftest import Database
from tests.helpers import alembic_config, run_alembic, scratch_database_url


@pytest.fixture
async def scratch_engine(
    database: Database, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AsyncEngine]:
    """An empty database of the same backend, so migrations can run both ways."""
    url = await scratch_database_url(
        database.settings.async_database_url,
        suffix="migrations",
        tmp_dir=tmp_path_factory.mktemp("mig"),
    )
    engine = create_engine(Settings(database_url=url))
    yield engine
    await engine.dispose()


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "compare_server_default": True,
            "render_item": alembic_render_item,
        },
    )
    return list(compare_metadata(context, Base.metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


class TestMigrations:
    async def test_upgrade_downgrade_upgrade_and_no_drift(
        self, scratch_engine: AsyncEngine
    ) -> None:
        await run_alembic(scratch_engine, "upgrade", "head")
        async with scratch_engine.connect() as connection:
            assert await connection.run_sync(_diff) == []
            assert await connection.scalar(text("SELECT count(*) FROM area")) == 22
        await run_alembic(scratch_engine, "downgrade", "base")
        async with scratch_engine.connect() as connection:
            assert await connection.run_sync(_tables) <= {"alembic_version"}
        await run_alembic(scratch_engine, "upgrade", "head")
        async with scratch_engine.connect() as connection:
            assert await connection.run_sync(_diff) == []

    async def test_each_step_downgrades_one_at_a_time(self, scratch_engine: AsyncEngine) -> None:
        await run_alembic(scratch_engine, "upgrade", "head")
        async with scratch_engine.connect() as connection:
            steps = await connection.scalar(text("SELECT version_num FROM alembic_version"))
        assert steps
        while True:
            async with scratch_engine.connect() as connection:
                current = await connection.scalar(text("SELECT version_num FROM alembic_version"))
            if current is None:
                break
            await run_alembic(scratch_engine, "downgrade", "-1")
        async with scratch_engine.connect() as connection:
            assert await connection.run_sync(_tables) <= {"alembic_version"}


def _ledger_rows() -> dict[str, list[dict[str, object]]]:
    """One co-op's contribution and refund, as rows of the schema of revision 0010."""
    coop_id, deposits, shared = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    when = datetime(2026, 3, 2, 9, tzinfo=UTC)
    contribution, refund = uuid.uuid4(), uuid.uuid4()
    return {
        "coop": [
            {
                "id": coop_id,
                "name": "Migration Co-op",
                "description": "",
                "created_at": when,
                "voting_mode": "one_member_one_vote",
                "quorum_percent": 50,
                "pass_percent": 50,
                "award_requires_vote": False,
                "refund_second_approval_pence": 10000,
            }
        ],
        "ledger_account": [
            {
                "id": account_id,
                "coop_id": coop_id,
                "code": code,
                "kind": kind,
                "balance_pence": balance,
                "opened_at": when,
            }
            for account_id, code, kind, balance in (
                (deposits, "external:deposits", "external", -3000),
                (shared, "shared", "shared", 3000),
            )
        ],
        "ledger_transaction": [
            {"id": t, "coop_id": coop_id, "kind": kind, "memo": "", "created_at": when}
            for t, kind in ((contribution, "contribution"), (refund, "refund"))
        ],
        "ledger_posting": [
            {
                "id": uuid.uuid4(),
                "transaction_id": t,
                "account_id": account,
                "position": position,
                "amount_pence": amount,
                "created_at": when,
            }
            for t, pairs in (
                (contribution, ((deposits, -5000), (shared, 5000))),
                (refund, ((shared, -2000), (deposits, 2000))),
            )
            for position, (account, amount) in enumerate(pairs)
        ],
    }


def _insert(connection: Connection, rows: dict[str, list[dict[str, object]]]) -> None:
    # The models' tables bind UUIDs and times alike on both backends; only the columns
    # given are written, so they serve for the older schema too.
    for name, values in rows.items():
        connection.execute(Base.metadata.tables[name].insert(), values)


class TestPostingKind:
    """Revision 0012 copies each transaction's kind onto its postings."""

    async def test_existing_postings_take_their_transactions_kind_and_stay_append_only(
        self, scratch_engine: AsyncEngine
    ) -> None:
        await run_alembic(scratch_engine, "upgrade", "0010")
        rows = _ledger_rows()
        async with scratch_engine.begin() as connection:
            await connection.run_sync(_insert, rows)
        await run_alembic(scratch_engine, "upgrade", "head")

        async with scratch_engine.connect() as connection:
            kinds = (
                await connection.execute(
                    text(
                        "SELECT p.kind, t.kind FROM ledger_posting p "
                        "JOIN ledger_transaction t ON t.id = p.transaction_id"
                    )
                )
            ).all()
        assert sorted(k for k, _ in kinds) == ["contribution"] * 2 + ["refund"] * 2
        assert all(posting == transaction for posting, transaction in kinds)

        for statement in (
            "UPDATE ledger_posting SET amount_pence = 1",
            "DELETE FROM ledger_posting",
        ):
            async with scratch_engine.begin() as connection:
                with pytest.raises(DBAPIError, match="append-only"):
                    await connection.execute(text(statement))

        # A posting whose kind is not its transaction's is refused by the database.
        wrong = {**rows["ledger_posting"][0], "id": uuid.uuid4(), "kind": "refund"}
        async with scratch_engine.begin() as connection:
            with pytest.raises(IntegrityError):
                await connection.run_sync(_insert, {"ledger_posting": [wrong]})

        await run_alembic(scratch_engine, "downgrade", "0010")
        async with scratch_engine.connect() as connection:
            columns = await connection.run_sync(
                lambda c: {col["name"] for col in inspect(c).get_columns("ledger_posting")}
            )
            assert "kind" not in columns
            assert await connection.scalar(text("SELECT count(*) FROM ledger_posting")) == 4
        async with scratch_engine.begin() as connection:
            with pytest.raises(DBAPIError, match="append-only"):
                await connection.execute(text("DELETE FROM ledger_posting"))


def _before(revision: str) -> str:
    script = ScriptDirectory.from_config(alembic_config())
    down = script.get_revision(revision).down_revision
    assert isinstance(down, str)
    return down


class TestAuditAppendOnly:
    """Revision 0019 keeps existing entries verifiable (form 1) and makes the chain
    append-only in the database."""

    async def test_existing_entries_keep_their_form_and_the_chain_is_refused_rewrites(
        self, scratch_engine: AsyncEngine
    ) -> None:
        await run_alembic(scratch_engine, "upgrade", _before("0019"))
        prev, rows = GENESIS_HASH, []
        for seq in (1, 2):
            fields = {
                "seq": seq,
                "at": datetime(2026, 3, 2, 9, seq, tzinfo=UTC).isoformat(timespec="microseconds"),
                "actor_user_id": None,
                "on_behalf_of_user_id": None,
                "coop_id": None,
                "action": "user.registered",
                "subject_type": "user",
                "subject_id": str(uuid.uuid4()),
                "data": {},
            }
            digest = entry_hash(prev, fields, form=1)
            rows.append(
                {
                    **fields,
                    "at": datetime(2026, 3, 2, 9, seq, tzinfo=UTC),
                    "about_user_id": uuid.uuid4(),
                    "prev_hash": prev,
                    "hash": digest,
                }
            )
            prev = digest
        async with scratch_engine.begin() as connection:
            await connection.run_sync(_insert, {"audit_entry": rows})
            await connection.execute(
                text("UPDATE audit_chain_head SET last_seq = 2, last_hash = :h"), {"h": prev}
            )
        await run_alembic(scratch_engine, "upgrade", "head")

        async with scratch_engine.connect() as connection:
            forms = (await connection.execute(text("SELECT hash_form FROM audit_entry"))).all()
        assert [f for (f,) in forms] == [1, 1]
        async with async_sessionmaker(scratch_engine)() as session:
            result = await verify_chain(session)
        assert (result.ok, result.entries_checked) == (True, 2)

        for statement in ("UPDATE audit_entry SET action = 'x'", "DELETE FROM audit_entry"):
            async with scratch_engine.begin() as connection:
                with pytest.raises(DBAPIError, match="append-only"):
                    await connection.execute(text(statement))

        await run_alembic(scratch_engine, "downgrade", _before("0019"))
        async with scratch_engine.connect() as connection:
            columns = await connection.run_sync(
                lambda c: {col["name"] for col in inspect(c).get_columns("audit_entry")}
            )
            assert "hash_form" not in columns
            assert await connection.scalar(text("SELECT count(*) FROM audit_entry")) == 2


class TestMandateInvitations:
    """Revision 0016: mandates gain a status and an address; addresses are stored normalised."""

    async def test_existing_mandates_stay_in_force_and_addresses_are_normalised(
        self, scratch_engine: AsyncEngine, caplog: pytest.LogCaptureFixture
    ) -> None:
        await run_alembic(scratch_engine, "upgrade", "0013")
        when = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        holder, rep, gone, twin_a, twin_b = (uuid.uuid4() for _ in range(5))
        composed = "ren\u00e9e@example.org"
        decomposed = "rene\u0301e@example.org"
        emails = {
            holder: "Holder@Example.ORG",
            rep: "REP@example.org",
            gone: "gone@example.org",
            twin_a: composed.upper(),
            twin_b: decomposed,
        }
        live, revoked = uuid.uuid4(), uuid.uuid4()
        rows: dict[str, list[dict[str, object]]] = {
            "user_account": [
                {
                    "id": user_id,
                    "email": email,
                    "full_name": "Someone",
                    "preferred_language": "en",
                    "is_platform_admin": False,
                    "created_at": when,
                }
                for user_id, email in emails.items()
            ],
            "mandate": [
                {
                    "id": mandate_id,
                    "holder_user_id": holder,
                    "representative_user_id": representative,
                    "scopes": ["view"],
                    "limit_pence_per_cycle": 0,
                    "created_at": when,
                    "revoked_at": revoked_at,
                }
                for mandate_id, representative, revoked_at in (
                    (live, rep, None),
                    (revoked, gone, when),
                )
            ],
        }
        async with scratch_engine.begin() as connection:
            await connection.run_sync(_insert, rows)
        with caplog.at_level("WARNING"):
            await run_alembic(scratch_engine, "upgrade", "head")

        async with scratch_engine.connect() as connection:
            stored = dict(
                (await connection.execute(text("SELECT id, email FROM user_account"))).all()
            )
            mandates = {
                row.id: row
                for row in (
                    await connection.execute(
                        text("SELECT id, email, status, accepted_at FROM mandate")
                    )
                ).all()
            }
        stored = {uuid.UUID(str(k)): v for k, v in stored.items()}
        assert stored[holder] == "holder@example.org"
        assert stored[rep] == "rep@example.org"
        # Two accounts that are one address once normalised: neither is merged or changed.
        assert stored[twin_a] == composed.upper()
        assert stored[twin_b] == decomposed
        assert str(twin_a) in caplog.text
        assert str(twin_b) in caplog.text
        mandates = {uuid.UUID(str(k)): v for k, v in mandates.items()}
        assert (mandates[live].email, mandates[live].status) == ("rep@example.org", "active")
        assert mandates[live].accepted_at is not None
        assert (mandates[revoked].email, mandates[revoked].status) == (
            "gone@example.org",
            "revoked",
        )

        await run_alembic(scratch_engine, "downgrade", "0013")
        async with scratch_engine.connect() as connection:
            assert await connection.scalar(text("SELECT count(*) FROM mandate")) == 2


def _tender_rows() -> tuple[uuid.UUID, uuid.UUID, dict[str, list[dict[str, object]]]]:
    """A class-weighted co-op with a published tender and a draft, in the schema of 0013."""
    coop_id, user_id, published, draft = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    when = datetime(2026, 3, 2, 9, tzinfo=UTC)
    tender = {
        "coop_id": coop_id,
        "title": "Evening calls",
        "description": "",
        "service_type": "domiciliary_support",
        "max_hourly_rate_pence": 2500,
        "welsh_language_required": "none",
        "price_weight": 60,
        "quality_weight": 40,
        "submission_deadline": when,
        "standstill_days": 10,
        "created_at": when,
        "created_by_user_id": user_id,
    }
    return (
        published,
        draft,
        {
            "user_account": [
                {
                    "id": user_id,
                    "email": "migration@example.org",
                    "full_name": "Migration",
                    "preferred_language": "en",
                    "is_platform_admin": False,
                    "created_at": when,
                }
            ],
            "coop": [
                {
                    "id": coop_id,
                    "name": "Migration Co-op",
                    "description": "",
                    "created_at": when,
                    "voting_mode": "class_weighted",
                    "class_weights": {"service_user": 60, "worker": 40},
                    "quorum_percent": 30,
                    "pass_percent": 66,
                    "award_requires_vote": True,
                    "refund_second_approval_pence": 10000,
                }
            ],
            "tender": [
                {**tender, "id": published, "status": "open", "published_at": when},
                {**tender, "id": draft, "status": "draft", "published_at": None},
            ],
        },
    )


class TestTenderRules:
    """Revision 0017 gives tenders already published the rules of their co-op."""

    async def test_published_tenders_keep_their_coops_rules_and_drafts_wait(
        self, scratch_engine: AsyncEngine
    ) -> None:
        await run_alembic(scratch_engine, "upgrade", "0013")
        published, draft, rows = _tender_rows()
        async with scratch_engine.begin() as connection:
            await connection.run_sync(_insert, rows)
        await run_alembic(scratch_engine, "upgrade", "head")
        tender = Base.metadata.tables["tender"]
        async with scratch_engine.connect() as connection:
            kept = dict(
                (
                    await connection.execute(
                        tender.select().with_only_columns(
                            tender.c.id, tender.c.rules_at_publication
                        )
                    )
                ).all()
            )
        assert kept[published] == {
            "award_requires_vote": True,
            "voting_mode": "class_weighted",
            "class_weights": {"service_user": 60, "worker": 40},
            "quorum_percent": 30,
            "pass_percent": 66,
        }
        assert kept[draft] is None
        await run_alembic(scratch_engine, "downgrade", "0013")
        async with scratch_engine.connect() as connection:
            assert await connection.scalar(text("SELECT count(*) FROM tender")) == 2


class TestAccounts:
    """Revision 0024: logins gain their last use; officers' appointments get ids and an end."""

    async def test_logins_and_appointments_are_carried_forward_and_back(
        self, scratch_engine: AsyncEngine
    ) -> None:
        await run_alembic(scratch_engine, "upgrade", _before("0024"))
        began = datetime(2026, 3, 2, 9, tzinfo=UTC)
        refreshed = datetime(2026, 3, 5, 9, tzinfo=UTC)
        user_id, used, unused = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        rows: dict[str, list[dict[str, object]]] = {
            "user_account": [
                {
                    "id": user_id,
                    "email": "officer@example.org",
                    "full_name": "Officer",
                    "preferred_language": "cy",
                    "is_platform_admin": False,
                    "created_at": began,
                }
            ],
            "auth_session": [
                {"id": login_id, "user_id": user_id, "created_at": began}
                for login_id in (used, unused)
            ],
            "refresh_token": [
                {
                    "id": uuid.uuid4(),
                    "session_id": used,
                    "token_hash": f"{n:064x}",
                    "issued_at": issued,
                    "expires_at": issued,
                }
                for n, issued in enumerate((began, refreshed))
            ],
        }
        async with scratch_engine.begin() as connection:
            await connection.run_sync(_insert, rows)
            await connection.execute(
                text(
                    "INSERT INTO la_officer (user_id, area_code, appointed_at) "
                    "VALUES (:u, 'W06000011', :at)"
                ),
                {
                    "u": user_id if scratch_engine.dialect.name == "postgresql" else user_id.hex,
                    "at": began,
                },
            )
        await run_alembic(scratch_engine, "upgrade", "head")

        async with scratch_engine.connect() as connection:
            last_used = {
                uuid.UUID(str(row.id)): row.last_used_at
                for row in await connection.execute(
                    text("SELECT id, last_used_at, user_agent FROM auth_session")
                )
            }
            officers = (
                await connection.execute(text("SELECT id, area_code, ended_at FROM la_officer"))
            ).all()
        assert str(last_used[used]).startswith("2026-03-05 09:00")
        assert str(last_used[unused]).startswith("2026-03-02 09:00")
        [(officer_id, area_code, ended_at)] = officers
        assert officer_id is not None
        assert (area_code, ended_at) == ("W06000011", None)

        await run_alembic(scratch_engine, "downgrade", _before("0024"))
        async with scratch_engine.connect() as connection:
            assert await connection.scalar(text("SELECT area_code FROM la_officer")) == "W06000011"
            assert await connection.scalar(text("SELECT count(*) FROM auth_session")) == 2
