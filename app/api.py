"""The /api/v1 router: every domain's routes."""

import re

from fastapi import Depends
from fastapi.routing import APIRoute

from app.areas.router import router as areas_router
from app.audit.router import router as audit_router
from app.auth.dependencies import answer_in_their_language
from app.auth.router import router as auth_router
from app.bank.router import router as bank_router
from app.compliance.router import router as compliance_router
from app.coops.router import router as coops_router
from app.core.deps import reject_unknown_query, require_json_media_type
from app.core.routing import Router
from app.councils.router import router as councils_router
from app.direct_payments.router import router as direct_payments_router
from app.employment.router import router as employment_router
from app.evidence.router import router as evidence_router
from app.governance.router import router as governance_router
from app.ledger.router import router as ledger_router
from app.me.router import router as me_router
from app.notifications.router import router as notifications_router
from app.providers.router import router as providers_router
from app.reference.router import router as reference_router
from app.representatives.router import router as representatives_router
from app.stats.router import router as stats_router
from app.support.router import router as support_router
from app.tenders.router import router as tenders_router


def route_operation_id(route: APIRoute) -> str:
    """`<tag>-<function name>` (`tenders-submit_bid`): what generated clients name their methods."""
    tag = re.sub(r"[^a-z0-9]+", "_", str(route.tags[0]).lower()) if route.tags else "api"
    return f"{tag}-{route.name}"


api_router = Router(
    prefix="/api/v1",
    # The language first, so that every refusal after it is in the person's language.
    dependencies=[
        Depends(answer_in_their_language),
        Depends(reject_unknown_query),
        Depends(require_json_media_type),
    ],
)
# One router per domain. Order matters where paths overlap: routes are matched in this order.
for domain_router in (
    auth_router,
    me_router,
    notifications_router,
    areas_router,
    providers_router,
    councils_router,
    audit_router,
    reference_router,
    coops_router,
    governance_router,
    direct_payments_router,
    representatives_router,
    support_router,
    compliance_router,
    ledger_router,
    bank_router,
    employment_router,
    tenders_router,
    evidence_router,
    stats_router,
):
    api_router.include_router(domain_router)
