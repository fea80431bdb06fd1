"""Liveness, readiness (database reachable, schema at the newest migration) and metrics."""

import hmac
from functools import lru_cache
from ipaddress import IPv6Address, ip_address
from pathlib import Path

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.core.errors import NotFound, NotReady, problems
from app.core.metrics import exposition
from app.core.routing import Router

router = Router(tags=["operations"])
PROJECT_ROOT = Path(__file__).resolve().parents[2]


@lru_cache(maxsize=1)
def expected_heads() -> frozenset[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


@router.get("/healthz", include_in_schema=True)
async def healthz() -> dict[str, str]:
    """The process is alive (no dependency is checked)."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "Not ready (`not_ready`)."}})
async def readyz(request: Request) -> Response:
    """Ready to serve: the database answers and its schema is at the newest migration."""
    try:
        engine = request.app.state.engine.execution_options(isolation_level="AUTOCOMMIT")
        async with engine.connect() as connection:
            versions = set(
                (
                    await connection.execute(text("SELECT version_num FROM alembic_version"))
                ).scalars()
            )
    except (SQLAlchemyError, OSError) as exc:
        raise NotReady(reason="the database is unreachable") from exc
    if versions != expected_heads():
        raise NotReady(reason="the database schema is not at the newest migration")
    return JSONResponse({"status": "ready"})


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {"description": "Prometheus text format.", "content": {"text/plain": {}}},
        **problems(NotFound),
    },
)
async def metrics(request: Request) -> Response:
    """Request counts and latencies by route, in the Prometheus text format.

    Only for a bearer of DPC_METRICS_TOKEN or a client in DPC_METRICS_ALLOW (loopback by
    default); anyone else is answered 404 `not_found`, as for an address that does not exist.
    """
    if not may_read_metrics(request):
        raise NotFound
    return Response(exposition(), media_type=CONTENT_TYPE_LATEST)


def may_read_metrics(request: Request) -> bool:
    settings = request.app.state.settings
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else ""
    scheme, _, offered = request.headers.get("authorization", "").partition(" ")
    if (
        token
        and scheme.lower() == "bearer"
        and hmac.compare_digest(offered.strip().encode(), token.encode())
    ):
        return True
    host = request.client.host if request.client else None
    if host is None:
        return False
    try:
        address = ip_address(host)
    except ValueError:
        return False
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in settings.metrics_networks)
