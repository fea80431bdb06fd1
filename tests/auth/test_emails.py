"""E-mail addresses are one address however their Unicode is written (NFKC, case-folded)."""

import unicodedata

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import LoginFailure, User
from app.core.schemas import normalise_email
from tests.factories import DEFAULT_PASSWORD, login, register_person, unique_email
from tests.helpers import problem

REGISTER = "/api/v1/auth/register"
# 240 capital I with a dot, which case folding turns into 480 code points: 252 characters
# as sent, within the limit of 254, but 492 once normalised.
GROWS = "\u0130" * 240 + "@example.org"


def sign_up(email: str) -> dict[str, str]:
    return {"email": email, "password": DEFAULT_PASSWORD, "full_name": "Someone"}


class TestOneAddressHoweverItIsWritten:
    async def test_a_composed_and_a_decomposed_accent_are_the_same_address(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        local = unique_email("am").split("@")[0]
        composed = f"{local}\u00e9lie@example.org"  # é as one code point
        decomposed = unicodedata.normalize("NFD", composed)  # e + U+0301
        assert composed != decomposed
        person = await register_person(client, email=composed)
        for other in (decomposed, decomposed.upper(), composed.upper()):
            problem(await client.post(REGISTER, json=sign_up(other)), 409, "email_taken")
        stored = await session.scalar(select(User.email).where(User.id == person.id))
        assert stored == composed
        for written in (decomposed, decomposed.upper()):
            assert (
                await login(client, email=written, password=DEFAULT_PASSWORD)
            ).status_code == 200

    async def test_compatibility_forms_fold_to_the_plain_address(
        self, client: httpx.AsyncClient
    ) -> None:
        plain = unique_email("wide")
        await register_person(client, email=plain)
        # Full-width letters (as some keyboards type them) are the same address.
        local, domain = plain.split("@")
        wide = "".join(chr(ord(c) + 0xFEE0) if "a" <= c <= "z" else c for c in local)
        assert wide != local
        problem(await client.post(REGISTER, json=sign_up(f"{wide}@{domain}")), 409, "email_taken")

    def test_normalising_twice_changes_nothing(self) -> None:
        for email in ("Stra\u00dfe@Example.org", GROWS, "ﬁ@example.org", "A\u030a@x.org"):
            once = normalise_email(email)
            assert normalise_email(once) == once


class TestAnAddressThatGrowsWhenFolded:
    async def test_registering_it_is_a_validation_error_not_a_500(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        assert len(GROWS) <= 254 < len(normalise_email(GROWS))
        body = problem(await client.post(REGISTER, json=sign_up(GROWS)), 422, "validation_error")
        assert body["errors"][0]["loc"][-1] == "email"
        assert await session.scalar(select(User.id).where(User.email.like("i%"))) is None

    async def test_logging_in_with_it_is_a_validation_error_and_counts_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        problem(
            await login(client, email=GROWS, password="whatever it is"), 422, "validation_error"
        )
        assert (
            await session.scalar(
                select(LoginFailure.id).where(LoginFailure.email == normalise_email(GROWS))
            )
            is None
        )

    @pytest.mark.parametrize("email", [GROWS, "a\uff20b@example.org"])
    async def test_granting_a_mandate_to_it_is_a_validation_error(
        self, client: httpx.AsyncClient, email: str
    ) -> None:
        holder = await register_person(client)
        problem(
            await client.post(
                "/api/v1/me/representatives",
                json={"email": email, "scopes": ["view"], "limit_pence_per_cycle": 0},
                headers=holder.headers,
            ),
            422,
            "validation_error",
        )
