"""One error hierarchy: each class carries its status, stable code and bilingual texts."""

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, Field

from app.core.field_errors import FieldError, localise
from app.core.i18n import Language

T = TypeVar("T")


class AppError(Exception):
    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"
    title: ClassVar[str] = "Internal error"
    title_cy: ClassVar[str] = "Gwall mewnol"
    detail: ClassVar[str] = "Something went wrong on our side. It has been logged."
    detail_cy: ClassVar[str] = "Aeth rhywbeth o'i le ar ein hochr ni. Mae wedi'i gofnodi."

    def __init__(
        self,
        *,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        **params: Any,
    ) -> None:
        super().__init__(self.code)
        self.params = params
        self.extra = extra or {}
        self.headers = headers or {}

    def title_in(self, language: Language) -> str:
        return self.title_cy if language == "cy" else self.title

    def detail_in(self, language: Language) -> str:
        template = self.detail_cy if language == "cy" else self.detail
        return template.format(**self.params) if self.params else template

    def extra_in(self, language: Language) -> dict[str, Any]:
        """The problem's further members, in `language` where they hold text."""
        del language
        return self.extra


class BadRequest(AppError):
    status, code = 400, "bad_request"
    title, title_cy = "Bad request", "Cais gwallus"
    detail = "The request could not be understood."
    detail_cy = "Nid oedd modd deall y cais."


class MalformedBody(BadRequest):
    code = "malformed_body"
    title, title_cy = "Malformed body", "Corff y cais yn annilys"
    detail = "The request body is not well-formed JSON (or not the content type declared)."
    detail_cy = "Nid yw corff y cais yn JSON dilys (neu nid yw o'r math a nodwyd)."


class NotAuthenticated(AppError):
    status, code = 401, "not_authenticated"
    title, title_cy = "Not authenticated", "Heb ddilysu"
    detail = "A valid bearer token is needed."
    detail_cy = "Mae angen tocyn dilys."


class Forbidden(AppError):
    status, code = 403, "forbidden"
    title, title_cy = "Forbidden", "Gwaharddwyd"
    detail = "You are not allowed to do this."
    detail_cy = "Ni chewch wneud hyn."


class NotFound(AppError):
    status, code = 404, "not_found"
    title, title_cy = "Not found", "Heb ei ganfod"
    detail = "There is nothing here, or you may not see it."
    detail_cy = "Does dim byd yma, neu ni chewch ei weld."


class MethodNotAllowed(AppError):
    status, code = 405, "method_not_allowed"
    title, title_cy = "Method not allowed", "Dull heb ei ganiatáu"
    detail = "This address does not accept that method."
    detail_cy = "Nid yw'r cyfeiriad hwn yn derbyn y dull hwnnw."


class Conflict(AppError):
    status, code = 409, "conflict"
    title, title_cy = "Conflict", "Gwrthdaro"
    detail = "The request conflicts with the current state."
    detail_cy = "Mae'r cais yn gwrthdaro â'r cyflwr presennol."


class BodyTooLarge(AppError):
    status, code = 413, "body_too_large"
    title, title_cy = "Body too large", "Corff yn rhy fawr"
    detail = "The request body is larger than {limit} bytes."
    detail_cy = "Mae corff y cais yn fwy na {limit} beit."


class Unprocessable(AppError):
    status, code = 422, "unprocessable"
    title, title_cy = "Unprocessable request", "Cais na ellir ei brosesu"
    detail = "The request is well-formed but breaks a rule."
    detail_cy = "Mae'r cais yn ddilys o ran ffurf ond yn torri rheol."


class NamesTheFields(Unprocessable):
    """A 422 whose `errors` name the fields in error, each item sent as a validation
    problem's are: with its `type`, its message in the answer's language."""

    def __init__(self, errors: list[FieldError]) -> None:
        """`errors`: items made by `app.core.field_errors` (`field_error`, `from_pydantic`); a
        bare `{"loc", "msg"}` is sent with type `value_error`."""
        super().__init__(extra={"errors": errors})

    def extra_in(self, language: Language) -> dict[str, Any]:
        return {**self.extra, "errors": localise(self.extra["errors"], language)}


class ValidationFailed(NamesTheFields):
    code = "validation_error"
    title, title_cy = "Validation error", "Gwall dilysu"
    detail = "Some fields are missing or invalid; see errors."
    detail_cy = "Mae rhai meysydd ar goll neu'n annilys; gweler errors."


class UnsupportedMediaType(AppError):
    status, code = 415, "unsupported_media_type"
    title, title_cy = "Unsupported media type", "Math o gyfrwng heb ei gefnogi"
    detail = "This endpoint expects {expected}."
    detail_cy = "Mae'r pwynt terfyn hwn yn disgwyl {expected}."


class TooManyRequests(AppError):
    status, code = 429, "too_many_requests"
    title, title_cy = "Too many requests", "Gormod o geisiadau"
    detail = "Too many requests; try again later."
    detail_cy = "Gormod o geisiadau; rhowch gynnig arall arni yn nes ymlaen."


class InternalError(AppError):
    pass


class InternalInconsistency(InternalError):
    """Something the data model promises did not hold (a row that is never deleted is gone):
    500 `internal_error`. The reason is for the logs and is never sent."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.code}: {self.reason}"


def must_exist(value: T | None, reason: str) -> T:
    """The value, which the data model promises is there; InternalInconsistency if not."""
    if value is None:
        raise InternalInconsistency(reason)
    return value


class NotReady(AppError):
    status, code = 503, "not_ready"
    title, title_cy = "Not ready", "Ddim yn barod"
    detail = "The service cannot serve requests yet: {reason}."
    detail_cy = "Ni all y gwasanaeth ateb ceisiadau eto: {reason}."


class Busy(AppError):
    status, code = 503, "busy"
    title, title_cy = "Busy", "Prysur"
    detail = "The service is busy and could not serve this request in time; try again shortly."
    detail_cy = (
        "Mae'r gwasanaeth yn brysur ac ni allai ateb y cais hwn mewn pryd; "
        "rhowch gynnig arall arni cyn bo hir."
    )


class FieldErrorRead(BaseModel):
    """One field in error: where, what kind of error (Pydantic's error types), its limits, and
    a message in the answer's language."""

    loc: list[str | int] = Field(examples=[["body", "password"]])
    msg: str = Field(examples=["String should have at least 12 characters"])
    type: str = Field(
        examples=["string_too_short"],
        description="A machine error type: `missing`, `string_too_short`, `int_type`, "
        "`greater_than_equal`, `extra_forbidden`, `value_error`, ...",
    )
    ctx: dict[str, str | int | float] | None = Field(
        default=None,
        examples=[{"min_length": 12}],
        description="The limits the value broke, where the error has any (strings and "
        "numbers only).",
    )


class Problem(BaseModel):
    """An RFC 9457 problem: the body of every error answer."""

    type: str = Field(examples=["https://dpc.cymru/problems/not_found"])
    title: str
    status: int
    detail: str
    code: str = Field(description="Stable machine-readable error code (snake_case).")
    errors: list[FieldErrorRead] | None = Field(
        default=None, description="For validation failures: one item per field in error."
    )


PROBLEM_TYPE_BASE = "https://dpc.cymru/problems/"


def problem_body(error: AppError, language: Language) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + error.code,
        "title": error.title_in(language),
        "status": error.status,
        "detail": error.detail_in(language),
        "code": error.code,
    }
    body.update(error.extra_in(language))
    return body


def iter_error_classes(root: type[AppError] = AppError) -> Iterator[type[AppError]]:
    yield root
    for sub in root.__subclasses__():
        yield from iter_error_classes(sub)


def error_catalogue() -> dict[str, type[AppError]]:
    """Every code the service can answer with, from the classes themselves."""
    catalogue: dict[str, type[AppError]] = {}
    for cls in iter_error_classes():
        catalogue.setdefault(cls.code, cls)
    return catalogue


def problems(*errors: type[AppError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for a route: each status with the codes it may carry."""
    by_status: dict[int, list[str]] = {}
    classes: list[type[AppError]] = [*errors, ValidationFailed, InternalError]
    for cls in classes:
        by_status.setdefault(cls.status, [])
        if cls.code not in by_status[cls.status]:
            by_status[cls.status].append(cls.code)
    return {
        status: {
            "description": "Problem codes: " + ", ".join(f"`{c}`" for c in codes),
            "content": PROBLEM_CONTENT,
        }
        for status, codes in sorted(by_status.items())
    }


PROBLEM_CONTENT = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _drop_null_from_parameters(operation: dict[str, Any]) -> None:
    """A query or header value is text or absent, never JSON null: say so in the schema."""
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        options = schema.get("anyOf")
        if not options:
            continue
        kept = [option for option in options if option.get("type") != "null"]
        if len(kept) == 1:
            parameter["schema"] = {
                **{k: v for k, v in schema.items() if k != "anyOf"},
                **kept[0],
            }


NO_NUL = "^[^\\u0000]*$"


def forbid_nul_in_text(openapi: dict[str, Any]) -> None:
    """Say in the schema what the service enforces: no text may hold the NUL character."""

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if (
                node.get("type") == "string"
                and not {"pattern", "format", "enum", "const"} & node.keys()
            ):
                node["pattern"] = NO_NUL
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(openapi.get("components", {}).get("schemas", {}))
    for operations in openapi.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict):
                visit(operation.get("parameters", []))
                visit(operation.get("requestBody", {}))


def _error(code: str) -> type[AppError]:
    return error_catalogue()[code]


def complete_problem_responses(openapi: dict[str, Any]) -> None:
    """Document what every operation can answer whatever its route declares.

    422 is always a problem (never the framework's own shape); a body can be malformed (400),
    too large (413) or of another media type than the route takes (415); a route behind a
    bearer token can answer 401.
    """
    for operations in openapi.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            _drop_null_from_parameters(operation)
            responses = operation["responses"]
            extra: list[type[AppError]] = [BadRequest, ValidationFailed, InternalError, Busy]
            if "requestBody" in operation:
                extra += [MalformedBody, BodyTooLarge, UnsupportedMediaType]
            if operation.get("security"):
                extra.append(NotAuthenticated)
            parameters = {p.get("name", "").lower() for p in operation.get("parameters", [])}
            if "x-on-behalf-of" in parameters:
                extra += [_error("no_mandate"), _error("outside_mandate")]
            for cls in extra:
                key = str(cls.status)
                entry = responses.get(key)
                if entry is None or "application/json" in entry.get("content", {}):
                    responses[key] = {
                        "description": f"Problem codes: `{cls.code}`",
                        "content": PROBLEM_CONTENT,
                    }
                elif f"`{cls.code}`" not in entry.get("description", ""):
                    entry["description"] += f", `{cls.code}`"
                    entry["content"] = PROBLEM_CONTENT


def codes_table(classes: Iterable[type[AppError]]) -> str:
    rows = sorted({(cls.status, cls.code, cls.title) for cls in classes})
    return "\n".join(f"| {status} | `{code}` | {title} |" for status, code, title in rows)
