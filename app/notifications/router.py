"""The notifications domain's routes: the feed and preferences, and webhooks."""

from app.core.routing import Router
from app.notifications.feed_router import router as feed_router
from app.notifications.webhooks.admin_router import router as admin_webhooks_router
from app.notifications.webhooks.router import router as webhooks_router

router = Router()
router.include_router(feed_router)
router.include_router(webhooks_router)
router.include_router(admin_webhooks_router)
