"""The signed-in person's own pages: home (what they hold, what waits for them), their Direct
Payment, applying to join a co-op, and the approvals their representatives asked for."""

import uuid

from fastapi import Request
from fastapi.responses import Response

from app.areas import service as areas
from app.coops import service as coops
from app.coops.schemas import MemberApplication
from app.core.clock import local_date
from app.core.errors import AppError
from app.core.pagination import PageRequest, Sort, paginate
from app.core.routing import Router
from app.councils import service as councils
from app.direct_payments import service as direct_payments
from app.direct_payments.schemas import DirectPaymentSet
from app.me import service as me
from app.representatives import approvals
from app.representatives import service as representatives
from app.representatives.models import Approval, ApprovalStatus
from app.tenders.invoices import checking
from app.web.decisions_router import open_votes
from app.web.forms import in_pounds, pounds_to_pence, read_form, refuse, validated
from app.web.pages import EMPTY_FORM, AnyPage, FormState, Page, SignedInPage
from app.web.route import PageRoute
from app.web.texts import TEXTS
from app.web.visits_router import holder_visits
from app.workflows import membership
from app.workflows.allowance import allowance

router = Router(route_class=PageRoute, include_in_schema=False)
SHOWN = 50


def approval_kind(page: Page, kind: str) -> str:
    """What waits, in words; a kind the pages do not name yet is still listed."""
    key = f"approval.kind.{kind}"
    return page.t(key) if key in TEXTS else page.t("approval.kind_other", kind=kind)


@router.get("/")
async def home(page: AnyPage) -> Response:
    """Signed out: what the service is. Signed in: the person's co-ops and balances, their
    allowance this cycle, what waits for them (approvals, open votes, visits to confirm,
    invoices to check), and the holders they act for."""
    if page.actor is None:
        return page.render("home_public.html", done=page.request.query_params.get("done"))
    user = page.user
    held = await me.memberships(page.session, user.id)
    today = local_date(page.now)
    award = await direct_payments.version_in_force(page.session, user.id, on=today)
    headroom = await allowance(page.session, award, on=today) if award else None
    waiting = await paginate(
        page.session,
        approvals.waiting_for(user.id, status=ApprovalStatus.pending),
        PageRequest(limit=SHOWN),
        order=[Sort(Approval.created_at), Sort(Approval.id)],
        key=lambda a: (a.created_at, a.id),
    )
    votes = await open_votes(page, held)
    active = {m.coop_id: m for m in held if m.status == "active"}
    # Invoices charging the person a line they have not agreed to, by co-op.
    unchecked = await checking.to_check(page.session, [m.id for m in active.values()])
    invoices_to_check = [(m, unchecked[m.id]) for m in active.values() if m.id in unchecked]
    # A council officer reaches their council's pages from here.
    council_areas = await councils.officer_area_codes(page.session, user.id)
    return page.render(
        "home.html",
        council_areas=council_areas,
        memberships=held,
        award=award,
        headroom=headroom,
        approvals=waiting[0],
        votes=votes,
        invoices_to_check=invoices_to_check,
        visits_waiting=(await holder_visits(page, decided=False, memberships=held)).waiting,
        representing=[
            holder for _, holder in await representatives.representing(page.session, user.id)
        ],
        done=page.request.query_params.get("done"),
        kind=lambda kind: approval_kind(page, kind),
    )


# The Direct Payment --------------------------------------------------------------------


async def show_direct_payment(page: Page, form: FormState) -> Response:
    user = page.user
    today = local_date(page.now)
    award = await direct_payments.version_in_force(page.session, user.id, on=today)
    headroom = await allowance(page.session, award, on=today) if award else None
    names = {
        a.code: a.name_cy if page.language == "cy" else a.name_en
        for a in await areas.list_areas(page.session)
    }
    return page.render(
        "holder/direct_payment.html",
        form=form,
        award=award,
        headroom=headroom,
        history=await direct_payments.history(page.session, user.id),
        area_options=sorted(names.items(), key=lambda pair: pair[1]),
        area_names=names,
        today=today.isoformat(),
        done=page.request.query_params.get("done"),
    )


@router.get("/direct-payment")
async def direct_payment(page: SignedInPage) -> Response:
    return await show_direct_payment(page, EMPTY_FORM)


@router.post("/direct-payment")
async def record_direct_payment(request: Request, page: SignedInPage) -> Response:
    """Declare a version of the award (`PUT /api/v1/me/direct-payment`'s rules)."""
    values = await read_form(request)
    try:
        fields: dict[str, object] = {
            k: values[k] for k in ("area_code", "start_date", "end_date") if k in values
        }
        weekly = pounds_to_pence(values.get("weekly_amount"), "weekly_amount")
        if weekly is not None:
            fields["weekly_amount_pence"] = weekly
        if "assessed_hours_per_week" in values:
            fields["assessed_hours_per_week"] = _whole_number(values["assessed_hours_per_week"])
        body = validated(DirectPaymentSet, fields)
        await direct_payments.set_award(
            page.session,
            page.me,
            direct_payments.AwardFigures(
                area_code=body.area_code,
                weekly_amount_pence=body.weekly_amount_pence,
                start_date=body.start_date,
                end_date=body.end_date,
                assessed_hours_per_week=body.assessed_hours_per_week,
            ),
            now=page.now,
        )
    except AppError as error:
        raise refuse(
            page.language,
            in_pounds(error, pence_field="weekly_amount_pence", form_field="weekly_amount"),
            values,
            show_direct_payment,
            fields={"award_in_past": "start_date", "award_confirmed": "start_date"},
        ) from error
    return page.redirect("/direct-payment?done=recorded")


def _whole_number(value: str) -> object:
    """Digits as a number; anything else is left for the schema to refuse."""
    return int(value) if value.isdigit() and len(value) < 10 else value


# Joining a co-op -----------------------------------------------------------------------


@router.post("/coops/{coop_id}/join")
async def apply_to_join(coop_id: uuid.UUID, request: Request, page: SignedInPage) -> Response:
    """Apply as a member of the chosen class; an administrator approves."""
    values = await read_form(request)
    coop = await coops.get_coop(page.session, coop_id)
    body = validated(MemberApplication, {k: v for k, v in values.items() if k == "member_class"})
    await membership.apply_to_join(
        page.session, page.me, coop, member_class=body.member_class, now=page.now
    )
    return page.redirect(f"/coops/{coop.id}?done=applied")


# Approvals -----------------------------------------------------------------------------


@router.get("/approvals")
async def list_approvals(page: SignedInPage) -> Response:
    """What the person's representatives started that waits for their decision."""
    items, _ = await paginate(
        page.session,
        approvals.waiting_for(page.user.id, status=ApprovalStatus.pending),
        PageRequest(limit=SHOWN),
        order=[Sort(Approval.created_at), Sort(Approval.id)],
        key=lambda a: (a.created_at, a.id),
    )
    return page.render(
        "holder/approvals.html",
        approvals=items,
        done=page.request.query_params.get("done"),
        kind=lambda kind: approval_kind(page, kind),
    )


async def _decide(page: Page, approval_id: uuid.UUID, *, approve: bool) -> Response:
    approval = await approvals.get_for_decider(
        page.session, user_id=page.user.id, approval_id=approval_id
    )
    await approvals.decide(page.session, page.me, approval, approve=approve, now=page.now)
    return page.redirect(f"/approvals?done={'approved' if approve else 'refused'}")


@router.post("/approvals/{approval_id}/approve")
async def approve(approval_id: uuid.UUID, page: SignedInPage) -> Response:
    """Approve in person (the API's `POST /me/approvals/{id}/approve`): it goes ahead."""
    return await _decide(page, approval_id, approve=True)


@router.post("/approvals/{approval_id}/refuse")
async def refuse_approval(approval_id: uuid.UUID, page: SignedInPage) -> Response:
    """Refuse in person: what was asked does not happen."""
    return await _decide(page, approval_id, approve=False)
