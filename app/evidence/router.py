"""The evidence domain's routes: council access, then the evidence pack."""

from app.core.routing import Router
from app.evidence.consent_router import router as consent_router
from app.evidence.pack_router import router as pack_router

router = Router()
router.include_router(consent_router)
router.include_router(pack_router)
