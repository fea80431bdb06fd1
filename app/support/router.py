"""The support domain's routes: shared services, support requests and returns."""

from app.core.routing import Router
from app.support.requests_router import router as requests_router
from app.support.returns_router import router as returns_router
from app.support.services_router import router as services_router

router = Router()
router.include_router(services_router)
router.include_router(requests_router)
router.include_router(returns_router)
