"""The providers domain's routes: an area's directory of providers, and the providers."""

from app.core.routing import Router
from app.providers.area_router import router as area_router
from app.providers.providers_router import router as providers_router

router = Router()
router.include_router(area_router)
router.include_router(providers_router)
