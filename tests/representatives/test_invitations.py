"""A mandate waits for its representative's acceptance, and granting one reveals nobody."""

import unicodedata
import uuid
from datetime import timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.representatives.models import Mandate, MandateStatus
from app.representatives.service import GRANTS_PER_HOUR
from tests.factories import Person, grant_mandate, register_person, sign_in_again, unique_email
from tests.helpers import ok, problem

URL = "/api/v1/me/representatives"
MINE = "/api/v1/me/representing"


async def invite(client: httpx.AsyncClient, holder: Person, email: str) -> dict[str, object]:
    response = await client.post(
        URL,
        json={"email": email, "scopes": ["view"], "limit_pence_per_cycle": 0},
        headers=holder.headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


async def acts_for(client: httpx.AsyncClient, rep: Person, holder: Person) -> httpx.Response:
    return await client.get("/api/v1/me/direct-payment", headers=rep.on_behalf_of(holder))


class TestAcceptance:
    async def test_an_invited_mandate_does_not_work_until_accepted(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        holder = await register_person(client, full_name="Holder Person")
        rep = await register_person(client)
        mandate_id = await grant_mandate(client, holder, rep, accept=False)
        problem(await acts_for(client, rep, holder), 403, "no_mandate")
        stored = await session.get(Mandate, mandate_id)
        assert stored is not None
        assert (stored.representative_user_id, stored.status) == (rep.id, MandateStatus.invited)
        listed = (await client.get(MINE, headers=rep.headers)).json()["items"]
        assert [(m["id"], m["status"], m["holder"]["full_name"]) for m in listed] == [
            (str(mandate_id), "invited", "Holder Person")
        ]
        me = (await client.get("/api/v1/me", headers=holder.headers)).json()
        assert me["represented_by"] == []
        accepted = await client.post(f"{MINE}/{mandate_id}/accept", headers=rep.headers)
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["status"] == "active"
        assert (await acts_for(client, rep, holder)).status_code in (200, 404)
        problem(
            await client.post(f"{MINE}/{mandate_id}/accept", headers=rep.headers),
            409,
            "invalid_transition",
        )

    async def test_nobody_else_can_accept_it_not_even_the_holder(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        holder = await register_person(client)
        rep = await register_person(client)
        stranger = await register_person(client)
        mandate_id = await grant_mandate(client, holder, rep, accept=False)
        for who in (holder, stranger):
            for answer in ("accept", "decline"):
                problem(
                    await client.post(f"{MINE}/{mandate_id}/{answer}", headers=who.headers),
                    404,
                    "not_found",
                )
        problem(
            await client.post(f"{MINE}/{uuid.uuid4()}/accept", headers=rep.headers),
            404,
            "not_found",
        )
        # Nor the representative through someone else's mandate.
        other = await register_person(client)
        await grant_mandate(client, other, rep, scopes=("view",))
        problem(
            await client.post(f"{MINE}/{mandate_id}/accept", headers=rep.on_behalf_of(other)),
            403,
            "outside_mandate",
        )
        mandate = await session.get(Mandate, mandate_id)
        assert mandate is not None
        await session.refresh(mandate)
        assert mandate.status == MandateStatus.invited

    async def test_a_declined_mandate_never_works_and_names_nobody(
        self, client: httpx.AsyncClient
    ) -> None:
        holder = await register_person(client)
        rep = await register_person(client, full_name="Declining Rep")
        mandate_id = await grant_mandate(client, holder, rep, accept=False)
        declined = await client.post(f"{MINE}/{mandate_id}/decline", headers=rep.headers)
        assert declined.status_code == 200, declined.text
        assert declined.json()["status"] == "declined"
        problem(await acts_for(client, rep, holder), 403, "no_mandate")
        problem(
            await client.post(f"{MINE}/{mandate_id}/accept", headers=rep.headers),
            409,
            "invalid_transition",
        )
        seen = (await client.get(URL, headers=holder.headers)).text
        assert '"declined"' in seen
        assert "Declining Rep" not in seen
        assert str(rep.id) not in seen
        export = (await client.get("/api/v1/me/export", headers=holder.headers)).text
        assert str(rep.id) not in export
        # The holder may ask again.
        again = await invite(client, holder, rep.email)
        assert again["status"] == "invited"

    async def test_a_revoked_invitation_cannot_be_accepted(self, client: httpx.AsyncClient) -> None:
        holder = await register_person(client)
        rep = await register_person(client)
        mandate_id = await grant_mandate(client, holder, rep, accept=False)
        ok(await client.delete(f"{URL}/{mandate_id}", headers=holder.headers))
        assert (await client.get(MINE, headers=rep.headers)).json()["items"] == []
        problem(
            await client.post(f"{MINE}/{mandate_id}/accept", headers=rep.headers),
            409,
            "invalid_transition",
        )
        problem(await acts_for(client, rep, holder), 403, "no_mandate")


class TestUnknownAddresses:
    async def test_an_invitation_waits_for_whoever_registers_with_the_address(
        self, client: httpx.AsyncClient
    ) -> None:
        holder = await register_person(client, full_name="Holder Person")
        local = f"ren{uuid.uuid4().hex[:6]}"
        given = f"{local}\u00e9e@example.org"  # é as one code point
        body = await invite(client, holder, given.upper())
        assert body["email"] == given
        assert body["representative"] is None
        # They register later, writing é as e + a combining accent, in another case.
        registered_as = unicodedata.normalize("NFD", given).replace(local, local.title())
        assert registered_as != given
        rep = await register_person(client, email=registered_as)
        listed = (await client.get(MINE, headers=rep.headers)).json()["items"]
        assert [(m["id"], m["status"]) for m in listed] == [(body["id"], "invited")]
        problem(await acts_for(client, rep, holder), 403, "no_mandate")
        accepted = await client.post(f"{MINE}/{body['id']}/accept", headers=rep.headers)
        assert accepted.status_code == 200, accepted.text
        assert (await acts_for(client, rep, holder)).status_code in (200, 404)
        granted = (await client.get(URL, headers=holder.headers)).json()["items"][0]
        assert granted["representative"]["id"] == str(rep.id)

    async def test_grants_are_limited_per_holder_so_addresses_cannot_be_probed(
        self, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        holder = await register_person(client)
        for _ in range(GRANTS_PER_HOUR):
            await invite(client, holder, unique_email("probe"))
        refused = await client.post(
            URL,
            json={"email": unique_email("probe"), "scopes": ["view"], "limit_pence_per_cycle": 0},
            headers=holder.headers,
        )
        problem(refused, 429, "too_many_attempts")
        assert 0 < int(refused.headers["Retry-After"]) <= 3600
        # Revoking does not give grants back.
        listed = (await client.get(URL, headers=holder.headers)).json()["items"]
        ok(await client.delete(f"{URL}/{listed[0]['id']}", headers=holder.headers))
        problem(
            await client.post(
                URL,
                json={"email": unique_email(), "scopes": ["view"], "limit_pence_per_cycle": 0},
                headers=holder.headers,
            ),
            429,
            "too_many_attempts",
        )
        clock.advance(timedelta(hours=1, seconds=1))
        await sign_in_again(client, holder)
        await invite(client, holder, unique_email("later"))
