"""Clarification questions from providers and the co-op's answers, published to all.

Who asked is never stored nor shown: not on the question, not in the audit entry (which
names no actor; only the asker finds it, in their own activity).
"""

import uuid
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.providers.models import Provider, ProviderStaff, ProviderStatus
from app.tenders import service
from app.tenders.errors import (
    AlreadyAnswered,
    NotProviderStaff,
    QuestionNotFound,
    SubmissionClosed,
)
from app.tenders.models import Tender, TenderQuestion
from app.tenders.ocds import service as ocds
from app.tenders.states import TenderStatus


async def is_verified_staff(session: AsyncSession, actor: Actor) -> bool:
    found = await session.scalar(
        select(ProviderStaff.provider_id)
        .join(Provider, Provider.id == ProviderStaff.provider_id)
        .where(ProviderStaff.user_id == actor.user.id, Provider.status == ProviderStatus.verified)
        .limit(1)
    )
    return found is not None


async def ask(
    session: AsyncSession, actor: Actor, tender: Tender, *, question: str, now: datetime
) -> TenderQuestion:
    """A question from the staff of a verified provider, while bids are taken."""
    if not await is_verified_staff(session, actor):
        raise NotProviderStaff
    if tender.status == TenderStatus.draft:
        service.require_status(tender, TenderStatus.open)
    if tender.status != TenderStatus.open:
        raise SubmissionClosed
    asked = TenderQuestion(tender_id=tender.id, question=question, asked_at=now)
    session.add(asked)
    await session.flush()
    audit.record(
        session,
        None,
        "tender.question_asked",
        "tender_question",
        asked.id,
        coop_id=tender.coop_id,
        data={"tender_id": tender.id},
        about=actor.user.id,
        withhold_about=True,
    )
    return asked


async def answer(
    session: AsyncSession,
    actor: Actor,
    tender: Tender,
    question_id: uuid.UUID,
    *,
    text: str,
    now: datetime,
) -> TenderQuestion:
    """Answer once: a published answer is what every bidder relies on."""
    asked = await session.scalar(
        select(TenderQuestion)
        .where(TenderQuestion.id == question_id, TenderQuestion.tender_id == tender.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if asked is None:
        raise QuestionNotFound
    if asked.answered_at is not None:
        raise AlreadyAnswered
    asked.answer = text
    asked.answered_at = now
    asked.answered_by_user_id = actor.user.id
    await session.flush()
    audit.record(
        session,
        actor,
        "tender.question_answered",
        "tender_question",
        asked.id,
        coop_id=tender.coop_id,
        data={"tender_id": tender.id},
    )
    await ocds.record_release(session, ocds.ClarificationAnswered(tender.id, asked.id), at=now)
    return asked


def questions_of(tender_id: uuid.UUID, *, answered_only: bool) -> Select[TenderQuestion]:
    stmt = select(TenderQuestion).where(TenderQuestion.tender_id == tender_id)
    if answered_only:
        stmt = stmt.where(TenderQuestion.answered_at.is_not(None))
    return stmt
