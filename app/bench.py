"""Baseline endpoints for the benchmarks in bench/, mounted only with DPC_BENCH_ENDPOINTS=1."""

import json
import uuid

from fastapi import Response

from app.core.routing import Router

router = Router(prefix="/bench", include_in_schema=False)

# Fifty items shaped like a directory page, encoded once: the bare endpoint does no work at
# all per request beyond what the framework and middleware do, which is what it measures.
BARE_ITEMS = [
    {
        "id": str(uuid.UUID(int=i)),
        "name": f"Provider {i:02d}",
        "ciw_service_id": f"SIN-{i:08d}",
        "service_types": ["domiciliary_support", "respite"],
        "area_codes": ["W06000015"],
        "hourly_rate_pence": 2000 + i,
        "capacity_hours_per_week": 400,
        "welsh_language": "some",
        "contact_email": f"provider{i}@example.org",
        "phone": "029 2000 0000",
        "website": "https://provider.example.org",
        "status": "verified",
        "created_at": "2026-01-01T00:00:00Z",
    }
    for i in range(50)
]
BARE_BODY = json.dumps({"items": BARE_ITEMS, "next_cursor": None}, separators=(",", ":")).encode()


@router.get("/bare")
async def bare() -> Response:
    return Response(content=BARE_BODY, media_type="application/json")
