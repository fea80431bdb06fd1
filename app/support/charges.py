"""Charging a month of a shared service to the members subscribed in that month.

The charge is split exactly among the month's subscribers (`split.plan_charge`, earliest
approved first) and posted `member -> shared` as one ledger transaction; a `SupportCharge`
row written in the same transaction, unique per (service, month), keeps it from being
charged twice.

A member who left the co-op during the month was a subscriber in it, so the SPEC's rule
("active on any day of that month") puts them in that month's charge. Leaving refunds their
whole balance, though, so a charge for that month raised after they left fails with 409
`insufficient_member_funds` naming them: raise a month's charge before a subscriber in it
leaves (the leaving check is the place to enforce that, if a co-op wants it enforced).
"""

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.core.clock import local_date
from app.core.errors import ValidationFailed
from app.ledger import service as ledger
from app.ledger.models import LedgerTransaction, TransactionKind
from app.support import repository
from app.support.errors import AlreadyCharged
from app.support.models import SupportCharge, SupportService
from app.support.split import plan_charge


def parse_month(period: str) -> tuple[int, int]:
    year, month = period.split("-")
    return int(year), int(month)


async def _already_charged(session: AsyncSession, service: SupportService, period: str) -> bool:
    found = await session.scalar(
        select(SupportCharge.id).where(
            SupportCharge.service_id == service.id, SupportCharge.period == period
        )
    )
    return found is not None


async def charge(
    session: AsyncSession,
    actor: Actor,
    service: SupportService,
    *,
    period: str,
    amount_pence: int | None,
    now: datetime,
) -> LedgerTransaction:
    """Charge `period` ("YYYY-MM", not in the future) of the service: `amount_pence`, or the
    service's monthly fee, split among that month's subscribers and posted in one
    transaction; or raise (409 `already_charged`, 422 `no_subscribers`, 409
    `insufficient_member_funds` naming the members) and post nothing."""
    year, month = parse_month(period)
    if date(year, month, 1) > local_date(now):
        raise ValidationFailed(
            [{"loc": ["body", "period"], "msg": "A month can only be charged once it has begun."}]
        )
    amount = service.monthly_fee_pence if amount_pence is None else amount_pence
    if amount < 1:
        raise ValidationFailed(
            [{"loc": ["body", "amount_pence"], "msg": "The monthly fee is 0: give amount_pence."}]
        )
    if await _already_charged(session, service, period):
        raise AlreadyCharged(period=period)
    members = await repository.subscribers_in_month(
        session, service_id=service.id, year=year, month=month
    )
    # With fewer pence than subscribers, the last members' shares are 0 and post nothing.
    shares = [(m, p) for m, p in plan_charge(amount, [m.id for m in members]) if p > 0]
    codes = [ledger.member_account(member_id) for member_id, _ in shares]
    # Lock every account the posting touches (all at once, in the ledger's order); a charge
    # racing this one for the same month waits here, then finds it charged.
    accounts = await ledger.lock_accounts_if_open(
        session, coop_id=service.coop_id, codes=[*codes, ledger.SHARED]
    )
    if await _already_charged(session, service, period):
        raise AlreadyCharged(period=period)
    short = ledger.member_shortfalls(accounts, shares)
    if short:
        raise await ledger.insufficient_member_funds(
            session, actor, coop_id=service.coop_id, short=short
        )
    transaction = await ledger.post(
        session,
        actor,
        coop_id=service.coop_id,
        kind=TransactionKind.support_charge,
        memo=f"{service.name}, {period}",
        lines=[
            *(ledger.Line(code, -pence) for (_, pence), code in zip(shares, codes, strict=True)),
            ledger.Line(ledger.SHARED, amount),
        ],
        now=now,
    )
    record = SupportCharge(
        coop_id=service.coop_id,
        service_id=service.id,
        period=period,
        amount_pence=amount,
        transaction_id=transaction.id,
        charged_by_user_id=actor.user.id,
        created_at=now,
    )
    session.add(record)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        # Charged by a simultaneous request after our check: the request rolls back whole.
        raise AlreadyCharged(period=period) from None
    audit.record(
        session,
        actor,
        "support_charge.posted",
        "support_charge",
        record.id,
        coop_id=service.coop_id,
        data={
            "service_id": str(service.id),
            "period": period,
            "amount_pence": amount,
            "transaction_id": str(transaction.id),
            "shares": [[str(member_id), pence] for member_id, pence in shares],
        },
    )
    # Each member charged sees their share in their own activity.
    users = {member.id: member.user_id for member in members}
    for member_id, pence in shares:
        audit.record(
            session,
            actor,
            "support_charge.member_charged",
            "support_charge",
            record.id,
            coop_id=service.coop_id,
            data={
                "member_id": str(member_id),
                "amount_pence": pence,
                "transaction_id": str(transaction.id),
            },
            about=users[member_id],
        )
    return transaction
