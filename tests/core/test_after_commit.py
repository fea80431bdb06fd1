"""What is to follow a commit (an e-mail) happens only once the change is kept."""

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.db import after_commit, unit_of_work
from app.core.deps import SessionDep
from app.core.errors import Conflict
from tests.helpers import problem


async def test_a_job_runs_after_the_commit_and_not_after_a_rollback(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    done: list[str] = []

    async def job() -> None:
        done.append("sent")

    async with unit_of_work(sessionmaker) as session:
        after_commit(session, job)
        assert done == []
    assert done == ["sent"]

    async def refused() -> None:
        async with unit_of_work(sessionmaker) as session:
            after_commit(session, job)
            raise RuntimeError("refused")

    with pytest.raises(RuntimeError):
        await refused()
    assert done == ["sent"]


@pytest.mark.own_app
async def test_a_refused_request_runs_none_of_its_jobs_and_a_kept_one_runs_them(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    done: list[str] = []
    router = APIRouter()

    async def job() -> None:
        done.append("sent")

    @router.post("/after-commit/{outcome}")
    async def act(outcome: str, session: SessionDep) -> dict[str, str]:
        after_commit(session, job)
        if outcome == "refuse":
            raise Conflict
        return {"outcome": outcome}

    app.include_router(router)
    problem(await client.post("/after-commit/refuse"), 409, "conflict")
    assert done == []
    assert (await client.post("/after-commit/keep")).status_code == 200
    assert done == ["sent"]
