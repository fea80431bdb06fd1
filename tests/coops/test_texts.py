"""Every error and enum label of these domains speaks English and Welsh."""

import string
from enum import StrEnum

import pytest

from app.coops import errors as coop_errors
from app.coops.labels import LABELS as COOP_LABELS
from app.coops.models import MemberClass, MemberStatus
from app.core.errors import AppError
from app.direct_payments import errors as dp_errors
from app.governance import errors as governance_errors
from app.governance.labels import LABELS as GOVERNANCE_LABELS
from app.governance.models import ProposalKind, ProposalStatus
from app.governance.tally import VoteChoice
from app.representatives import errors as representative_errors

MODULES = [coop_errors, dp_errors, governance_errors, representative_errors]
ERRORS = [
    cls
    for module in MODULES
    for cls in vars(module).values()
    if isinstance(cls, type) and issubclass(cls, AppError) and cls.__module__ == module.__name__
]


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("error", ERRORS, ids=lambda cls: cls.__name__)
def test_each_error_has_both_languages_with_the_same_blanks(error: type[AppError]) -> None:
    assert error.title
    assert error.title_cy
    assert error.detail
    assert error.detail_cy
    assert error.detail != error.detail_cy
    assert fields(error.detail) == fields(error.detail_cy)
    assert error.code.islower()


@pytest.mark.parametrize(
    ("labels", "enum"),
    [
        (COOP_LABELS["member_class"], MemberClass),
        (COOP_LABELS["member_status"], MemberStatus),
        (GOVERNANCE_LABELS["proposal_status"], ProposalStatus),
        (GOVERNANCE_LABELS["proposal_kind"], ProposalKind),
        (GOVERNANCE_LABELS["vote_choice"], VoteChoice),
    ],
)
def test_every_enum_value_has_an_english_and_a_welsh_label(
    labels: dict[StrEnum, tuple[str, str]], enum: type[StrEnum]
) -> None:
    assert set(labels) == set(enum)
    assert all(en and cy for en, cy in labels.values())


def test_the_specified_welsh_labels() -> None:
    assert COOP_LABELS["member_class"][MemberClass.service_user] == (
        "Service user",
        "Defnyddiwr gwasanaeth",
    )
    assert GOVERNANCE_LABELS["proposal_status"][ProposalStatus.no_quorum] == (
        "No quorum",
        "Dim cworwm",
    )
