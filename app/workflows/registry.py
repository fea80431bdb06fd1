"""The open sets of handlers, filled in this one place (`install`, called from `create_app`).

Only where the set is truly open: what a closed proposal does, by its kind; what deciding a
holder's approval does, by its kind; and who checks client credentials at the token
endpoint. Every other story that crosses domains is a plain function in `app.workflows`.
"""

from app.auth import service as auth
from app.councils import clients
from app.governance import service as governance
from app.governance.models import ProposalKind
from app.ledger import refunds
from app.representatives import approvals
from app.tenders.award import service as award
from app.tenders.contracts import variations


def install() -> None:
    """Register every handler (registering again changes nothing)."""
    governance.register_outcome_handler(ProposalKind.award_tender, award.on_award_vote)
    governance.register_outcome_handler(
        ProposalKind.contract_variation, variations.on_variation_vote
    )
    approvals.register_approval_handler(refunds.APPROVAL_KIND, refunds.holder_approval)
    auth.register_client_authenticator(clients.authenticate_client)


def registered() -> dict[str, list[str]]:
    """What is registered, by registry: for a test to hold, and a reader to see."""

    def name(handler: object) -> str:
        # A function names itself; a handler object is named by its class.
        named = handler if hasattr(handler, "__qualname__") else type(handler)
        return f"{named.__module__}.{named.__qualname__}"

    return {
        "proposal_outcomes": sorted(
            f"{kind}: {name(handler)}" for kind, handler in governance.outcome_handlers().items()
        ),
        "approval_kinds": sorted(
            f"{kind}: {name(handler)}" for kind, handler in approvals.approval_handlers().items()
        ),
        "client_authenticators": [name(a) for a in auth.client_authenticators()],
    }
