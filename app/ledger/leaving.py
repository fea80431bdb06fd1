"""Leaving a co-op: commitments hold a member back; the unspent balance is paid out.

Whether a member still has commitments (open call-offs, unpaid invoice lines) is known to
the domains that make them. Each registers a `CommitmentCheck` with
`register_commitment_check`; with none registered nobody has commitments.
"""

from datetime import date, datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.actor import Actor
from app.coops.errors import MemberHasCommitments
from app.coops.models import Member
from app.core.clock import local_date
from app.ledger import service as ledger
from app.ledger.models import TransactionKind
from app.ledger.refunds import refuse_waiting_refunds

LEAVING_MEMO = "Unspent balance refunded on leaving / Ad-dalu'r balans heb ei wario wrth adael"


class CommitmentCheck(Protocol):
    """What still binds `member`, as short references (`"call_off:<id>"`,
    `"invoice_line:<id>"`); an empty list when nothing does."""

    async def __call__(
        self, session: AsyncSession, *, member: Member, today: date
    ) -> list[str]: ...


_checks: list[CommitmentCheck] = []


def register_commitment_check(check: CommitmentCheck) -> None:
    """Have `check` consulted before any member leaves (registering twice counts once).

    It runs in the leaving transaction, before the balance is paid out; whatever it
    returns makes the leave answer 409 `member_has_commitments` listing them, and nothing
    changes.
    """
    if check not in _checks:
        _checks.append(check)


async def commitments_of(session: AsyncSession, member: Member, today: date) -> list[str]:
    found: list[str] = []
    for check in _checks:
        found.extend(await check(session, member=member, today=today))
    return found


async def settle_on_leaving(
    session: AsyncSession, actor: Actor, member: Member, now: datetime
) -> None:
    """The on-leave callback: refuse a member with commitments, refuse refunds still
    waiting, and pay the whole unspent balance out (`member -> external:payouts`)."""
    commitments = await commitments_of(session, member, local_date(now))
    if commitments:
        raise MemberHasCommitments(extra={"commitments": commitments})
    await refuse_waiting_refunds(session, actor, member, now=now)
    code = ledger.member_account(member.id)
    # Both accounts the payout touches, locked together in the order every writer uses.
    accounts = await ledger.lock_accounts_if_open(
        session, coop_id=member.coop_id, codes=[code, ledger.PAYOUTS]
    )
    if code not in accounts:
        return  # an applicant withdrawing was never admitted: no account, nothing to pay
    balance = accounts[code].balance_pence
    if balance > 0:
        await ledger.post(
            session,
            actor,
            coop_id=member.coop_id,
            kind=TransactionKind.leaving_refund,
            memo=LEAVING_MEMO,
            lines=[ledger.Line(code, -balance), ledger.Line(ledger.PAYOUTS, balance)],
            now=now,
            about=member.user_id,
        )
