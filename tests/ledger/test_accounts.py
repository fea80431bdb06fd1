import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.auth.models import PreferredLanguage, User
from app.coops.models import Coop, Member, MemberClass, MemberStatus, VotingMode
from app.core.config import Settings
from app.core.db import create_engine, create_sessionmaker, unit_of_work
from app.ledger import service as ledger
from app.ledger.errors import InsufficientFunds, UnbalancedTransaction
from app.ledger.models import LedgerAccount, LedgerPosting, LedgerTransaction, TransactionKind
from tests.conftest import Database
from tests.factories import (
    apply_to_coop,
    contribute,
    create_coop,
    join_coop,
    member_id_of,
    register_person,
)
from tests.helpers import ok, run_alembic, scratch_database_url
from tests.ledger.checks import read_books
from tests.ledger.conftest import Pool

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def account_ids(session: AsyncSession, coop_id: uuid.UUID) -> dict[str, uuid.UUID]:
    rows = await session.execute(
        select(LedgerAccount.code, LedgerAccount.id).where(LedgerAccount.coop_id == coop_id)
    )
    return dict(rows.all())


class TestEagerAccounts:
    async def test_founding_opens_the_coop_accounts_and_the_founders(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        founder = await register_person(client)
        coop_id = await create_coop(client, founder)
        founder_member = await member_id_of(client, coop_id, founder)
        assert set(await account_ids(session, coop_id)) == {
            "shared",
            "external:deposits",
            "external:payouts",
            f"member:{founder_member}",
        }

    async def test_approval_opens_the_members_account_and_applying_does_not(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await register_person(client)
        coop_id = await create_coop(client, admin)
        applicant = await register_person(client)
        member_id = await apply_to_coop(client, coop_id, applicant)
        assert f"member:{member_id}" not in await account_ids(session, coop_id)
        ok(
            await client.post(
                f"/api/v1/coops/{coop_id}/members/{member_id}/approve", headers=admin.headers
            )
        )
        assert f"member:{member_id}" in await account_ids(session, coop_id)

    async def test_a_reinstated_member_keeps_their_account(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await register_person(client)
        coop_id = await create_coop(client, admin)
        member_id = await join_coop(client, coop_id, await register_person(client), admin)
        before = (await account_ids(session, coop_id))[f"member:{member_id}"]
        base = f"/api/v1/coops/{coop_id}/members/{member_id}"
        assert (await client.post(f"{base}/suspend", headers=admin.headers)).status_code == 200
        assert (await client.post(f"{base}/approve", headers=admin.headers)).status_code == 200
        accounts = await account_ids(session, coop_id)
        assert accounts[f"member:{member_id}"] == before
        assert len(accounts) == 5


class TestAppendOnly:
    """The database itself refuses to rewrite history, whatever the code does."""

    @pytest.fixture
    async def posted(self, pool: Pool, client: httpx.AsyncClient) -> Pool:
        response = await contribute(client, pool.coop_id, pool.holder, amount_pence=1_000)
        assert response.status_code == 201, response.text
        return pool

    @pytest.mark.parametrize("table", [LedgerPosting, LedgerTransaction])
    async def test_updating_a_posting_or_a_transaction_is_refused(
        self, posted: Pool, session: AsyncSession, table: type[LedgerPosting | LedgerTransaction]
    ) -> None:
        column = table.amount_pence if table is LedgerPosting else table.memo  # type: ignore[union-attr]
        value = 1 if table is LedgerPosting else "rewritten"
        with pytest.raises(DBAPIError, match="append-only"):
            async with session.begin_nested():
                await session.execute(update(table).values({column: value}))
        assert (await read_books(session, posted.coop_id)).balance(posted.holder_account) == 1_000

    @pytest.mark.parametrize("table", [LedgerPosting, LedgerTransaction])
    async def test_deleting_a_posting_or_a_transaction_is_refused(
        self, posted: Pool, session: AsyncSession, table: type[LedgerPosting | LedgerTransaction]
    ) -> None:
        with pytest.raises(DBAPIError, match="append-only"):
            async with session.begin_nested():
                await session.execute(delete(table))
        books = await read_books(session, posted.coop_id)
        assert (books.transactions, books.postings) == (1, 2)

    async def test_a_member_account_below_zero_is_refused(
        self, pool: Pool, session: AsyncSession
    ) -> None:
        with pytest.raises(IntegrityError):
            async with session.begin_nested():
                await session.execute(
                    update(LedgerAccount)
                    .where(LedgerAccount.code == pool.holder_account)
                    .values(balance_pence=-1)
                )

    async def test_an_external_account_may_go_below_zero(
        self, pool: Pool, session: AsyncSession
    ) -> None:
        async with session.begin_nested():
            await session.execute(
                update(LedgerAccount)
                .where(
                    LedgerAccount.coop_id == pool.coop_id,
                    LedgerAccount.code == "external:deposits",
                )
                .values(balance_pence=-5)
            )


class TestPost:
    async def test_postings_that_do_not_sum_to_zero_are_a_programming_error(
        self, pool: Pool, session: AsyncSession
    ) -> None:
        for lines in (
            [ledger.Line(ledger.DEPOSITS, -5), ledger.Line(pool.holder_account, 4)],
            [ledger.Line(ledger.DEPOSITS, 0), ledger.Line(pool.holder_account, 0)],
            [ledger.Line(ledger.DEPOSITS, -5)],
            [ledger.Line(ledger.DEPOSITS, -5), ledger.Line(ledger.DEPOSITS, 5)],
        ):
            with pytest.raises(UnbalancedTransaction):
                await ledger.post(
                    session,
                    None,
                    coop_id=pool.coop_id,
                    kind=TransactionKind.contribution,
                    memo="x",
                    lines=lines,
                    now=NOW,
                )
        assert (await read_books(session, pool.coop_id)).transactions == 0

    async def test_an_account_never_opened_is_a_programming_error(
        self, pool: Pool, session: AsyncSession
    ) -> None:
        with pytest.raises(UnbalancedTransaction):
            await ledger.post(
                session,
                None,
                coop_id=pool.coop_id,
                kind=TransactionKind.contribution,
                memo="x",
                lines=[ledger.Line(ledger.DEPOSITS, -5), ledger.Line(f"member:{uuid.uuid4()}", 5)],
                now=NOW,
            )

    async def test_overdrawing_a_member_posts_nothing(
        self, pool: Pool, session: AsyncSession
    ) -> None:
        with pytest.raises(InsufficientFunds) as raised:
            await ledger.post(
                session,
                None,
                coop_id=pool.coop_id,
                kind=TransactionKind.refund,
                memo="x",
                lines=[ledger.Line(pool.holder_account, -1), ledger.Line(ledger.PAYOUTS, 1)],
                now=NOW,
            )
        assert raised.value.extra == {"accounts": [pool.holder_account]}
        books = await read_books(session, pool.coop_id)
        assert books.transactions == 0
        assert books.balance(pool.holder_account) == 0

    async def test_opening_an_account_twice_keeps_the_first(
        self, pool: Pool, session: AsyncSession
    ) -> None:
        first = await ledger.open_member_account(
            session, coop_id=pool.coop_id, member_id=pool.holder_member, now=NOW
        )
        again = await ledger.open_member_account(
            session, coop_id=pool.coop_id, member_id=pool.holder_member, now=NOW
        )
        assert first.id == again.id

    async def test_a_provider_account_needs_no_provider_row_yet(
        self, pool: Pool, session: AsyncSession
    ) -> None:
        provider_id = uuid.uuid4()
        account = await ledger.open_provider_account(
            session, coop_id=pool.coop_id, provider_id=provider_id, now=NOW
        )
        assert account.code == f"provider:{provider_id}"


@pytest.fixture
async def scratch_engine(
    database: Database, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AsyncEngine]:
    url = await scratch_database_url(
        database.settings.async_database_url,
        suffix="ledger_migration",
        tmp_dir=tmp_path_factory.mktemp("ledger_migration"),
    )
    engine = create_engine(Settings(database_url=url))
    yield engine
    await engine.dispose()


class TestMigration:
    async def test_coops_and_members_from_before_the_ledger_get_their_accounts(
        self, scratch_engine: AsyncEngine
    ) -> None:
        await run_alembic(scratch_engine, "upgrade", "0003")
        coop_id, admitted, applicant = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        async with unit_of_work(create_sessionmaker(scratch_engine)) as session:
            users = [
                User(
                    email=f"{n}@example.org",
                    full_name="Person",
                    preferred_language=PreferredLanguage.cy,
                    created_at=NOW,
                )
                for n in range(2)
            ]
            session.add_all(users)
            session.add(
                Coop(
                    id=coop_id,
                    name="Hen Gwmni",
                    description="From before the ledger.",
                    created_at=NOW,
                    voting_mode=VotingMode.one_member_one_vote,
                    quorum_percent=25,
                    pass_percent=50,
                    award_requires_vote=True,
                    refund_second_approval_pence=50_000,
                )
            )
            await session.flush()
            for member_id, user, approved_at in (
                (admitted, users[0], NOW),
                (applicant, users[1], None),
            ):
                # Only the columns the schema had then (the model's later ones would be
                # written as NULL by an ORM insert).
                await session.execute(
                    insert(Member).values(
                        id=member_id,
                        coop_id=coop_id,
                        user_id=user.id,
                        member_class=MemberClass.service_user,
                        is_admin=False,
                        status=MemberStatus.active if approved_at else MemberStatus.pending,
                        joined_at=NOW,
                        approved_at=approved_at,
                    )
                )
        await run_alembic(scratch_engine, "upgrade", "head")
        async with scratch_engine.connect() as connection:
            rows = (
                await connection.execute(
                    select(LedgerAccount.code, LedgerAccount.balance_pence).where(
                        LedgerAccount.coop_id == coop_id
                    )
                )
            ).all()
        assert sorted(rows) == sorted(
            [
                ("shared", 0),
                ("external:deposits", 0),
                ("external:payouts", 0),
                (f"member:{admitted}", 0),
            ]
        )
