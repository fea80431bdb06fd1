"""Co-operatives: founding, the public register, rules and the co-op's audit trail."""

import uuid
from typing import Annotated

from fastapi import Query
from fastapi.responses import JSONResponse, Response

from app.audit import service as audit
from app.audit.schemas import AuditEntryRead
from app.auth.dependencies import CurrentActor, OptionalActor
from app.auth.errors import NoMandate, OutsideMandate
from app.coops import repository, rules, safeguards, service
from app.coops.dependencies import CoopAdmin
from app.coops.errors import (
    CoopAdminRequired,
    CoopNotFound,
    RuleChangeNotFound,
    RuleChangeNotPending,
    RuleChangeStale,
    SameAdmin,
)
from app.coops.models import Coop, CoopRuleChange, RuleChangeStatus
from app.coops.schemas import (
    CoopCreate,
    CoopRead,
    CoopRulesRead,
    CoopSummaryRead,
    CoopUpdate,
    DisclosedCount,
    RuleChangeAccepted,
    RuleChangeRead,
)
from app.core.deps import NowDep, SessionDep
from app.core.disclosure import people_count
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, Sort, paginate
from app.core.routing import Router
from app.core.schemas import AreaCode
from app.workflows import membership

router = Router(prefix="/coops", tags=["co-operatives"])
# The audit subject of a safeguarding concern (`app.representatives.safeguarding`).
SAFEGUARDING_SUBJECT = "safeguarding_concern"


def _summary(coop: Coop, member_count: int) -> CoopSummaryRead:
    disclosed = people_count(member_count)
    return CoopSummaryRead(
        id=coop.id,
        name=coop.name,
        description=coop.description,
        area_codes=coop.area_codes,
        member_count=DisclosedCount(value=disclosed.value, suppressed=disclosed.suppressed),
        created_at=coop.created_at,
    )


async def _read(session: SessionDep, coop: Coop, *, show_rules: bool) -> CoopRead:
    summary = _summary(coop, await repository.count_active_members(session, coop.id))
    return CoopRead(
        **summary.model_dump(),
        rules=CoopRulesRead.model_validate(coop.rules) if show_rules else None,
    )


@router.post(
    "",
    status_code=201,
    response_model=CoopRead,
    responses=problems(OutsideMandate, NoMandate),
)
async def create_coop(
    body: CoopCreate, session: SessionDep, actor: CurrentActor, now: NowDep
) -> CoopRead:
    """Found a co-operative. You become its first active member (class `service_user` unless
    `founder_class` says otherwise) and its first administrator."""
    coop = await membership.found_coop(
        session,
        actor,
        name=body.name,
        description=body.description,
        area_codes=body.area_codes,
        rules=body.rules,
        founder_class=body.founder_class,
        now=now,
    )
    return await _read(session, coop, show_rules=True)


@router.get("", response_model=CursorPage[CoopSummaryRead], responses=problems())
async def list_coops(
    session: SessionDep,
    page: PageDep,
    area_code: Annotated[
        AreaCode | None, Query(description="Only co-ops serving this area.")
    ] = None,
) -> CursorPage[CoopSummaryRead]:
    """The public register of co-operatives, by name. The member count is under disclosure
    control: 1 to 7 is published as `{"value": null, "suppressed": true}`, 8 or more rounded to
    the nearest 5."""
    items, next_cursor = await paginate(
        session,
        repository.coops_with_counts(area_code=area_code),
        page,
        order=[Sort(Coop.name), Sort(Coop.id)],
        key=lambda row: (row[0].name, row[0].id),
        scalars=False,
    )
    return CursorPage[CoopSummaryRead](
        items=[_summary(coop, count) for coop, count in items], next_cursor=next_cursor
    )


@router.get(
    "/{coop_id}",
    response_model=CoopRead,
    responses=problems(CoopNotFound, NoMandate),
)
async def get_coop(coop_id: uuid.UUID, session: SessionDep, actor: OptionalActor) -> CoopRead:
    """One co-operative (public). Its active members also see its full `rules`."""
    coop = await service.get_coop(session, coop_id)
    # A representative sees what the holder sees only with the `view` scope.
    may_view = actor is not None and (
        not actor.is_representing or (actor.mandate is not None and "view" in actor.mandate.scopes)
    )
    show_rules = (
        actor is not None
        and may_view
        and await repository.active_membership(session, coop_id=coop.id, user_id=actor.principal.id)
        is not None
    )
    return await _read(session, coop, show_rules=show_rules)


WEAKENING_TEXT = (
    "A change that weakens a safeguard does not apply at once: raising "
    "`refund_second_approval_pence` or `variation_vote_percent`, turning `award_requires_vote` "
    "or `invoices_from_visits_only` off, lowering `pass_percent`, `quorum_percent`, "
    "`visit_confirm_hours` or `invoice_dispute_days`, and any change of `voting_mode` or "
    "`class_weights`. (More `visit_confirm_hours` gives the holder longer to look at a visit: "
    "that applies at once.) "
    "Then the whole request waits, harmless parts included, and the answer is 202 "
    "`{rule_change_id}`: it applies only when a different administrator approves it with "
    "`POST /coops/{id}/rule-changes/{rule_change_id}/approve`. Any other change applies at "
    "once (200) and makes changes still pending `superseded`. Tenders keep the rules in force "
    "when they were published; proposals already open keep the voting rules they opened with."
)


@router.patch(
    "/{coop_id}",
    response_model=CoopRead,
    responses={
        202: {"model": RuleChangeAccepted, "description": "Kept for a second administrator."},
        **problems(CoopNotFound, CoopAdminRequired, OutsideMandate, NoMandate),
    },
    description="Change the co-op's name, description, areas or rules (administrators). Rules "
    "are merged over the current ones and checked as a whole. " + WEAKENING_TEXT,
)
async def update_coop(
    coop_id: uuid.UUID,
    body: CoopUpdate,
    session: SessionDep,
    admin: CoopAdmin,
    actor: CurrentActor,
    now: NowDep,
) -> Response | CoopRead:
    del admin
    coop = await service.get_coop(session, coop_id)
    outcome = await rules.update_coop(
        session,
        actor,
        coop,
        name=body.name,
        description=body.description,
        area_codes=body.area_codes,
        rule_changes=body.rules.model_dump(exclude_unset=True) if body.rules else None,
        now=now,
    )
    if outcome.waiting is not None:
        accepted = RuleChangeAccepted(rule_change_id=outcome.waiting.id)
        return JSONResponse(accepted.model_dump(mode="json"), status_code=202)
    return await _read(session, outcome.coop, show_rules=True)


RULE_CHANGE_PROBLEMS = (CoopNotFound, CoopAdminRequired, OutsideMandate, NoMandate)


@router.get(
    "/{coop_id}/rule-changes",
    response_model=CursorPage[RuleChangeRead],
    responses=problems(*RULE_CHANGE_PROBLEMS),
)
async def list_rule_changes(
    coop_id: uuid.UUID,
    session: SessionDep,
    admin: CoopAdmin,
    page: PageDep,
    status: Annotated[
        RuleChangeStatus | None, Query(description="Only changes with this status.")
    ] = None,
) -> CursorPage[RuleChangeRead]:
    """Rule changes that weaken a safeguard, newest first (administrators); `?status=pending`
    lists what waits for a second administrator."""
    del admin
    items, next_cursor = await paginate(
        session,
        safeguards.rule_changes_of(coop_id, status=status),
        page,
        order=[
            Sort(CoopRuleChange.created_at, descending=True),
            Sort(CoopRuleChange.id, descending=True),
        ],
        key=lambda c: (c.created_at, c.id),
    )
    return CursorPage[RuleChangeRead](
        items=[RuleChangeRead.model_validate(c) for c in items], next_cursor=next_cursor
    )


@router.post(
    "/{coop_id}/rule-changes/{rule_change_id}/approve",
    response_model=RuleChangeRead,
    responses=problems(
        *RULE_CHANGE_PROBLEMS, RuleChangeNotFound, SameAdmin, RuleChangeNotPending, RuleChangeStale
    ),
)
async def approve_rule_change(
    coop_id: uuid.UUID,
    rule_change_id: uuid.UUID,
    session: SessionDep,
    admin: CoopAdmin,
    actor: CurrentActor,
    now: NowDep,
) -> RuleChangeRead:
    """Apply a pending rule change as it was asked for (a different administrator from the
    one who proposed it: else 403 `same_admin`). A change no longer pending is 409
    `invalid_transition`; one whose rules have changed since it was proposed is 409
    `rule_change_stale` (propose it again). Other pending changes become `superseded`."""
    del admin
    change = await rules.approve_rule_change(
        session, actor, coop_id=coop_id, rule_change_id=rule_change_id, now=now
    )
    return RuleChangeRead.model_validate(change)


@router.post(
    "/{coop_id}/rule-changes/{rule_change_id}/withdraw",
    response_model=RuleChangeRead,
    responses=problems(*RULE_CHANGE_PROBLEMS, RuleChangeNotFound, RuleChangeNotPending),
)
async def withdraw_rule_change(
    coop_id: uuid.UUID,
    rule_change_id: uuid.UUID,
    session: SessionDep,
    admin: CoopAdmin,
    actor: CurrentActor,
    now: NowDep,
) -> RuleChangeRead:
    """Withdraw (or, for another administrator, turn down) a pending rule change: nothing
    applies. A change no longer pending is 409 `invalid_transition`."""
    del admin
    change = await safeguards.get_rule_change(
        session, coop_id=coop_id, rule_change_id=rule_change_id, lock=True
    )
    change = await safeguards.withdraw(session, actor, change, now=now)
    return RuleChangeRead.model_validate(change)


@router.get(
    "/{coop_id}/audit",
    response_model=CursorPage[AuditEntryRead],
    responses=problems(CoopNotFound, CoopAdminRequired, OutsideMandate, NoMandate),
)
async def list_coop_audit(
    coop_id: uuid.UUID, session: SessionDep, admin: CoopAdmin, actor: CurrentActor, page: PageDep
) -> CursorPage[AuditEntryRead]:
    """The co-op's audit trail, newest first (administrators). Entries about safeguarding
    concerns (ids only) are shown to safeguarding leads and platform administrators alone."""
    reads_concerns = admin.safeguarding_lead or actor.user.is_platform_admin
    items, next_cursor = await audit.coop_trail(
        session,
        coop_id,
        page,
        hidden_subject_types=() if reads_concerns else (SAFEGUARDING_SUBJECT,),
    )
    return CursorPage[AuditEntryRead](
        items=[AuditEntryRead.model_validate(e) for e in items], next_cursor=next_cursor
    )


# The sub-resources' routes, under this router's prefix and tags.
from app.coops.members_router import router as members_router  # noqa: E402

router.include_router(members_router)
