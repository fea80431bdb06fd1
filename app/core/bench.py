"""A bare endpoint for benchmarks: the same stack as every route, minus the work.

Included only when `DPC_BENCH_ENDPOINTS=1`, and never in the OpenAPI schema.
"""

from typing import Any

from fastapi import APIRouter

router = APIRouter(prefix="/bench", include_in_schema=False)

BARE_ITEMS: list[dict[str, Any]] = [
    {"id": n, "name": f"item {n}", "amount_pence": n * 100} for n in range(50)
]


@router.get("/bare")
async def bare() -> list[dict[str, Any]]:
    """A fixed 50-item list: what the framework, middleware and JSON cost on their own."""
    return BARE_ITEMS
