"""Models and migrations never drift, and every migration downgrades."""

import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from app.audit.chain import GENESIS_HASH, entry_hash
from app.audit.service import verify_chain
from app.core.config import Settings
from app.core.db import alembic_render_item, create_engine
from app.models import Base
from app.providers import listing_entries
from app.providers.models import Provider
from app.tenders.ocds.packages import Publisher, Stored, parse, record_package
from tests.conftest import Database
from tests.helpers import alembic_config, run_alembic, scratch_database_url
from tests.tenders.ocds_review import assert_valid


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
            fields: dict[str, object] = {
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
            stored: dict[Any, Any] = dict(
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


def _published_rows() -> tuple[dict[str, uuid.UUID], dict[str, list[dict[str, object]]]]:
    """In the schema of 0019: a tender taken to a contract paid in two quarters (8 holders),
    with an answered question and an award voted down; a tender cancelled; a draft."""

    def at(month: int, day: int, hour: int = 9) -> datetime:
        return datetime(2026, month, day, hour, tzinfo=UTC)

    ids = {name: uuid.uuid4() for name in ("coop", "admin", "contracted", "cancelled", "draft")}
    ids |= {name: uuid.uuid4() for name in ("p1", "p2", "b1", "b2", "a0", "a1", "k", "i1", "i2")}
    ids["question"] = uuid.uuid4()
    holders = [uuid.uuid4() for _ in range(8)]
    members = [uuid.uuid4() for _ in range(8)]
    user = {"preferred_language": "en", "is_platform_admin": False, "created_at": at(3, 1)}
    tender = {
        "coop_id": ids["coop"],
        "description": "Care at home",
        "service_type": "domiciliary_support",
        "max_hourly_rate_pence": 2500,
        "welsh_language_required": "some",
        "price_weight": 60,
        "quality_weight": 40,
        "submission_deadline": at(3, 16, 12),
        "standstill_days": 10,
        "created_at": at(3, 1),
        "created_by_user_id": ids["admin"],
    }
    provider = {
        "hourly_rate_pence": 2000,
        "capacity_hours_per_week": 100,
        "welsh_language": "full",
        "status": "verified",
        "created_at": at(3, 1),
        "updated_at": at(3, 1),
    }
    bid = {
        "tender_id": ids["contracted"],
        "status": "submitted",
        "capacity_hours_per_week": 100,
        "quality_statement": "Good",
        "welsh_language": "full",
        "submitted_by_user_id": ids["admin"],
    }
    award = {"tender_id": ids["contracted"], "proposed_by_user_id": ids["admin"]}
    return ids, {
        "user_account": [
            {**user, "id": ids["admin"], "email": "admin@example.org", "full_name": "Admin"},
            *(
                {**user, "id": h, "email": f"holder{n}@example.org", "full_name": f"Holder {n}"}
                for n, h in enumerate(holders)
            ),
        ],
        "coop": [
            {
                "id": ids["coop"],
                "name": "Cwmni Gofal",
                "description": "",
                "created_at": at(3, 1),
                "voting_mode": "one_member_one_vote",
                "quorum_percent": 25,
                "pass_percent": 50,
                "award_requires_vote": True,
                "refund_second_approval_pence": 10000,
            }
        ],
        "coop_member": [
            {
                "id": m,
                "coop_id": ids["coop"],
                "user_id": h,
                "member_class": "service_user",
                "is_admin": False,
                "status": "active",
                "joined_at": at(3, 1),
            }
            for m, h in zip(members, holders, strict=True)
        ],
        "provider": [
            {
                **provider,
                "id": ids[p],
                "name": name,
                "name_search": name.lower(),
                "contact_email": f"{p}@example.org",
            }
            for p, name in (("p1", "Gofal Un"), ("p2", "Gofal Dau"))
        ],
        "tender": [
            {
                **tender,
                "id": ids["contracted"],
                "title": "Evening calls",
                "status": "contracted",
                "published_at": at(3, 2),
                "bids_opened_at": at(3, 16, 12),
            },
            {
                **tender,
                "id": ids["cancelled"],
                "title": "Respite",
                "status": "cancelled",
                "published_at": at(3, 4),
                "cancelled_at": at(3, 5),
                "cancellation_reason": "Found elsewhere.",
            },
            {**tender, "id": ids["draft"], "title": "Draft", "status": "draft"},
        ],
        "tender_area": [
            {"tender_id": ids[t], "area_code": "W06000015"}
            for t in ("contracted", "cancelled", "draft")
        ],
        "tender_demand": [
            {
                "tender_id": ids["contracted"],
                "member_id": m,
                "hours_per_week": 5,
                "updated_at": at(3, 1),
            }
            for m in members
        ],
        "tender_question": [
            {
                "id": ids["question"],
                "tender_id": ids["contracted"],
                "question": "Welsh?",
                "asked_at": at(3, 3),
                "answer": "Some.",
                "answered_at": at(3, 3, 10),
            }
        ],
        "tender_bid": [
            {
                **bid,
                "id": ids["b1"],
                "provider_id": ids["p1"],
                "hourly_rate_pence": 1975,
                "submitted_at": at(3, 5),
            },
            {
                **bid,
                "id": ids["b2"],
                "provider_id": ids["p2"],
                "hourly_rate_pence": 2135,
                "submitted_at": at(3, 6),
            },
        ],
        "tender_award": [
            {
                **award,
                "id": ids["a0"],
                "bid_id": ids["b2"],
                "status": "rejected",
                "proposed_at": at(3, 16, 13),
                "decided_at": at(3, 23, 13),
            },
            {
                **award,
                "id": ids["a1"],
                "bid_id": ids["b2"],
                "status": "awarded",
                "proposed_at": at(3, 23, 14),
                "decided_at": at(3, 30, 14),
                "awarded_at": at(3, 30, 14),
                "standstill_ends_at": at(4, 9, 14),
            },
        ],
        "contract": [
            {
                "id": ids["k"],
                "tender_id": ids["contracted"],
                "coop_id": ids["coop"],
                "bid_id": ids["b2"],
                "provider_id": ids["p2"],
                "hourly_rate_pence": 2135,
                "status": "active",
                "created_at": at(4, 9, 15),
                "created_by_user_id": ids["admin"],
            }
        ],
        "contract_call_off": [
            {"id": uuid.uuid4(), "contract_id": ids["k"], "member_id": m, "hours_per_week": 5}
            for m in members
        ],
        "invoice": [
            {
                "id": ids[i],
                "contract_id": ids["k"],
                "period_start": start.date(),
                "period_end": start.date(),
                "status": "paid",
                "submitted_at": paid,
                "submitted_by_user_id": ids["admin"],
                "paid_at": paid,
            }
            for i, start, paid in (("i1", at(4, 13), at(5, 4)), ("i2", at(6, 1), at(7, 2)))
        ],
        "invoice_line": [
            {
                "id": uuid.uuid4(),
                "invoice_id": ids[i],
                "position": n,
                "member_id": m,
                "minutes": 60,
                "description": "Call",
                "amount_pence": 2135,
                "status": "ok",
            }
            for i in ("i1", "i2")
            for n, m in enumerate(members)
        ],
    }


class TestOcdsReleases:
    """Revision 0023 stores the releases of tenders already published, once, as their first."""

    async def test_published_tenders_get_their_releases_rebuilt_in_date_order(
        self, scratch_engine: AsyncEngine, tmp_path: Path
    ) -> None:
        await run_alembic(scratch_engine, "upgrade", _before("0023"))
        ids, rows = _published_rows()
        async with scratch_engine.begin() as connection:
            # Row by row: the rows of one table do not all give the same columns.
            for name, values in rows.items():
                for value in values:
                    await connection.run_sync(_insert, {name: [value]})
        await run_alembic(scratch_engine, "upgrade", "0023")

        async with scratch_engine.connect() as connection:
            stored = (
                await connection.execute(
                    text(
                        "SELECT seq, release_id, ocid, tag, date, body FROM ocds_release ORDER BY seq"
                    )
                )
            ).all()
            head = await connection.scalar(text("SELECT last_seq FROM ocds_feed_head"))
        contracted, cancelled = (f"ocds-dpcwales-{ids[t]}" for t in ("contracted", "cancelled"))
        assert [(r.seq, r.release_id, r.tag) for r in stored] == [
            (1, f"{contracted}-tender", "tender"),
            (2, f"{contracted}-clarification-{ids['question']}", "tenderAmendment"),
            (3, f"{cancelled}-tender", "tender"),
            (4, f"{cancelled}-cancellation", "tenderCancellation"),
            (5, f"{contracted}-bids-opened", "tenderUpdate"),
            (6, f"{contracted}-award-vote-{ids['a0']}", "tenderAmendment"),
            (7, f"{contracted}-award", "award"),
            (8, f"{contracted}-contract", "contract"),
            (9, f"{contracted}-payment-{ids['i2']}", "implementation"),
        ]
        assert head == 9
        releases = [parse(r.body) for r in stored]
        assert releases[4]["date"] == "2026-03-16T12:00:00Z"
        assert releases[4]["tender"]["numberOfTenderers"] == 2
        [quarter] = releases[8]["contracts"][0]["implementation"]["transactions"]
        assert quarter["value"]["amount"] == Decimal("170.80")
        record = record_package(
            [
                Stored(
                    release_id=r.release_id,
                    ocid=r.ocid,
                    date=datetime.fromisoformat(releases[n]["date"]),
                    body=r.body,
                )
                for n, r in enumerate(stored)
                if r.ocid == contracted
            ],
            uri="https://example.org/record",
            publisher=Publisher(
                name="Test",
                license="https://example.org/l",
                publication_policy="https://example.org/p",
            ),
        )
        assert_valid(record, tmp_path)

        for statement in ("UPDATE ocds_release SET body = '{}'", "DELETE FROM ocds_release"):
            async with scratch_engine.begin() as connection:
                with pytest.raises(DBAPIError, match="append-only"):
                    await connection.execute(text(statement))

        await run_alembic(scratch_engine, "downgrade", _before("0023"))
        async with scratch_engine.connect() as connection:
            assert "ocds_release" not in await connection.run_sync(_tables)
            assert await connection.scalar(text("SELECT count(*) FROM tender")) == 3
            assert await connection.scalar(text("SELECT count(*) FROM invoice_line")) == 16


class TestProviderListings:
    """Revision 0021: verified names are claimed once folded, duplicates kept and listed."""

    async def test_the_oldest_verified_provider_holds_a_shared_name_and_the_rest_are_listed(
        self, scratch_engine: AsyncEngine, caplog: pytest.LogCaptureFixture
    ) -> None:
        await run_alembic(scratch_engine, "upgrade", _before("0021"))
        first, twin, pending, other = (uuid.uuid4() for _ in range(4))

        def row(provider_id: uuid.UUID, name: str, status: str, day: int) -> dict[str, object]:
            when = datetime(2026, 3, day, 9, tzinfo=UTC)
            return {
                "id": provider_id,
                "name": name,
                "name_search": name.casefold(),
                "hourly_rate_pence": 2000,
                "capacity_hours_per_week": 10,
                "welsh_language": "none",
                "contact_email": f"{provider_id}@example.org",
                "status": status,
                "created_at": when,
                "updated_at": when,
            }

        rows = [
            row(twin, "GOFAL CYMRÛ", "verified", 2),
            row(first, "Gofal Cymru", "verified", 1),
            row(pending, "gofal cymru", "pending", 1),
            row(other, "Cymorth Tŷ", "verified", 3),
        ]
        async with scratch_engine.begin() as connection:
            await connection.run_sync(_insert, {"provider": rows})
        with caplog.at_level("WARNING"):
            await run_alembic(scratch_engine, "upgrade", "head")

        async with scratch_engine.connect() as connection:
            keys: dict[Any, Any] = dict(
                (await connection.execute(text("SELECT id, verified_name_key FROM provider"))).all()
            )
        keys = {uuid.UUID(str(k)): v for k, v in keys.items()}
        assert keys == {first: "gofal cymru", twin: None, pending: None, other: "cymorth ty"}
        assert str(twin) in caplog.text
        assert str(first) in caplog.text
        async with scratch_engine.begin() as connection:
            with pytest.raises(IntegrityError):
                await connection.execute(
                    text("UPDATE provider SET verified_name_key = 'gofal cymru' WHERE id = :id"),
                    {"id": twin.hex if connection.dialect.name == "sqlite" else twin},
                )

        await run_alembic(scratch_engine, "downgrade", _before("0021"))
        async with scratch_engine.connect() as connection:
            columns = await connection.run_sync(
                lambda c: {col["name"] for col in inspect(c).get_columns("provider")}
            )
            assert "verified_name_key" not in columns
            assert "provider_change" not in await connection.run_sync(_tables)
            assert await connection.scalar(text("SELECT count(*) FROM provider")) == 4


def _award_rows() -> tuple[dict[str, uuid.UUID], dict[str, list[dict[str, object]]]]:
    """A holder with one award, paying into a co-op, in the schema of revision 0019."""
    when = datetime(2026, 3, 2, 9, tzinfo=UTC)
    ids = {
        name: uuid.uuid4() for name in ("user", "coop", "member", "award", "account", "deposits")
    }
    ids["contribution"], ids["refund"] = uuid.uuid4(), uuid.uuid4()
    rows: dict[str, list[dict[str, object]]] = {
        "user_account": [
            {
                "id": ids["user"],
                "email": "holder@example.org",
                "full_name": "Holder",
                "preferred_language": "cy",
                "is_platform_admin": False,
                "created_at": when,
            }
        ],
        **{k: v for k, v in _ledger_rows().items() if k == "coop"},
        "direct_payment_award": [
            {
                "id": ids["award"],
                "user_id": ids["user"],
                "area_code": "W06000015",
                "weekly_amount_pence": 25_000,
                "start_date": date(2026, 3, 2),
                "end_date": None,
                "created_at": when,
                "updated_at": when,
            }
        ],
    }
    rows["coop"][0]["id"] = ids["coop"]
    rows["coop_member"] = [
        {
            "id": ids["member"],
            "coop_id": ids["coop"],
            "user_id": ids["user"],
            "member_class": "service_user",
            "is_admin": False,
            "status": "active",
            "joined_at": when,
            "approved_at": when,
        }
    ]
    rows["ledger_account"] = [
        {
            "id": account_id,
            "coop_id": ids["coop"],
            "code": code,
            "kind": kind,
            "member_id": member_id,
            "balance_pence": balance,
            "opened_at": when,
        }
        for account_id, code, kind, member_id, balance in (
            (ids["deposits"], "external:deposits", "external", None, -4000),
            (ids["account"], f"member:{ids['member']}", "member", ids["member"], 4000),
        )
    ]
    rows["ledger_transaction"] = [
        {"id": t, "coop_id": ids["coop"], "kind": kind, "memo": "", "created_at": when}
        for t, kind in ((ids["contribution"], "contribution"), (ids["refund"], "refund"))
    ]
    rows["ledger_posting"] = [
        {
            "id": uuid.uuid4(),
            "transaction_id": t,
            "kind": kind,
            "account_id": account,
            "position": position,
            "amount_pence": amount,
            "created_at": when,
        }
        for t, kind, pairs in (
            (
                ids["contribution"],
                "contribution",
                ((ids["deposits"], -5000), (ids["account"], 5000)),
            ),
            (ids["refund"], "refund", ((ids["account"], -1000), (ids["deposits"], 1000))),
        )
        for position, (account, amount) in enumerate(pairs)
    ]
    return ids, rows


class TestAwardVersions:
    """Revision 0020: the single award becomes a first, declared version; existing postings
    keep it and existing contributions were Direct Payment money."""

    async def test_the_award_becomes_a_declared_version_that_its_postings_keep(
        self, scratch_engine: AsyncEngine
    ) -> None:
        await run_alembic(scratch_engine, "upgrade", _before("0020"))
        ids, rows = _award_rows()
        async with scratch_engine.begin() as connection:
            await connection.run_sync(_insert, rows)
        await run_alembic(scratch_engine, "upgrade", "0020")

        async with scratch_engine.connect() as connection:
            award = (
                await connection.execute(
                    text("SELECT status, confirmed_at FROM direct_payment_award")
                )
            ).one()
            postings = (
                await connection.execute(
                    text(
                        "SELECT account_id, kind, source, award_id FROM ledger_posting "
                        "ORDER BY kind, amount_pence"
                    )
                )
            ).all()
        assert (award.status, award.confirmed_at) == ("declared", None)

        def ident(value: object) -> uuid.UUID | None:
            return None if value is None else uuid.UUID(str(value))

        assert [(ident(p.account_id), p.kind, p.source, ident(p.award_id)) for p in postings] == [
            (ids["deposits"], "contribution", "direct_payment", None),
            (ids["account"], "contribution", "direct_payment", ids["award"]),
            (ids["account"], "refund", None, ids["award"]),
            (ids["deposits"], "refund", None, None),
        ]
        async with scratch_engine.begin() as connection:
            with pytest.raises(DBAPIError, match="append-only"):
                await connection.execute(text("UPDATE ledger_posting SET source = 'top_up'"))
        # A contribution without a source is refused by the database.
        unsourced = {**rows["ledger_posting"][0], "id": uuid.uuid4()}
        async with scratch_engine.begin() as connection:
            with pytest.raises(IntegrityError):
                await connection.run_sync(_insert, {"ledger_posting": [unsourced]})

        # Versions the old schema cannot hold: a later one the council rejected, and the
        # downgrade keeps the latest not rejected.
        rejected = {
            **rows["direct_payment_award"][0],
            "id": uuid.uuid4(),
            "area_code": "W06000011",
            "start_date": date(2026, 4, 6),
            "status": "rejected",
            "rejected_at": datetime(2026, 3, 3, tzinfo=UTC),
        }
        async with scratch_engine.begin() as connection:
            await connection.run_sync(_insert, {"direct_payment_award": [rejected]})
        await run_alembic(scratch_engine, "downgrade", _before("0020"))
        async with scratch_engine.connect() as connection:
            kept = (await connection.execute(text("SELECT id FROM direct_payment_award"))).all()
            columns = await connection.run_sync(
                lambda c: {col["name"] for col in inspect(c).get_columns("ledger_posting")}
            )
            assert await connection.scalar(text("SELECT count(*) FROM ledger_posting")) == 4
        assert [ident(k.id) for k in kept] == [ids["award"]]
        assert {"source", "award_id"}.isdisjoint(columns)
        async with scratch_engine.begin() as connection:
            with pytest.raises(DBAPIError, match="append-only"):
                await connection.execute(text("DELETE FROM ledger_posting"))


def _contract_rows() -> dict[str, list[dict[str, object]]]:
    """The published tender of `_tender_rows`, awarded and contracted, with a call-off, an
    invoice, the co-op's area and a closed vote, in the schema of 0019."""
    published, _, rows = _tender_rows()
    coop_id = rows["coop"][0]["id"]
    user_id = rows["user_account"][0]["id"]
    ids = {name: uuid.uuid4() for name in ("provider", "bid", "contract", "invoice", "proposal")}
    members = {cls: uuid.uuid4() for cls in ("service_user", "worker", "carer")}
    when = datetime(2026, 3, 2, 9, tzinfo=UTC)
    # 00:30 on 1 April in Wales (BST): the contract's first day is 1 April, not 31 March.
    signed = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    ids["tender"] = published
    rows.update(
        {
            "coop_area": [{"coop_id": coop_id, "area_code": "W06000015"}],
            "provider": [
                {
                    "id": ids["provider"],
                    "name": "Gofal Da",
                    "name_search": "gofal da",
                    "hourly_rate_pence": 2100,
                    "capacity_hours_per_week": 100,
                    "welsh_language": "full",
                    "contact_email": "gofal@example.org",
                    "status": "verified",
                    "created_at": when,
                    "updated_at": when,
                }
            ],
            "coop_member": [
                {
                    "id": member_id,
                    "coop_id": coop_id,
                    "user_id": user_id,
                    "member_class": cls,
                    "is_admin": False,
                    "status": "left",
                    "joined_at": when,
                }
                for cls, member_id in members.items()
            ],
            "tender_bid": [
                {
                    "id": ids["bid"],
                    "tender_id": published,
                    "provider_id": ids["provider"],
                    "status": "submitted",
                    "hourly_rate_pence": 2135,
                    "capacity_hours_per_week": 50,
                    "quality_statement": "Good",
                    "welsh_language": "full",
                    "submitted_at": when,
                    "submitted_by_user_id": user_id,
                }
            ],
            "contract": [
                {
                    "id": ids["contract"],
                    "tender_id": published,
                    "coop_id": coop_id,
                    "bid_id": ids["bid"],
                    "provider_id": ids["provider"],
                    "hourly_rate_pence": 2135,
                    "status": "active",
                    "created_at": signed,
                    "created_by_user_id": user_id,
                }
            ],
            "contract_call_off": [
                {
                    "id": uuid.uuid4(),
                    "contract_id": ids["contract"],
                    "member_id": members["service_user"],
                    "hours_per_week": 10,
                }
            ],
            "invoice": [
                {
                    "id": ids["invoice"],
                    "contract_id": ids["contract"],
                    "period_start": date(2026, 4, 1),
                    "period_end": date(2026, 4, 7),
                    "status": "submitted",
                    "submitted_at": signed,
                    "submitted_by_user_id": user_id,
                }
            ],
            "invoice_line": [
                {
                    "id": uuid.uuid4(),
                    "invoice_id": ids["invoice"],
                    "position": 1,
                    "member_id": members["service_user"],
                    "minutes": 60,
                    "description": "Visit",
                    "amount_pence": 2135,
                    "status": "ok",
                }
            ],
            "proposal": [
                {
                    "id": ids["proposal"],
                    "coop_id": coop_id,
                    "kind": "general",
                    "title": "Meet monthly",
                    "body": "",
                    "status": "passed",
                    "opened_by_user_id": user_id,
                    "opened_at": when,
                    "closes_at": signed,
                    "closed_at": signed,
                    "voting_mode": "class_weighted",
                    "class_weights": {"service_user": 60, "worker": 40},
                    "quorum_percent": 30,
                    "pass_percent": 50,
                    "electorate": 3,
                    "yes_votes": 1,
                    "no_votes": 1,
                    "abstain_votes": 0,
                    "yes_share": "0.6000",
                }
            ],
            "proposal_elector": [
                {"proposal_id": ids["proposal"], "member_id": member_id, "member_class": cls}
                for cls, member_id in members.items()
            ],
            "proposal_vote": [
                {
                    "proposal_id": ids["proposal"],
                    "member_id": members[cls],
                    "choice": choice,
                    "cast_by_user_id": user_id,
                    "cast_at": when,
                }
                for cls, choice in (("service_user", "yes"), ("worker", "no"))
            ],
        }
    )
    return rows


class TestContractChanges:
    """Revision 0022 names contracts as their providers are named now, dates them in Wales,
    gives co-ops the default variation rule and closed votes their counts by class, and
    loses nothing that hangs from the tables it rebuilds."""

    async def test_existing_contracts_and_votes_are_carried_forward_and_back(
        self, scratch_engine: AsyncEngine
    ) -> None:
        await run_alembic(scratch_engine, "upgrade", _before("0022"))
        rows = _contract_rows()
        async with scratch_engine.begin() as connection:
            await connection.run_sync(_insert, rows)
        await run_alembic(scratch_engine, "upgrade", "head")

        async with scratch_engine.connect() as connection:
            contract = (
                await connection.execute(
                    text("SELECT provider_name, start_date, status, end_date FROM contract")
                )
            ).one()
            counts = {
                table: await connection.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608
                for table in ("contract_call_off", "invoice", "invoice_line", "coop_area")
            }
            percent = await connection.scalar(text("SELECT variation_vote_percent FROM coop"))
            proposals = Base.metadata.tables["proposal"]
            tally = await connection.scalar(
                proposals.select().with_only_columns(proposals.c.class_tally)
            )
        assert contract.provider_name == "Gofal Da"
        assert str(contract.start_date) == "2026-04-01"
        assert (contract.status, contract.end_date) == ("active", None)
        assert counts == dict.fromkeys(counts, 1)
        assert percent == 5
        assert tally == {
            "carer": {"yes": 0, "no": 0, "abstain": 0},
            "service_user": {"yes": 1, "no": 0, "abstain": 0},
            "worker": {"yes": 0, "no": 1, "abstain": 0},
        }

        await run_alembic(scratch_engine, "downgrade", _before("0022"))
        async with scratch_engine.connect() as connection:
            for table in ("contract", "contract_call_off", "invoice_line", "coop_area"):
                assert (
                    await connection.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608
                    == 1
                ), table


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


class TestVisitRules:
    """Revision 0029 gives co-ops the visit and invoice rules at their defaults, and carries
    the rule changes already stored forward (and back) with them."""

    async def test_coops_and_their_rule_changes_are_carried_forward_and_back(
        self, scratch_engine: AsyncEngine
    ) -> None:
        await run_alembic(scratch_engine, "upgrade", _before("0029"))
        when = datetime(2026, 3, 2, 9, tzinfo=UTC)
        user_id, coop_id, change_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        old_rules = {
            "voting_mode": "one_member_one_vote",
            "class_weights": None,
            "quorum_percent": 25,
            "pass_percent": 50,
            "award_requires_vote": True,
            "refund_second_approval_pence": 50_000,
            "variation_vote_percent": 5,
        }
        rows: dict[str, list[dict[str, object]]] = {
            "user_account": [
                {
                    "id": user_id,
                    "email": "admin@example.org",
                    "full_name": "Admin",
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
                    "voting_mode": "one_member_one_vote",
                    "quorum_percent": 25,
                    "pass_percent": 50,
                    "award_requires_vote": True,
                    "refund_second_approval_pence": 50_000,
                }
            ],
            "coop_rule_change": [
                {
                    "id": change_id,
                    "coop_id": coop_id,
                    "proposed_by_user_id": user_id,
                    "changes": {"rules": {"quorum_percent": 10}},
                    "base_rules": old_rules,
                    "weakens": ["quorum_percent"],
                    "status": "pending",
                    "created_at": when,
                }
            ],
        }
        async with scratch_engine.begin() as connection:
            await connection.run_sync(_insert, rows)
        await run_alembic(scratch_engine, "upgrade", "head")

        changes = Base.metadata.tables["coop_rule_change"]
        async with scratch_engine.connect() as connection:
            coop = (
                await connection.execute(
                    text(
                        "SELECT visit_confirm_hours, invoice_dispute_days, "
                        "invoices_from_visits_only FROM coop"
                    )
                )
            ).one()
            base = await connection.scalar(changes.select().with_only_columns(changes.c.base_rules))
        assert (coop[0], coop[1], bool(coop[2])) == (48, 2, False)
        assert base == {
            **old_rules,
            "visit_confirm_hours": 48,
            "invoice_dispute_days": 2,
            "invoices_from_visits_only": False,
        }

        await run_alembic(scratch_engine, "downgrade", _before("0029"))
        async with scratch_engine.connect() as connection:
            base = await connection.scalar(changes.select().with_only_columns(changes.c.base_rules))
            assert await connection.scalar(text("SELECT count(*) FROM coop")) == 1
        assert base == old_rules


class TestListingEntries:
    """Revision 0040 renders every provider's listing entry as the service renders it."""

    async def test_every_provider_gets_the_entry_the_service_would_render(
        self, scratch_engine: AsyncEngine
    ) -> None:
        await run_alembic(scratch_engine, "upgrade", _before("0040"))
        wyn, plain = uuid.uuid4(), uuid.uuid4()
        when = datetime(2026, 3, 2, 9, 30, 15, 120_000, tzinfo=UTC)

        def row(provider_id: uuid.UUID, name: str, **fields: object) -> dict[str, object]:
            return {
                "id": provider_id,
                "name": name,
                "name_search": name.casefold(),
                "hourly_rate_pence": 2000,
                "capacity_hours_per_week": 10,
                "welsh_language": "full",
                "contact_email": f"{provider_id}@example.org",
                "ciw_service_id": None,
                "phone": None,
                "website": None,
                "status": "verified",
                "created_at": when,
                "updated_at": when,
                **fields,
            }

        rows: dict[str, list[dict[str, object]]] = {
            "provider": [
                row(wyn, 'Gofal Ŵyn "Cymru"', phone="029 2000 0000", ciw_service_id="SIN-1"),
                row(plain, "Plain", welsh_language="none", status="pending"),
            ],
            "provider_service_type": [
                {"provider_id": wyn, "service_type": t}
                for t in ("respite", "domiciliary_support", "personal_assistant")
            ],
            "provider_area": [
                {"provider_id": wyn, "area_code": code} for code in ("W06000015", "W06000002")
            ],
        }
        async with scratch_engine.begin() as connection:
            await connection.run_sync(_insert, rows)
        await run_alembic(scratch_engine, "upgrade", "head")

        async with scratch_engine.connect() as connection:
            kept = dict(
                (await connection.execute(select(Provider.id, Provider.listing_entry))).all()
            )
            rendered = {
                found[0]: listing_entries.entry(found).decode()
                for found in await connection.execute(
                    listing_entries.ENTRY_ROWS, {"ids": [wyn, plain]}
                )
            }
        assert kept == rendered
        entry = json.loads(str(kept[wyn]))
        assert entry["name"] == 'Gofal Ŵyn "Cymru"'
        assert entry["service_types"] == ["domiciliary_support", "personal_assistant", "respite"]
        assert entry["area_codes"] == ["W06000002", "W06000015"]
        assert entry["created_at"] == "2026-03-02T09:30:15.120000Z"
        assert json.loads(str(kept[plain]))["service_types"] == []

        await run_alembic(scratch_engine, "downgrade", _before("0040"))
        async with scratch_engine.connect() as connection:
            columns = await connection.run_sync(
                lambda c: {col["name"] for col in inspect(c).get_columns("provider")}
            )
            assert "listing_entry" not in columns
            assert await connection.scalar(text("SELECT count(*) FROM provider")) == 2
