"""Providers on the wire."""

import uuid
from datetime import datetime
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    GetJsonSchemaHandler,
    SerializerFunctionWrapHandler,
    StringConstraints,
    WrapSerializer,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from app.auth.schemas import PersonRef
from app.core.pagination import DEFAULT_LIMIT, PageLimit, PageRequest
from app.core.schemas import (
    AreaCodes,
    ContactEmail,
    DigitsOnly,
    Distinct,
    Input,
    LongText,
    Output,
    Patch,
    ShortText,
)
from app.providers.models import ProviderStatus, ServiceType, WelshLanguage, search_key

NAME_SEARCH_LENGTH = 200


def _folds_to_fit(name: str) -> str:
    # Folding can lengthen a name ("ß" is "ss", "ﬃ" is "ffi", U+FDFA is 18 letters): the
    # folded form is stored too, so it must fit its column as well as the name does.
    if len(search_key(name)) > NAME_SEARCH_LENGTH:
        raise ValueError(
            f"the name is too long once its letters are spelled out in full "
            f"(at most {NAME_SEARCH_LENGTH} characters)"
        )
    return name


ProviderName = Annotated[ShortText, AfterValidator(_folds_to_fit)]
CiwServiceId = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_upper=True,
        min_length=1,
        max_length=50,
        pattern=r"^[A-Za-z0-9-]+$",
    ),
    Field(description="Care Inspectorate Wales service id (letters, digits and hyphens)."),
]
ServiceTypes = Annotated[
    list[ServiceType], Field(min_length=1, max_length=len(ServiceType)), *Distinct
]
# SPEC 19: no listing or bid below £10 an hour (a typing slip, or care no one can staff).
MIN_HOURLY_RATE_PENCE = 1_000
MAX_HOURLY_RATE_PENCE = 100_000
HourlyRate = Annotated[
    int,
    Field(
        strict=True,
        ge=MIN_HOURLY_RATE_PENCE,
        le=MAX_HOURLY_RATE_PENCE,
        description="Pence per hour (at least 1,000).",
    ),
]
CapacityHours = Annotated[
    int, Field(strict=True, ge=1, le=100_000, description="Hours of care a week it can take on.")
]
Phone = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=5, max_length=30, pattern=r"^\+?[0-9 ()-]+$"
    ),
]
Website = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=300, pattern=r"^https?://[^\s/$.?#][^\s]*$"
    ),
    Field(description="An http(s) address."),
]


class ProviderCreate(Input):
    name: ProviderName
    ciw_service_id: CiwServiceId | None = None
    service_types: ServiceTypes
    area_codes: AreaCodes
    hourly_rate_pence: HourlyRate
    capacity_hours_per_week: CapacityHours
    welsh_language: WelshLanguage
    contact_email: ContactEmail
    phone: Phone | None = None
    website: Website | None = None


class ProviderUpdate(Patch):
    """Only the fields sent change; `null` clears an optional field."""

    not_null = frozenset(
        {
            "name",
            "service_types",
            "area_codes",
            "hourly_rate_pence",
            "capacity_hours_per_week",
            "welsh_language",
            "contact_email",
        }
    )

    name: ProviderName | None = None
    ciw_service_id: CiwServiceId | None = None
    service_types: ServiceTypes | None = None
    area_codes: AreaCodes | None = None
    hourly_rate_pence: HourlyRate | None = None
    capacity_hours_per_week: CapacityHours | None = None
    welsh_language: WelshLanguage | None = None
    contact_email: ContactEmail | None = None
    phone: Phone | None = None
    website: Website | None = None

    @field_validator(
        "name",
        "service_types",
        "area_codes",
        "hourly_rate_pence",
        "capacity_hours_per_week",
        "welsh_language",
        "contact_email",
    )
    @classmethod
    def _required_fields_cannot_be_cleared(cls, value: object) -> object:
        if value is None:
            raise ValueError("This field cannot be cleared.")
        return value


class ProviderRead(Output):
    id: uuid.UUID
    name: str
    ciw_service_id: str | None
    service_types: list[ServiceType]
    area_codes: list[str]
    hourly_rate_pence: int
    capacity_hours_per_week: int
    welsh_language: WelshLanguage
    contact_email: str
    phone: str | None
    website: str | None
    status: ProviderStatus
    created_at: datetime


class PendingChanges(Output):
    """What waits for a platform administrator: only the fields that change are present
    (`ciw_service_id: null` means the id is to be cleared)."""

    not_null: ClassVar[frozenset[str]] = frozenset(
        {"name", "contact_email", "service_types", "area_codes"}
    )

    name: str | None = None
    ciw_service_id: str | None = None
    contact_email: str | None = None
    service_types: list[ServiceType] | None = None
    area_codes: list[str] | None = None

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # Present or absent, never null (bar ciw_service_id): say so to clients.
        schema = handler(core_schema)
        target = handler.resolve_ref_schema(schema)
        for name in cls.not_null:
            prop = target.get("properties", {}).get(name)
            if prop and "anyOf" in prop:
                kept = [o for o in prop["anyOf"] if o.get("type") != "null"]
                del prop["anyOf"]
                prop.update(kept[0])
                prop.pop("default", None)
        return schema


def _fields_sent(value: Any, handler: SerializerFunctionWrapHandler) -> Any:
    data = handler(value)
    if isinstance(value, PendingChanges) and isinstance(data, dict):
        return {k: v for k, v in data.items() if k in value.model_fields_set}
    return data


class ProviderDetail(ProviderRead):
    """One provider as its page shows it: the listed (verified) values, and for its staff and
    platform administrators what waits to be applied."""

    # A lambda has no return annotation, so the schema stays PendingChanges' own.
    pending_changes: Annotated[
        PendingChanges | None, WrapSerializer(lambda v, h: _fields_sent(v, h))
    ] = Field(
        default=None,
        description="Changes to `name`, `ciw_service_id`, `contact_email`, `service_types` or "
        "`area_codes` waiting for a platform administrator (`verify` applies them, "
        "`changes/reject` drops them). Shown to the provider's staff and platform "
        "administrators only: null for everyone else, and when nothing waits.",
    )
    pending_changes_requested_at: datetime | None = Field(
        default=None, description="When the staff asked for them (null as `pending_changes`)."
    )


class ChangesReject(Input):
    reason: LongText = Field(description="Why the changes are refused, for the provider's staff.")


class ProviderStaffCreate(PersonRef):
    """The person to add, by `user_id` or `email`."""


class ProviderStaffRead(Output):
    provider_id: uuid.UUID
    user_id: uuid.UUID
    added_at: datetime


class ProviderStaffMember(ProviderStaffRead):
    """One of the provider's staff, as their colleagues see them."""

    full_name: str
    email: str


class AreaListingQuery(BaseModel):
    """The area listing's query string, validated in one step (it is the directory's hot path)."""

    service_type: ServiceType | None = Field(default=None, description="Offers this type.")
    welsh_language: WelshLanguage | None = Field(
        default=None,
        description="At least this Welsh offer: `some` matches `some` and `full`.",
    )
    max_hourly_rate_pence: (
        Annotated[int, Field(ge=1, le=MAX_HOURLY_RATE_PENCE), DigitsOnly] | None
    ) = Field(default=None, description="Charges at most this per hour.")
    q: str | None = Field(default=None, max_length=200, description="Part of the name, any case.")
    limit: PageLimit = Field(default=DEFAULT_LIMIT, description="Page size (at most 200).")
    cursor: str | None = Field(
        default=None, max_length=1000, description="Opaque cursor from `next_cursor`."
    )

    @property
    def page(self) -> PageRequest:
        return PageRequest(limit=self.limit, cursor=self.cursor)

    @property
    def search(self) -> str | None:
        """`q` as names are matched: trimmed and casefolded; None when empty."""
        return search_key(self.q.strip()) if self.q and self.q.strip() else None


class ImportResult(Output):
    created: int
    updated: int


class CoverageRow(Output):
    service_type: ServiceType
    provider_count: int
    lowest_hourly_rate_pence: int | None
    median_hourly_rate_pence: int | None
    welsh_language_providers: int
    gap: bool
