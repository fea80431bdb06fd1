"""The representatives domain's routes: a person's own mandates and approvals under /me, then
what a co-op's administrators and safeguarding leads do under /coops/{coop_id}."""

from app.core.routing import Router
from app.representatives.coop_router import router as coop_router
from app.representatives.mandates_router import router as mandates_router
from app.representatives.safeguarding.router import router as safeguarding_router

router = Router()
for sub_router in (mandates_router, coop_router, safeguarding_router):
    router.include_router(sub_router)
