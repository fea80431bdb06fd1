"""Clarification questions on a tender and the co-op's published answers."""

import uuid

from app.auth.dependencies import CurrentActor
from app.auth.errors import NoMandate, OutsideMandate
from app.coops.errors import CoopAdminRequired
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, Sort, paginate
from app.core.routing import Router
from app.tenders.dependencies import PublicTender, SignedInTender, TenderAdmin
from app.tenders.errors import (
    AlreadyAnswered,
    InvalidTenderTransition,
    NotProviderStaff,
    QuestionNotFound,
    SubmissionClosed,
    TenderNotFound,
)
from app.tenders.models import TenderQuestion
from app.tenders.questions import service as questions
from app.tenders.schemas import AnswerCreate, QuestionCreate, QuestionRead

router = Router(prefix="/tenders/{tender_id}/questions", tags=["tenders"])


@router.post(
    "",
    status_code=201,
    response_model=QuestionRead,
    responses=problems(
        TenderNotFound,
        NotProviderStaff,
        SubmissionClosed,
        InvalidTenderTransition,
        OutsideMandate,
        NoMandate,
    ),
)
async def ask_question(
    body: QuestionCreate,
    session: SessionDep,
    seen: SignedInTender,
    actor: CurrentActor,
    now: NowDep,
) -> TenderQuestion:
    """Ask the co-op a clarification question (staff of a verified provider), while the
    tender takes bids (409 `submission_closed` after). Who asked is never shown to anyone:
    the answer is published to all bidders alike."""
    return await questions.ask(session, actor, seen.tender, question=body.question, now=now)


@router.post(
    "/{question_id}/answer",
    response_model=QuestionRead,
    responses=problems(TenderNotFound, CoopAdminRequired, QuestionNotFound, AlreadyAnswered),
)
async def answer_question(
    question_id: uuid.UUID,
    body: AnswerCreate,
    session: SessionDep,
    admin: TenderAdmin,
    actor: CurrentActor,
    now: NowDep,
) -> TenderQuestion:
    """Answer a question (co-op administrators); the answer is published at once, to
    everyone, and cannot be changed afterwards (409 `already_answered`)."""
    return await questions.answer(
        session, actor, admin.tender, question_id, text=body.answer, now=now
    )


@router.get(
    "",
    response_model=CursorPage[QuestionRead],
    responses=problems(TenderNotFound, OutsideMandate, NoMandate),
)
async def list_questions(
    seen: PublicTender, session: SessionDep, page: PageDep
) -> CursorPage[QuestionRead]:
    """The tender's answered questions, in the order they were asked (public once published).
    The co-op's administrators also see the questions still waiting for an answer."""
    items, next_cursor = await paginate(
        session,
        questions.questions_of(seen.tender.id, answered_only=not seen.is_admin),
        page,
        order=[Sort(TenderQuestion.asked_at), Sort(TenderQuestion.id)],
        key=lambda q: (q.asked_at, q.id),
    )
    return CursorPage[QuestionRead](
        items=[QuestionRead.model_validate(q) for q in items], next_cursor=next_cursor
    )
