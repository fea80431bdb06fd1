import ast
from enum import StrEnum
from pathlib import Path

import httpx
import pytest

from app.areas.models import MonitoringPeriod
from app.auth.models import PreferredLanguage
from app.bank.models import LineState, MatchMethod, StatementFormat
from app.compliance.models import ComplianceKind, ComplianceState, SubjectKind
from app.coops.models import MemberClass, MemberStatus, RuleChangeStatus, VotingMode
from app.direct_payments.models import AwardStatus
from app.employment.models import EmployerKind, TimesheetStatus
from app.employment.periods import PayFrequency
from app.governance.models import ProposalKind, ProposalStatus
from app.governance.tally import VoteChoice
from app.ledger.models import ContributionSource, RefundStatus, TransactionKind
from app.notifications.events import EventType
from app.providers.models import ProviderStatus, ServiceType, WelshLanguage
from app.reference.audit_actions import AUDIT_ACTIONS, describe_action
from app.reference.labels import LABELS
from app.representatives.models import (
    ApprovalStatus,
    CapacityChangeStatus,
    MandateRole,
    MandateScope,
    MandateStatus,
)
from app.support.models import Priority, SupportCategory, SupportStatus
from app.tenders.models import ContractStatus, DisputeOutcome, InvoiceLineStatus, InvoiceStatus
from app.tenders.states import TenderStatus
from app.tenders.visits.models import ConfirmedBy, VisitOutcome, VisitStatus

APP = Path(__file__).resolve().parents[2] / "app"

# Every enum the API speaks, by the name front ends know it by. A new enum goes here.
API_ENUMS: dict[str, type[StrEnum]] = {
    "preferred_language": PreferredLanguage,
    "member_class": MemberClass,
    "member_status": MemberStatus,
    "voting_mode": VotingMode,
    "proposal_status": ProposalStatus,
    "proposal_kind": ProposalKind,
    "vote_choice": VoteChoice,
    "service_type": ServiceType,
    "welsh_language": WelshLanguage,
    "provider_status": ProviderStatus,
    "support_category": SupportCategory,
    "support_status": SupportStatus,
    "priority": Priority,
    "refund_status": RefundStatus,
    "tender_status": TenderStatus,
    "contract_status": ContractStatus,
    "invoice_status": InvoiceStatus,
    "invoice_line_status": InvoiceLineStatus,
    "dispute_outcome": DisputeOutcome,
    "mandate_scope": MandateScope,
    "mandate_role": MandateRole,
    "mandate_status": MandateStatus,
    "approval_status": ApprovalStatus,
    "capacity_change_status": CapacityChangeStatus,
    "monitoring_period": MonitoringPeriod,
    "rule_change_status": RuleChangeStatus,
    "award_status": AwardStatus,
    "contribution_source": ContributionSource,
    "bank_statement_format": StatementFormat,
    "bank_line_state": LineState,
    "bank_match_method": MatchMethod,
    "transaction_kind": TransactionKind,
    "notification_type": EventType,
    "compliance_kind": ComplianceKind,
    "compliance_subject_kind": SubjectKind,
    "compliance_state": ComplianceState,
    "pay_frequency": PayFrequency,
    "employer_kind": EmployerKind,
    "timesheet_status": TimesheetStatus,
    "visit_status": VisitStatus,
    "confirmed_by": ConfirmedBy,
    "visit_outcome": VisitOutcome,
}
# Values SPEC names that the code of this release does not use yet: labelled ahead of it.
PROMISED: dict[str, set[str]] = {}
SPEC_ENUMS = {
    "visit_status",
    "transaction_kind",
    "audit_action",
    "notification_type",
    "award_status",
    "contribution_source",
    "compliance_kind",
    "mandate_scope",
    "mandate_role",
    "service_type",
    "welsh_language",
    "member_class",
    "tender_status",
    "support_category",
    "support_status",
    "priority",
    "proposal_status",
    "refund_status",
}


class TestLabels:
    async def test_serves_every_enum_of_the_spec_in_english_and_welsh(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.get("/api/v1/reference/labels")
        assert response.status_code == 200
        body = response.json()
        assert set(body) >= SPEC_ENUMS
        for name, values in body.items():
            assert values, name
            for value, texts in values.items():
                assert texts["en"].strip(), (name, value)
                assert texts["cy"].strip(), (name, value)

    async def test_keeps_welsh_letters_intact(self, client: httpx.AsyncClient) -> None:
        body = (await client.get("/api/v1/reference/labels")).json()
        assert body["service_type"]["supported_living"]["cy"] == "Byw â chymorth"
        assert response_is_utf8(await client.get("/api/v1/reference/labels"))


def response_is_utf8(response: httpx.Response) -> bool:
    return "â" in response.content.decode("utf-8")


@pytest.mark.parametrize("name", sorted(API_ENUMS))
def test_every_value_of_every_api_enum_has_a_label(name: str) -> None:
    values = {member.value for member in API_ENUMS[name]}
    assert values <= set(LABELS[name])
    assert set(LABELS[name]) - values <= PROMISED.get(name, set()), "a label for no value"


def test_the_labels_of_audit_actions_are_the_descriptions_of_activity() -> None:
    assert LABELS["audit_action"] is AUDIT_ACTIONS
    assert describe_action("auth.login", "cy") == "Wedi mewngofnodi"
    assert describe_action("no.such_action", "en") == "no.such_action"


# Audit actions built from an enum's value: how each f-string expands.
EXPANDED_ACTIONS: dict[str, list[str]] = {
    "f'ledger.{kind.value}'": [f"ledger.{kind.value}" for kind in TransactionKind],
    "f'provider.{status.value}'": [f"provider.{status.value}" for status in ProviderStatus],
}


def _strings(expr: ast.expr) -> list[str]:
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return [expr.value]
    if isinstance(expr, ast.IfExp):
        return _strings(expr.body) + _strings(expr.orelse)
    if isinstance(expr, ast.JoinedStr):
        spelt = ast.unparse(expr)
        assert spelt in EXPANDED_ACTIONS, f"teach this test what {spelt} can be"
        return EXPANDED_ACTIONS[spelt]
    return []


def recorded_actions() -> dict[str, str]:
    """Every audit action the code can record, and where: the action argument of
    `audit.record` and of every function that takes an `action` to pass on, and every value
    assigned to a variable named `action`."""
    trees = {
        path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(APP.rglob("*.py"))
    }
    takes_action: dict[str, set[int]] = {"record": {2}}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                positional = [a.arg for a in node.args.posonlyargs + node.args.args]
                if "action" in positional:
                    takes_action.setdefault(node.name, set()).add(positional.index("action"))
    found: dict[str, str] = {}
    for path, tree in trees.items():
        where = str(path.relative_to(APP))
        for node in ast.walk(tree):
            values: list[str] = []
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                for index in takes_action.get(str(name), set()):
                    if len(node.args) > index:
                        values += _strings(node.args[index])
                if name in takes_action:
                    values += [
                        v for kw in node.keywords if kw.arg == "action" for v in _strings(kw.value)
                    ]
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "action" for t in node.targets
            ):
                values += _strings(node.value)
            for value in values:
                found.setdefault(value, where)
    return found


def test_every_audit_action_the_code_records_has_a_label() -> None:
    actions = recorded_actions()
    assert len(actions) > 50, "the scan finds the actions"
    assert {"auth.login", "ledger.contribution", "coop.rule_change_approved"} <= set(actions)
    missing = {action: where for action, where in actions.items() if action not in AUDIT_ACTIONS}
    assert missing == {}, "audit actions without a label in app/reference/audit_actions.py"


def test_every_label_of_an_audit_action_is_one_the_code_records() -> None:
    stale = set(AUDIT_ACTIONS) - set(recorded_actions()) - {"ledger.payroll"}
    assert stale == set()
