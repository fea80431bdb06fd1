"""Reading the areas; other domains call `get_area` and `require_codes` to validate codes."""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.areas.errors import AreaNotFound
from app.areas.models import Area
from app.core.errors import ValidationFailed
from app.core.field_errors import field_error


async def list_areas(session: AsyncSession) -> list[Area]:
    return list((await session.scalars(select(Area).order_by(Area.code))).all())


async def get_area(session: AsyncSession, code: str) -> Area:
    area = await session.get(Area, code)
    if area is None:
        raise AreaNotFound(code=code)
    return area


async def require_codes(
    session: AsyncSession, codes: Iterable[str], *, loc: tuple[str | int, ...]
) -> None:
    """422 naming each code that is not one of the 22 (validated against the list, not a range)."""
    wanted = list(dict.fromkeys(codes))
    known = set((await session.scalars(select(Area.code).where(Area.code.in_(wanted)))).all())
    unknown = [code for code in wanted if code not in known]
    if unknown:
        raise ValidationFailed(
            [
                field_error(
                    loc,
                    f"Not a Welsh principal local authority: {c}",
                    msg_cy=f"Nid yw hwn yn un o awdurdodau lleol Cymru: {c}",
                )
                for c in unknown
            ]
        )
