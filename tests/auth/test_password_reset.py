"""A forgotten password: the same answer for every address, a code mailed (after the commit, in
the person's language) that works once for 30 minutes, and every login ended by its use."""

import re
from datetime import timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.auth.models import LoginFailure, PasswordReset
from app.core.clock import FrozenClock
from tests.factories import DEFAULT_PASSWORD, login, register_person, unique_email
from tests.helpers import ok, problem
from tests.mail_server import Mailbox, body_of

NEW_PASSWORD = "a brand new passphrase"
CODE = re.compile(r"^([A-Za-z0-9_-]{40,})\r?$", re.MULTILINE)


async def ask(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post("/api/v1/auth/password-reset", json={"email": email})


async def confirm(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD}
    )


def codes_sent(mailbox: Mailbox, address: str) -> list[str]:
    found = []
    for message in mailbox.to(address):
        match = CODE.search(body_of(message))
        assert match is not None, body_of(message)
        found.append(match.group(1))
    return found


class TestPasswordReset:
    async def test_the_mailed_code_works_once_and_ends_every_login(
        self, client: httpx.AsyncClient, mailbox: Mailbox
    ) -> None:
        person = await register_person(client, preferred_language="cy")
        laptop = ok(await login(client, email=person.email, password=person.password)).json()
        response = await ask(client, person.email.upper())
        assert response.status_code == 202
        assert response.content == b""
        [message] = mailbox.to(person.email)
        assert message["Subject"] == "Ailosod eich cyfrinair"
        assert message["Content-Language"] == "cy"
        [code] = codes_sent(mailbox, person.email)
        assert (await confirm(client, code)).status_code == 204
        for token in (person.token, laptop["access_token"]):
            problem(
                await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}),
                401,
                "not_authenticated",
            )
        problem(
            await client.post(
                "/api/v1/auth/refresh", json={"refresh_token": laptop["refresh_token"]}
            ),
            401,
            "not_authenticated",
        )
        ok(await login(client, email=person.email, password=NEW_PASSWORD))
        problem(await confirm(client, code), 400, "invalid_reset_token")

    async def test_an_unknown_address_is_answered_exactly_as_a_known_one(
        self, client: httpx.AsyncClient, session: AsyncSession, mailbox: Mailbox
    ) -> None:
        person = await register_person(client)
        nobody = unique_email("nobody")
        known, unknown = await ask(client, person.email), await ask(client, nobody)
        assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
        same = ("content-type", "content-length", "cache-control", "content-language")
        assert {h: known.headers.get(h) for h in same} == {h: unknown.headers.get(h) for h in same}
        # The same work: a request stored, an audit entry written, for each.
        assert await session.scalar(select(func.count()).select_from(PasswordReset)) == 2
        entries = (
            await session.scalars(
                select(AuditEntry).where(AuditEntry.action == "user.password_reset_requested")
            )
        ).all()
        assert len(entries) == 2
        assert mailbox.to(nobody) == []
        assert len(mailbox.to(person.email)) == 1
        # Nothing about the address is stored in clear.
        stored = (await session.scalars(select(PasswordReset.email_digest))).all()
        assert all(person.email not in digest and len(digest) == 64 for digest in stored)

    async def test_a_code_is_refused_after_30_minutes(
        self, client: httpx.AsyncClient, mailbox: Mailbox, clock: FrozenClock
    ) -> None:
        person = await register_person(client)
        assert (await ask(client, person.email)).status_code == 202
        [code] = codes_sent(mailbox, person.email)
        clock.advance(timedelta(minutes=30))
        problem(await confirm(client, code), 400, "invalid_reset_token")
        ok(await login(client, email=person.email, password=DEFAULT_PASSWORD))

    async def test_a_newer_request_voids_the_older_code(
        self, client: httpx.AsyncClient, mailbox: Mailbox
    ) -> None:
        person = await register_person(client)
        for _ in range(2):
            assert (await ask(client, person.email)).status_code == 202
        older, newer = codes_sent(mailbox, person.email)
        problem(await confirm(client, older), 400, "invalid_reset_token")
        assert (await confirm(client, newer)).status_code == 204

    async def test_an_unknown_code_is_refused(self, client: httpx.AsyncClient) -> None:
        body = problem(await confirm(client, "x" * 43), 400, "invalid_reset_token")
        assert body["detail"]

    async def test_beyond_5_an_hour_for_one_address_nothing_is_sent(
        self, client: httpx.AsyncClient, session: AsyncSession, mailbox: Mailbox, clock: FrozenClock
    ) -> None:
        person = await register_person(client)
        for _ in range(5):
            assert (await ask(client, person.email)).status_code == 202
            clock.advance(timedelta(minutes=1))
        sixth = await ask(client, person.email)
        assert (sixth.status_code, sixth.content) == (202, b"")
        assert len(mailbox.to(person.email)) == 5
        assert await session.scalar(select(func.count()).select_from(PasswordReset)) == 5
        # The last code sent still works: a refused request voids nothing.
        assert (await confirm(client, codes_sent(mailbox, person.email)[-1])).status_code == 204
        clock.advance(timedelta(minutes=56))
        assert (await ask(client, person.email)).status_code == 202
        assert len(mailbox.to(person.email)) == 6

    async def test_beyond_20_an_hour_from_one_client_nothing_is_sent(
        self, client: httpx.AsyncClient, session: AsyncSession, mailbox: Mailbox, clock: FrozenClock
    ) -> None:
        person = await register_person(client)
        session.add_all(
            PasswordReset(
                email_digest=f"{n:064x}",
                client_address="203.0.113.10",
                token_hash=f"{n + 1000:064x}",
                requested_at=clock.now(),
                expires_at=clock.now() + timedelta(minutes=30),
            )
            for n in range(20)
        )
        await session.commit()
        assert (await ask(client, person.email)).status_code == 202
        assert mailbox.to(person.email) == []

    async def test_a_completed_reset_clears_failed_logins(
        self, client: httpx.AsyncClient, session: AsyncSession, mailbox: Mailbox, clock: FrozenClock
    ) -> None:
        person = await register_person(client)
        for _ in range(5):
            problem(
                await login(client, email=person.email, password="not the password!!"),
                401,
                "invalid_credentials",
            )
        problem(
            await login(client, email=person.email, password=DEFAULT_PASSWORD),
            429,
            "too_many_attempts",
        )
        session.add(LoginFailure(email=person.email, client_address="198.51.100.7", at=clock.now()))
        await session.commit()
        assert (await ask(client, person.email)).status_code == 202
        [code] = codes_sent(mailbox, person.email)
        assert (await confirm(client, code)).status_code == 204
        assert (
            await session.scalar(
                select(func.count())
                .select_from(LoginFailure)
                .where(LoginFailure.email == person.email)
            )
            == 0
        )
        ok(await login(client, email=person.email, password=NEW_PASSWORD))
