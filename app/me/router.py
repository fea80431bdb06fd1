"""The caller's own account: profile and roles, and the activity recorded about them."""

from fastapi import APIRouter
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.audit.schemas import AuditEntryRead
from app.audit.service import about_person
from app.auth.dependencies import CurrentActor
from app.core.deps import SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, Sort, paginate
from app.me import service
from app.me.schemas import MeRead

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
    stmt = select(AuditEntry).where(about_person(actor.user.id))
    items, next_cursor = await paginate(
        session, stmt, page, order=[Sort(AuditEntry.seq, descending=True)], key=lambda e: (e.seq,)
    )
    return CursorPage[AuditEntryRead](
        items=[AuditEntryRead.model_validate(e) for e in items], next_cursor=next_cursor
    )
