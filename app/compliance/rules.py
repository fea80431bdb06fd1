"""The rules of compliance records that need no database: which kinds fit which subject, a
record's state on a day, and which expiry reminder is due."""

from datetime import date

from app.compliance.models import ComplianceKind as Kind
from app.compliance.models import ComplianceState, SubjectKind

# What a co-op files about whom. People (members and workers) are checked and trained; a
# worker has a contract of employment; a member who employs personal assistants holds
# employer's liability insurance, and a member employed by the co-op has a contract. CIW
# registration and public liability cover are an organisation's: a provider's (which, as an
# employer, holds employer's liability too).
KINDS_FOR: dict[SubjectKind, frozenset[Kind]] = {
    SubjectKind.member: frozenset(
        {
            Kind.dbs_enhanced,
            Kind.dbs_basic,
            Kind.right_to_work,
            Kind.training,
            Kind.employers_liability,
            Kind.employment_contract,
        }
    ),
    SubjectKind.worker: frozenset(
        {
            Kind.dbs_enhanced,
            Kind.dbs_basic,
            Kind.right_to_work,
            Kind.training,
            Kind.employment_contract,
        }
    ),
    SubjectKind.provider: frozenset(
        {Kind.public_liability, Kind.ciw_registration, Kind.employers_liability}
    ),
}

# A provider whose record of one of these kinds has lapsed (in the tendering co-op) cannot bid.
BIDDING_KINDS = (Kind.public_liability, Kind.ciw_registration)

# A record reads `expiring` from this many days before its last day.
EXPIRING_DAYS = 30
# `compliance.expiring` is sent this many days before `expires_on`, once each.
REMINDER_DAYS = (30, 7)


def fits(subject_kind: SubjectKind, kind: Kind) -> bool:
    return kind in KINDS_FOR[subject_kind]


def state_on(expires_on: date | None, today: date) -> ComplianceState:
    """`expires_on` is the last day a document is good for: it lapses the day after."""
    if expires_on is None:
        return ComplianceState.current
    if expires_on < today:
        return ComplianceState.lapsed
    if (expires_on - today).days <= EXPIRING_DAYS:
        return ComplianceState.expiring
    return ComplianceState.current


def reminder_due(expires_on: date | None, today: date) -> int | None:
    """The reminder due today, by its days before expiry: the nearest threshold reached, so a
    reminder missed (the worker down, a record filed late) is sent once late and never after
    a nearer one. None for a record that does not expire, has lapsed or is not yet near."""
    if expires_on is None or expires_on < today:
        return None
    left = (expires_on - today).days
    reached = [days for days in REMINDER_DAYS if left <= days]
    return min(reached) if reached else None
