"""Reading the areas; other domains call `get_area` and `require_codes` to validate codes,
and `surplus_weeks` for the council's surplus rule."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from app.areas.errors import AreaNotFound
from app.areas.models import Area, MonitoringPeriod, MonitoringProfile
from app.audit import service as audit
from app.auth.actor import Actor
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


@dataclass(frozen=True, slots=True)
class Profile:
    """A council's monitoring profile as it reads: its own, or the defaults."""

    area_code: str
    period: MonitoringPeriod
    surplus_weeks: int
    first_review_weeks: int
    updated_at: datetime | None = None

    @property
    def is_default(self) -> bool:
        return self.updated_at is None


# What a council that never set its profile reads: quarterly returns (SPEC section 9), more than
# 8 weeks of budget held is a surplus (SPEC section 6), a first review after 12 weeks.
DEFAULT_PERIOD = MonitoringPeriod.quarterly
DEFAULT_SURPLUS_WEEKS = 8
DEFAULT_FIRST_REVIEW_WEEKS = 12


def _read(area_code: str, row: MonitoringProfile | None) -> Profile:
    if row is None:
        return Profile(
            area_code=area_code,
            period=DEFAULT_PERIOD,
            surplus_weeks=DEFAULT_SURPLUS_WEEKS,
            first_review_weeks=DEFAULT_FIRST_REVIEW_WEEKS,
        )
    return Profile(
        area_code=area_code,
        period=row.period,
        surplus_weeks=row.surplus_weeks,
        first_review_weeks=row.first_review_weeks,
        updated_at=row.updated_at,
    )


async def monitoring_profile(session: AsyncSession, code: str) -> Profile:
    """Area `code`'s profile (`AreaNotFound` for a code that is not one of the 22)."""
    await get_area(session, code)
    return _read(code, await session.get(MonitoringProfile, code))


# Built once: every contribution reads it.
_SURPLUS_WEEKS = select(MonitoringProfile.surplus_weeks).where(
    MonitoringProfile.area_code == bindparam("area_code")
)


async def surplus_weeks(session: AsyncSession, area_code: str) -> int:
    """How many weeks of budget the council paying from `area_code` lets a holder keep."""
    found = await session.scalar(_SURPLUS_WEEKS, {"area_code": area_code})
    return DEFAULT_SURPLUS_WEEKS if found is None else found


def surplus_weeks_of(
    area_code: ColumnElement[str] | InstrumentedAttribute[str],
) -> ColumnElement[int]:
    """`surplus_weeks` of the council paying from `area_code`, as a column of another domain's
    statement: a contribution reads it with the holder's award, one round trip for two."""
    return func.coalesce(
        select(MonitoringProfile.surplus_weeks)
        .where(MonitoringProfile.area_code == area_code)
        .scalar_subquery(),
        DEFAULT_SURPLUS_WEEKS,
    )


async def set_monitoring_profile(
    session: AsyncSession,
    actor: Actor,
    code: str,
    *,
    period: MonitoringPeriod,
    surplus_weeks: int,
    first_review_weeks: int,
    now: datetime,
) -> Profile:
    """Replace area `code`'s profile whole (a platform admin's act, audited).

    The area's row is held first (`FOR NO KEY UPDATE`: rows that only point at the area are
    not held up), so two first settings of one area write one row, one after the other."""
    area = await session.scalar(
        select(Area.code).where(Area.code == code).with_for_update(key_share=True)
    )
    if area is None:
        raise AreaNotFound(code=code)
    row = await session.get(MonitoringProfile, code, populate_existing=True)
    if row is None:
        row = MonitoringProfile(area_code=code)
        session.add(row)
    row.period = period
    row.surplus_weeks = surplus_weeks
    row.first_review_weeks = first_review_weeks
    row.updated_at = now
    row.updated_by_user_id = actor.user.id
    await session.flush()
    audit.record(
        session,
        actor,
        "monitoring_profile.set",
        "area",
        code,
        data={
            "period": period.value,
            "surplus_weeks": surplus_weeks,
            "first_review_weeks": first_review_weeks,
        },
    )
    return _read(code, row)
