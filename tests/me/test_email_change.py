"""Changing one's e-mail address: a code mailed to the new address, confirmed without a login;
the old address is told; an address in use is refused only at confirmation."""

import re
from datetime import timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.auth.models import User
from app.core.clock import FrozenClock
from tests.factories import DEFAULT_PASSWORD, Person, login, register_person, unique_email
from tests.helpers import ok, problem
from tests.mail_server import Mailbox, body_of

CODE = re.compile(r"^([A-Za-z0-9_-]{40,})\r?$", re.MULTILINE)


async def ask(
    client: httpx.AsyncClient, person: Person, new_email: str, password: str = DEFAULT_PASSWORD
) -> httpx.Response:
    return await client.post(
        "/api/v1/me/email",
        json={"new_email": new_email, "current_password": password},
        headers=person.headers,
    )


async def confirm(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/api/v1/me/email/confirm", json={"token": token})


def codes_to(mailbox: Mailbox, address: str) -> list[str]:
    codes = []
    for message in mailbox.to(address):
        match = CODE.search(body_of(message))
        assert match is not None
        codes.append(match.group(1))
    return codes


class TestChangeEmail:
    async def test_confirmed_with_the_code_sent_to_the_new_address_without_a_login(
        self, client: httpx.AsyncClient, session: AsyncSession, mailbox: Mailbox
    ) -> None:
        person = await register_person(client, preferred_language="cy")
        new_email = unique_email("newaddress")
        response = await ask(client, person, new_email.upper())
        assert (response.status_code, response.content) == (202, b"")
        [message] = mailbox.to(new_email)
        assert message["Subject"] == "Cadarnhewch eich cyfeiriad e-bost newydd"
        [code] = codes_to(mailbox, new_email)
        # Nothing changes until the code is used.
        assert ok(await client.get("/api/v1/me", headers=person.headers)).json()["email"] == (
            person.email
        )
        confirmed = await confirm(client, code)
        assert confirmed.status_code == 200
        body = confirmed.json()
        assert body["email"] == new_email
        assert body["id"] == str(person.id)
        assert "memberships" in body
        [notice] = mailbox.to(person.email)
        assert notice["Subject"] == "Newidiwyd eich cyfeiriad e-bost"
        assert new_email in body_of(notice)
        ok(await login(client, email=new_email, password=DEFAULT_PASSWORD))
        problem(
            await login(client, email=person.email, password=DEFAULT_PASSWORD),
            401,
            "invalid_credentials",
        )
        problem(await confirm(client, code), 400, "invalid_email_token")
        actions = (
            await session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.about_user_id == person.id, AuditEntry.action.like("user.email%"))
                .order_by(AuditEntry.seq)
            )
        ).all()
        assert actions == ["user.email_change_requested", "user.email_changed"]

    async def test_an_address_in_use_is_refused_at_confirmation_only(
        self, client: httpx.AsyncClient, session: AsyncSession, mailbox: Mailbox
    ) -> None:
        person = await register_person(client)
        other = await register_person(client)
        response = await ask(client, person, other.email)
        assert response.status_code == 202  # asking tells nothing about the address
        [code] = codes_to(mailbox, other.email)
        problem(await confirm(client, code), 409, "email_taken")
        email = await session.scalar(select(User.email).where(User.id == person.id))
        assert email == person.email

    async def test_a_wrong_password_is_403_and_nothing_is_sent(
        self, client: httpx.AsyncClient, mailbox: Mailbox
    ) -> None:
        person = await register_person(client)
        new_email = unique_email()
        problem(await ask(client, person, new_email, "not my password"), 403, "wrong_password")
        assert mailbox.to(new_email) == []

    async def test_the_code_lasts_24_hours_and_a_newer_one_voids_it(
        self, client: httpx.AsyncClient, mailbox: Mailbox, clock: FrozenClock
    ) -> None:
        person = await register_person(client)
        first, second = unique_email(), unique_email()
        assert (await ask(client, person, first)).status_code == 202
        assert (await ask(client, person, second)).status_code == 202
        [voided] = codes_to(mailbox, first)
        [code] = codes_to(mailbox, second)
        problem(await confirm(client, voided), 400, "invalid_email_token")
        clock.advance(timedelta(hours=24))
        problem(await confirm(client, code), 400, "invalid_email_token")

    async def test_the_same_address_is_a_validation_error(self, client: httpx.AsyncClient) -> None:
        person = await register_person(client)
        body = problem(await ask(client, person, person.email), 422, "validation_error")
        assert body["errors"][0]["loc"] == ["body", "new_email"]

    async def test_an_unknown_code_is_invalid(self, client: httpx.AsyncClient) -> None:
        problem(await confirm(client, "nonsense"), 400, "invalid_email_token")
