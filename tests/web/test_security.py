"""The pages' own protections: CSRF on every form, cookie flags, another co-op's pages, and
a login ended elsewhere signing the browser out."""

import uuid
from http.cookies import SimpleCookie

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import AuthSession
from app.coops.models import Member
from tests.factories import DEFAULT_PASSWORD, create_coop, join_coop, register_person
from tests.security.test_web_authorisation import page_routes
from tests.web.pages import csrf_of, post_form, sign_in


def set_cookies(response: httpx.Response) -> dict[str, str]:
    """Each Set-Cookie of the answer, by name, as the browser received it."""
    return {
        value.split("=", 1)[0]: value
        for key, value in response.headers.multi_items()
        if key == "set-cookie"
    }


class TestEveryFormNeedsItsToken:
    async def test_every_post_route_refuses_a_form_without_its_token(
        self, app: FastAPI, browser: httpx.AsyncClient, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client)
        await sign_in(browser, person.email, DEFAULT_PASSWORD)
        posts = sorted(r.split(" ", 1)[1] for r in page_routes(app) if r.startswith("POST "))
        assert posts
        refused = {}
        for template in posts:
            path = template
            for name in (
                "coop_id",
                "member_id",
                "approval_id",
                "proposal_id",
                "invoice_id",
                "line_id",
                "login_id",
            ):
                path = path.replace("{" + name + "}", str(uuid.uuid4()))
            answer = await browser.post(path, data={"anything": "at all"})
            refused[template] = answer.status_code
        assert set(refused.values()) == {403}, refused

    async def test_a_token_made_for_another_browser_is_refused_and_changes_nothing(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        transport = httpx.ASGITransport(app=app)
        async with (
            httpx.AsyncClient(transport=transport, base_url="https://test") as mine,
            httpx.AsyncClient(transport=transport, base_url="https://test") as theirs,
        ):
            await sign_in(mine, person.email, DEFAULT_PASSWORD)
            their_token = csrf_of((await theirs.get("/sign-in")).text)
            before = await session.scalar(select(func.count()).select_from(AuthSession))
            answer = await mine.post("/sign-out", data={"csrf_token": their_token})
            assert answer.status_code == 403
            assert "lang=" in answer.text
            assert (await mine.get("/account")).status_code == 200  # still signed in
            ended = await session.scalar(
                select(func.count())
                .select_from(AuthSession)
                .where(AuthSession.revoked_at.is_not(None))
            )
            assert before
            assert not ended

    async def test_the_token_of_the_signed_out_browser_stops_working_once_signed_in(
        self, browser: httpx.AsyncClient, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client)
        before = csrf_of((await browser.get("/sign-in")).text)
        await sign_in(browser, person.email, DEFAULT_PASSWORD)
        answer = await browser.post("/sign-out", data={"csrf_token": before})
        assert answer.status_code == 403


class TestCookies:
    async def test_the_login_cookie_is_http_only_secure_and_same_site_lax(
        self, browser: httpx.AsyncClient, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client)
        answer = await sign_in(browser, person.email, DEFAULT_PASSWORD)
        for name in ("dpc_session", "dpc_csrf"):
            cookie = SimpleCookie(set_cookies(answer)[name])[name]
            assert cookie["httponly"] is True
            assert cookie["secure"] is True
            assert cookie["samesite"] == "lax"
            assert cookie["path"] == "/"

    async def test_in_development_over_plain_http_the_cookies_are_not_secure(
        self, app: FastAPI, client: httpx.AsyncClient
    ) -> None:
        app.state.settings = app.state.settings.model_copy(update={"env": "development"})
        person = await register_person(client)
        shown = await client.get("/sign-in")
        answer = await client.post(
            "/sign-in",
            data={
                "csrf_token": csrf_of(shown.text),
                "email": person.email,
                "password": DEFAULT_PASSWORD,
            },
        )
        assert answer.status_code == 303
        cookie = SimpleCookie(set_cookies(answer)["dpc_session"])["dpc_session"]
        assert cookie["httponly"] is True
        assert not cookie["secure"]

    async def test_a_forged_login_cookie_signs_nobody_in(self, browser: httpx.AsyncClient) -> None:
        browser.cookies.set(
            "dpc_session", f'["{uuid.uuid4()}", "{uuid.uuid4()}"].forged', domain="test"
        )
        answer = await browser.get("/account")
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/sign-in")


class TestLogins:
    async def test_the_pages_login_is_listed_and_ended_with_the_api_s(
        self, browser: httpx.AsyncClient, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client)
        await sign_in(browser, person.email, DEFAULT_PASSWORD)
        listed = (await client.get("/api/v1/me/sessions", headers=person.headers)).json()["items"]
        assert len(listed) == 2  # the token's login and the browser's
        browser_login = next(i for i in listed if not i["current"])
        ended = await client.delete(
            f"/api/v1/me/sessions/{browser_login['id']}", headers=person.headers
        )
        assert ended.status_code == 204
        answer = await browser.get("/account")
        assert answer.status_code == 303
        assert answer.headers["location"] == "/sign-in?next=/account"
        assert 'dpc_session=""' in answer.headers.get(
            "set-cookie", ""
        ) or "Max-Age=0" in answer.headers.get("set-cookie", "")
        home = await browser.get("/")
        assert "Sign out" not in home.text

    async def test_signing_out_ends_the_login_for_the_api_too(
        self, browser: httpx.AsyncClient, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client)
        await sign_in(browser, person.email, DEFAULT_PASSWORD)
        out = await post_form(browser, "/account", "/sign-out", {})
        assert out.status_code == 303
        listed = (await client.get("/api/v1/me/sessions", headers=person.headers)).json()["items"]
        assert [i["current"] for i in listed] == [True]
        assert (await browser.get("/account")).status_code == 303

    async def test_a_wrong_password_is_refused_on_the_form_and_counted(
        self, browser: httpx.AsyncClient, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client)
        answer = await post_form(
            browser, "/sign-in", "/sign-in", {"email": person.email, "password": "wrong password 1"}
        )
        assert answer.status_code == 401
        assert 'class="error-summary"' in answer.text
        assert 'href="#field-email"' in answer.text
        assert "wrong password 1" not in answer.text
        for _ in range(5):
            answer = await post_form(
                browser, "/sign-in", "/sign-in", {"email": person.email, "password": "wrong"}
            )
        assert answer.status_code == 429


class TestAnotherCoop:
    async def test_another_coop_s_pages_do_not_exist_for_a_member(
        self, browser: httpx.AsyncClient, client: httpx.AsyncClient
    ) -> None:
        admin = await register_person(client)
        mine = await create_coop(client, admin)
        other_admin = await register_person(client)
        other = await create_coop(client, other_admin, name="Cwmni Arall")
        member = await register_person(client)
        await join_coop(client, mine, member, admin)
        await sign_in(browser, member.email, DEFAULT_PASSWORD)
        assert (await browser.get(f"/coops/{mine}/money")).status_code == 200
        for page in (
            "money",
            "pay-in",
            "votes",
            "support",
            "invoices",
            "statement.csv",
            "admin/members",
        ):
            answer = await browser.get(f"/coops/{other}/{page}")
            assert answer.status_code == 404, page
            assert "<h1>Page not found</h1>" in answer.text
        assert (await browser.get(f"/coops/{mine}/admin/members")).status_code == 403

    async def test_paying_into_another_coop_is_refused_and_moves_nothing(
        self, browser: httpx.AsyncClient, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await register_person(client)
        mine = await create_coop(client, admin)
        other = await create_coop(client, await register_person(client), name="Cwmni Arall")
        await sign_in(browser, admin.email, DEFAULT_PASSWORD)
        answer = await post_form(
            browser,
            f"/coops/{mine}/pay-in",
            f"/coops/{other}/pay-in",
            {"amount": "5.00", "reference": "x", "source": "top_up"},
        )
        assert answer.status_code == 404
        members = await session.scalar(
            select(func.count()).select_from(Member).where(Member.coop_id == other)
        )
        assert members == 1


@pytest.mark.parametrize(
    "path", ["/coops/not-an-id", "/tenders/12345", "/providers?area=W99999999"]
)
async def test_an_address_that_names_nothing_is_a_page_not_found(
    browser: httpx.AsyncClient, path: str
) -> None:
    answer = await browser.get(path)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
