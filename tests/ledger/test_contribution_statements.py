"""The SQL statements one contribution sends, counted (never timed), so that reads made twice,
rows read back after writing them and one-statement-per-row writes do not creep back.

What each statement is for is in docs/performance.md (Ledger: one contribution at a time);
`python -m bench.ledger_bench --mode statements` prints them. The counts are of the
statements the request itself sends: the test's own savepoints are left out.
"""

import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.encoders import jsonable_encoder
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.ledger import repository
from app.ledger.models import LedgerTransaction
from tests.conftest import Database
from tests.factories import contribute
from tests.ledger.conftest import Pool

# PostgreSQL: the token, the caller's membership, the key's advisory lock and record, the
# membership and then the holder locked (one statement), the award with its council's surplus
# weeks (one statement) and the cycle's sum, the accounts locked, the transaction with its
# postings and balances (one statement), the surplus flag, the notification (the holder and
# their viewers; then the event, its notification and the webhooks' deliveries in one
# statement), the stored answer, the audit chain's head and its entry (one statement).
STATEMENTS = {"postgresql": 15, "sqlite": 19}
# SQLite has no advisory lock (it serialises writers), reads the webhooks before writing the
# event, and writes the transaction, postings and balances in three statements, the audit
# entry and the head's move in two.
REPLAYED = {"postgresql": 4, "sqlite": 3}


class Statements:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def record(self, *arguments: Any) -> None:
        statement = " ".join(str(arguments[2]).split())
        if not statement.upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO")):
            self.sent.append(statement)

    def listing(self) -> str:
        return "\n".join(f"{n:3} {s[:140]}" for n, s in enumerate(self.sent, 1))


@pytest.fixture
def statements(connection: AsyncConnection) -> Iterator[Statements]:
    found = Statements()
    event.listen(connection.sync_connection, "before_cursor_execute", found.record)
    yield found
    event.remove(connection.sync_connection, "before_cursor_execute", found.record)


async def counted(statements: Statements, send: Any) -> tuple[httpx.Response, list[str]]:
    statements.sent.clear()
    response = await send()
    return response, list(statements.sent)


async def test_a_contribution_sends_no_more_statements_than_it_needs(
    client: httpx.AsyncClient, database: Database, pool: Pool, statements: Statements
) -> None:
    # The holder's first contribution is made before the one counted, as in steady use.
    assert (
        await contribute(client, pool.coop_id, pool.holder, amount_pence=100)
    ).status_code == 201
    response, sent = await counted(
        statements,
        lambda: contribute(client, pool.coop_id, pool.holder, amount_pence=200),
    )
    assert response.status_code == 201, response.text
    assert len(sent) <= STATEMENTS[database.backend], statements.listing()
    # What was just written is not read back: the only read of postings is the cycle's sum.
    postings_read = [s for s in sent if s.startswith("SELECT") and "FROM ledger_posting" in s]
    assert len(postings_read) == 1, statements.listing()
    assert "sum(ledger_posting.amount_pence)" in postings_read[0]
    assert sum("FROM idempotency_record" in s for s in sent) == 1, statements.listing()


async def test_a_top_up_reads_the_award_once_and_is_not_capped(
    client: httpx.AsyncClient, database: Database, pool: Pool, statements: Statements
) -> None:
    def top_up() -> Any:
        return client.post(
            pool.url("/pool/contributions"),
            json={"amount_pence": 300, "reference": "Top-up", "source": "top_up"},
            headers={**pool.holder.headers, "Idempotency-Key": uuid.uuid4().hex},
        )

    assert (await top_up()).status_code == 201
    response, sent = await counted(statements, top_up)
    assert response.status_code == 201, response.text
    # No cycle to sum: one statement fewer than Direct Payment money.
    assert len(sent) <= STATEMENTS[database.backend] - 1, statements.listing()
    assert sum("FROM direct_payment_award" in s for s in sent) == 1, statements.listing()


async def test_a_replay_reads_the_stored_answer_and_nothing_else(
    client: httpx.AsyncClient, database: Database, pool: Pool, statements: Statements
) -> None:
    first = await contribute(client, pool.coop_id, pool.holder, amount_pence=400, key="again")
    again, sent = await counted(
        statements,
        lambda: contribute(client, pool.coop_id, pool.holder, amount_pence=400, key="again"),
    )
    assert again.status_code == first.status_code == 201
    assert again.content == first.content
    assert len(sent) == REPLAYED[database.backend], statements.listing()


async def test_the_answer_is_what_reading_the_transaction_back_gives(
    client: httpx.AsyncClient, session: AsyncSession, pool: Pool
) -> None:
    response = await contribute(
        client, pool.coop_id, pool.holder, amount_pence=1_234, reference="Taliad Ebrill"
    )
    assert response.status_code == 201, response.text
    transaction = await session.scalar(
        select(LedgerTransaction).where(LedgerTransaction.id == uuid.UUID(response.json()["id"]))
    )
    assert transaction is not None
    read_back = await repository.as_posted(session, transaction)
    encoded = json.dumps(jsonable_encoder(read_back), ensure_ascii=False, separators=(",", ":"))
    assert response.content == encoded.encode("utf-8")
