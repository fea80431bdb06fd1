import asyncio

import httpx
import pytest
from argon2 import PasswordHasher

from app.auth.passwords import Passwords
from app.core.config import Settings
from tests.factories import login, register_person, unique_email


async def test_hashing_with_owasp_parameters_leaves_the_event_loop_free() -> None:
    passwords = Passwords(Settings())
    ticks = 0
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            await asyncio.sleep(0.001)

    task = asyncio.create_task(ticker())
    password_hash = await passwords.hash("a long enough password")
    done.set()
    await task
    assert password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    # Had the hash run on the loop, the ticker could have run only before and after it (twice
    # at most); any more ticks ran while it did. No rate is asked for: a busy machine ticks less.
    assert ticks >= 5
    assert await passwords.verify(password_hash, "a long enough password")
    assert not await passwords.verify(password_hash, "another password!!")


@pytest.fixture
def counted_verifications(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record each real Argon2 verification the token endpoint makes."""
    calls: list[bool] = []
    original = PasswordHasher.verify

    def counting(self: PasswordHasher, hash_: str, password: str) -> bool:
        calls.append(True)
        return original(self, hash_, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    return calls


async def test_an_unknown_email_costs_one_argon2_verification_like_a_wrong_password(
    client: httpx.AsyncClient, counted_verifications: list[bool]
) -> None:
    person = await register_person(client)
    counted_verifications.clear()
    wrong = await login(client, email=person.email, password="wrong password here")
    wrong_password = len(counted_verifications)
    counted_verifications.clear()
    unknown = await login(client, email=unique_email(), password="wrong password here")
    assert wrong.status_code == unknown.status_code == 401
    unknown_email = len(counted_verifications)
    assert wrong_password == unknown_email == 1
