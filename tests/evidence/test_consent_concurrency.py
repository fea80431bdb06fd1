"""Many grants for one membership at once, through a real server on PostgreSQL: exactly one
is given, every other answers 409 `already_granted`, and none answers 500."""

import asyncio
from collections import Counter

import httpx
import pytest
from sqlalchemy import func, select

from app.evidence.models import CouncilAccessGrant
from tests.ledger.test_concurrency import KEEPALIVE, person
from tests.ledger.test_leaving_race import _coop, _holder
from tests.servers import Server

pytestmark = pytest.mark.postgresql_only

PARALLEL = 20
ROUNDS = 3


async def test_parallel_grants_for_one_membership_give_exactly_one(server: Server) -> None:
    limits = httpx.Limits(
        max_connections=100, max_keepalive_connections=100, keepalive_expiry=KEEPALIVE
    )
    async with httpx.AsyncClient(base_url=server.url, timeout=60, limits=limits) as client:
        admin = await person(client, "admin")
        coop = await _coop(client, admin)
        holder, member = await _holder(client, coop, admin, "holder")
        for _ in range(ROUNDS):
            answers = await asyncio.gather(
                *(
                    client.post("/api/v1/me/council-access", json={"coop_id": coop}, headers=holder)
                    for _ in range(PARALLEL)
                )
            )
            statuses = Counter(a.status_code for a in answers)
            assert statuses == {201: 1, 409: PARALLEL - 1}, [a.text for a in answers]
            given = next(a.json() for a in answers if a.status_code == 201)
            assert {a.json()["grant_id"] for a in answers if a.status_code == 409} == {given["id"]}
            ended = await client.delete(f"/api/v1/me/council-access/{given['id']}", headers=holder)
            assert ended.status_code == 204, ended.text
    async with server.engine.connect() as connection:
        grants = await connection.scalar(
            select(func.count())
            .select_from(CouncilAccessGrant)
            .where(CouncilAccessGrant.member_id == member)
        )
        open_ones = await connection.scalar(
            select(func.count())
            .select_from(CouncilAccessGrant)
            .where(CouncilAccessGrant.member_id == member, CouncilAccessGrant.ended_at.is_(None))
        )
    assert (grants, open_ones) == (ROUNDS, 0)
