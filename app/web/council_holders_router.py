"""The holders a council pays, as its officer sees them: the award versions waiting for the
council to confirm (confirmed or rejected here, by the API's own service), and the evidence
holders have shared with the council, only while their grant is in force."""

import uuid
from datetime import date

from fastapi import Request
from fastapi.responses import Response

from app.coops import service as coops
from app.coops.models import Member
from app.core.clock import local_date
from app.core.csv_answer import csv_response
from app.core.errors import AppError
from app.core.pagination import PageRequest, Sort, paginate
from app.core.routing import Router
from app.councils import service as councils
from app.councils.dependencies import Council
from app.direct_payments import council as awards
from app.direct_payments.errors import AwardNotFound
from app.direct_payments.models import AwardStatus, DirectPaymentAward
from app.direct_payments.schemas import AwardConfirm, AwardReject
from app.evidence import consent, pack
from app.evidence.errors import EvidenceNotFound
from app.evidence.models import CouncilAccessGrant
from app.evidence.schemas import EvidenceRead
from app.web.council_router import area_name, area_of, council_of, days_asked
from app.web.forms import in_pounds, pounds_to_pence, read_form, refuse, state_of, validated
from app.web.pages import EMPTY_FORM, FormState, Page, SignedInPage
from app.web.route import PageRoute

router = Router(route_class=PageRoute, include_in_schema=False)
SHOWN = 50


# Awards waiting for the council ------------------------------------------------------------


@router.get("/council/areas/{code}/awards")
async def awards_waiting(code: str, page: SignedInPage, cursor: str | None = None) -> Response:
    """The award versions the council pays that wait for its decision, oldest first (the
    API's `GET /la/areas/{code}/awards?status=declared`)."""
    _, area = await area_of(page, code)
    items, next_cursor = await paginate(
        page.session,
        awards.awards_of_area(area.code, status=AwardStatus.declared),
        PageRequest(limit=SHOWN, cursor=cursor),
        order=[Sort(DirectPaymentAward.created_at), Sort(DirectPaymentAward.id)],
        key=lambda row: (row[0].created_at, row[0].id),
        scalars=False,
    )
    return page.render(
        "council/awards.html",
        area=area,
        name=area_name(area, page),
        current="awards",
        awards=items,
        next_cursor=next_cursor,
        done=page.request.query_params.get("done"),
    )


async def award_seen(
    page: Page, council: Council, award_id: uuid.UUID
) -> tuple[DirectPaymentAward, str]:
    """The version and its holder's name, from the API's list of the council's awards: one
    another council pays is not found."""
    for code in sorted(council.area_codes):
        row = (
            await page.session.execute(
                awards.awards_of_area(code, status=None).where(DirectPaymentAward.id == award_id)
            )
        ).first()
        if row is not None:
            return row[0], row[1]
    raise AwardNotFound


async def show_award(page: Page, form: FormState) -> Response:
    council = await council_of(page)
    award, holder_name = await award_seen(
        page, council, uuid.UUID(page.request.path_params["award_id"])
    )
    _, area = await area_of(page, award.area_code)
    return page.render(
        "council/award.html",
        area=area,
        name=area_name(area, page),
        current="awards",
        award=award,
        holder_name=holder_name,
        form=form,
    )


@router.get("/council/awards/{award_id}")
async def award(award_id: uuid.UUID, page: SignedInPage) -> Response:
    del award_id  # read again by `show_award`, which a refused form calls too
    return await show_award(page, EMPTY_FORM)


@router.post("/council/awards/{award_id}/confirm")
async def confirm_award(award_id: uuid.UUID, request: Request, page: SignedInPage) -> Response:
    """Confirm the version (`POST /la/awards/{id}/confirm`), with the amount the council pays
    and its reference where typed; confirming a confirmed one corrects them."""
    values = await read_form(request)
    council = await council_of(page)
    found = await awards.award_for_council(page.session, council, award_id)
    try:
        fields: dict[str, object] = {k: v for k, v in values.items() if k == "council_reference"}
        weekly = pounds_to_pence(values.get("weekly_amount"), "weekly_amount")
        if weekly is not None:
            fields["weekly_amount_pence"] = weekly
        body = validated(AwardConfirm, fields)
        await awards.confirm(
            page.session,
            council,
            found,
            weekly_amount_pence=body.weekly_amount_pence,
            council_reference=body.council_reference,
            now=page.now,
        )
    except AppError as error:
        raise refuse(
            page.language,
            in_pounds(error, pence_field="weekly_amount_pence", form_field="weekly_amount"),
            values,
            show_award,
        ) from error
    return page.redirect(f"/council/areas/{found.area_code}/awards?done=confirmed")


@router.post("/council/awards/{award_id}/reject")
async def reject_award(award_id: uuid.UUID, request: Request, page: SignedInPage) -> Response:
    """Reject a declared version (`POST /la/awards/{id}/reject`), with the reason the holder
    will read."""
    values = await read_form(request)
    council = await council_of(page)
    found = await awards.award_for_council(page.session, council, award_id)
    try:
        body = validated(AwardReject, {k: v for k, v in values.items() if k == "reason"})
        await awards.reject(page.session, council, found, reason=body.reason, now=page.now)
    except AppError as error:
        raise refuse(
            page.language, error, values, show_award, fields={"invalid_transition": "reason"}
        ) from error
    return page.redirect(f"/council/areas/{found.area_code}/awards?done=rejected")


# Evidence shared with the council ----------------------------------------------------------


@router.get("/council/areas/{code}/holders")
async def holders(code: str, page: SignedInPage, cursor: str | None = None) -> Response:
    """The holders who let the council read their evidence now, oldest grant first (the
    API's `GET /la/areas/{code}/holders`); each listed holder sees this read in their
    activity."""
    council, area = await area_of(page, code)
    items, next_cursor = await paginate(
        page.session,
        consent.holders_of_area(area.code, today=local_date(page.now)),
        PageRequest(limit=SHOWN, cursor=cursor),
        order=[Sort(CouncilAccessGrant.granted_at), Sort(CouncilAccessGrant.id)],
        key=lambda row: (row[0].granted_at, row[0].id),
        scalars=False,
    )
    for found, *_ in items:
        consent.record_council_read(page.session, council, "council_access.listed", found)
    return page.render(
        "council/holders.html",
        area=area,
        name=area_name(area, page),
        current="holders",
        holders=items,
        next_cursor=next_cursor,
    )


async def shared_with(
    page: Page, coop_id: uuid.UUID, member_id: uuid.UUID
) -> tuple[Council, Member, CouncilAccessGrant]:
    """The member, when a grant in force lets the officer's council read their evidence; as
    in the API, anyone else (and a council without such a grant) is told it does not exist."""
    codes = await councils.officer_area_codes(page.session, page.user.id)
    council = Council(area_codes=frozenset(codes), user=page.user)
    member = await coops.find_member(page.session, coop_id=coop_id, member_id=member_id)
    found = (
        None
        if member is None or not codes
        else await consent.council_grant(page.session, council, member, today=local_date(page.now))
    )
    if member is None or found is None:
        raise EvidenceNotFound
    return council, member, found


async def read_evidence(
    page: Page,
    shared: tuple[Council, Member, CouncilAccessGrant],
    *,
    from_date: date | None,
    to_date: date | None,
) -> EvidenceRead:
    """The evidence pack, its read audited about the holder, as the API audits it."""
    council, member, found = shared
    read = await pack.evidence_pack(
        page.session, member, from_date=from_date, to_date=to_date, now=page.now
    )
    consent.record_council_read(
        page.session,
        council,
        "evidence.read_by_council",
        found,
        data={"from": read.from_date.isoformat(), "to": read.to_date.isoformat()},
    )
    return read


@router.get("/council/coops/{coop_id}/members/{member_id}/evidence")
async def evidence(coop_id: uuid.UUID, member_id: uuid.UUID, page: SignedInPage) -> Response:
    """The evidence behind a holder's money for the days chosen (default: since the account
    opened), with a link to the same evidence as CSV."""
    shared = await shared_with(page, coop_id, member_id)
    form = EMPTY_FORM
    try:
        asked = days_asked(page)
        read = await read_evidence(page, shared, from_date=asked.from_date, to_date=asked.to_date)
    except AppError as error:
        form = state_of(error, page.language, dict(page.request.query_params))
        read = await read_evidence(page, shared, from_date=None, to_date=None)
    rows = []
    balance = read.opening_balance_pence
    for movement in read.movements:
        balance += movement.amount_pence
        rows.append((movement, balance))
    return page.render(
        "council/evidence.html",
        grant=shared[2],
        form=form,
        evidence=read,
        rows=rows,
        csv_query=f"from={read.from_date.isoformat()}&to={read.to_date.isoformat()}",
    )


@router.get("/council/coops/{coop_id}/members/{member_id}/evidence.csv")
async def evidence_csv(coop_id: uuid.UUID, member_id: uuid.UUID, page: SignedInPage) -> Response:
    """The evidence as the API's CSV (`?format=csv`): the same rows, byte for byte."""
    shared = await shared_with(page, coop_id, member_id)
    asked = days_asked(page)
    read = await read_evidence(page, shared, from_date=asked.from_date, to_date=asked.to_date)
    filename = f"evidence-{read.member_id}-{read.from_date}-{read.to_date}.csv"
    return page.finish(csv_response(pack.to_csv(read), filename=filename))
