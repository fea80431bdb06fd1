"""Audit entries, checkpoints and the signing key on the wire."""

import uuid
from typing import Any

from pydantic import (
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from app.audit.models import AuditEntry
from app.audit.service import published
from app.core.schemas import Output

HEX_HASH = r"^[0-9a-f]{64}$"


class AuditEntryRead(Output):
    """An audit entry exactly as hashed: `hash` is the hex SHA-256 of `prev_hash` followed by
    the canonical JSON of every other field of this object (keys sorted, no spaces, UTF-8),
    so the published JSON alone re-hashes. Entries written before `about_user_id` was hashed
    are published without that key."""

    seq: int
    at: str = Field(
        description="When, in UTC with microseconds and `+00:00`, spelt exactly as hashed.",
        examples=["2026-03-02T09:00:00.000000+00:00"],
    )
    actor_user_id: uuid.UUID | None
    on_behalf_of_user_id: uuid.UUID | None
    coop_id: uuid.UUID | None
    action: str
    subject_type: str
    subject_id: str
    data: dict[str, Any]
    about_user_id: uuid.UUID | None = Field(
        default=None,
        description="The person the entry concerns (what GET /me/activity finds). Absent on "
        "entries written before it was hashed; present (possibly null) on every later one.",
    )
    prev_hash: str
    hash: str
    _hashes_about: bool = PrivateAttr(default=True)

    @model_validator(mode="before")
    @classmethod
    def _from_entry(cls, data: Any) -> Any:
        if isinstance(data, AuditEntry):
            return published(data)
        return data

    @model_validator(mode="after")
    def _form(self) -> "AuditEntryRead":
        self._hashes_about = "about_user_id" in self.model_fields_set
        return self

    # No return annotation: the published schema stays this model's own.
    @model_serializer(mode="wrap")
    def _published(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        out: dict[str, Any] = handler(self)
        if not self._hashes_about:
            out.pop("about_user_id", None)
        return out


class AuditVerification(Output):
    ok: bool
    entries_checked: int
    first_bad_seq: int | None


class AuditCheckpoint(Output):
    """The chain's head, signed. `signature` is standard base64 of the Ed25519 signature over
    the UTF-8 bytes of the canonical JSON of `{"at", "hash", "seq"}` (keys sorted, no spaces),
    e.g. `{"at":"2026-03-02T09:00:00.000000+00:00","hash":"<64 hex>","seq":42}`, by the key at
    GET /api/v1/audit/public-key. Keep it: GET /api/v1/admin/audit/verify?seq=&hash= later
    shows whether the chain still holds that entry."""

    seq: int = Field(description="The newest entry's seq (0 for an empty chain).")
    hash: str = Field(description="The newest entry's hash (64 zeros for an empty chain).")
    at: str = Field(
        description="When the checkpoint was taken, UTC with microseconds and `+00:00`.",
        examples=["2026-03-02T09:00:00.000000+00:00"],
    )
    signature: str = Field(description="Standard base64 of the 64-byte Ed25519 signature.")


class AuditPublicKey(Output):
    algorithm: str = Field(examples=["Ed25519"])
    public_key: str = Field(description="Standard base64 of the raw 32-byte Ed25519 public key.")
    key_id: str = Field(description="The first 16 hex digits of SHA-256 of the raw public key.")
