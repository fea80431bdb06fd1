"""Platform administration of the audit chain."""

from fastapi import APIRouter

from app.audit import service
from app.audit.schemas import AuditVerification
from app.auth.dependencies import PlatformAdmin
from app.auth.errors import PlatformAdminRequired
from app.core.deps import SessionDep
from app.core.errors import problems

router = APIRouter(prefix="/admin/audit", tags=["admin"])


@router.get("/verify", response_model=AuditVerification, responses=problems(PlatformAdminRequired))
async def verify_audit_chain(session: SessionDep, actor: PlatformAdmin) -> AuditVerification:
    """Recompute the whole hash chain; `first_bad_seq` names the first entry that fails."""
    del actor
    result = await service.verify_chain(session)
    return AuditVerification(
        ok=result.ok, entries_checked=result.entries_checked, first_bad_seq=result.first_bad_seq
    )
