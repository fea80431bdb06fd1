"""Bulk import of verified providers: every row is applied, or none."""

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.areas import service as areas
from app.audit import service as audit
from app.auth.actor import Actor
from app.core.errors import ValidationFailed
from app.providers import repository
from app.providers.csv_import import ImportRow, parse_csv
from app.providers.models import Provider, ProviderStatus
from app.providers.service import apply_fields, flush_unique, new_provider, touch_directory

# Well under every backend's limit on bound parameters in one statement.
CHUNK = 500


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


async def _existing(
    session: AsyncSession, rows: Sequence[ImportRow]
) -> tuple[dict[str, Provider], dict[tuple[str, str], list[Provider]]]:
    """The providers the rows may match: by CIW service id, and by folded name and e-mail."""
    ciw_ids = sorted({r.details.ciw_service_id for r in rows if r.details.ciw_service_id})
    names = sorted({r.match_key()[0] for r in rows})
    by_ciw: dict[str, Provider] = {}
    by_key: dict[tuple[str, str], list[Provider]] = {}
    for chunk in _chunks(ciw_ids):
        stmt = repository.with_offer().where(Provider.ciw_service_id.in_(chunk))
        for provider in (await session.scalars(stmt)).all():
            by_ciw[provider.ciw_service_id or ""] = provider
    for chunk in _chunks(names):
        stmt = repository.with_offer().where(Provider.name_search.in_(chunk))
        for provider in (await session.scalars(stmt)).all():
            by_key.setdefault((provider.name_search, provider.contact_email), []).append(provider)
    return by_ciw, by_key


def _match(
    row: ImportRow,
    by_ciw: dict[str, Provider],
    by_key: dict[tuple[str, str], list[Provider]],
) -> Provider | None:
    """The CIW service id decides; without a match there, the same name and e-mail do.

    A name-and-e-mail match registered under another CIW id is another service, not this row.
    """
    ciw = row.details.ciw_service_id
    if ciw is not None and ciw in by_ciw:
        return by_ciw[ciw]
    for provider in by_key.get(row.match_key(), []):
        if provider.ciw_service_id is None or provider.ciw_service_id == ciw:
            return provider
    return None


def _plan(
    rows: Sequence[ImportRow],
    by_ciw: dict[str, Provider],
    by_key: dict[tuple[str, str], list[Provider]],
) -> tuple[list[tuple[ImportRow, Provider | None]], list[dict[str, Any]]]:
    """Pair each row with the provider it updates (None: a new one); two rows may not share one."""
    first_line: dict[uuid.UUID, int] = {}
    plan: list[tuple[ImportRow, Provider | None]] = []
    errors: list[dict[str, Any]] = []
    for row in rows:
        provider = _match(row, by_ciw, by_key)
        if provider is not None:
            if provider.id in first_line:
                errors.append(
                    {
                        "loc": ["body", row.line],
                        "msg": f"Matches the same provider as line {first_line[provider.id]}.",
                    }
                )
                continue
            first_line[provider.id] = row.line
        plan.append((row, provider))
    return plan, errors


async def _apply(
    session: AsyncSession,
    actor: Actor | None,
    plan: Sequence[tuple[ImportRow, Provider | None]],
    *,
    now: datetime,
) -> tuple[int, int]:
    """(created, updated): `updated` counts every row that matched a provider, and only
    providers whose record really changed get an audit entry."""
    created: list[Provider] = []
    changed: list[Provider] = []
    for row, found in plan:
        fields = row.details.model_dump(include=set(row.columns))
        if found is None:
            provider = new_provider(status=ProviderStatus.verified, now=now)
            apply_fields(provider, fields)
            session.add(provider)
            created.append(provider)
            continue
        differs = apply_fields(found, fields)
        if found.status != ProviderStatus.verified:
            found.status = ProviderStatus.verified
            differs = True
        if differs:
            found.updated_at = now
            changed.append(found)
    if not created and not changed:
        return 0, len(plan)
    await flush_unique(session)
    await touch_directory(session)
    for provider in created:
        audit.record(
            session, actor, "provider.created", "provider", provider.id, data={"source": "import"}
        )
    for provider in changed:
        audit.record(
            session, actor, "provider.updated", "provider", provider.id, data={"source": "import"}
        )
    return len(created), len(plan) - len(created)


async def upsert_verified(
    session: AsyncSession, actor: Actor | None, rows: Sequence[ImportRow], *, now: datetime
) -> tuple[int, int]:
    """Create or update a verified provider per row: (created, updated). Used by demo data too."""
    plan, errors = _plan(rows, *await _existing(session, rows))
    if errors:
        raise ValidationFailed(errors)
    return await _apply(session, actor, plan, now=now)


async def import_csv(
    session: AsyncSession, actor: Actor, *, text: str, now: datetime
) -> tuple[int, int]:
    """Import a CSV file: every row is applied, or the answer lists an error for every bad row."""
    known = {area.code for area in await areas.list_areas(session)}
    rows, errors = parse_csv(text, known_area_codes=known)
    plan, match_errors = _plan(rows, *await _existing(session, rows))
    errors = sorted([*errors, *match_errors], key=lambda e: e["loc"][1])
    if errors:
        raise ValidationFailed(errors)
    return await _apply(session, actor, plan, now=now)
