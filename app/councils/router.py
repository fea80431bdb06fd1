"""Platform administration of council officers."""

from fastapi import APIRouter

from app.auth.dependencies import PlatformAdmin
from app.auth.errors import PlatformAdminRequired, UserNotFound
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.councils import service
from app.councils.models import LaOfficer
from app.councils.schemas import LaOfficerCreate, LaOfficerRead

router = APIRouter(prefix="/admin", tags=["admin"])


@router.post(
    "/la-officers",
    status_code=201,
    response_model=LaOfficerRead,
    responses=problems(PlatformAdminRequired, UserNotFound),
)
async def appoint_la_officer(
    body: LaOfficerCreate, session: SessionDep, actor: PlatformAdmin, now: NowDep
) -> LaOfficer:
    """Appoint a user as a local-authority officer for one area (platform admins only)."""
    return await service.appoint_officer(
        session, actor, user_id=body.user_id, area_code=body.area_code, now=now
    )
