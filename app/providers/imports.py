"""Bulk import of verified providers: every row is applied, or none."""

import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.areas import service as areas
from app.audit import service as audit
from app.auth.actor import Actor
from app.core.errors import ValidationFailed
from app.providers import repository
from app.providers.csv_import import ImportRow, parse_csv
from app.providers.listing import ContractTerms, contracts_broken
from app.providers.models import Provider, ProviderStatus, fold_name
from app.providers.service import (
    apply_fields,
    flush_unique,
    new_provider,
    settle_status,
    touch_directory,
)

# The running contracts of the providers named (the workflow asks the contracts for them).
RunningTerms = Callable[[Sequence[uuid.UUID]], Awaitable[Sequence[ContractTerms]]]

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
    served_before: dict[uuid.UUID, list[str]] = {}
    for row, found in plan:
        fields = row.details.model_dump(include=set(row.columns))
        if found is None:
            provider = new_provider(status=ProviderStatus.verified, now=now)
            apply_fields(provider, fields)
            session.add(provider)
            created.append(provider)
            continue
        served_before[found.id] = found.area_codes
        differs = apply_fields(found, fields)
        if found.status != ProviderStatus.verified:
            settle_status(found, ProviderStatus.verified)
            differs = True
        if differs:
            found.updated_at = now
            changed.append(found)
    if not created and not changed:
        return 0, len(plan)
    await flush_unique(session)
    written = [p.id for p in (*created, *changed)]
    # A large import marks every area rather than name thousands of providers in one statement.
    await touch_directory(
        session,
        written,
        areas={code for p in changed for code in served_before[p.id]},
        every_area=len(written) > CHUNK,
    )
    for provider in created:
        audit.record(
            session, actor, "provider.created", "provider", provider.id, data={"source": "import"}
        )
    for provider in changed:
        audit.record(
            session, actor, "provider.updated", "provider", provider.id, data={"source": "import"}
        )
    return len(created), len(plan) - len(created)


def _claims_a_name(row: ImportRow, provider: Provider | None) -> bool:
    """Whether the row names a verified provider anew: it creates one, verifies one, or
    renames one (a new spelling of the same folded name is no rename)."""
    return (
        provider is None
        or provider.status != ProviderStatus.verified
        or fold_name(row.details.name) != provider.name_search
    )


async def _name_errors(
    session: AsyncSession, plan: Sequence[tuple[ImportRow, Provider | None]]
) -> list[dict[str, Any]]:
    """Rows that would list two verified providers under one name, letter case and accents
    aside: another row of the file with that name, or a verified provider the file leaves as
    it is. Names already shared before the rule was made are left alone."""
    folded = {row.line: fold_name(row.details.name) for row, _ in plan}
    lines_of: dict[str, list[int]] = {}
    for row, _ in plan:
        lines_of.setdefault(folded[row.line], []).append(row.line)
    claiming = [row for row, provider in plan if _claims_a_name(row, provider)]
    updated = {provider.id for _, provider in plan if provider is not None}
    holders: dict[str, Provider] = {}
    for chunk in _chunks(sorted({folded[row.line] for row in claiming})):
        stmt = repository.with_offer().where(
            Provider.status == ProviderStatus.verified, Provider.name_search.in_(chunk)
        )
        for provider in (await session.scalars(stmt)).all():
            if provider.id not in updated:
                holders.setdefault(provider.name_search, provider)
    errors: list[dict[str, Any]] = []
    for row in claiming:
        others = [line for line in lines_of[folded[row.line]] if line != row.line]
        holder = holders.get(folded[row.line])
        if others:
            msg = (
                f"The same name as line {others[0]} once letter case and accents are set "
                "aside: two verified providers may not share a name."
            )
        elif holder is not None:
            msg = (
                f"A verified provider is already listed as {holder.name!r} (letter case and "
                "accents aside): two verified providers may not share a name."
            )
        else:
            continue
        errors.append({"loc": ["body", row.line, "name"], "msg": msg})
    return errors


async def _contract_errors(
    plan: Sequence[tuple[ImportRow, Provider | None]], running: RunningTerms | None
) -> list[dict[str, Any]]:
    """Rows that would drop an area or a service type a running contract is for."""
    updating = [(row, provider) for row, provider in plan if provider is not None]
    if running is None or not updating:
        return []
    terms = await running([provider.id for _, provider in updating])
    errors: list[dict[str, Any]] = []
    for row, provider in updating:
        for field in ("service_types", "area_codes"):
            if field not in row.columns:
                continue
            broken = contracts_broken(provider, {field: getattr(row.details, field)}, terms)
            if broken:
                errors.append(
                    {
                        "loc": ["body", row.line, field],
                        "msg": f"Drops what {len(broken)} running contract(s) of this "
                        "provider are for: it keeps them until the contracts end.",
                    }
                )
    return errors


async def upsert_verified(
    session: AsyncSession,
    actor: Actor | None,
    rows: Sequence[ImportRow],
    *,
    now: datetime,
    running: RunningTerms | None = None,
) -> tuple[int, int]:
    """Create or update a verified provider per row: (created, updated). Used by demo data too
    (with no contracts to ask about)."""
    plan, errors = _plan(rows, *await _existing(session, rows))
    errors += await _name_errors(session, plan)
    errors += await _contract_errors(plan, running)
    if errors:
        raise ValidationFailed(sorted(errors, key=lambda e: e["loc"][1]))
    return await _apply(session, actor, plan, now=now)


async def import_csv(
    session: AsyncSession,
    actor: Actor,
    *,
    text: str,
    now: datetime,
    running: RunningTerms | None = None,
) -> tuple[int, int]:
    """Import a CSV file: every row is applied, or the answer lists an error for every bad row."""
    known = {area.code for area in await areas.list_areas(session)}
    rows, errors = parse_csv(text, known_area_codes=known)
    plan, match_errors = _plan(rows, *await _existing(session, rows))
    errors = [*errors, *match_errors, *await _name_errors(session, plan)]
    errors += await _contract_errors(plan, running)
    if errors:
        raise ValidationFailed(sorted(errors, key=lambda e: e["loc"][1]))
    return await _apply(session, actor, plan, now=now)
