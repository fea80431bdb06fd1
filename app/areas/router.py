"""The public list of Welsh areas."""

from fastapi import APIRouter

from app.areas import service
from app.areas.errors import AreaNotFound
from app.areas.models import Area
from app.areas.schemas import AreaRead
from app.core.deps import SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, page_of_list

router = APIRouter(prefix="/areas", tags=["areas"])


@router.get("", response_model=CursorPage[AreaRead])
async def list_areas(session: SessionDep, page: PageDep) -> CursorPage[AreaRead]:
    """The 22 principal local authorities of Wales, by ONS code, with Welsh names and health boards."""
    items, next_cursor = page_of_list(await service.list_areas(session), page)
    return CursorPage[AreaRead](
        items=[AreaRead.model_validate(a) for a in items], next_cursor=next_cursor
    )


@router.get("/{code}", response_model=AreaRead, responses=problems(AreaNotFound))
async def get_area(code: str, session: SessionDep) -> Area:
    """One area by its ONS code (e.g. W06000015, Cardiff)."""
    return await service.get_area(session, code)
