"""The dispute window, with no database: when an invoice may be approved.

An invoice may be approved `invoice_dispute_days` x 24 hours after it was submitted (the
co-op's rule in force at the approval), so its members have time to dispute a line. The
window is lifted sooner when every line not voided has been agreed by its member: accepted
(by them or a representative with `view`), or built from visits each confirmed by the member
or a representative. A visit confirmed automatically, or by an administrator settling a
query, was not agreed by the member, and does not lift it.
"""

from datetime import datetime, timedelta

from app.tenders.models import Invoice, InvoiceLine, InvoiceLineStatus
from app.tenders.visits.models import ConfirmedBy

AGREED_BY_MEMBER = frozenset({ConfirmedBy.member, ConfirmedBy.representative})


def opens_at(invoice: Invoice, dispute_days: int) -> datetime:
    return invoice.submitted_at + timedelta(hours=24 * dispute_days)


def agreed(line: InvoiceLine) -> bool:
    if line.accepted_at is not None:
        return True
    return bool(line.visits) and all(v.confirmed_by in AGREED_BY_MEMBER for v in line.visits)


def lifted(invoice: Invoice) -> bool:
    return all(agreed(line) for line in invoice.lines if line.status != InvoiceLineStatus.voided)
