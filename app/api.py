"""The /api/v1 router: every domain's routes."""

from fastapi import APIRouter

from app.areas.router import router as areas_router
from app.audit.router import router as audit_router
from app.auth.router import router as auth_router
from app.councils.router import router as councils_router
from app.me.router import router as me_router
from app.providers.area_router import router as area_providers_router
from app.providers.router import router as providers_router

api_router = APIRouter(prefix="/api/v1")
for domain_router in (
    auth_router,
    me_router,
    areas_router,
    area_providers_router,
    providers_router,
    councils_router,
    audit_router,
):
    api_router.include_router(domain_router)
