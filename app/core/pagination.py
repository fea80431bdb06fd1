"""Cursor pagination: keyset over a stable order, with an opaque cursor."""

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import Select, and_, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.elements import ColumnElement

from app.core.errors import ValidationFailed
from app.core.field_errors import FieldError, field_error
from app.core.schemas import FIRST_DAY, FIRST_MOMENT, LAST_DAY, LAST_MOMENT, DigitsOnly

T = TypeVar("T")
Row = TypeVar("Row")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
PageLimit = Annotated[int, Field(ge=1, le=MAX_LIMIT), DigitsOnly]


class CursorPage(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


@dataclass(frozen=True, slots=True)
class PageRequest:
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None


# `async def`: FastAPI would run a plain `def` in a worker thread, for every page asked.
async def page_request(
    limit: Annotated[PageLimit, Query(description="Page size (at most 200).")] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None, Query(max_length=1000, description="Opaque cursor from `next_cursor`.")
    ] = None,
) -> PageRequest:
    return PageRequest(limit=limit, cursor=cursor)


PageDep = Annotated[PageRequest, Depends(page_request)]


@dataclass(frozen=True, slots=True)
class Sort:
    column: ColumnElement[Any] | QueryableAttribute[Any]
    descending: bool = False


def _encode_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return {"u": str(value)}
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if value is None or isinstance(value, bool | int | str):
        return value
    raise TypeError(f"cannot put {type(value).__name__} in a cursor")


BAD_CURSOR = "The cursor is not one this service gave."
BAD_CURSOR_CY = "Nid yw'r cyrchwr yn un a roddodd y gwasanaeth hwn."


def bad_cursor() -> FieldError:
    return field_error(["query", "cursor"], BAD_CURSOR, msg_cy=BAD_CURSOR_CY)


# A bound parameter every backend can hold (PostgreSQL's bigint).
INT_RANGE = range(-(2**63), 2**63)


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) != 1:
            raise ValueError("unknown cursor value")
        if isinstance(value.get("u"), str):
            return uuid.UUID(value["u"])
        if isinstance(value.get("t"), str):
            moment = datetime.fromisoformat(value["t"])
            # Only aware times in the service's calendar: a naive or far-off time cannot be
            # stored or compared, and no row was ever written then.
            if moment.tzinfo is None or not FIRST_MOMENT <= moment <= LAST_MOMENT:
                raise ValueError("time out of range")
            return moment
        if isinstance(value.get("d"), str):
            day = date.fromisoformat(value["d"])
            if not FIRST_DAY <= day <= LAST_DAY:
                raise ValueError("day out of range")
            return day
        raise ValueError("unknown cursor value")
    if isinstance(value, bool) or value is None:
        raise ValueError("no key of a page is null or a boolean")
    if isinstance(value, int) and value not in INT_RANGE:
        raise ValueError("number out of range")
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("NUL in cursor")
    if not isinstance(value, int | str):
        raise ValueError("unknown cursor value")
    return value


def _python_type(column: Any) -> type | None:
    try:
        python_type: type = column.type.python_type
    except (AttributeError, NotImplementedError):
        return None
    return python_type


def _as_column_value(value: Any, expected: type | None) -> Any:
    """The cursor value as the column compares it, or ValueError when it cannot be one."""
    if expected is None:
        return value
    if issubclass(expected, Enum):
        return expected(value)
    if expected is date and isinstance(value, datetime):
        raise ValueError("a cursor value is not a day")
    if issubclass(expected, str | int | uuid.UUID | date) and not isinstance(value, expected):
        raise ValueError(f"a cursor value is not a {expected.__name__}")
    return value


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([_encode_value(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, width: int, types: Sequence[type | None] | None = None) -> list[Any]:
    """The cursor's values, each checked against the type of the column it stands for.

    A cursor comes back from the client, so it is input like any other: a forged one with the
    wrong shape, a value of the wrong type, a number beyond any column or a naive time answers
    422, never a database error.
    """
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != width:
            raise ValueError("wrong width")
        decoded = [_decode_value(v) for v in values]
        if types is not None:
            decoded = [_as_column_value(v, t) for v, t in zip(decoded, types, strict=True)]
        return decoded
    except (ValueError, binascii.Error, UnicodeDecodeError, TypeError, RecursionError) as exc:
        raise ValidationFailed([bad_cursor()]) from exc


def after(order: Sequence[Sort], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after `values` in `order` (mixed directions allowed, no NULL keys)."""
    clauses = []
    for i, sort in enumerate(order):
        equal_before = [order[j].column == values[j] for j in range(i)]
        beyond = sort.column < values[i] if sort.descending else sort.column > values[i]
        clauses.append(and_(*equal_before, beyond))
    return or_(*clauses)


async def paginate(
    session: AsyncSession,
    stmt: Select[Any],
    page: PageRequest,
    *,
    order: Sequence[Sort],
    key: Callable[[Any], Sequence[Any]],
    scalars: bool = True,
) -> tuple[list[Any], str | None]:
    """One page of `stmt` in `order`; the last column of `order` must make rows unique."""
    if page.cursor:
        types = [_python_type(sort.column) for sort in order]
        stmt = stmt.where(after(order, decode_cursor(page.cursor, len(order), types)))
    stmt = stmt.order_by(*(s.column.desc() if s.descending else s.column.asc() for s in order))
    stmt = stmt.limit(page.limit + 1)
    result = await session.execute(stmt)
    rows: list[Any] = list(result.scalars().all() if scalars else result.all())
    next_cursor = None
    if len(rows) > page.limit:
        rows = rows[: page.limit]
        next_cursor = encode_cursor(key(rows[-1]))
    return rows, next_cursor


def page_of_list(items: Sequence[Row], page: PageRequest) -> tuple[list[Row], str | None]:
    """Paginate a short list computed in full (a fixed set such as the 22 areas)."""
    start = 0
    if page.cursor:
        (start,) = decode_cursor(page.cursor, 1, [int])
        if start < 0:
            raise ValidationFailed([bad_cursor()])
    chunk = list(items[start : start + page.limit])
    more = start + page.limit < len(items)
    return chunk, encode_cursor([start + page.limit]) if more else None
