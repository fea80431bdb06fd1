from enum import StrEnum

import httpx
import pytest

from app.auth.models import PreferredLanguage
from app.coops.models import MemberClass, MemberStatus, RuleChangeStatus, VotingMode
from app.governance.models import ProposalKind, ProposalStatus
from app.governance.tally import VoteChoice
from app.ledger.models import RefundStatus
from app.notifications.events import EventType
from app.providers.models import ProviderStatus, ServiceType, WelshLanguage
from app.reference.labels import LABELS
from app.representatives.models import MandateScope
from app.support.models import Priority, SupportCategory, SupportStatus
from app.tenders.models import ContractStatus, DisputeOutcome, InvoiceLineStatus, InvoiceStatus
from app.tenders.states import TenderStatus

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
    "rule_change_status": RuleChangeStatus,
    "notification_type": EventType,
}
SPEC_ENUMS = {
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
    enum = API_ENUMS[name]
    assert set(LABELS[name]) == {member.value for member in enum}
