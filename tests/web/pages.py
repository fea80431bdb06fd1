"""Driving the pages as a browser without scripts would: read a form's token, post it."""

import re
from collections.abc import Awaitable, Callable

import httpx

from tests.factories import Person

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
# A browser of its own for a person, signed in (the `browse` fixture).
Browse = Callable[[Person], Awaitable[httpx.AsyncClient]]
KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = TOKEN.search(html)
    assert found, "the page has no form token"
    return found.group(1)


async def post_form(
    client: httpx.AsyncClient, page: str, action: str, fields: dict[str, str]
) -> httpx.Response:
    """Open `page`, then post its form to `action` with the page's own token."""
    shown = await client.get(page)
    assert shown.status_code == 200, shown.text
    data = {"csrf_token": csrf_of(shown.text), **fields}
    key = KEY.search(shown.text)
    if key and "idempotency_key" not in fields:
        data["idempotency_key"] = key.group(1)
    return await client.post(action, data=data)


async def sign_in(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    answer = await post_form(client, "/sign-in", "/sign-in", {"email": email, "password": password})
    assert answer.status_code == 303, answer.text
    return answer
