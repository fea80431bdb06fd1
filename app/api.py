"""The /api/v1 router: every domain's routes."""

import re

from fastapi import APIRouter, Depends
from fastapi.routing import APIRoute

from app.areas.router import router as areas_router
from app.audit.router import public_router as audit_public_router
from app.audit.router import router as audit_router
from app.auth.router import router as auth_router
from app.coops.members_router import router as coop_members_router
from app.coops.router import router as coops_router
from app.core.deps import reject_unknown_query, require_json_media_type
from app.councils.router import router as councils_router
from app.direct_payments.router import router as direct_payments_router
from app.governance.router import coop_router as coop_proposals_router
from app.governance.router import router as proposals_router
from app.ledger.refunds_router import router as refunds_router
from app.ledger.router import router as ledger_router
from app.me.router import router as me_router
from app.providers.area_router import router as area_providers_router
from app.providers.router import router as providers_router
from app.reference.router import router as reference_router
from app.representatives.router import router as representatives_router
from app.stats.router import router as stats_router
from app.support.requests_router import router as support_requests_router
from app.support.returns_router import router as support_returns_router
from app.support.router import router as support_services_router
from app.tenders.bids_router import router as tender_bids_router
from app.tenders.contracts_router import router as contracts_router
from app.tenders.contracts_router import tender_router as tender_contract_router
from app.tenders.demand_router import router as tender_demand_router
from app.tenders.evaluation_router import router as tender_evaluation_router
from app.tenders.invoices_router import contract_router as contract_invoices_router
from app.tenders.invoices_router import router as invoices_router
from app.tenders.ocds_router import area_router as area_ocds_router
from app.tenders.ocds_router import tender_router as tender_ocds_router
from app.tenders.questions_router import router as tender_questions_router
from app.tenders.router import coop_router as coop_tenders_router
from app.tenders.router import router as tenders_router
from app.tenders.router import tender_router


def route_operation_id(route: APIRoute) -> str:
    """`<tag>-<function name>` (`tenders-submit_bid`): what generated clients name their methods."""
    tag = re.sub(r"[^a-z0-9]+", "_", str(route.tags[0]).lower()) if route.tags else "api"
    return f"{tag}-{route.name}"


api_router = APIRouter(
    prefix="/api/v1",
    dependencies=[Depends(reject_unknown_query), Depends(require_json_media_type)],
)
for domain_router in (
    auth_router,
    me_router,
    areas_router,
    area_providers_router,
    providers_router,
    councils_router,
    audit_router,
    audit_public_router,
    reference_router,
    coops_router,
    coop_members_router,
    coop_proposals_router,
    proposals_router,
    direct_payments_router,
    representatives_router,
    support_services_router,
    support_requests_router,
    support_returns_router,
    ledger_router,
    refunds_router,
    coop_tenders_router,
    tenders_router,
    tender_router,
    tender_demand_router,
    tender_questions_router,
    tender_bids_router,
    tender_evaluation_router,
    tender_contract_router,
    contracts_router,
    contract_invoices_router,
    invoices_router,
    tender_ocds_router,
    area_ocds_router,
    stats_router,
):
    api_router.include_router(domain_router)
