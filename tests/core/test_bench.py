import httpx
import pytest
from pydantic import ValidationError

from app.core.config import Settings
from app.main import create_app
from tests.conftest import Database


class TestBareEndpoint:
    async def test_absent_unless_switched_on(self, client: httpx.AsyncClient) -> None:
        assert (await client.get("/bench/bare")).status_code == 404

    async def test_switched_on_it_answers_fifty_items_and_stays_out_of_the_schema(
        self, database: Database
    ) -> None:
        settings = database.settings.model_copy(update={"bench_endpoints": True})
        app = create_app(settings, engine=database.engine)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.get("/bench/bare")
            assert response.status_code == 200
            assert len(response.json()["items"]) == 50
            assert "/bench/bare" not in (await client.get("/openapi.json")).json()["paths"]

    def test_refused_in_production(self) -> None:
        with pytest.raises(ValidationError, match="DPC_BENCH_ENDPOINTS"):
            Settings(
                env="production",
                secret_key="a-production-secret-key-of-enough-length-0123",
                bench_endpoints=True,
            )
