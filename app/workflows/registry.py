"""The open sets of handlers, declared and filled in this one place.

Only where the set is truly open: what a closed proposal does, by its kind; what deciding a
holder's approval does, by its kind; who checks client credentials at the token endpoint;
and which domains say a representative is conflicted as to a holder. Every other story
that crosses domains is a plain function in `app.workflows`.
`create_app`, the CLI and the worker hand `build()` to the sessionmaker, so every session
the service opens carries these sets (`app.core.open_sets`); a session opened any other way
carries none and the first lookup says so.
"""

from app.auth.service import CLIENT_AUTHENTICATORS
from app.core.open_sets import OpenSets
from app.councils import clients
from app.employment import conflicts as employment_conflicts
from app.governance.models import ProposalKind
from app.governance.service import PROPOSAL_OUTCOMES
from app.ledger import refunds
from app.representatives.approvals import APPROVAL_KINDS
from app.representatives.conflicts import CONFLICT_SOURCES
from app.tenders.award import service as award
from app.tenders.contracts import conflicts as call_off_conflicts
from app.tenders.contracts import variations


def build() -> OpenSets:
    return OpenSets(
        keyed={
            PROPOSAL_OUTCOMES: {
                ProposalKind.award_tender: award.on_award_vote,
                ProposalKind.contract_variation: variations.on_variation_vote,
            },
            APPROVAL_KINDS: {refunds.APPROVAL_KIND: refunds.holder_approval},
        },
        ordered={
            CLIENT_AUTHENTICATORS: (clients.authenticate_client,),
            # Who is conflicted as a holder's representative: their provider's staff, their
            # workers.
            CONFLICT_SOURCES: (
                call_off_conflicts.provider_staff,
                employment_conflicts.employed_worker,
            ),
        },
    )


def registered(sets: OpenSets | None = None) -> dict[str, list[str]]:
    """What is declared, by set: for a test to hold, and a reader to see."""
    sets = sets or build()

    def name(handler: object) -> str:
        # A function names itself; a handler object is named by its class.
        named = handler if hasattr(handler, "__qualname__") else type(handler)
        return f"{named.__module__}.{named.__qualname__}"

    described = {
        set_name: sorted(f"{kind}: {name(handler)}" for kind, handler in handlers.items())
        for set_name, handlers in sets.keyed.items()
    }
    described.update(
        {set_name: [name(h) for h in handlers] for set_name, handlers in sets.ordered.items()}
    )
    return described
