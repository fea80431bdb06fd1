"""A co-op administrator's tenders: the list, drafting one, editing the draft, publishing or
cancelling it, and the tender's own page at every stage (its bids, evaluation, award and
contract are acted on from `tender_award_router`).

Each form calls the service the API's route calls, with the API's input schema; the form's
fields are only turned into what that schema takes (pounds into pence, a time in Wales into a
moment with its offset, digits into whole numbers)."""

import re
import uuid
from datetime import datetime
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

from app.areas import service as areas
from app.coops.models import Coop
from app.core.clock import WALES
from app.core.errors import AppError, ValidationFailed
from app.core.field_errors import FieldError, field_error
from app.core.pagination import PageRequest, Sort, paginate
from app.core.routing import Router
from app.providers.models import ServiceType, WelshLanguage
from app.tenders import service as tenders
from app.tenders.dependencies import Administered, admin_tender, signed_in_tender
from app.tenders.errors import InvalidTenderTransition, TenderNotFound
from app.tenders.models import Tender
from app.tenders.schemas import TenderCreate, TenderUpdate
from app.tenders.states import TenderStatus
from app.web.forms import pounds_to_pence, read_form, refuse, validated
from app.web.membership import admin_of
from app.web.pages import EMPTY_FORM, FormState, Page, SignedInPage
from app.web.rendering import pounds_field
from app.web.route import PageRoute
from app.web.texts import text

router = Router(route_class=PageRoute, include_in_schema=False)
M = TypeVar("M", bound=BaseModel)
SHOWN = 50
DIGITS = re.compile(r"-?[0-9]{1,9}")
# The form's own names for the fields it turns into the schema's.
FORM_NAMES = {"max_hourly_rate_pence": "max_hourly_rate"}
WHOLE_FIELDS = ("price_weight", "quality_weight", "standstill_days")
TEXT_FIELDS = (
    "title",
    "title_cy",
    "description",
    "description_cy",
    "service_type",
    "welsh_language_required",
)
OPTIONAL_FIELDS = ("title_cy", "description_cy")


async def administered(page: Page, coop_id: uuid.UUID, tender_id: uuid.UUID) -> Administered:
    """The tender, brought up to date, for an administrator of its co-op (the API's
    `TenderAdmin`): another co-op's tender does not exist here."""
    coop, _ = await admin_of(page, coop_id)
    seen = await signed_in_tender(tender_id, page.session, page.me, page.now)
    if seen.tender.coop_id != coop.id:
        raise TenderNotFound
    return await admin_tender(seen, page.session)


def tender_address(coop_id: uuid.UUID, tender_id: uuid.UUID, done: str | None = None) -> str:
    address = f"/coops/{coop_id}/admin/tenders/{tender_id}"
    return f"{address}?done={done}" if done else address


@router.get("/coops/{coop_id}/admin/tenders")
async def list_tenders(
    coop_id: uuid.UUID, page: SignedInPage, cursor: str | None = None
) -> Response:
    """The co-op's tenders, drafts included, newest first (`GET .../coops/{id}/tenders`):
    one past its deadline is settled first, so it shows the stage it has reached."""
    coop, admin = await admin_of(page, coop_id)
    await tenders.settle_due(page.session, page.me, now=page.now, coop_id=coop.id)
    items, next_cursor = await paginate(
        page.session,
        tenders.coop_tenders(coop.id),
        PageRequest(limit=SHOWN, cursor=cursor),
        order=[Sort(Tender.created_at, descending=True), Sort(Tender.id, descending=True)],
        key=lambda t: (t.created_at, t.id),
    )
    return page.render(
        "coop/tender_list.html",
        coop=coop,
        membership=admin,
        current="tenders",
        tenders=await tenders.describe(page.session, items),
        next_cursor=next_cursor,
    )


# Drafting and editing.


def deadline_field(tender: Tender) -> str:
    """The deadline as a `datetime-local` field shows it: the time in Wales."""
    local = tender.submission_deadline.astimezone(WALES)
    return local.strftime("%Y-%m-%dT%H:%M:%S" if local.second else "%Y-%m-%dT%H:%M")


def draft_values(tender: Tender) -> dict[str, str]:
    """What the edit form shows before anything is typed: the draft as it stands."""
    return {
        "title": tender.title,
        "title_cy": tender.title_cy or "",
        "description": tender.description,
        "description_cy": tender.description_cy or "",
        "service_type": tender.service_type.value,
        "area_codes": " ".join(tender.area_codes),
        "max_hourly_rate": pounds_field(tender.max_hourly_rate_pence),
        "welsh_language_required": tender.welsh_language_required.value,
        "price_weight": str(tender.price_weight),
        "quality_weight": str(tender.quality_weight),
        "submission_deadline": deadline_field(tender),
        "standstill_days": str(tender.standstill_days),
    }


async def read_tender_form(request: Request) -> dict[str, str]:
    """The posted fields; the areas ticked (several boxes of one name) kept space-separated."""
    values = await read_form(request)
    ticked = (await request.form()).getlist("area_codes")
    values["area_codes"] = " ".join(v.strip() for v in ticked if isinstance(v, str) and v.strip())
    return values


def wales_moment(value: str, field: str) -> datetime:
    """A time typed in a `datetime-local` field: in Wales unless it says its offset."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(
            [
                field_error(
                    ["body", field],
                    text("tenderadmin.error_moment", "en"),
                    msg_cy=text("tenderadmin.error_moment", "cy"),
                    type="datetime_parsing",
                )
            ]
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=WALES)


def tender_fields(
    values: dict[str, str], *, editing: bool
) -> tuple[dict[str, Any], list[FieldError]]:
    """The form as the API's body, and what could not be read as it: a field left empty is
    not sent when drafting (so the schema says it is needed) and is sent as null when editing
    (so the schema says which may be cleared: only the Welsh title and description)."""
    errors: list[FieldError] = []
    raw: dict[str, Any] = {name: values.get(name) for name in TEXT_FIELDS}
    raw["area_codes"] = values.get("area_codes", "").split() or None
    for name in WHOLE_FIELDS:
        typed = values.get(name)
        raw[name] = int(typed) if typed is not None and DIGITS.fullmatch(typed) else typed
    try:
        raw["max_hourly_rate_pence"] = pounds_to_pence(
            values.get("max_hourly_rate"), "max_hourly_rate"
        )
    except ValidationFailed as invalid:
        errors += invalid.extra["errors"]
    deadline = values.get("submission_deadline")
    try:
        raw["submission_deadline"] = (
            None if deadline is None else wales_moment(deadline, "submission_deadline")
        )
    except ValidationFailed as invalid:
        errors += invalid.extra["errors"]
    unread = {item["loc"][-1] for item in errors}
    body = {
        name: value
        for name, value in raw.items()
        if FORM_NAMES.get(name, name) not in unread and (value is not None or editing)
    }
    return body, errors


def validated_tender(model: type[M], values: dict[str, str], *, editing: bool) -> M:
    """The form checked by the API's schema; every field's problem is told at once, those
    the form could not read first."""
    fields, errors = tender_fields(values, editing=editing)
    try:
        body = validated(model, fields)
    except ValidationFailed as invalid:
        errors += invalid.extra["errors"]
    else:
        if not errors:
            return body
    for item in errors:
        loc = [FORM_NAMES.get(str(part), part) for part in item["loc"]]
        # The weights' own rule speaks of both (the API puts it on the body, or beside the
        # second when editing): it is shown beside the second.
        item["loc"] = loc if loc not in ([], ["body"]) else ["body", "quality_weight"]
    raise ValidationFailed(errors)


async def area_names(page: Page) -> dict[str, str]:
    return {
        area.code: area.name_cy if page.language == "cy" else area.name_en
        for area in await areas.list_areas(page.session)
    }


async def form_choices(page: Page, coop: Coop) -> dict[str, Any]:
    """What a tender's form offers: the co-op's own areas, the service types and Welsh
    offers (labelled from the API's catalogue by the template)."""
    names = await area_names(page)
    return {
        "area_options": [(code, names.get(code, code)) for code in coop.area_codes],
        "service_types": list(ServiceType),
        "welsh_offers": list(WelshLanguage),
    }


async def show_new(page: Page, form: FormState) -> Response:
    coop, admin = await admin_of(page, uuid.UUID(page.request.path_params["coop_id"]))
    if not form.values:
        # A tender usually buys for the whole co-op: its areas start ticked.
        form = FormState(values={"area_codes": " ".join(coop.area_codes)})
    return page.render(
        "coop/tender_form.html",
        coop=coop,
        membership=admin,
        current="tenders",
        form=form,
        tender=None,
        action=f"/coops/{coop.id}/admin/tenders",
        **await form_choices(page, coop),
    )


@router.get("/coops/{coop_id}/admin/tenders/new")
async def new_tender(coop_id: uuid.UUID, page: SignedInPage) -> Response:
    del coop_id
    return await show_new(page, EMPTY_FORM)


@router.post("/coops/{coop_id}/admin/tenders")
async def create_tender(coop_id: uuid.UUID, request: Request, page: SignedInPage) -> Response:
    """Draft a tender (`POST /api/v1/coops/{id}/tenders`): seen by the co-op's members only
    until it is published."""
    values = await read_tender_form(request)
    coop, _ = await admin_of(page, coop_id)
    try:
        body = validated_tender(TenderCreate, values, editing=False)
        tender = await tenders.create_tender(page.session, page.me, coop, fields=body, now=page.now)
    except AppError as error:
        raise refuse(page.language, error, values, show_new) from error
    return page.redirect(tender_address(coop.id, tender.id, "drafted"))


async def show_edit(page: Page, form: FormState) -> Response:
    params = page.request.path_params
    held = await administered(page, uuid.UUID(params["coop_id"]), uuid.UUID(params["tender_id"]))
    return page.render(
        "coop/tender_form.html",
        coop=held.coop,
        membership=held.admin,
        current="tenders",
        form=form if form.values else FormState(values=draft_values(held.tender)),
        tender=held.tender,
        action=f"{tender_address(held.coop.id, held.tender.id)}/edit",
        **await form_choices(page, held.coop),
    )


@router.get("/coops/{coop_id}/admin/tenders/{tender_id}/edit")
async def edit_tender(coop_id: uuid.UUID, tender_id: uuid.UUID, page: SignedInPage) -> Response:
    """The draft's form; a published tender cannot change (409, as the API answers)."""
    held = await administered(page, coop_id, tender_id)
    tenders.require_status(held.tender, TenderStatus.draft)
    return await show_edit(page, EMPTY_FORM)


@router.post("/coops/{coop_id}/admin/tenders/{tender_id}/edit")
async def update_tender(
    coop_id: uuid.UUID, tender_id: uuid.UUID, request: Request, page: SignedInPage
) -> Response:
    """Change the draft (`PATCH /api/v1/tenders/{id}`)."""
    values = await read_tender_form(request)
    held = await administered(page, coop_id, tender_id)
    try:
        body = validated_tender(TenderUpdate, values, editing=True)
        await tenders.update_tender(
            page.session,
            page.me,
            held.tender,
            held.coop,
            changes=body.model_dump(exclude_unset=True),
        )
    except InvalidTenderTransition:
        # Published meanwhile: nothing on this form can be put right.
        raise
    except AppError as error:
        raise refuse(page.language, error, values, show_edit) from error
    return page.redirect(tender_address(coop_id, tender_id, "updated"))
