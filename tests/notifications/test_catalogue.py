"""Every notification has its texts in English and Welsh, with the same placeholders."""

from datetime import UTC, datetime

import pytest

from app.notifications.catalogue import TEXTS, moment_text, placeholders, render
from app.notifications.events import (
    ACCOUNT_TYPES,
    REQUIRED_EMAIL,
    WEBHOOK_TYPES,
    EventType,
    ParamValue,
)
from app.reference.labels import LABELS

SAMPLE: dict[str, ParamValue] = {
    "amount_pence": 12_345,
    "balance_pence": 500_000,
    "surplus_weeks": 8,
    "title": "Gofal seibiant",
    "closes_at": "2026-07-01T15:30:00+00:00",
    "submission_deadline_at": "2026-07-01T15:30:00+00:00",
    "standstill_ends_at": "2026-07-11T15:30:00+00:00",
    "signed_in_at": "2026-07-01T15:30:00+00:00",
    "changed_at": "2026-07-01T15:30:00+00:00",
    "period_start_on": "2026-06-01",
    "period_end_on": "2026-06-30",
    "visit_on": "2026-06-30",
    "expires_on": "2026-08-01",
    "outcome": "no_quorum",
    "status": "in_progress",
    "service_type": "respite",
    "member_class": "carer",
    "compliance_kind": "public_liability",
}


@pytest.mark.parametrize("type_", list(EventType))
def test_every_type_has_both_languages_with_the_same_placeholders(type_: EventType) -> None:
    text = TEXTS[type_]
    assert all((text.title, text.body, text.title_cy, text.body_cy))
    assert placeholders(text.title) == placeholders(text.title_cy)
    assert placeholders(text.body) == placeholders(text.body_cy)
    assert (text.body_for is None) == (text.body_for_cy is None)
    if text.body_for is not None and text.body_for_cy is not None:
        assert placeholders(text.body_for) == placeholders(text.body_for_cy)
        assert "holder" in placeholders(text.body_for)
    for language in ("en", "cy"):
        for representing in (False, True):
            shown = render(
                type_, SAMPLE, language, coop="Cwmni", holder="Ann", representing=representing
            )
            assert "{" not in shown.title + shown.body
            unknown = placeholders(text.title) | placeholders(text.body)
            assert unknown <= {*SAMPLE, "coop", "holder"}


def test_the_types_are_the_spec_list_and_account_mail_stays_with_the_person() -> None:
    # SPEC 14's 21, and the one SPEC 24 needs: a representative's money scopes stopped by a
    # conflict of interest, told to the holder and the administrators.
    assert len(EventType) == 22
    assert EventType.mandate_conflict_of_interest.value == "mandate.conflict_of_interest"
    assert {t.value for t in ACCOUNT_TYPES} == {
        "account.password_changed",
        "account.email_changed",
        "account.new_login",
    }
    assert ACCOUNT_TYPES | {EventType.approval_waiting} == REQUIRED_EMAIL
    assert not set(WEBHOOK_TYPES) & ACCOUNT_TYPES
    assert set(LABELS["notification_type"]) == {t.value for t in EventType}


def test_amounts_times_and_labels_are_written_for_the_reader() -> None:
    shown = render(EventType.refund_posted, SAMPLE, "en", coop="Cwmni")
    assert "£123.45" in shown.body
    welsh = render(EventType.proposal_closing_soon, SAMPLE, "cy", coop="Cwmni")
    # 15:30 UTC on 1 July is 16:30 in Wales (BST), in Welsh month names.
    assert "1 Gorffennaf 2026, 16:30" in welsh.body
    assert (
        "ni chyrhaeddwyd cworwm" in render(EventType.proposal_closed, SAMPLE, "cy", coop="C").body
    )
    assert "Respite care" in render(EventType.tender_published, SAMPLE, "en", coop="C").body
    assert moment_text(datetime(2026, 1, 5, 9, 0, tzinfo=UTC), "en") == "5 January 2026, 09:00"


def test_a_representative_reads_whom_it_is_about() -> None:
    own = render(EventType.contribution_posted, SAMPLE, "en", coop="Cwmni")
    theirs = render(
        EventType.contribution_posted, SAMPLE, "en", coop="Cwmni", holder="Ann", representing=True
    )
    assert "your account" in own.body
    assert "Ann's account" in theirs.body
