import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import ValidationFailed
from app.core.pagination import PageRequest, decode_cursor, encode_cursor, page_of_list

# Every key a page can end on: text without NUL, times in the service's calendar (a cursor
# holding anything else was not given by the service and is refused).
values = st.one_of(
    st.integers(min_value=-(2**53), max_value=2**53),
    st.text(st.characters(blacklist_characters="\x00"), max_size=30),
    st.uuids(),
    st.datetimes(
        min_value=datetime(1900, 1, 2),  # noqa: DTZ001 - hypothesis takes naive bounds
        max_value=datetime(2200, 12, 30),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
)


@given(st.lists(values, min_size=1, max_size=4))
def test_a_cursor_round_trips_its_values(keys: list[object]) -> None:
    assert decode_cursor(encode_cursor(keys), len(keys)) == keys


def test_a_cursor_of_the_wrong_width_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        decode_cursor(encode_cursor([1, "a"]), 3)


@pytest.mark.parametrize("cursor", ["", "!!!", "bm90IGpzb24", "W3sieCI6MX1d"])
def test_garbage_is_refused(cursor: str) -> None:
    with pytest.raises(ValidationFailed):
        decode_cursor(cursor, 1)


@given(st.integers(min_value=0, max_value=60), st.integers(min_value=1, max_value=25))
def test_paging_a_list_visits_every_item_once(count: int, limit: int) -> None:
    items = list(range(count))
    seen: list[int] = []
    cursor = None
    while True:
        chunk, cursor = page_of_list(items, PageRequest(limit=limit, cursor=cursor))
        seen.extend(chunk)
        if cursor is None:
            break
    assert seen == items


def test_encodes_uuid_and_datetime() -> None:
    key = [uuid.uuid4(), datetime(2026, 1, 1, tzinfo=UTC)]
    assert decode_cursor(encode_cursor(key), 2) == key
