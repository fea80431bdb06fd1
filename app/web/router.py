"""The web pages, under `/` (the API stays under `/api/v1`): one router per group of pages,
gathered here, and the stylesheet.

Every page route is a `PageRoute` and is left out of the OpenAPI description (it is not the
API). Each journey's pages are a router module of their own here.
"""

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.core.routing import Router
from app.web import route
from app.web.account_router import router as account_router
from app.web.acting_router import router as acting_router
from app.web.admin_router import router as admin_router
from app.web.bank_lines_router import router as bank_lines_router
from app.web.bank_router import router as bank_router
from app.web.consent_router import router as consent_router
from app.web.council_holders_router import router as council_holders_router
from app.web.council_router import router as council_router
from app.web.decisions_router import router as decisions_router
from app.web.desk_admin_router import router as desk_admin_router
from app.web.desk_router import router as desk_router
from app.web.home_router import router as home_router
from app.web.invoices_router import router as invoices_router
from app.web.me_router import router as me_router
from app.web.money_router import router as money_router
from app.web.public_router import router as public_router
from app.web.refunds_router import router as refunds_router
from app.web.representation_router import router as representation_router
from app.web.shared_charges_router import router as shared_charges_router
from app.web.tender_admin_router import router as tender_admin_router
from app.web.tender_award_router import router as tender_award_router
from app.web.visits_router import router as visits_router

STATIC = Path(__file__).resolve().parent / "static"

router = Router(include_in_schema=False)
for pages in (
    home_router,
    public_router,
    account_router,
    me_router,
    money_router,
    refunds_router,
    decisions_router,
    desk_router,
    invoices_router,
    admin_router,
    council_router,
    council_holders_router,
    bank_router,
    bank_lines_router,
    desk_admin_router,
    tender_admin_router,
    tender_award_router,
    shared_charges_router,
    visits_router,
    consent_router,
    acting_router,
    representation_router,
):
    router.include_router(pages)


def install(app: FastAPI) -> None:
    """The pages and their stylesheet, served by the application itself."""
    app.include_router(router)
    route.install_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
