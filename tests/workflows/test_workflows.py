from datetime import date

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.direct_payments import service as direct_payments
from app.workflows import registry
from app.workflows.allowance import allowance
from tests.conftest import START
from tests.factories import contribute, create_coop, join_coop, register_person, set_direct_payment


def test_the_open_sets_of_handlers_are_these_and_nothing_else() -> None:
    assert registry.registered() == {
        "proposal_outcomes": [
            "award_tender: app.tenders.award.service.on_award_vote",
            "contract_variation: app.tenders.contracts.variations.on_variation_vote",
        ],
        "approval_kinds": ["refund: app.ledger.refunds.HolderApproval"],
        "client_authenticators": ["app.councils.clients.authenticate_client"],
        "conflict_sources": [
            "app.tenders.contracts.conflicts.provider_staff",
            "app.employment.conflicts.employed_worker",
        ],
    }


class TestAllowance:
    async def test_the_allowance_counts_what_the_ledger_holds_without_any_registration(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await register_person(client)
        coop_id = await create_coop(client, admin)
        holder = await register_person(client)
        await join_coop(client, coop_id, holder, admin)
        await set_direct_payment(
            client, holder, weekly_amount_pence=25_000, start_date=date(2026, 2, 2)
        )
        paid = await contribute(client, coop_id, holder, amount_pence=30_000)
        assert paid.status_code == 201, paid.text
        award = (await direct_payments.award_in_force(session, holder.id, on=START.date())).award
        now = await allowance(session, award, on=START.date())
        assert now is not None
        assert (now.cycle.number, now.contributed_pence, now.remaining_pence) == (1, 30_000, 70_000)
        before = await allowance(session, award, on=date(2026, 2, 2))
        assert before is not None
        assert (before.cycle.number, before.remaining_pence) == (0, 100_000)
        assert await allowance(session, award, on=date(2026, 2, 1)) is None
