"""The audit chain's hashing rule (SPEC section 11), with no database.

An entry's hash is the hex SHA-256 of `prev_hash` followed by the entry's canonical JSON:
every published field but `prev_hash` and `hash`, keys sorted, no spaces, UTF-8. What is
published is exactly what was hashed, so an auditor recomputes every hash from the
published JSON alone. (`GET /me/activity` adds a `description` in the reader's language
beside each entry: a reading aid, not part of the entry, left out like `prev_hash` and
`hash` when re-hashing.)

Three forms of entry exist. Form 1 (entries written before `about_user_id` was hashed) is
the nine fields of SPEC section 11; form 2 adds `about_user_id`, the person the entry
concerns (what drives GET /me/activity); form 3 is form 2 for an act whose doer is
deliberately never named (a tender question's asker): `about_user_id` is published and
hashed as null, and only the unpublished index column finds the entry for that person. Each
entry is published in its own form, so the one rule "every field but prev_hash and hash"
re-hashes them all; entries are never rewritten.
"""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64
FORM_WITHOUT_ABOUT = 1
FORM_WITH_ABOUT = 2
FORM_ABOUT_WITHHELD = 3
CURRENT_FORM = FORM_WITH_ABOUT
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
FIELDS_BY_FORM = {
    FORM_WITHOUT_ABOUT: HASHED_FIELDS,
    FORM_WITH_ABOUT: (*HASHED_FIELDS, "about_user_id"),
    FORM_ABOUT_WITHHELD: (*HASHED_FIELDS, "about_user_id"),
}


def format_at(at: datetime) -> str:
    """The one spelling of an entry's time, hashed and published: UTC, microseconds, +00:00
    (e.g. `2026-03-02T09:00:00.000000+00:00`)."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_json(entry: dict[str, Any], *, form: int = CURRENT_FORM) -> str:
    """The entry's fields of its form, keys sorted, no spaces (UTF-8 when hashed)."""
    return compact_json({name: entry[name] for name in FIELDS_BY_FORM[form]})


def compact_json(value: dict[str, Any]) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, entry: dict[str, Any], *, form: int = CURRENT_FORM) -> str:
    canonical = canonical_json(entry, form=form)
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()
