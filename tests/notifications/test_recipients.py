"""Whom an event reaches: holders and their viewers in one query, closed accounts left out."""

import uuid
from datetime import UTC, datetime

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import User
from app.notifications.events import Event, EventType, Holders
from app.notifications.recipients import Reached, resolve
from tests.factories import grant_mandate, register_person

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def about(*recipients: uuid.UUID | Holders) -> Event:
    return Event(
        type=EventType.contribution_posted,
        subject_type="ledger_transaction",
        subject_id=uuid.uuid4(),
        at=AT,
        recipients=recipients,
    )


async def close(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(update(User).where(User.id == user_id).values(closed_at=AT))


class TestHoldersAndViewers:
    async def test_a_holder_and_the_representatives_with_view_only_while_their_accounts_are_open(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        holder = await register_person(client, full_name="Holder")
        viewer = await register_person(client, full_name="Viewer")
        helper = await register_person(client, full_name="Helper")
        await grant_mandate(client, holder, viewer, scopes=("view",))
        await grant_mandate(client, holder, helper, scopes=("vote",))
        unaccepted = await register_person(client, full_name="Not yet")
        await grant_mandate(client, holder, unaccepted, scopes=("view",), accept=False)

        assert await resolve(session, about(Holders([holder.id, holder.id]))) == [
            Reached(holder.id),
            Reached(viewer.id, for_user_id=holder.id),
        ]
        # Reached in their own right as well: told once, as themselves.
        assert await resolve(session, about(viewer.id, Holders([holder.id]))) == [
            Reached(viewer.id),
            Reached(holder.id),
        ]

        await close(session, viewer.id)
        assert await resolve(session, about(Holders([holder.id]))) == [Reached(holder.id)]
        assert await resolve(session, about(viewer.id)) == []

        await close(session, holder.id)
        assert await resolve(session, about(Holders([holder.id]))) == []
        assert await resolve(session, about(Holders([uuid.uuid4()]))) == []

    async def test_the_viewer_of_a_closed_holders_account_is_still_told(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        holder = await register_person(client, full_name="Holder")
        viewer = await register_person(client, full_name="Viewer")
        await grant_mandate(client, holder, viewer, scopes=("view", "vote"))
        await close(session, holder.id)
        assert await resolve(session, about(Holders([holder.id]))) == [
            Reached(viewer.id, for_user_id=holder.id)
        ]
