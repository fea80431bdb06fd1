"""Care providers: their record, the service types and areas they offer, their staff."""

import unicodedata
import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, UUIDPrimaryKey, enum_column


class ServiceType(StrEnum):
    domiciliary_support = "domiciliary_support"
    personal_assistant = "personal_assistant"
    respite = "respite"
    day_opportunities = "day_opportunities"
    supported_living = "supported_living"
    adult_placement = "adult_placement"
    care_home_adults = "care_home_adults"
    community_support = "community_support"


class WelshLanguage(StrEnum):
    none = "none"
    some = "some"
    full = "full"


class ProviderStatus(StrEnum):
    pending = "pending"
    verified = "verified"
    suspended = "suspended"


def search_key(text: str) -> str:
    """The form names are matched and sorted in: case-folded, accents set aside.

    People type "wyn" on a phone as often as "ŵyn", and expect "Ŵyn" to sort among the Ws:
    so both the stored key and the query lose their diacritics (â ê î ô û ŵ ŷ, ä ë ï ö ü ẅ ÿ,
    à è ì ò ù ẁ ỳ, á é í ó ú ẃ ý) and are case-folded, which SQLite's lower() would not do.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# Names are unique among verified providers in this same form (SPEC 25: NFKD, combining marks
# removed, then case-folded): "Gofal Cymru" and "GOFAL CYMRÛ" are one name.
fold_name = search_key


class Provider(UUIDPrimaryKey, Base):
    __tablename__ = "provider"
    __table_args__ = (
        CheckConstraint("hourly_rate_pence > 0", name="hourly_rate_positive"),
        CheckConstraint("capacity_hours_per_week > 0", name="capacity_positive"),
        # The area listing walks verified providers cheapest first and stops after a page.
        Index("ix_provider_status_rate_name", "status", "hourly_rate_pence", "name_search", "id"),
        Index("ix_provider_name_search_contact_email", "name_search", "contact_email"),
        # Null is no value to a unique index on either backend: only claimed names count.
        Index("uq_provider_verified_name_key", "verified_name_key", unique=True),
    )

    name: Mapped[str] = mapped_column(String(200))
    # The folded name (`fold_name`): searched, sorted and compared in.
    name_search: Mapped[str] = mapped_column(String(200))
    # The folded name while the provider is verified and holds it, else null: the unique index
    # makes two verified providers of one name impossible even when both are verified at the
    # same moment. Null too for the few verified duplicates stored before the rule (revision
    # 0021 keeps them and lists them); renaming or verifying one again claims its name.
    verified_name_key: Mapped[str | None] = mapped_column(String(200))
    ciw_service_id: Mapped[str | None] = mapped_column(String(50), unique=True)
    hourly_rate_pence: Mapped[int] = mapped_column(Integer)
    capacity_hours_per_week: Mapped[int] = mapped_column(Integer)
    welsh_language: Mapped[WelshLanguage] = mapped_column(enum_column(WelshLanguage))
    contact_email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(30))
    website: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[ProviderStatus] = mapped_column(enum_column(ProviderStatus))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # The provider's entry in the area listing, as the API gives it (JSON), rewritten with
    # every provider write (`listing_entries.keep_entries`). Never loaded with the object.
    listing_entry: Mapped[str | None] = mapped_column(Text, deferred=True, deferred_raiseload=True)

    service_type_rows: Mapped[list["ProviderServiceType"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )
    area_rows: Mapped[list["ProviderArea"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def service_types(self) -> list[ServiceType]:
        offered = {row.service_type for row in self.service_type_rows}
        return [t for t in ServiceType if t in offered]

    @property
    def area_codes(self) -> list[str]:
        return sorted(row.area_code for row in self.area_rows)


class ProviderServiceType(Base):
    __tablename__ = "provider_service_type"
    __table_args__ = (
        Index("ix_provider_service_type_service_type_provider_id", "service_type", "provider_id"),
    )

    provider_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("provider.id", ondelete="CASCADE"), primary_key=True
    )
    service_type: Mapped[ServiceType] = mapped_column(enum_column(ServiceType), primary_key=True)


class ProviderArea(Base):
    """Keyed area first: the area listing and coverage start from an area code.

    Each row carries a copy of its provider's listing keys (listed: verified; the rate and
    the folded name), rewritten from the provider in the transaction of every provider write
    (`touch_directory`): an area's listing is then a walk of one index, in listing order,
    that stops after a page. Null until then, so a row the copy missed is never listed.
    """

    __tablename__ = "provider_area"
    __table_args__ = (
        Index(
            "ix_provider_area_listing",
            "area_code",
            "listed",
            "hourly_rate_pence",
            "name_search",
            "provider_id",
        ),
    )

    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), primary_key=True)
    provider_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("provider.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    listed: Mapped[bool | None]
    hourly_rate_pence: Mapped[int | None] = mapped_column(Integer)
    name_search: Mapped[str | None] = mapped_column(String(200))


class ProviderStaff(Base):
    __tablename__ = "provider_staff"

    provider_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("provider.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_account.id"), primary_key=True, index=True
    )
    added_at: Mapped[datetime]
    added_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))


class ProviderDirectoryStamp(Base):
    """One row whose stamp changes in the same transaction as every provider write.

    Cached answers that span areas are keyed by it, so a change is visible on the next
    request, from every worker, without keeping any state outside the database.
    """

    __tablename__ = "provider_directory_stamp"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stamp: Mapped[uuid.UUID]


class ProviderAreaStamp(Base):
    """One row per area whose stamp changes with every write to a provider serving it, before
    or after the write: an area's cached answers are keyed by it, so a write elsewhere leaves
    them cached. The rows come with the areas (revision 0039)."""

    __tablename__ = "provider_area_stamp"

    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), primary_key=True)
    stamp: Mapped[uuid.UUID]


class ProviderChangeStatus(StrEnum):
    pending = "pending"
    applied = "applied"
    rejected = "rejected"
    # Superseded by a later request of the provider's staff (which replaces what waits).
    superseded = "superseded"
    # The staff sent the listed values back: nothing is left to wait.
    withdrawn = "withdrawn"


class ProviderChange(UUIDPrimaryKey, Base):
    """Changes to a verified provider's listing that wait for a platform administrator.

    The listing keeps the verified values until one applies them (with `verify`); at most one
    request waits per provider (the partial index), and decided ones stay as the record.
    """

    __tablename__ = "provider_change"
    __table_args__ = (
        Index(
            "uq_provider_change_pending",
            "provider_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
    )

    provider_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("provider.id"), index=True)
    status: Mapped[ProviderChangeStatus] = mapped_column(enum_column(ProviderChangeStatus))
    # The fields that change and their new values, as on the wire (only those that differ).
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    requested_at: Mapped[datetime]
    requested_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]
    decided_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    # Why a platform administrator refused it (given to `changes/reject`).
    reason: Mapped[str | None] = mapped_column(Text)
