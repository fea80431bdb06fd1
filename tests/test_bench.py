import httpx
from fastapi import FastAPI

from app.main import create_app
from tests.conftest import Database


async def test_the_bare_endpoint_exists_only_when_asked_for_and_stays_out_of_the_schema(
    app: FastAPI, database: Database
) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        assert (await c.get("/bench/bare")).status_code == 404
    settings = database.settings.model_copy(update={"bench_endpoints": True})
    bench_app = create_app(settings, engine=database.engine)
    transport = httpx.ASGITransport(app=bench_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        response = await c.get("/bench/bare")
        assert response.status_code == 200
        assert len(response.json()["items"]) == 50
        assert not any(path.startswith("/bench") for path in bench_app.openapi()["paths"])
