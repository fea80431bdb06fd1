"""The bare FastAPI app `bench/directory_bench.py` measures the directory against.

A separate, minimal application: no middleware, no database, one route answering the same
fifty `ProviderRead` models as a directory page, built once at start-up and serialized by
FastAPI on every request through the route's `response_model`, as any FastAPI app would.
It is the ceiling a framework-level JSON list can reach on this machine.

  .venv/bin/python -m uvicorn bench.directory_bare:app --port 8001
"""

import uuid
from datetime import UTC, datetime

from fastapi import FastAPI

from app.core.pagination import CursorPage
from app.providers.models import ProviderStatus, ServiceType, WelshLanguage
from app.providers.schemas import ProviderRead

ITEMS = [
    ProviderRead(
        id=uuid.UUID(int=i),
        name=f"Gofal Cymunedol {i:05d}",
        ciw_service_id=f"BENCH-{i:05d}",
        service_types=[ServiceType.domiciliary_support, ServiceType.respite],
        area_codes=["W06000014", "W06000015"],
        hourly_rate_pence=1500 + i,
        capacity_hours_per_week=400,
        welsh_language=WelshLanguage.some,
        contact_email=f"bench{i}@example.org",
        phone="01632 960000",
        website=f"https://bench{i}.example.org",
        status=ProviderStatus.verified,
        created_at=datetime(2026, 12, 2, 12, 0, i, tzinfo=UTC),
    )
    for i in range(50)
]

app = FastAPI()


@app.get("/providers", response_model=CursorPage[ProviderRead])
async def providers() -> CursorPage[ProviderRead]:
    return CursorPage[ProviderRead](items=ITEMS, next_cursor=None)
