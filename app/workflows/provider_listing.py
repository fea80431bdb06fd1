"""A provider's listing changes under its running contracts: the contracts say what they are
for, the providers domain decides what may change (SPEC 19)."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.actor import Actor
from app.core.clock import local_date
from app.providers import imports, listing
from app.providers.listing import ContractTerms
from app.providers.models import Provider
from app.tenders.contracts import running


async def update_provider(
    session: AsyncSession,
    actor: Actor,
    provider: Provider,
    *,
    changes: dict[str, Any],
    now: datetime,
) -> Provider:
    """A PATCH: the running contracts' terms, then the listing's rules."""
    terms = await running.running_terms(session, [provider.id], today=local_date(now))
    return await listing.update(session, actor, provider, changes=changes, running=terms, now=now)


async def verify_provider(
    session: AsyncSession, actor: Actor, provider: Provider, *, now: datetime
) -> Provider:
    """Verification, which applies what waits: checked against the running contracts too."""
    terms = await running.running_terms(session, [provider.id], today=local_date(now))
    return await listing.verify(session, actor, provider, running=terms, now=now)


async def import_providers(
    session: AsyncSession, actor: Actor, *, text: str, now: datetime
) -> tuple[int, int]:
    """A CSV import, whose rows may not drop what a running contract is for."""

    async def terms_of(provider_ids: Sequence[uuid.UUID]) -> Sequence[ContractTerms]:
        return await running.running_terms(session, provider_ids, today=local_date(now))

    return await imports.import_csv(session, actor, text=text, now=now, running=terms_of)
