"""Forms: reading what was posted, checking it with the API's own input schemas, and showing
a refused form again with its errors beside the fields and in a summary."""

import re
import secrets
from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError

from app.core.errors import AppError, ValidationFailed
from app.core.field_errors import field_error, from_pydantic, localise
from app.core.i18n import Language
from app.web.pages import FormState, Page
from app.web.texts import text

M = TypeVar("M", bound=BaseModel)
Shower = Callable[[Page, FormState], Awaitable[Response]]
# Never shown again in a refused form.
NOT_KEPT = ("password", "csrf_token", "idempotency_key", "token")
POUNDS = re.compile(r"£?\s*([0-9]{1,9})(?:\.([0-9]{1,2}))?")


class Refused(Exception):
    """A form the rules refused. Raised, so that the request's transaction rolls back and
    nothing it did is kept; the page is then shown again, read afresh, with `state`."""

    def __init__(self, show: Shower, state: FormState, status: int) -> None:
        super().__init__("form refused")
        self.show = show
        self.state = state
        self.status = status


async def read_form(request: Request) -> dict[str, str]:
    """The posted fields, text only, trimmed; a field sent empty counts as not sent."""
    form = await request.form()
    values: dict[str, str] = {}
    for name, value in form.multi_items():
        if isinstance(value, str) and value.strip():
            values[name] = value.strip()
    return values


def new_idempotency_key() -> str:
    """A key for one showing of a money form: sent twice (a double click, a reload), the
    second answer is the first one's and the money moves once."""
    return secrets.token_urlsafe(24)


def validated(model: type[M], data: Mapping[str, object]) -> M:
    """`data` checked by the API's schema for the same request: one set of rules."""
    try:
        return model.model_validate(dict(data))
    except ValidationError as invalid:
        raise ValidationFailed([from_pydantic(e) for e in invalid.errors()]) from invalid


def pounds_to_pence(value: str | None, field: str) -> int | None:
    """ "25", "25.50" or "£25.50" as pence; None when nothing was typed. Exact: never a float."""
    if value is None:
        return None
    found = POUNDS.fullmatch(value.replace(",", ""))
    if found is None:
        raise ValidationFailed(
            [
                field_error(
                    ["body", field],
                    text("error.pounds", "en"),
                    msg_cy=text("error.pounds", "cy"),
                    type="value_error",
                )
            ]
        )
    pounds, pennies = found.groups()
    return int(pounds) * 100 + int((pennies or "0").ljust(2, "0"))


def in_pounds(error: AppError, *, pence_field: str, form_field: str) -> AppError:
    """The API's schema speaks pence (`pence_field`); the form's field is in pounds: a
    validation error names the form's field, so that it shows beside it."""
    for item in error.extra.get("errors", []) if error.code == "validation_error" else []:
        item["loc"] = [form_field if part == pence_field else part for part in item["loc"]]
    return error


def state_of(
    error: AppError,
    language: Language,
    values: Mapping[str, str],
    *,
    fields: Mapping[str, str] | None = None,
) -> FormState:
    """Why `error` refused the form, in `language`: a validation problem per field, any other
    problem by its code (`fields` names the field a code is about) with its own bilingual
    detail, as the API would have answered."""
    kept = {k: v for k, v in values.items() if not any(word in k for word in NOT_KEPT)}
    errors: dict[str, str] = {}
    summary: list[tuple[str | None, str]] = []
    if isinstance(error, ValidationFailed):
        for item in localise(error.extra["errors"], language):
            loc = list(item["loc"])
            # The API's locations start at the request's "body"; a form's field may itself be
            # called `body` (a question, a reply), so only a leading "body" is taken off.
            if len(loc) > 1 and loc[0] == "body":
                loc = loc[1:]
            named = [part for part in loc if isinstance(part, str)]
            name = named[-1] if named else None
            message = str(item["msg"])
            if name is not None and name in errors:
                continue
            if name is not None:
                errors[name] = message
            summary.append((name, message))
    else:
        name = (fields or {}).get(error.code)
        message = error.detail_in(language)
        if name is not None:
            errors[name] = message
        summary.append((name, message))
    return FormState(values=kept, errors=errors, summary=tuple(summary))


def refuse(
    language: Language,
    error: AppError,
    values: Mapping[str, str],
    show: Shower,
    *,
    fields: Mapping[str, str] | None = None,
) -> Refused:
    status = error.status if 400 <= error.status < 500 else 422
    return Refused(show, state_of(error, language, values, fields=fields), status)
