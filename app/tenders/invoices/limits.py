"""What an invoice may claim under a contract: a member's allowance for a period, the minutes
already invoiced, and the period itself (a line's price is `pricing`'s).

A member's allowance for a period is hours_per_week x 60 x days / 7
minutes, compared exactly; every line not voided, on any of the contract's invoices whose
period overlaps this one, counts against it.
"""

import uuid
from collections.abc import Sequence
from datetime import date
from fractions import Fraction

from sqlalchemy import Select, func, select

from app.core.errors import ValidationFailed
from app.tenders.invoices.pricing import MINUTES_PER_HOUR, line_amount
from app.tenders.models import Contract, Invoice, InvoiceLine, InvoiceLineStatus

__all__ = ["allowance_minutes", "check_period", "line_amount", "overlapping_minutes"]

DAYS_PER_WEEK = 7


def allowance_minutes(hours_per_week: int, period_start: date, period_end: date) -> Fraction:
    days = (period_end - period_start).days + 1
    return Fraction(hours_per_week * MINUTES_PER_HOUR * days, DAYS_PER_WEEK)


def overlapping_minutes(
    contract_id: uuid.UUID, member_ids: Sequence[uuid.UUID], start: date, end: date
) -> Select[uuid.UUID, int]:
    """Minutes already invoiced, per member, for periods that overlap [start, end]."""
    return (
        select(InvoiceLine.member_id, func.sum(InvoiceLine.minutes))
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(
            Invoice.contract_id == contract_id,
            Invoice.period_start <= end,
            Invoice.period_end >= start,
            InvoiceLine.status != InvoiceLineStatus.voided,
            InvoiceLine.member_id.in_(list(member_ids)),
        )
        .group_by(InvoiceLine.member_id)
    )


def check_period(contract: Contract, period_start: date, period_end: date, *, today: date) -> None:
    """Care is invoiced once delivered, under a contract that existed: the period may not
    start before the contract's first day nor end after today (422 `validation_error`)."""
    errors: list[dict[str, object]] = []
    began = contract.start_date
    if period_start < began:
        errors.append(
            {
                "loc": ["body", "period_start"],
                "msg": f"The period starts before the contract began on {began.isoformat()}.",
            }
        )
    if period_end > today:
        errors.append(
            {
                "loc": ["body", "period_end"],
                "msg": "The period ends after today: invoice care once it has been delivered.",
            }
        )
    if errors:
        raise ValidationFailed(errors)
