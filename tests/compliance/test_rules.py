"""The pure rules: kinds per subject, a record's state on a day, the reminder due."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.compliance.models import ComplianceKind, ComplianceState, SubjectKind
from app.compliance.rules import KINDS_FOR, REMINDER_DAYS, fits, reminder_due, state_on

TODAY = date(2026, 3, 2)
days = st.integers(min_value=-400, max_value=400)


def test_the_kinds_are_the_specs() -> None:
    assert {k.value for k in ComplianceKind} == {
        "dbs_enhanced",
        "dbs_basic",
        "right_to_work",
        "employers_liability",
        "public_liability",
        "ciw_registration",
        "training",
        "employment_contract",
    }


def test_organisations_papers_are_a_providers_and_checks_are_peoples() -> None:
    assert fits(SubjectKind.provider, ComplianceKind.ciw_registration)
    assert fits(SubjectKind.provider, ComplianceKind.public_liability)
    assert not fits(SubjectKind.provider, ComplianceKind.dbs_enhanced)
    assert not fits(SubjectKind.member, ComplianceKind.ciw_registration)
    assert not fits(SubjectKind.worker, ComplianceKind.employers_liability)
    assert fits(SubjectKind.member, ComplianceKind.employers_liability)
    # Every kind is kept about someone.
    assert set().union(*KINDS_FOR.values()) == set(ComplianceKind)


def test_the_states_around_the_last_day() -> None:
    assert state_on(None, TODAY) == ComplianceState.current
    assert state_on(TODAY + timedelta(days=31), TODAY) == ComplianceState.current
    assert state_on(TODAY + timedelta(days=30), TODAY) == ComplianceState.expiring
    assert state_on(TODAY, TODAY) == ComplianceState.expiring
    assert state_on(TODAY - timedelta(days=1), TODAY) == ComplianceState.lapsed


@given(days)
def test_a_reminder_is_due_exactly_while_expiring(offset: int) -> None:
    expires_on = TODAY + timedelta(days=offset)
    due = reminder_due(expires_on, TODAY)
    assert (due is not None) == (state_on(expires_on, TODAY) == ComplianceState.expiring)
    if due is not None:
        assert due in REMINDER_DAYS
        assert offset <= due
        assert all(offset > nearer for nearer in REMINDER_DAYS if nearer < due)


@given(days, st.integers(min_value=0, max_value=60))
def test_as_days_pass_the_reminder_due_never_goes_back_to_a_farther_one(
    offset: int, later: int
) -> None:
    expires_on = TODAY + timedelta(days=offset)
    first = reminder_due(expires_on, TODAY)
    then = reminder_due(expires_on, TODAY + timedelta(days=later))
    if first is not None and then is not None:
        assert then <= first


def test_never_for_a_record_that_does_not_expire() -> None:
    assert reminder_due(None, TODAY) is None
