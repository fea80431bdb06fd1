import uuid
from datetime import timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.tenders.models import TenderQuestion
from tests.factories import create_provider, create_tender, open_tender, register_person
from tests.helpers import ok, problem
from tests.tenders.conftest import World, travel
from tests.tenders.helpers import audit_entries, count

QUESTION = {"question": "Can visits be split between two carers in the morning?"}


def questions_url(tender_id: uuid.UUID) -> str:
    return f"/api/v1/tenders/{tender_id}/questions"


async def ask(client: httpx.AsyncClient, tender_id: uuid.UUID, world: World) -> str:
    response = await client.post(
        questions_url(tender_id), json=QUESTION, headers=world.staff_1.headers
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


class TestAskQuestion:
    async def test_provider_staff_ask_and_nobody_learns_who(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        response = await client.post(
            questions_url(tender_id), json=QUESTION, headers=world.staff_1.headers
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body == {**QUESTION, "id": body["id"], "answer": None, "answered_at": None}
        [entry] = await audit_entries(session, prefix="tender.question_asked")
        assert entry.actor_user_id is None
        assert entry.on_behalf_of_user_id is None
        assert entry.data == {"tender_id": str(tender_id)}
        coop_audit = await client.get(
            f"/api/v1/coops/{world.coop_id}/audit", headers=world.admin.headers
        )
        assert str(world.staff_1.id) not in coop_audit.text
        assert str(world.provider_1) not in coop_audit.text
        mine = await client.get("/api/v1/me/activity", headers=world.staff_1.headers)
        assert body["id"] in mine.text

    async def test_only_staff_of_a_verified_provider_ask(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        pending_staff = await register_person(client)
        await create_provider(client, pending_staff)
        for person in (world.outsider, world.holder_a, pending_staff):
            problem(
                await client.post(questions_url(tender_id), json=QUESTION, headers=person.headers),
                403,
                "forbidden",
            )
        problem(
            await client.post(questions_url(tender_id), json=QUESTION), 401, "not_authenticated"
        )
        assert await count(session, TenderQuestion) == 0

    async def test_after_the_deadline_submission_is_closed(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        await travel(clock, world, timedelta(days=20))
        problem(
            await client.post(
                questions_url(tender_id), json=QUESTION, headers=world.staff_1.headers
            ),
            409,
            "submission_closed",
        )
        assert await count(session, TenderQuestion) == 0

    async def test_a_draft_takes_no_questions(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await create_tender(client, world.coop_id, world.admin)
        problem(
            await client.post(
                questions_url(tender_id), json=QUESTION, headers=world.staff_1.headers
            ),
            404,
            "not_found",
        )


class TestAnswerQuestion:
    async def test_the_answer_is_published_once(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        question_id = await ask(client, tender_id, world)
        url = f"{questions_url(tender_id)}/{question_id}/answer"
        answer = {"answer": "Yes: two visits a morning are fine."}
        response = await client.post(url, json=answer, headers=world.admin.headers)
        assert response.status_code == 200, response.text
        assert response.json() == {
            **QUESTION,
            **answer,
            "id": question_id,
            "answered_at": "2026-03-02T09:00:00Z",
        }
        problem(
            await client.post(url, json={"answer": "No."}, headers=world.admin.headers),
            409,
            "already_answered",
        )
        stored = await session.get(TenderQuestion, uuid.UUID(question_id))
        assert stored is not None
        assert stored.answer == answer["answer"]

    async def test_only_the_coops_admins_answer(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        question_id = await ask(client, tender_id, world)
        url = f"{questions_url(tender_id)}/{question_id}/answer"
        for person in (world.holder_a, world.staff_1, world.outsider):
            problem(
                await client.post(url, json={"answer": "Yes"}, headers=person.headers),
                403,
                "forbidden",
            )

    async def test_another_tenders_question_is_not_found(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        other = await open_tender(client, world.coop_id, world.admin)
        question_id = await ask(client, tender_id, world)
        problem(
            await client.post(
                f"{questions_url(other)}/{question_id}/answer",
                json={"answer": "Yes"},
                headers=world.admin.headers,
            ),
            404,
            "not_found",
        )


class TestListQuestions:
    async def test_answered_questions_are_public_and_admins_see_the_rest(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        answered = await ask(client, tender_id, world)
        waiting = await ask(client, tender_id, world)
        ok(
            await client.post(
                f"{questions_url(tender_id)}/{answered}/answer",
                json={"answer": "Yes."},
                headers=world.admin.headers,
            )
        )
        public = await client.get(questions_url(tender_id))
        assert [q["id"] for q in public.json()["items"]] == [answered]
        asker = await client.get(questions_url(tender_id), headers=world.staff_1.headers)
        assert [q["id"] for q in asker.json()["items"]] == [answered]
        admin = await client.get(questions_url(tender_id), headers=world.admin.headers)
        assert {q["id"] for q in admin.json()["items"]} == {answered, waiting}
        for item in admin.json()["items"]:
            assert set(item) == {"id", "question", "answer", "answered_at"}

    async def test_a_drafts_questions_do_not_exist_for_outsiders(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await create_tender(client, world.coop_id, world.admin)
        problem(await client.get(questions_url(tender_id)), 404, "not_found")
