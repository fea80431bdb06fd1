"""Safeguards one administrator cannot switch off alone (SPEC section 25).

A co-op `PATCH` that weakens a safeguard does not apply: it becomes a pending rule change,
and applies only when a different administrator approves it. Which changes weaken is stated
in one table, `WEAKENING`: one entry per rule, saying when a change from `old` to `new` makes
that safeguard weaker. A new rule is added to `CoopRules` and given its entry here (or named in
`HARMLESS`); a test checks that every rule is in one or the other.

Each rule has one direction that weakens it, judged from the holder's side, since the holder's
money is what they guard. `visit_confirm_hours` is the time the holder has to look at a visit
before it confirms itself: fewer hours weaken it; more hours only make the provider wait
longer for a confirmation, which guards nothing and so applies at once.
"""

import json
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.coops.errors import RuleChangeNotFound, RuleChangeNotPending, RuleChangeStale, SameAdmin
from app.coops.models import Coop, CoopRuleChange, RuleChangeStatus

Weakens = Callable[[Any, Any], bool]


def _raised(old: Any, new: Any) -> bool:
    return bool(new > old)


def _lowered(old: Any, new: Any) -> bool:
    return bool(new < old)


def _turned_off(old: Any, new: Any) -> bool:
    return bool(old) and not new


def _changed(old: Any, new: Any) -> bool:
    return bool((old or None) != (new or None))


# When a change from the rule's `old` value to `new` weakens the safeguard it is.
WEAKENING: dict[str, Weakens] = {
    # A larger refund may go out on one administrator's say.
    "refund_second_approval_pence": _raised,
    # Awards made without the members' vote.
    "award_requires_vote": _turned_off,
    # Fewer yes votes, or fewer votes cast, carry a decision.
    "pass_percent": _lowered,
    "quorum_percent": _lowered,
    # Either way can shift the power to decide between members and classes.
    "voting_mode": _changed,
    "class_weights": _changed,
    # Larger rises of a contract's rate agreed without the members' vote.
    "variation_vote_percent": _raised,
    # Less time for the holder to query a visit before it counts as confirmed.
    "visit_confirm_hours": _lowered,
    # Less time to dispute an invoice before it may be approved and charged.
    "invoice_dispute_days": _lowered,
    # Lines typed by hand, with no visit the holder has seen, may be charged again.
    "invoices_from_visits_only": _turned_off,
}
# Rules whose changes never weaken a safeguard (none so far: every rule guards something).
HARMLESS: frozenset[str] = frozenset()


def plain(rules: Mapping[str, Any]) -> dict[str, Any]:
    """Rules as JSON values (enums as their strings), for storing and comparing."""
    result: dict[str, Any] = json.loads(json.dumps(dict(rules)))
    return result


def weakened(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The names of the rules that `new` weakens compared with `old`, in table order."""
    before, after = plain(old), plain(new)
    return [name for name, test in WEAKENING.items() if test(before.get(name), after.get(name))]


def rule_changes_of(
    coop_id: uuid.UUID, *, status: RuleChangeStatus | None
) -> Select[CoopRuleChange]:
    stmt = select(CoopRuleChange).where(CoopRuleChange.coop_id == coop_id)
    if status is not None:
        stmt = stmt.where(CoopRuleChange.status == status)
    return stmt


async def get_rule_change(
    session: AsyncSession, *, coop_id: uuid.UUID, rule_change_id: uuid.UUID, lock: bool = False
) -> CoopRuleChange:
    stmt = rule_changes_of(coop_id, status=None).where(CoopRuleChange.id == rule_change_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    change = await session.scalar(stmt)
    if change is None:
        raise RuleChangeNotFound
    return change


def record(session: AsyncSession, actor: Actor | None, action: str, change: CoopRuleChange) -> None:
    audit.record(
        session,
        actor,
        action,
        "coop_rule_change",
        change.id,
        coop_id=change.coop_id,
        data={"status": change.status.value, "weakens": change.weakens, "changes": change.changes},
    )


async def propose(
    session: AsyncSession,
    actor: Actor,
    coop: Coop,
    *,
    changes: dict[str, Any],
    weakens: list[str],
    now: datetime,
) -> CoopRuleChange:
    """Keep a weakening `PATCH` (the whole of it) for a second administrator."""
    change = CoopRuleChange(
        id=uuid.uuid4(),
        coop_id=coop.id,
        proposed_by_user_id=actor.user.id,
        changes=plain(changes),
        base_rules=plain(coop.rules),
        weakens=weakens,
        status=RuleChangeStatus.pending,
        created_at=now,
    )
    session.add(change)
    await session.flush()
    record(session, actor, "coop.rule_change_proposed", change)
    return change


async def supersede_pending(
    session: AsyncSession, actor: Actor, coop: Coop, *, keep: uuid.UUID | None, now: datetime
) -> None:
    """The co-op's rules have just changed: pending changes proposed over the old ones can no
    longer be approved (each would be judged against rules that are gone)."""
    stmt = rule_changes_of(coop.id, status=RuleChangeStatus.pending)
    if keep is not None:
        stmt = stmt.where(CoopRuleChange.id != keep)
    stale = (
        await session.scalars(stmt.with_for_update().execution_options(populate_existing=True))
    ).all()
    for change in stale:
        change.status = RuleChangeStatus.superseded
        change.decided_at = now
    await session.flush()
    for change in stale:
        record(session, actor, "coop.rule_change_superseded", change)


def check_approvable(actor: Actor, coop: Coop, change: CoopRuleChange) -> None:
    """Only a pending change, over the rules still in force, by another administrator."""
    if change.status == RuleChangeStatus.superseded:
        raise RuleChangeStale
    if change.status != RuleChangeStatus.pending:
        raise RuleChangeNotPending(status=change.status.value)
    if change.proposed_by_user_id == actor.user.id:
        raise SameAdmin
    if plain(change.base_rules) != plain(coop.rules):
        raise RuleChangeStale


def mark_applied(actor: Actor, change: CoopRuleChange, *, now: datetime) -> None:
    change.status = RuleChangeStatus.applied
    change.decided_by_user_id = actor.user.id
    change.decided_at = now


async def withdraw(
    session: AsyncSession, actor: Actor, change: CoopRuleChange, *, now: datetime
) -> CoopRuleChange:
    """Any administrator (the proposer included) withdraws a pending change; nothing applies."""
    if change.status != RuleChangeStatus.pending:
        raise RuleChangeNotPending(status=change.status.value)
    change.status = RuleChangeStatus.withdrawn
    change.decided_by_user_id = actor.user.id
    change.decided_at = now
    await session.flush()
    record(session, actor, "coop.rule_change_withdrawn", change)
    return change
