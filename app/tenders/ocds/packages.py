"""OCDS release and record packages around stored releases (no database).

A stored release is placed in a package as the very text that was stored: packages are
written around the releases, never by parsing and writing them again, so a release reads
the same, byte for byte, in every package and for ever. The compiled release of a record is
computed afresh (`merge`); it is not a release and is never stored.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from app.tenders.ocds.common import when
from app.tenders.ocds.merge import compile_releases

OCDS_VERSION = "1.1"
# The extension that defines a package's `links` (OCDS 1.1 has them nowhere else).
PAGINATION_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/"
    "ocds_pagination_extension/master/extension.json"
)


@dataclass(frozen=True, slots=True)
class Stored:
    """A release as stored: its id, its `date`, and its exact text."""

    release_id: str
    ocid: str
    date: datetime
    body: str


@dataclass(frozen=True, slots=True)
class Publisher:
    """What every package says about who publishes it and on what terms."""

    name: str
    license: str
    publication_policy: str


def render(value: Any) -> str:
    """JSON with Decimals as exact numbers and Welsh letters as they are (not \\u escapes)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return "{" + ",".join(f"{render(str(k))}:{render(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(render(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def parse(body: str) -> dict[str, Any]:
    """A stored release's text as data, amounts as Decimal (as they were written)."""
    value: dict[str, Any] = json.loads(body, parse_float=Decimal)
    return value


def _head(
    *, uri: str, published: Sequence[Stored], publisher: Publisher, extensions: bool = False
) -> dict[str, Any]:
    """A package is dated by its newest release: generated on demand, that is its last change."""
    head: dict[str, Any] = {"uri": uri, "version": OCDS_VERSION}
    if extensions:
        head["extensions"] = [PAGINATION_EXTENSION]
    return head | {
        "publishedDate": when(max(s.date for s in published)),
        "publisher": {"name": publisher.name},
        "license": publisher.license,
        "publicationPolicy": publisher.publication_policy,
    }


def _with(head: dict[str, Any], key: str, inner: str) -> bytes:
    """The package's head with one more field whose value is already JSON text."""
    opened = render(head)[:-1]
    return f"{opened},{render(key)}:{inner}}}".encode()


def release_package(
    releases: Sequence[Stored],
    *,
    uri: str,
    publisher: Publisher,
    paged: bool = False,
    next_url: str | None = None,
) -> bytes:
    """A release package of at least one release. `paged` (the feed) declares the pagination
    extension and, while there is more, gives `links.next`."""
    if not releases:
        raise ValueError("an OCDS release package holds at least one release")
    head = _head(uri=uri, published=releases, publisher=publisher, extensions=paged)
    if next_url is not None:
        head["links"] = {"next": next_url}
    return _with(head, "releases", "[" + ",".join(s.body for s in releases) + "]")


def record_package(releases: Sequence[Stored], *, uri: str, publisher: Publisher) -> bytes:
    """A record package of one contracting process: every release, and the compiled one."""
    if not releases:
        raise ValueError("an OCDS record holds at least one release")
    compiled = compile_releases([parse(s.body) for s in releases])
    record = (
        "{"
        f'"ocid":{render(releases[0].ocid)},'
        f'"releases":[{",".join(s.body for s in releases)}],'
        f'"compiledRelease":{render(compiled)}'
        "}"
    )
    head = _head(uri=uri, published=releases, publisher=publisher)
    return _with(head, "records", f"[{record}]")
