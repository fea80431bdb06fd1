"""Strong ETags, conditional GETs and a small in-process cache of rendered answers.

The cache holds nothing that must survive or agree across workers: callers key entries by a
value read from the database in the same request (a stamp changed with every write), so an
entry can only ever be served for the data it was rendered from.
"""

import hashlib
import time
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response

JSON = "application/json"


@dataclass(frozen=True, slots=True)
class Rendered:
    body: bytes
    etag: str


def rendered(body: bytes) -> Rendered:
    """A body and its strong ETag, the hash of its exact bytes."""
    return Rendered(body=body, etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"')


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/ prefixes are ignored."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    tags = (t.strip().removeprefix("W/") for t in if_none_match.split(","))
    return etag in tags


def conditional(
    request: Request,
    answer: Rendered,
    *,
    vary: str | None = None,
    media_type: str = JSON,
    headers: dict[str, str] | None = None,
) -> Response:
    """200 with the body, or 304 when the client already holds this version."""
    return conditional_response(
        request.headers.get("if-none-match"),
        answer,
        vary=vary,
        media_type=media_type,
        headers=headers,
    )


def conditional_response(
    if_none_match: str | None,
    answer: Rendered,
    *,
    vary: str | None = None,
    media_type: str = JSON,
    headers: dict[str, str] | None = None,
) -> Response:
    """`conditional`, given the request's If-None-Match (for a caller with no Request)."""
    sent = {"ETag": answer.etag, "Cache-Control": "no-cache"}
    if vary:
        sent["Vary"] = vary
    if etag_matches(if_none_match, answer.etag):
        return Response(status_code=304, headers=sent)
    return Response(content=answer.body, media_type=media_type, headers={**sent, **(headers or {})})


class RenderCache:
    """Least recently used, bounded, and short-lived so that dead keys do not linger."""

    def __init__(self, *, max_entries: int, ttl_seconds: float) -> None:
        self.max_entries = max_entries
        self.ttl_seconds = ttl_seconds
        self._entries: OrderedDict[Hashable, tuple[float, Rendered]] = OrderedDict()

    def get(self, key: Hashable) -> Rendered | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        stored_at, answer = entry
        if time.monotonic() - stored_at > self.ttl_seconds:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return answer

    def put(self, key: Hashable, answer: Rendered) -> Rendered:
        if self.max_entries <= 0:
            return answer
        self._entries[key] = (time.monotonic(), answer)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        return answer
