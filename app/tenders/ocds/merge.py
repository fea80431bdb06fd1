"""The compiled release of a contracting process, by the OCDS 1.1 merge rules (no database).

Releases are merged oldest first (by `date`; stored order breaks ties). An object merges
field by field; a field set to null is removed; a value that is not an object replaces the
one before. An array of objects that all carry an `id` merges item by item, matching on
`id` (identifier merge); any other array, and those the schema marks `wholeListMerge`,
replaces the one before whole. The compiled release takes the latest `date`, the id
`<ocid>-<date>` and the tag `compiled`; releases' own `id`, `date` and `tag` are not merged
(`omitWhenMerged`). The `ocdsmerge` library does this too, but is not among the project's
dependencies; these are the few rules the releases of this service need.
"""

from collections.abc import Sequence
from typing import Any

# Fields of the OCDS 1.1.5 release schema marked "wholeListMerge": true.
WHOLE_LIST_MERGE = frozenset({"additionalIdentifiers", "additionalClassifications"})
OMITTED = frozenset({"id", "date", "tag"})


def compile_releases(releases: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One process's releases (at least one) as its compiled release."""
    if not releases:
        raise ValueError("a compiled release needs at least one release")
    ordered = sorted(releases, key=lambda r: str(r["date"]))  # stable: stored order in ties
    merged: dict[str, Any] = {}
    for release in ordered:
        merged = _merge_object(merged, {k: v for k, v in release.items() if k not in OMITTED})
    the_ocid = str(ordered[-1]["ocid"])
    date = str(ordered[-1]["date"])
    rest = {k: v for k, v in merged.items() if k != "ocid"}
    return {"ocid": the_ocid, "id": f"{the_ocid}-{date}", "date": date, "tag": ["compiled"], **rest}


def _merge_object(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in update.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict):
            before = out.get(key)
            out[key] = _merge_object(before if isinstance(before, dict) else {}, value)
        elif isinstance(value, list):
            before = out.get(key)
            if key in WHOLE_LIST_MERGE or not _identified(value):
                out[key] = list(value)
            else:
                kept = before if isinstance(before, list) and _identified(before) else []
                out[key] = _merge_identified(kept, value)
        else:
            out[key] = value
    return out


def _identified(items: list[Any]) -> bool:
    return bool(items) and all(isinstance(i, dict) and "id" in i for i in items)


def _merge_identified(base: list[dict[str, Any]], update: list[dict[str, Any]]) -> list[Any]:
    """Identifier merge: items keep their first place; a new id is added at the end."""
    out = list(base)
    place = {_key(item): i for i, item in enumerate(out)}
    for item in update:
        key = _key(item)
        if key in place:
            out[place[key]] = _merge_object(out[place[key]], item)
        else:
            place[key] = len(out)
            out.append(_merge_object({}, item))
    return out


def _key(item: dict[str, Any]) -> str:
    # OCDS compares ids as strings: 1 and "1" are the same item.
    return str(item["id"])
