"""The audit chain's hashing rule (SPEC section 11), with no database."""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "seq",
    "at",
    "actor_user_id",
    "on_behalf_of_user_id",
    "coop_id",
    "action",
    "subject_type",
    "subject_id",
    "data",
)


def format_at(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_json(entry: dict[str, Any]) -> str:
    """Every field but prev_hash and hash, keys sorted, no spaces (UTF-8 when hashed)."""
    return json.dumps(
        {name: entry[name] for name in HASHED_FIELDS},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def entry_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(entry)).encode("utf-8")).hexdigest()
