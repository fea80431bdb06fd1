"""The directory by area answered before routing (an `app.core.middleware.Shortcut`).

The area listing and coverage are the busiest public reads and are mostly answered from the
cache, where routing the request through the application's route table and solving the
route's dependencies cost several times what the answer itself does. So the middleware asks
here first. A request answered here is one the route would answer the same way, byte for
byte, through the same cache and render: its path, a query string holding each of the
route's parameters at most once and nothing else, valid as the route validates it (the same
model), from anyone (no credentials; the middleware sends nothing else). Everything else is
left to the route, which answers it as it always has: an unknown or repeated parameter, a
value the route refuses, an unknown area, a bad cursor.
"""

import logging
import re
from urllib.parse import parse_qsl

from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.requests import Request
from starlette.types import Message, Scope, Send

from app.core.db import is_busy
from app.core.errors import AppError
from app.core.handlers import busy_error, render
from app.core.http_cache import Rendered, conditional_response
from app.providers import area_listing
from app.providers.dependencies import directory
from app.providers.schemas import AreaListingQuery

logger = logging.getLogger("app.request")
LISTING_PARAMETERS = frozenset(AreaListingQuery.model_fields)


def listing_query(query_string: bytes) -> AreaListingQuery | None:
    """The listing's query as the route reads it (parsed as Starlette parses it, validated by
    the same model), or None when the route must answer: a parameter repeated or unknown, or
    a value it refuses."""
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    values = dict(pairs)
    if len(values) != len(pairs) or not values.keys() <= LISTING_PARAMETERS:
        return None
    try:
        return AreaListingQuery.model_validate(values)
    except ValidationError:
        return None


def _if_none_match(scope: Scope) -> str | None:
    for key, value in scope["headers"]:
        if key == b"if-none-match":
            return str(value.decode("latin-1"))
    return None


async def _nothing_to_receive() -> Message:  # a GET without a body: never read
    return {"type": "http.disconnect"}


class DirectoryShortcut:
    def __init__(self, prefix: str) -> None:
        """`prefix`: where the API is mounted (`/api/v1`)."""
        areas = prefix + "/areas/"
        self.templates = {
            "providers": areas + "{code}/providers",
            "coverage": areas + "{code}/coverage",
        }
        # As the routes match `{code}`: anything but a slash.
        self.path = re.compile(re.escape(areas) + "([^/]+)/(providers|coverage)")

    async def __call__(self, scope: Scope, send: Send) -> str | None:
        match = self.path.fullmatch(scope["path"])
        if match is None or scope.get("root_path"):
            return None
        code, read = match.groups()
        try:
            answer = await self._answer(scope, code, read)
        except AppError:
            return None  # a refusal: the route words it, in the caller's language
        except (DBAPIError, PoolTimeout) as exc:
            if not is_busy(exc):
                raise
            # As the route's handler answers it (app.core.handlers), without waiting again.
            logger.warning("database busy: %s", type(exc).__name__)
            request = Request(scope)
            await render(request, busy_error(request))(scope, _nothing_to_receive, send)
            return self.templates[read]
        if answer is None:
            return None
        response = conditional_response(_if_none_match(scope), answer)
        await response(scope, _nothing_to_receive, send)
        return self.templates[read]

    @staticmethod
    async def _answer(scope: Scope, code: str, read: str) -> Rendered | None:
        if read == "coverage":
            if scope["query_string"]:
                return None  # the coverage takes no parameter: the route refuses any
            return await area_listing.coverage(directory(scope["app"]), code)
        query = listing_query(scope["query_string"])
        if query is None:
            return None
        return await area_listing.listing(directory(scope["app"]), code, query)
