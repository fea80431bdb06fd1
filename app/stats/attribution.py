"""Which postings and holders the councils' figures count, and under which council.

SPEC sections 17 and 25: a posting on a holder's account counts under the council of the
award version it was made under (the version in force on the posting's day, kept on the
posting as `award_id`), so a holder who moves council leaves their past in the old council's
figures. A rejected version counts nowhere; an officer's summary counts declared and
confirmed versions (officers are the ones who confirm), the public table confirmed ones
only. Money paid in counts only when it is Direct Payment money; care bought counts whatever
money paid for it.

Every figure that counts people or their money by council builds on these pieces, so the
rule lives in one place whatever period or rounding a figure uses:

    stmt = select(attribution.paying_area, func.count(func.distinct(attribution.holder)), ...)
    stmt = attribution.direct_payment_money(
        attribution.counted(stmt.select_from(LedgerPosting), statuses=attribution.PUBLIC)
    )
"""

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, TypeVarTuple

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, aliased

from app.direct_payments.models import AwardStatus, DirectPaymentAward
from app.ledger.models import ContributionSource, LedgerPosting

Ts = TypeVarTuple("Ts")

# Officers' summaries count what they have to confirm as well as what they have confirmed.
OFFICERS: tuple[AwardStatus, ...] = (AwardStatus.declared, AwardStatus.confirmed)
PUBLIC: tuple[AwardStatus, ...] = (AwardStatus.confirmed,)

# The paying council of a counted posting, and the person it belongs to.
paying_area: InstrumentedAttribute[str] = DirectPaymentAward.area_code
holder: InstrumentedAttribute[uuid.UUID] = DirectPaymentAward.user_id


def counted(
    stmt: Select[*Ts],
    *,
    statuses: Sequence[AwardStatus],
    confirmed_before: datetime | None = None,
) -> Select[*Ts]:
    """`stmt` (selecting from `LedgerPosting`) narrowed to the postings made under an award
    version of one of `statuses`, with that version joined: `paying_area` is the council a posting
    counts under, `holder` whose it is. Postings made without a version in force (a top-up
    by someone with no award, a shared-fund posting) count under no council.

    `confirmed_before` counts only versions the council had confirmed by then: a table made
    from the data as it stood at the end of its period leaves out a confirmation that came
    after."""
    stmt = stmt.join(DirectPaymentAward, DirectPaymentAward.id == LedgerPosting.award_id).where(
        DirectPaymentAward.status.in_(list(statuses))
    )
    if confirmed_before is not None:
        stmt = stmt.where(DirectPaymentAward.confirmed_at < confirmed_before)
    return stmt


def direct_payment_money(stmt: Select[*Ts]) -> Select[*Ts]:
    """`stmt` (selecting from `LedgerPosting`) narrowed to Direct Payment money: a top-up or a
    client contribution is the holder's own money, not the council's."""
    return stmt.where(LedgerPosting.source == ContributionSource.direct_payment)


def _in_force_during(
    version: Any, area_code: str, first: date, last: date, statuses: Sequence[AwardStatus]
) -> ColumnElement[bool]:
    return and_(
        version.area_code == area_code,
        version.status.in_(list(statuses)),
        version.start_date <= last,
        or_(version.end_date.is_(None), version.end_date >= first),
    )


def holders_by_status(
    area_code: str, first: date, last: date, *, statuses: Sequence[AwardStatus] = OFFICERS
) -> Select[AwardStatus, int]:
    """The holders a council pays with an award version in force on some day from `first` to
    `last`, each counted once, by the status of their latest such version: (status, holders)."""
    later = aliased(DirectPaymentAward)
    latest = ~exists().where(
        later.user_id == DirectPaymentAward.user_id,
        later.start_date > DirectPaymentAward.start_date,
        _in_force_during(later, area_code, first, last, statuses),
    )
    return (
        select(DirectPaymentAward.status, func.count(func.distinct(DirectPaymentAward.user_id)))
        .where(_in_force_during(DirectPaymentAward, area_code, first, last, statuses), latest)
        .group_by(DirectPaymentAward.status)
    )
