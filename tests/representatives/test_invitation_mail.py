"""The invitation is e-mailed to the address the holder gave, known or not, and names the role."""

import httpx

from tests.factories import register_person, unique_email
from tests.helpers import ok
from tests.mail_server import Mailbox, body_of

URL = "/api/v1/me/representatives"


async def invite(
    client: httpx.AsyncClient, headers: dict[str, str], email: str, **extra: object
) -> httpx.Response:
    return await client.post(
        URL,
        json={"email": email, "scopes": ["view", "vote"], "limit_pence_per_cycle": 2500, **extra},
        headers=headers,
    )


class TestInvitationMail:
    async def test_known_and_unknown_addresses_are_answered_alike_and_both_mailed(
        self, client: httpx.AsyncClient, mailbox: Mailbox
    ) -> None:
        holder = await register_person(client, full_name="Gwen Holder")
        known = await register_person(client, full_name="Known Person")
        unknown = unique_email("nobody")
        answers = [ok(await invite(client, holder.headers, e)) for e in (known.email, unknown)]
        assert [a.status_code for a in answers] == [201, 201]
        bodies = [a.json() for a in answers]
        shapes = [
            {k: v for k, v in b.items() if k not in ("id", "email", "created_at")} for b in bodies
        ]
        assert shapes[0] == shapes[1]
        assert bodies[0]["representative"] is None
        assert "Known Person" not in answers[0].text
        for address in (known.email, unknown):
            [message] = await mailbox.wait_for(address)
            text = body_of(message)
            assert "Gwen Holder" in message["Subject"]
            assert "Gwen Holder" in text
            assert "Helper" in text
            assert "£25.00" in text
        assert bodies[1]["id"] in body_of(mailbox.to(unknown)[0])

    async def test_the_mail_is_in_the_known_persons_language_and_names_the_role(
        self, client: httpx.AsyncClient, mailbox: Mailbox
    ) -> None:
        holder = await register_person(client, full_name="Gwen Holder")
        welsh = await register_person(client, preferred_language="cy")
        ok(await invite(client, holder.headers, welsh.email, role="deputy"))
        [message] = await mailbox.wait_for(welsh.email)
        assert message["Content-Language"] == "cy"
        assert "Dirprwy a benodwyd gan y Llys Gwarchod" in body_of(message)

    async def test_an_invitation_to_an_unregistered_address_is_accepted_once_they_register(
        self, client: httpx.AsyncClient, mailbox: Mailbox
    ) -> None:
        holder = await register_person(client)
        address = unique_email("later")
        mandate = ok(await invite(client, holder.headers, address, role="parent")).json()
        await mailbox.wait_for(address)
        rep = await register_person(client, email=address)
        accepted = ok(
            await client.post(
                f"/api/v1/me/representing/{mandate['id']}/accept", headers=rep.headers
            )
        ).json()
        assert (accepted["status"], accepted["role"]) == ("active", "parent")
        granted = ok(await client.get(URL, headers=holder.headers)).json()["items"][0]
        assert (granted["status"], granted["role"], granted["representative"]["id"]) == (
            "active",
            "parent",
            str(rep.id),
        )

    async def test_a_refused_grant_sends_nothing(
        self, client: httpx.AsyncClient, mailbox: Mailbox
    ) -> None:
        holder = await register_person(client)
        address = unique_email()
        ok(await invite(client, holder.headers, address))
        again = await invite(client, holder.headers, address)
        assert again.status_code == 409
        await mailbox.wait_for(address)
        assert len(mailbox.to(address)) == 1

    async def test_a_mandate_is_a_helper_unless_a_role_is_given(
        self, client: httpx.AsyncClient
    ) -> None:
        holder = await register_person(client)
        body = ok(await invite(client, holder.headers, unique_email())).json()
        assert body["role"] == "helper"
        refused = await invite(client, holder.headers, unique_email(), role="guardian")
        assert refused.status_code == 422
