"""Changing a co-op's details and rules: checked whole, applied at once when the change is
safe, and otherwise waiting for a second administrator (`app.coops.safeguards` says which
changes weaken a safeguard)."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.areas import service as areas
from app.audit import service as audit
from app.auth.actor import Actor
from app.coops import repository, safeguards
from app.coops.errors import CoopNotFound
from app.coops.models import Coop, CoopArea, CoopRuleChange, VotingMode
from app.coops.schemas import CoopRules
from app.core.errors import ValidationFailed
from app.core.field_errors import from_pydantic


def apply_rules(coop: Coop, rules: CoopRules) -> None:
    coop.voting_mode = rules.voting_mode
    coop.class_weights = (
        {str(cls): weight for cls, weight in rules.class_weights.items()}
        if rules.class_weights is not None
        else None
    )
    coop.quorum_percent = rules.quorum_percent
    coop.pass_percent = rules.pass_percent
    coop.award_requires_vote = rules.award_requires_vote
    coop.refund_second_approval_pence = rules.refund_second_approval_pence
    coop.variation_vote_percent = rules.variation_vote_percent
    coop.visit_confirm_hours = rules.visit_confirm_hours
    coop.invoice_dispute_days = rules.invoice_dispute_days
    coop.invoices_from_visits_only = rules.invoices_from_visits_only


def merge_rules(coop: Coop, changes: dict[str, Any]) -> CoopRules:
    """The co-op's rules with `changes` laid over them, validated as a whole."""
    merged = {**coop.rules, **changes}
    if (
        changes.get("voting_mode") == VotingMode.one_member_one_vote
        and "class_weights" not in changes
    ):
        merged["class_weights"] = None
    try:
        return CoopRules.model_validate(merged)
    except ValidationError as exc:
        raise ValidationFailed(
            [
                from_pydantic(error, loc=["body", "rules", *(str(p) for p in error["loc"])])
                for error in exc.errors()
            ]
        ) from exc


@dataclass(frozen=True, slots=True)
class UpdateOutcome:
    """What a `PATCH` did: applied to `coop`, or kept as `waiting` for a second administrator."""

    coop: Coop
    waiting: CoopRuleChange | None = None


async def update_coop(
    session: AsyncSession,
    actor: Actor,
    coop: Coop,
    *,
    name: str | None = None,
    description: str | None = None,
    area_codes: list[str] | None = None,
    rule_changes: dict[str, Any] | None = None,
    now: datetime,
) -> UpdateOutcome:
    """Change what was given; rules are merged over the current ones and checked as a whole.

    When the new rules weaken a safeguard (see `app.coops.safeguards.WEAKENING`) nothing
    changes: the whole request, harmless parts included, is kept as a pending rule change
    that applies only when a different administrator approves it.
    """
    locked = await repository.get_coop(session, coop.id, lock=True)
    coop = locked if locked is not None else coop
    if area_codes is not None:
        await areas.require_codes(
            session, list(dict.fromkeys(area_codes)), loc=("body", "area_codes")
        )
    if rule_changes:
        merged = merge_rules(coop, rule_changes)
        weakens = safeguards.weakened(coop.rules, merged.model_dump())
        if weakens:
            asked: dict[str, Any] = {"rules": rule_changes}
            if name is not None:
                asked["name"] = name
            if description is not None:
                asked["description"] = description
            if area_codes is not None:
                asked["area_codes"] = list(dict.fromkeys(area_codes))
            waiting = await safeguards.propose(
                session, actor, coop, changes=asked, weakens=weakens, now=now
            )
            return UpdateOutcome(coop=coop, waiting=waiting)
    await _change(
        session,
        actor,
        coop,
        name=name,
        description=description,
        area_codes=area_codes,
        rule_changes=rule_changes,
        now=now,
        keep=None,
    )
    return UpdateOutcome(coop=coop)


async def _change(
    session: AsyncSession,
    actor: Actor,
    coop: Coop,
    *,
    name: str | None,
    description: str | None,
    area_codes: list[str] | None,
    rule_changes: dict[str, Any] | None,
    now: datetime,
    keep: uuid.UUID | None,
) -> None:
    changed: list[str] = []
    if rule_changes:
        before = safeguards.plain(coop.rules)
        apply_rules(coop, merge_rules(coop, rule_changes))
        changed.append("rules")
        if safeguards.plain(coop.rules) != before:
            await safeguards.supersede_pending(session, actor, coop, keep=keep, now=now)
    if name is not None and name != coop.name:
        coop.name = name
        changed.append("name")
    if description is not None and description != coop.description:
        coop.description = description
        changed.append("description")
    if area_codes is not None:
        codes = list(dict.fromkeys(area_codes))
        await areas.require_codes(session, codes, loc=("body", "area_codes"))
        if sorted(codes) != coop.area_codes:
            keep_links = [link for link in coop.areas if link.area_code in codes]
            have = {link.area_code for link in keep_links}
            coop.areas = keep_links + [CoopArea(area_code=c) for c in codes if c not in have]
            changed.append("area_codes")
    await session.flush()
    if changed:
        audit.record(
            session,
            actor,
            "coop.updated",
            "coop",
            coop.id,
            coop_id=coop.id,
            data={"fields": changed, "rules": coop.rules if "rules" in changed else None},
        )


async def approve_rule_change(
    session: AsyncSession,
    actor: Actor,
    *,
    coop_id: uuid.UUID,
    rule_change_id: uuid.UUID,
    now: datetime,
) -> CoopRuleChange:
    """A second administrator applies a pending rule change, exactly as it was asked for.

    Refused to the administrator who proposed it (`SameAdmin`), for a change no longer
    pending (`RuleChangeNotPending`), and for one whose rules have changed since
    (`RuleChangeStale`). Other pending changes are superseded by it.
    """
    coop = await repository.get_coop(session, coop_id, lock=True)
    if coop is None:
        raise CoopNotFound
    change = await safeguards.get_rule_change(
        session, coop_id=coop_id, rule_change_id=rule_change_id, lock=True
    )
    safeguards.check_approvable(actor, coop, change)
    asked = change.changes
    await _change(
        session,
        actor,
        coop,
        name=asked.get("name"),
        description=asked.get("description"),
        area_codes=asked.get("area_codes"),
        rule_changes=asked.get("rules"),
        now=now,
        keep=change.id,
    )
    safeguards.mark_applied(actor, change, now=now)
    await session.flush()
    safeguards.record(session, actor, "coop.rule_change_approved", change)
    return change
