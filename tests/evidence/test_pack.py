"""The evidence pack's figures: reversals count with what they reverse, the days asked for
bound the movements, and the totals always add up to the closing balance."""

import uuid

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.core.errors import InternalInconsistency
from app.evidence.pack import TOTAL_OF_KIND, totals_of
from app.ledger import service as ledger
from app.ledger.models import LedgerTransaction, TransactionKind
from app.tenders.models import Contract, Invoice
from tests.evidence.conftest import Story, ok_json
from tests.helpers import problem


def adds_up(body: dict[str, object]) -> bool:
    totals = body["totals"]
    assert isinstance(totals, dict)
    return bool(
        body["closing_balance_pence"]
        == (
            int(str(body["opening_balance_pence"]))
            + totals["contributions_pence"]
            - totals["care_total_pence"]
            - totals["shared_charges_pence"]
            - totals["payroll_pence"]
            - totals["refunds_pence"]
        )
    )


async def reverse(
    session: AsyncSession, story: Story, transaction_id: uuid.UUID, clock: FrozenClock
) -> None:
    """Post the exact reversal of the story's payment for care or of its support charge."""
    original = await session.scalar(
        select(LedgerTransaction).where(LedgerTransaction.id == transaction_id)
    )
    assert original is not None
    invoice = await session.scalar(
        select(Invoice).where(Invoice.approval_transaction_id == transaction_id)
    )
    lines: list[ledger.Line]
    if invoice is not None:
        contract = await session.get(Contract, invoice.contract_id)
        assert contract is not None
        lines = [
            ledger.Line(ledger.provider_account(contract.provider_id), -4_270),
            ledger.Line(ledger.member_account(story.member_id), 4_270),
        ]
    else:
        lines = [
            ledger.Line("shared", -1_000),
            ledger.Line(ledger.member_account(story.member_id), 1_000),
        ]
    await ledger.post(
        session,
        None,
        coop_id=story.world.coop_id,
        kind=TransactionKind.reversal,
        memo="Posted in error",
        lines=lines,
        now=clock.now(),
        reverses_id=original.id,
    )
    await session.commit()


async def test_a_reversal_names_what_it_reverses_without_its_visits_and_counts_with_it(
    client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, story: Story
) -> None:
    before = await ok_json(await client.get(story.url(), headers=story.holder.headers))
    care, charge = before["movements"][2], before["movements"][3]
    await reverse(session, story, uuid.UUID(care["transaction_id"]), clock)
    await reverse(session, story, uuid.UUID(charge["transaction_id"]), clock)
    body = await ok_json(await client.get(story.url(), headers=story.holder.headers))
    care_back, charge_back = body["movements"][4], body["movements"][5]
    assert (care_back["kind"], care_back["amount_pence"]) == ("reversal", 4_270)
    assert care_back["invoice_id"] == str(story.invoice_id)
    assert care_back["provider_name"] == care["provider_name"]
    assert care_back["visits"] == []
    assert (charge_back["amount_pence"], charge_back["charge_id"]) == (1_000, str(story.charge_id))
    assert body["totals"] == {
        "contributions_pence": 35_000,
        "care_total_pence": 0,
        "shared_charges_pence": 0,
        "payroll_pence": 0,
        "refunds_pence": 0,
    }
    assert body["closing_balance_pence"] == 35_000
    assert adds_up(body)


async def test_the_days_asked_for_bound_the_movements(
    client: httpx.AsyncClient, story: Story
) -> None:
    everything = await ok_json(await client.get(story.url(), headers=story.holder.headers))
    days = [m["at"][:10] for m in everything["movements"]]
    last_day = max(days)
    later = await ok_json(
        await client.get(
            story.url(), params={"from": last_day, "to": last_day}, headers=story.holder.headers
        )
    )
    assert [m["transaction_id"] for m in later["movements"]] == [
        m["transaction_id"] for m in everything["movements"] if m["at"][:10] == last_day
    ]
    assert (
        later["opening_balance_pence"] + sum(m["amount_pence"] for m in later["movements"])
        == later["closing_balance_pence"]
    )
    assert later["closing_balance_pence"] == everything["closing_balance_pence"]
    assert adds_up(later)
    problem(
        await client.get(
            story.url(),
            params={"from": "2026-04-10", "to": "2026-04-01"},
            headers=story.holder.headers,
        ),
        422,
        "validation_error",
    )


def test_every_kind_that_moves_a_members_money_has_its_total() -> None:
    # A payment to a provider never touches a member's account; a reversal counts as what it
    # reverses.
    assert {k.value for k in TransactionKind} - set(TOTAL_OF_KIND) == {
        "invoice_payment",
        "reversal",
    }
    with pytest.raises(InternalInconsistency):
        totals_of([("invoice_payment", -1)])
    assert totals_of([("contribution", 10), ("refund", -3), ("leaving_refund", -2)]) == (
        totals_of([("contribution", 10), ("refund", -5)])
    )
