"""The tenders domain's routes: tenders, then their sub-resources (demand, questions, bids,
evaluation and award, contracts, visits, invoices, open data)."""

from app.core.routing import Router
from app.tenders.bids.router import router as bids_router
from app.tenders.contracts.router import router as contracts_router
from app.tenders.demand.router import router as demand_router
from app.tenders.evaluation.router import router as evaluation_router
from app.tenders.invoices.router import router as invoices_router
from app.tenders.ocds.router import router as ocds_router
from app.tenders.questions.router import router as questions_router
from app.tenders.tenders_router import router as tenders_router
from app.tenders.visits.router import router as visits_router

router = Router()
# Order matters where paths overlap: as listed, the order the routes are matched in.
for sub_router in (
    tenders_router,
    demand_router,
    questions_router,
    bids_router,
    evaluation_router,
    contracts_router,
    visits_router,
    invoices_router,
    ocds_router,
):
    router.include_router(sub_router)
