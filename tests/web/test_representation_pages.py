"""The representation pages over plain HTTP, as a browser without scripts uses them: a holder
invites someone by e-mail, sees them accept, and ends the mandate; the person invited accepts
or declines on their own page and then acts for the holder; a representative votes for the
holder only with a mandate that has `vote`."""

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.clock import FrozenClock
from app.web.texts import text
from tests.factories import (
    Person,
    create_coop,
    grant_mandate,
    join_coop,
    open_proposal,
    register_person,
)
from tests.helpers import ok
from tests.mail_server import Mailbox, body_of
from tests.replay import replayed
from tests.web.pages import Browse, csrf_of, post_form

API = "/api/v1/me/representatives"


@dataclass
class Circle:
    """Gwen holds a membership of a co-op with a vote open; Nia is someone she trusts."""

    holder: Person
    trusted: Person
    coop_id: uuid.UUID
    proposal_id: uuid.UUID


@pytest.fixture
async def circle(
    client: httpx.AsyncClient, clock: FrozenClock, app: FastAPI, connection: AsyncConnection
) -> Circle:
    """Built once per backend, then its rows written back into each test (tests.replay)."""
    return await replayed(
        "web.representation_pages.circle", connection, app, lambda: build_circle(client, clock)
    )


async def build_circle(client: httpx.AsyncClient, clock: FrozenClock) -> Circle:
    admin = await register_person(client, full_name="Admin Person")
    coop_id = await create_coop(client, admin)
    holder = await register_person(client, full_name="Gwen Holder")
    await join_coop(client, coop_id, holder, admin)
    proposal_id = await open_proposal(
        client, coop_id, admin, closes_at=clock.now() + timedelta(days=7)
    )
    trusted = await register_person(client, full_name="Nia Trusted")
    return Circle(holder, trusted, coop_id, proposal_id)


def en(key: str, **params: Any) -> str:
    return text(key, "en", **params).replace("'", "&#39;")


async def invite(browser: httpx.AsyncClient, fields: dict[str, Any]) -> httpx.Response:
    """Post the invitation form (its scopes several boxes of one name) with the page's token."""
    shown = ok(await browser.get("/representatives"))
    return await browser.post(
        "/representatives", data={"csrf_token": csrf_of(shown.text), **fields}
    )


async def granted(client: httpx.AsyncClient, holder: Person) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = ok(await client.get(API, headers=holder.headers)).json()["items"]
    return items


async def holders_vote(client: httpx.AsyncClient, circle: Circle) -> str | None:
    found = ok(
        await client.get(f"/api/v1/proposals/{circle.proposal_id}", headers=circle.holder.headers)
    ).json()
    vote: str | None = found["my_vote"]
    return vote


class TestInviting:
    async def test_the_holder_invites_by_e_mail_and_the_invited_person_accepts_and_acts(
        self, client: httpx.AsyncClient, circle: Circle, browse: Browse, mailbox: Mailbox
    ) -> None:
        gwen = await browse(circle.holder)
        home = ok(await gwen.get("/"))
        assert 'href="/representatives"' in home.text
        answer = await invite(
            gwen,
            {
                "email": circle.trusted.email.upper(),
                "role": "helper",
                "scopes": ["view", "vote"],
                "limit": "25.50",
            },
        )
        assert answer.status_code == 303, answer.text
        assert answer.headers["location"] == "/representatives?done=invited"
        page = ok(await gwen.get(answer.headers["location"]))
        assert en("done.mandate_invited") in page.text
        assert circle.trusted.email in page.text
        assert "Waiting for the representative to accept" in page.text
        assert "£25.50" in page.text
        # Until they accept, the holder sees the address only.
        assert "Nia Trusted" not in page.text
        [mandate] = await granted(client, circle.holder)
        assert (mandate["status"], mandate["scopes"], mandate["limit_pence_per_cycle"]) == (
            "invited",
            ["view", "vote"],
            2550,
        )
        [mail] = await mailbox.wait_for(circle.trusted.email)
        assert "Gwen Holder" in mail["Subject"]
        assert mandate["id"] in body_of(mail)

        nia = await browse(circle.trusted)
        assert 'href="/representing"' in ok(await nia.get("/")).text
        assert (await nia.get(f"/for/{circle.holder.id}")).status_code == 403
        offered = ok(await nia.get("/representing"))
        assert en("representing.asks", name="Gwen Holder") in offered.text
        assert f'action="/representing/{mandate["id"]}/decline"' in offered.text
        accepted = await post_form(
            nia, "/representing", f"/representing/{mandate['id']}/accept", {}
        )
        assert accepted.status_code == 303, accepted.text
        assert accepted.headers["location"] == "/representing?done=accepted"
        after = ok(await nia.get(accepted.headers["location"]))
        assert en("done.mandate_accepted") in after.text
        assert f'href="/for/{circle.holder.id}"' in after.text
        assert en("representing.no_invitations") in after.text
        acting = ok(await nia.get(f"/for/{circle.holder.id}"))
        assert en("acting.banner", name="Gwen Holder") in acting.text

        now_theirs = ok(await gwen.get("/representatives"))
        assert "Nia Trusted" in now_theirs.text
        assert "In force" in now_theirs.text
        assert (await granted(client, circle.holder))[0]["status"] == "active"

    async def test_an_invitation_declined_never_works_and_keeps_their_name_from_the_holder(
        self, client: httpx.AsyncClient, circle: Circle, browse: Browse
    ) -> None:
        mandate_id = await grant_mandate(client, circle.holder, circle.trusted, accept=False)
        nia = await browse(circle.trusted)
        declined = await post_form(nia, "/representing", f"/representing/{mandate_id}/decline", {})
        assert declined.status_code == 303, declined.text
        assert declined.headers["location"] == "/representing?done=declined"
        assert (await nia.get(f"/for/{circle.holder.id}")).status_code == 403
        # Answered once: answering again is refused on the page, with nothing changed.
        again = await post_form(nia, "/representing", f"/representing/{mandate_id}/accept", {})
        assert again.status_code == 409
        assert 'class="error-summary"' in again.text
        [mandate] = await granted(client, circle.holder)
        assert (mandate["status"], mandate["representative"]) == ("declined", None)
        page = ok(await (await browse(circle.holder)).get("/representatives"))
        assert "Declined by the representative" in page.text
        assert "Nia Trusted" not in page.text

    @pytest.mark.parametrize(
        ("fields", "field", "message"),
        [
            ({"scopes": ["view"], "limit": "lots"}, "limit", "error.pounds"),
            ({"scopes": ["view"], "limit": "-5"}, "limit", "error.pounds"),
            ({"limit": "10"}, "scopes", None),
        ],
    )
    async def test_a_form_the_rules_refuse_is_shown_again_beside_its_field_and_writes_nothing(
        self,
        client: httpx.AsyncClient,
        circle: Circle,
        browse: Browse,
        mailbox: Mailbox,
        fields: dict[str, Any],
        field: str,
        message: str | None,
    ) -> None:
        gwen = await browse(circle.holder)
        answer = await invite(gwen, {"email": circle.trusted.email, **fields})
        assert answer.status_code == 422
        assert 'class="error-summary"' in answer.text
        assert f'href="#field-{field}"' in answer.text
        assert f'id="error-{field}"' in answer.text
        if message is not None:
            assert en(message) in answer.text
        # What was typed is kept (the address, the boxes ticked).
        assert f'value="{circle.trusted.email}"' in answer.text
        if "scopes" in fields:
            assert 'value="view" checked' in answer.text
        assert await granted(client, circle.holder) == []
        assert mailbox.to(circle.trusted.email) == []

    async def test_inviting_oneself_or_someone_already_invited_is_refused_by_the_address(
        self, client: httpx.AsyncClient, circle: Circle, browse: Browse
    ) -> None:
        gwen = await browse(circle.holder)
        own = await invite(gwen, {"email": circle.holder.email, "scopes": "view", "limit": "0"})
        assert own.status_code == 422
        assert 'href="#field-email"' in own.text
        await grant_mandate(client, circle.holder, circle.trusted, accept=False)
        twice = await invite(gwen, {"email": circle.trusted.email, "scopes": "view", "limit": "0"})
        assert twice.status_code == 409
        assert 'href="#field-email"' in twice.text
        assert len(await granted(client, circle.holder)) == 1

    async def test_a_form_without_its_token_is_refused(
        self, client: httpx.AsyncClient, circle: Circle, browse: Browse
    ) -> None:
        gwen = await browse(circle.holder)
        refused = await gwen.post(
            "/representatives",
            data={"email": circle.trusted.email, "scopes": "view", "limit": "0"},
        )
        assert refused.status_code == 403
        assert await granted(client, circle.holder) == []
        mandate_id = await grant_mandate(client, circle.holder, circle.trusted, accept=False)
        nia = await browse(circle.trusted)
        assert (await nia.post(f"/representing/{mandate_id}/accept")).status_code == 403
        assert (await gwen.post(f"/representatives/{mandate_id}/end")).status_code == 403
        assert (await granted(client, circle.holder))[0]["status"] == "invited"

    async def test_the_page_is_in_welsh_for_a_welsh_reader(
        self, circle: Circle, browse: Browse
    ) -> None:
        gwen = await browse(circle.holder)
        page = ok(await gwen.get("/representatives", headers={"Accept-Language": "cy"}))
        assert text("representatives.title", "cy") in page.text
        assert "Pleidleisio ar ran y deiliad" in page.text


class TestEnding:
    async def test_the_holder_ends_a_mandate_and_the_representative_is_refused_at_once(
        self, client: httpx.AsyncClient, circle: Circle, browse: Browse
    ) -> None:
        mandate_id = await grant_mandate(client, circle.holder, circle.trusted)
        nia = await browse(circle.trusted)
        ok(await nia.get(f"/for/{circle.holder.id}"))
        gwen = await browse(circle.holder)
        ended = await post_form(gwen, "/representatives", f"/representatives/{mandate_id}/end", {})
        assert ended.status_code == 303, ended.text
        assert ended.headers["location"] == "/representatives?done=ended"
        page = ok(await gwen.get(ended.headers["location"]))
        assert en("done.mandate_ended") in page.text
        assert f"/representatives/{mandate_id}/end" not in page.text
        assert en("representatives.ended_title") in page.text
        assert (await granted(client, circle.holder))[0]["status"] == "revoked"
        refused = await nia.get(f"/for/{circle.holder.id}")
        assert refused.status_code == 403
        assert f'href="/for/{circle.holder.id}"' not in ok(await nia.get("/representing")).text
        # Ending it again changes nothing, as in the API.
        again = await post_form(gwen, "/representatives", f"/representatives/{mandate_id}/end", {})
        assert again.status_code == 303

    async def test_an_invitation_withdrawn_is_no_longer_offered(
        self, client: httpx.AsyncClient, circle: Circle, browse: Browse
    ) -> None:
        mandate_id = await grant_mandate(client, circle.holder, circle.trusted, accept=False)
        gwen = await browse(circle.holder)
        shown = ok(await gwen.get("/representatives"))
        assert en("representatives.withdraw") in shown.text
        withdrawn = await post_form(
            gwen, "/representatives", f"/representatives/{mandate_id}/end", {}
        )
        assert withdrawn.status_code == 303
        nia = await browse(circle.trusted)
        offered = ok(await nia.get("/representing"))
        assert f"/representing/{mandate_id}/accept" not in offered.text
        late = await post_form(nia, "/representing", f"/representing/{mandate_id}/accept", {})
        assert late.status_code == 409
        assert (await granted(client, circle.holder))[0]["status"] == "revoked"

    async def test_someone_else_s_mandate_is_not_there(
        self, client: httpx.AsyncClient, circle: Circle, browse: Browse
    ) -> None:
        mandate_id = await grant_mandate(client, circle.holder, circle.trusted, accept=False)
        stranger = await browse(await register_person(client, full_name="Someone Else"))
        for action in (
            f"/representatives/{mandate_id}/end",
            f"/representing/{mandate_id}/accept",
            f"/representing/{mandate_id}/decline",
        ):
            answer = await post_form(stranger, "/representing", action, {})
            assert answer.status_code == 404, action
        # The holder may not answer the invitation they gave, nor the invited end it.
        gwen = await browse(circle.holder)
        answer = await post_form(gwen, "/representing", f"/representing/{mandate_id}/accept", {})
        assert answer.status_code == 404
        nia = await browse(circle.trusted)
        answer = await post_form(nia, "/representing", f"/representatives/{mandate_id}/end", {})
        assert answer.status_code == 404
        assert (await granted(client, circle.holder))[0]["status"] == "invited"


class TestVotingForTheHolder:
    async def test_a_representative_with_vote_casts_the_holder_s_vote(
        self, client: httpx.AsyncClient, circle: Circle, browse: Browse
    ) -> None:
        await grant_mandate(client, circle.holder, circle.trusted, scopes=("vote",))
        nia = await browse(circle.trusted)
        prefix = f"/for/{circle.holder.id}"
        home = ok(await nia.get(prefix))
        assert en("acting.votes_title", name="Gwen Holder") in home.text
        assert f'href="{prefix}/proposals/{circle.proposal_id}"' in home.text
        shown = ok(await nia.get(f"{prefix}/proposals/{circle.proposal_id}"))
        assert en("acting.banner", name="Gwen Holder") in shown.text
        assert f'action="{prefix}/proposals/{circle.proposal_id}"' in shown.text
        assert 'action="/proposals/' not in shown.text
        voted = await post_form(
            nia,
            f"{prefix}/proposals/{circle.proposal_id}",
            f"{prefix}/proposals/{circle.proposal_id}",
            {"choice": "no"},
        )
        assert voted.status_code == 303, voted.text
        assert voted.headers["location"] == f"{prefix}/proposals/{circle.proposal_id}?done=voted"
        after = ok(await nia.get(voted.headers["location"]))
        assert en("done.voted_for") in after.text
        assert await holders_vote(client, circle) == "no"
        assert en("acting.holder_voted", name="Gwen Holder", choice="no") in (
            ok(await nia.get(prefix)).text
        )
        # On their own pages the proposal is not theirs to see.
        assert (await nia.get(f"/proposals/{circle.proposal_id}")).status_code == 404

    async def test_without_the_vote_scope_the_page_offers_no_vote_and_a_vote_is_refused(
        self, client: httpx.AsyncClient, circle: Circle, browse: Browse
    ) -> None:
        await grant_mandate(client, circle.holder, circle.trusted, scopes=("view",))
        nia = await browse(circle.trusted)
        prefix = f"/for/{circle.holder.id}"
        assert f"{prefix}/proposals/" not in ok(await nia.get(prefix)).text
        shown = ok(await nia.get(f"{prefix}/proposals/{circle.proposal_id}"))
        assert en("proposal.no_vote_scope", name="Gwen Holder") in shown.text
        assert 'name="choice"' not in shown.text
        refused = await nia.post(
            f"{prefix}/proposals/{circle.proposal_id}",
            data={"csrf_token": csrf_of(shown.text), "choice": "yes"},
        )
        assert refused.status_code == 403
        assert re.search(r"<h1>\s*\S", refused.text)
        assert await holders_vote(client, circle) is None

    async def test_a_mandate_with_neither_view_nor_vote_does_not_show_the_proposal(
        self, client: httpx.AsyncClient, circle: Circle, browse: Browse
    ) -> None:
        await grant_mandate(client, circle.holder, circle.trusted, scopes=("contribute",))
        nia = await browse(circle.trusted)
        answer = await nia.get(f"/for/{circle.holder.id}/proposals/{circle.proposal_id}")
        assert answer.status_code == 403
        assert "Shall we?" not in answer.text
