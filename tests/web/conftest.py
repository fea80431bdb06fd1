"""A browser-like client for the pages: HTTPS (the cookies are Secure outside development)
and a cookie jar of its own."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI


@pytest.fixture
async def browser(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.20", 50000))
    async with httpx.AsyncClient(
        transport=transport, base_url="https://test", headers={"Accept-Language": "en-GB,en;q=0.9"}
    ) as client:
        yield client
