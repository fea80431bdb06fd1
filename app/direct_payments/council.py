"""The paying council's side of an award: it lists the versions it pays, confirms them (and,
confirming again, corrects the amount or its reference) or rejects them.

A council sees only the versions whose `area_code` is its own; any other is not found. An
officer never decides their own award. Every decision is audited, about the holder.
"""

import uuid
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.auth.models import User
from app.councils.dependencies import Council
from app.direct_payments.errors import AwardNotFound, AwardTransitionInvalid, OwnAward
from app.direct_payments.models import AwardStatus, DirectPaymentAward
from app.direct_payments.service import hold_holder


def awards_of_area(area_code: str, *, status: AwardStatus | None) -> Select[Any]:
    """The versions a council pays (optionally of one status), with each holder's name."""
    stmt = (
        select(DirectPaymentAward, User.full_name)
        .join(User, User.id == DirectPaymentAward.user_id)
        .where(DirectPaymentAward.area_code == area_code)
    )
    if status is not None:
        stmt = stmt.where(DirectPaymentAward.status == status)
    return cast("Select[Any]", stmt)  # a page of rows, as `paginate` takes them


async def holder_name(session: AsyncSession, award: DirectPaymentAward) -> str:
    name = await session.scalar(select(User.full_name).where(User.id == award.user_id))
    return name or ""


async def award_for_council(
    session: AsyncSession, council: Council, award_id: uuid.UUID
) -> DirectPaymentAward:
    """The version, held with its holder (`hold_holder`) so a decision, a new version and a
    capped contribution happen one after the other; another council's is `AwardNotFound`."""
    found = await session.scalar(
        select(DirectPaymentAward.user_id).where(
            DirectPaymentAward.id == award_id,
            DirectPaymentAward.area_code.in_(sorted(council.area_codes)),
        )
    )
    if found is None:
        raise AwardNotFound
    await hold_holder(session, found)
    award = await session.scalar(
        select(DirectPaymentAward)
        .where(DirectPaymentAward.id == award_id)
        .execution_options(populate_existing=True)
    )
    # Moved to another council meanwhile (a holder's correction): no longer this council's.
    if award is None or award.area_code not in council.area_codes:
        raise AwardNotFound
    if council.user is not None and council.user.id == award.user_id:
        raise OwnAward
    return award


def _decided(award: DirectPaymentAward, council: Council, now: datetime) -> None:
    award.decided_by_user_id = council.user.id if council.user else None
    award.decided_by_api_client_id = council.api_client_id
    award.updated_at = now


def _audit(session: AsyncSession, council: Council, action: str, award: DirectPaymentAward) -> None:
    data: dict[str, object] = {"area_code": award.area_code}
    if council.api_client_id is not None:
        data["api_client_id"] = council.api_client_id
    actor = Actor(user=council.user) if council.user is not None else None
    audit.record(
        session, actor, action, "direct_payment_award", award.id, data=data, about=award.user_id
    )


async def confirm(
    session: AsyncSession,
    council: Council,
    award: DirectPaymentAward,
    *,
    weekly_amount_pence: int | None,
    council_reference: str | None,
    now: datetime,
) -> DirectPaymentAward:
    """Confirm the version, with the council's amount and reference where given. Confirming a
    confirmed version again corrects them (`confirmed_at` stays the first confirmation); a
    rejected version may be confirmed when the council finds it was right after all."""
    again = award.status is AwardStatus.confirmed
    if weekly_amount_pence is not None:
        award.weekly_amount_pence = weekly_amount_pence
    if council_reference is not None:
        award.council_reference = council_reference
    if not again:
        award.status = AwardStatus.confirmed
        award.confirmed_at = now
        award.rejected_at = None
        award.rejection_reason = None
    _decided(award, council, now)
    await session.flush()
    _audit(
        session, council, "direct_payment.corrected" if again else "direct_payment.confirmed", award
    )
    return award


async def reject(
    session: AsyncSession,
    council: Council,
    award: DirectPaymentAward,
    *,
    reason: str,
    now: datetime,
) -> DirectPaymentAward:
    """Reject a declared version: it is no longer in force, and the holder may correct it
    (back to declared). A confirmed or rejected version is `AwardTransitionInvalid`."""
    if award.status is not AwardStatus.declared:
        raise AwardTransitionInvalid(status=award.status.value)
    award.status = AwardStatus.rejected
    award.rejected_at = now
    award.rejection_reason = reason
    _decided(award, council, now)
    await session.flush()
    _audit(session, council, "direct_payment.rejected", award)
    return award
