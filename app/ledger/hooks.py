"""Where the ledger takes part in other domains' work: accounts, allowances, approvals, leaving."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.actor import Actor
from app.coops import service as coops
from app.coops.models import Coop, Member
from app.direct_payments import service as direct_payments
from app.ledger import service as ledger
from app.ledger.contributions import contributed_between, moved_for_holder
from app.ledger.leaving import settle_on_leaving
from app.ledger.refunds import APPROVAL_KIND, holder_approval
from app.representatives import approvals
from app.representatives import service as representatives


async def open_coop_accounts(
    session: AsyncSession,
    actor: Actor,  # noqa: ARG001 - the callback's shape
    coop: Coop,
    now: datetime,
) -> None:
    await ledger.open_coop_accounts(session, coop_id=coop.id, now=now)


async def open_member_account(
    session: AsyncSession,
    actor: Actor,  # noqa: ARG001 - the callback's shape
    member: Member,
    now: datetime,
) -> None:
    """Opened at admission; a reinstated member keeps the account they had."""
    await ledger.open_member_account(session, coop_id=member.coop_id, member_id=member.id, now=now)


def install() -> None:
    """Register the ledger's callbacks with the domains that call them (idempotent)."""
    coops.register_on_coop_created(open_coop_accounts)
    coops.register_on_member_approved(open_member_account)
    coops.register_on_leave(settle_on_leaving)
    direct_payments.register_contribution_source(contributed_between)
    representatives.register_mandate_usage_source(moved_for_holder)
    approvals.register_approval_handler(APPROVAL_KIND, holder_approval)
