"""The caller's own account: profile and roles, and the activity recorded about them."""

from typing import Any

from fastapi import APIRouter, Response

from app.audit import service as audit
from app.audit.schemas import AuditEntryRead
from app.auth.dependencies import CurrentActor
from app.coops.errors import LastAdmin, MemberHasCommitments
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep
from app.me import privacy, service
from app.me.schemas import MeRead
from app.workflows import membership

router = APIRouter(prefix="/me", tags=["me"])


@router.get("", response_model=MeRead, responses=problems())
async def read_me(session: SessionDep, actor: CurrentActor) -> MeRead:
    """Who you are: memberships, provider staff roles, council areas and representation."""
    return await service.describe(session, actor.user)


@router.get("/activity", response_model=CursorPage[AuditEntryRead], responses=problems())
async def list_my_activity(
    session: SessionDep, actor: CurrentActor, page: PageDep
) -> CursorPage[AuditEntryRead]:
    """Every audit entry about you, newest first, including acts done on your behalf."""
    items, next_cursor = await audit.activity_of(session, actor.user.id, page)
    return CursorPage[AuditEntryRead](
        items=[AuditEntryRead.model_validate(e) for e in items], next_cursor=next_cursor
    )


@router.get("/export", responses=problems())
async def export_my_data(session: SessionDep, actor: CurrentActor) -> dict[str, Any]:
    """Everything this service holds about you (a UK GDPR subject access request), by section:
    account, memberships, Direct Payment awards, mandates, approvals, your ledger postings,
    refunds, subscriptions, support requests and comments, the care you asked for, bought and
    were invoiced for (demand, call-offs, invoice lines), your votes, the bids and invoices
    you wrote for a provider, roles, and your activity log."""
    return await privacy.export(session, actor.user)


@router.delete("", status_code=204, responses=problems(MemberHasCommitments, LastAdmin))
async def close_my_account(session: SessionDep, actor: CurrentActor, now: NowDep) -> Response:
    """Close your account. Your memberships end as on leaving (unspent balances are refunded),
    mandates and logins are revoked, and your name and e-mail are replaced by a pseudonym.
    Money records stay (kept six years for audit). A membership with open commitments, or a
    co-op whose last administrator you are, stops the closure (409) and nothing changes."""
    await membership.close_account(session, actor, now=now)
    return Response(status_code=204)
