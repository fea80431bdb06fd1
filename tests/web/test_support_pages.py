"""The support desk as the member who asked uses it, over plain HTTP: they read their request
and the conversation as the API gives it to them, reply, resolve and reopen it; nobody else's
request is there for them; a representative reads the holder's requests with `view` and asks
and replies for them with `support`, as the API allows."""

import html
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.reference.labels import LABELS
from app.support.models import SupportComment
from app.web.texts import text
from tests.factories import (
    Person,
    create_coop,
    grant_mandate,
    join_coop,
    raise_support_request,
    register_person,
)
from tests.helpers import ok
from tests.replay import replayed
from tests.web.pages import Browse, csrf_of, post_form

ANSWER = "The return is due on Friday; we will send you the form."


@dataclass
class Desk:
    """A co-op whose administrator answers the desk, its member Gwen who asked (and was
    answered once), Dafydd, another member, and another co-op with a request of its own."""

    coop: uuid.UUID
    admin: Person
    gwen: Person
    dafydd: Person
    asked: uuid.UUID
    other_coop: uuid.UUID
    elsewhere: Person
    theirs: uuid.UUID

    def page(self, path: str = "") -> str:
        return f"/coops/{self.coop}/support{path}"

    def api(self, request_id: uuid.UUID) -> str:
        return f"/api/v1/coops/{self.coop}/support/requests/{request_id}"


@pytest.fixture
async def desk(client: httpx.AsyncClient, app: FastAPI, connection: AsyncConnection) -> Desk:
    """Built once per backend, then its rows written back into each test (tests.replay)."""
    return await replayed("web.support_pages.desk", connection, app, lambda: build_desk(client))


async def build_desk(client: httpx.AsyncClient) -> Desk:
    admin = await register_person(client, full_name="Desk Admin")
    coop = await create_coop(client, admin)
    gwen = await register_person(client, full_name="Gwen Holder")
    await join_coop(client, coop, gwen, admin)
    dafydd = await register_person(client, full_name="Dafydd Member")
    await join_coop(client, coop, dafydd, admin)
    asked = await raise_support_request(client, coop, gwen.headers, subject="My DP return")
    ok(
        await client.post(
            f"/api/v1/coops/{coop}/support/requests/{asked}/comments",
            json={"body": ANSWER},
            headers=admin.headers,
        )
    )
    elsewhere = await register_person(client, full_name="Elsewhere Admin")
    other = await create_coop(client, elsewhere, name="Cwmni Arall")
    theirs = await raise_support_request(client, other, elsewhere.headers, subject="Theirs")
    return Desk(coop, admin, gwen, dafydd, asked, other, elsewhere, theirs)


def en(key: str, **params: Any) -> str:
    return html.escape(text(key, "en", **params))


async def seen_by(client: httpx.AsyncClient, desk: Desk, person: Person) -> dict[str, Any]:
    """The request as the API gives it to `person`."""
    found: dict[str, Any] = ok(
        await client.get(desk.api(desk.asked), headers=person.headers)
    ).json()
    return found


async def comments(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(SupportComment)) or 0)


class TestTheMembersRequest:
    async def test_the_member_finds_their_request_and_reads_the_answer(
        self, client: httpx.AsyncClient, desk: Desk, browse: Browse
    ) -> None:
        browser = await browse(desk.gwen)
        listed = ok(await browser.get(desk.page()))
        assert f'href="{desk.page(f"/{desk.asked}")}"' in listed.text
        page = ok(await browser.get(desk.page(f"/{desk.asked}")))
        assert "<h1>My DP return</h1>" in page.text
        assert "The council wants the quarterly return by Friday." in page.text
        assert LABELS["support_category"]["dp_returns"]["en"] in page.text
        assert LABELS["support_status"]["open"]["en"] in page.text
        # The conversation is the API's, to the one who asked: every comment, by its author.
        api = await seen_by(client, desk, desk.gwen)
        assert [c["body"] for c in api["comments"]] == [ANSWER]
        assert html.escape(ANSWER) in page.text
        assert "Desk Admin" in page.text
        assert f'action="{desk.page(f"/{desk.asked}/comments")}"' in page.text

    async def test_the_member_replies_and_the_desk_sees_it(
        self, client: httpx.AsyncClient, desk: Desk, browse: Browse
    ) -> None:
        browser = await browse(desk.gwen)
        page = desk.page(f"/{desk.asked}")
        answer = await post_form(browser, page, f"{page}/comments", {"body": "Thank you, diolch."})
        assert answer.status_code == 303
        assert answer.headers["location"] == f"{page}?done=replied"
        after = ok(await browser.get(answer.headers["location"]))
        assert en("support.done_replied") in after.text
        assert after.text.index(html.escape(ANSWER)) < after.text.index("Thank you, diolch.")
        staff = await seen_by(client, desk, desk.admin)
        assert [c["body"] for c in staff["comments"]] == [ANSWER, "Thank you, diolch."]

    async def test_an_empty_reply_is_refused_beside_its_field_and_writes_nothing(
        self, desk: Desk, browse: Browse, session: AsyncSession
    ) -> None:
        browser = await browse(desk.gwen)
        page = desk.page(f"/{desk.asked}")
        before = await comments(session)
        answer = await post_form(browser, page, f"{page}/comments", {})
        assert answer.status_code == 422
        assert 'class="error-summary"' in answer.text
        assert 'href="#field-body"' in answer.text
        assert await comments(session) == before

    async def test_the_member_resolves_and_reopens_their_request_and_nothing_more(
        self, client: httpx.AsyncClient, desk: Desk, browse: Browse
    ) -> None:
        browser = await browse(desk.gwen)
        page = desk.page(f"/{desk.asked}")
        shown = ok(await browser.get(page))
        assert en("support.resolve") in shown.text
        assert en("support.reopen") not in shown.text
        resolved = await post_form(browser, page, page, {"status": "resolved"})
        assert resolved.headers["location"] == f"{page}?done=resolved"
        assert (await seen_by(client, desk, desk.gwen))["status"] == "resolved"
        after = ok(await browser.get(resolved.headers["location"]))
        assert en("support.done_resolved") in after.text
        assert en("support.reopen") in after.text
        # Taking it on is the desk's to do: refused as the API refuses it, and nothing moves.
        refused = await post_form(browser, page, page, {"status": "in_progress"})
        assert refused.status_code == 403
        assert 'class="error-summary"' in refused.text
        assert (await seen_by(client, desk, desk.gwen))["status"] == "resolved"
        reopened = await post_form(browser, page, page, {"status": "open"})
        assert reopened.headers["location"] == f"{page}?done=reopened"
        assert (await seen_by(client, desk, desk.gwen))["status"] == "open"

    async def test_a_form_without_its_token_is_refused(
        self, desk: Desk, browse: Browse, session: AsyncSession
    ) -> None:
        browser = await browse(desk.gwen)
        page = desk.page(f"/{desk.asked}")
        before = await comments(session)
        answer = await browser.post(f"{page}/comments", data={"body": "No token"})
        assert answer.status_code == 403
        moved = await browser.post(page, data={"status": "resolved"})
        assert moved.status_code == 403
        assert await comments(session) == before


class TestNobodyElsesRequest:
    async def test_another_member_of_the_coop_finds_nothing(
        self, client: httpx.AsyncClient, desk: Desk, browse: Browse, session: AsyncSession
    ) -> None:
        browser = await browse(desk.dafydd)
        listed = ok(await browser.get(desk.page()))
        assert str(desk.asked) not in listed.text
        page = desk.page(f"/{desk.asked}")
        assert (await browser.get(page)).status_code == 404
        token = csrf_of(listed.text)
        before = await comments(session)
        replied = await browser.post(
            f"{page}/comments", data={"csrf_token": token, "body": "Not mine"}
        )
        assert replied.status_code == 404
        moved = await browser.post(page, data={"csrf_token": token, "status": "resolved"})
        assert moved.status_code == 404
        assert await comments(session) == before
        assert (await seen_by(client, desk, desk.gwen))["status"] == "open"

    async def test_another_coops_request_does_not_exist_here(
        self, desk: Desk, browse: Browse
    ) -> None:
        browser = await browse(desk.gwen)
        assert (await browser.get(desk.page(f"/{desk.theirs}"))).status_code == 404
        answer = await post_form(
            browser, desk.page(), desk.page(f"/{desk.theirs}/comments"), {"body": "Hello"}
        )
        assert answer.status_code == 404
        # Nor is the member's own request there under the other co-op's address.
        other = f"/coops/{desk.other_coop}/support/{desk.asked}"
        assert (await browser.get(other)).status_code == 404


class TestARepresentative:
    async def test_with_support_they_ask_read_and_reply_for_the_holder(
        self, client: httpx.AsyncClient, desk: Desk, browse: Browse
    ) -> None:
        son = await register_person(client, full_name="Owain Son")
        await grant_mandate(client, desk.gwen, son, scopes=("view", "support"))
        browser = await browse(son)
        prefix = f"/for/{desk.gwen.id}"
        home = ok(await browser.get(prefix))
        assert f'href="{prefix}{desk.page()}"' in home.text
        listed = ok(await browser.get(f"{prefix}{desk.page()}"))
        assert en("acting.banner", name="Gwen Holder") in listed.text
        assert f'href="{prefix}{desk.page(f"/{desk.asked}")}"' in listed.text
        assert f'action="{prefix}{desk.page()}"' in listed.text
        # Nothing on the page leads back to the representative's own pages of the co-op.
        assert f'href="{desk.page()}"' not in listed.text
        answer = await post_form(
            browser,
            f"{prefix}{desk.page()}",
            f"{prefix}{desk.page()}",
            {"category": "payroll", "subject": "Payslips for Gwen", "body": "When?"},
        )
        assert answer.status_code == 303
        assert answer.headers["location"] == f"{prefix}{desk.page()}?done=asked"
        holders = ok(
            await client.get(
                f"/api/v1/coops/{desk.coop}/support/requests", headers=desk.gwen.headers
            )
        ).json()["items"]
        raised = next(r for r in holders if r["subject"] == "Payslips for Gwen")
        assert raised["raised_by_user_id"] == str(son.id)
        page = f"{prefix}{desk.page(f'/{desk.asked}')}"
        shown = ok(await browser.get(page))
        assert html.escape(ANSWER) in shown.text
        replied = await post_form(browser, page, f"{page}/comments", {"body": "From her son."})
        assert replied.headers["location"] == f"{page}?done=replied"
        last = (await seen_by(client, desk, desk.gwen))["comments"][-1]
        assert (last["body"], last["written_by_user_id"]) == ("From her son.", str(son.id))

    async def test_with_view_only_they_read_but_do_not_ask_or_reply(
        self, client: httpx.AsyncClient, desk: Desk, browse: Browse, session: AsyncSession
    ) -> None:
        son = await register_person(client, full_name="Owain Son")
        await grant_mandate(client, desk.gwen, son, scopes=("view",))
        browser = await browse(son)
        prefix = f"/for/{desk.gwen.id}"
        listed = ok(await browser.get(f"{prefix}{desk.page()}"))
        assert f'href="{prefix}{desk.page(f"/{desk.asked}")}"' in listed.text
        assert en("support.ask_title") not in listed.text
        page = f"{prefix}{desk.page(f'/{desk.asked}')}"
        shown = ok(await browser.get(page))
        assert html.escape(ANSWER) in shown.text
        assert "/comments" not in shown.text
        token = csrf_of(shown.text)
        before = await comments(session)
        replied = await browser.post(f"{page}/comments", data={"csrf_token": token, "body": "Hi"})
        assert replied.status_code == 403
        asked = await browser.post(
            f"{prefix}{desk.page()}",
            data={"csrf_token": token, "category": "payroll", "subject": "S", "body": "B"},
        )
        assert asked.status_code == 403
        assert await comments(session) == before

    async def test_without_view_or_support_there_is_no_desk(
        self, client: httpx.AsyncClient, desk: Desk, browse: Browse
    ) -> None:
        son = await register_person(client, full_name="Owain Son")
        await grant_mandate(client, desk.gwen, son, scopes=("contribute",))
        browser = await browse(son)
        prefix = f"/for/{desk.gwen.id}"
        assert f"{desk.page()}" not in ok(await browser.get(prefix)).text
        assert (await browser.get(f"{prefix}{desk.page()}")).status_code == 403
        assert (await browser.get(f"{prefix}{desk.page(f'/{desk.asked}')}")).status_code == 403

    async def test_with_support_only_they_ask_but_do_not_read(
        self, client: httpx.AsyncClient, desk: Desk, browse: Browse
    ) -> None:
        son = await register_person(client, full_name="Owain Son")
        await grant_mandate(client, desk.gwen, son, scopes=("support",))
        browser = await browse(son)
        prefix = f"/for/{desk.gwen.id}"
        listed = ok(await browser.get(f"{prefix}{desk.page()}"))
        assert en("support.ask_title") in listed.text
        assert str(desk.asked) not in listed.text
        assert (await browser.get(f"{prefix}{desk.page(f'/{desk.asked}')}")).status_code == 403

    async def test_another_holder_s_mandate_reads_nothing_of_this_holder(
        self, client: httpx.AsyncClient, desk: Desk, browse: Browse
    ) -> None:
        son = await register_person(client, full_name="Owain Son")
        await grant_mandate(client, desk.dafydd, son, scopes=("view", "support"))
        browser = await browse(son)
        # Acting for Dafydd, Gwen's request is not there; acting for Gwen, there is no mandate.
        theirs = f"/for/{desk.dafydd.id}{desk.page(f'/{desk.asked}')}"
        assert (await browser.get(theirs)).status_code == 404
        gwens = f"/for/{desk.gwen.id}{desk.page(f'/{desk.asked}')}"
        assert (await browser.get(gwens)).status_code == 403
        # Nor another co-op's desk, where Dafydd is no member.
        other = f"/for/{desk.dafydd.id}/coops/{desk.other_coop}/support"
        assert (await browser.get(other)).status_code == 404
