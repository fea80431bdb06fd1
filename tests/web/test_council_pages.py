"""A council officer's pages, without a browser: they show what the API's council routes give
(the same published figures, the same CSV bytes), decide awards through the same service, and
refuse what the API refuses (another council's award or evidence, a form without its token)."""

import re
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.web.council_router import bar_lengths
from app.web.rendering import money
from app.web.texts import text
from tests.factories import (
    CARDIFF,
    DEFAULT_PASSWORD,
    SWANSEA,
    Person,
    appoint_officer,
    contribute,
    create_coop,
    join_coop,
    platform_admin,
    register_person,
    set_direct_payment,
)
from tests.web.pages import csrf_of, post_form, sign_in


@dataclass
class Council:
    officer: Person
    other_officer: Person
    coop: uuid.UUID
    coop_admin: Person
    holder: Person
    member: uuid.UUID
    award: dict[str, Any]


async def council_world(client: httpx.AsyncClient, session: AsyncSession) -> Council:
    """Cardiff's officer and Swansea's; a holder Cardiff pays (award declared), paying into a
    Cardiff co-op."""
    admin = await platform_admin(client, session)
    officer = await appoint_officer(client, admin, CARDIFF)
    other = await appoint_officer(client, admin, SWANSEA)
    coop_admin = await register_person(client, full_name="Co-op Admin")
    coop = await create_coop(client, coop_admin)
    holder = await register_person(client, full_name="Gwen Holder")
    member = await join_coop(client, coop, holder, coop_admin)
    award = await set_direct_payment(client, holder, weekly_amount_pence=25_000)
    paid = await contribute(client, coop, holder, amount_pence=10_000)
    assert paid.status_code == 201, paid.text
    return Council(officer, other, coop, coop_admin, holder, member, award)


async def award_status(client: httpx.AsyncClient, holder: Person) -> dict[str, Any]:
    history = await client.get("/api/v1/me/direct-payment/history", headers=holder.headers)
    assert history.status_code == 200, history.text
    latest: dict[str, Any] = history.json()["items"][0]
    return latest


async def grant(client: httpx.AsyncClient, world: Council) -> str:
    made = await client.post(
        "/api/v1/me/council-access",
        json={"coop_id": str(world.coop)},
        headers=world.holder.headers,
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


class TestReachingThePages:
    async def test_an_officer_finds_their_council_from_home_and_a_holder_does_not(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        world = await council_world(client, session)
        await sign_in(browser, world.officer.email, DEFAULT_PASSWORD)
        home = await browser.get("/")
        assert 'href="/council"' in home.text
        index = await browser.get("/council")
        assert index.status_code == 200
        assert f'href="/council/areas/{CARDIFF}"' in index.text
        assert f'href="/council/areas/{SWANSEA}"' not in index.text

    async def test_a_holder_is_not_a_council(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        world = await council_world(client, session)
        await sign_in(browser, world.holder.email, DEFAULT_PASSWORD)
        assert 'href="/council"' not in (await browser.get("/")).text
        for path in ("/council", f"/council/areas/{CARDIFF}", f"/council/areas/{CARDIFF}/awards"):
            assert (await browser.get(path)).status_code == 403, path


class TestSummary:
    async def test_the_page_shows_the_api_s_published_figures_small_ones_suppressed(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        world = await council_world(client, session)
        api = await client.get(f"/api/v1/la/areas/{CARDIFF}/summary", headers=world.officer.headers)
        assert api.status_code == 200, api.text
        figures = api.json()
        # One holder pays in: a count of people the API suppresses, and their money with it.
        assert figures["holders_pooling"] == {"value": None, "suppressed": True}
        await sign_in(browser, world.officer.email, DEFAULT_PASSWORD)
        page = await browser.get(f"/council/areas/{CARDIFF}")
        assert page.status_code == 200
        glance = re.search(r'<dl class="summary-list">(.*?)</dl>', page.text, re.S)
        assert glance
        cells = re.findall(r"<dd>(.*?)</dd>", glance.group(1), re.S)
        assert cells[0] == cells[1] == "not shown (too few people)"
        assert cells[2] == str(figures["coops_active"])
        assert money(10_000) not in glance.group(1)
        # Every chart is also a table, with a text alternative naming each bar.
        assert page.text.count('role="img"') == page.text.count("<table") == 3
        listed = figures["listed_average_hourly_rate_pence"]
        assert cells[4] == (text("common.none", "en") if listed is None else money(listed))

    async def test_enough_holders_are_published_rounded_as_the_api_rounds_them(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        world = await council_world(client, session)
        for n in range(8):
            holder = await register_person(client, full_name=f"Holder {n}")
            await join_coop(client, world.coop, holder, world.coop_admin)
            await set_direct_payment(client, holder)
            paid = await contribute(client, world.coop, holder, amount_pence=12_345)
            assert paid.status_code == 201, paid.text
        figures = (
            await client.get(f"/api/v1/la/areas/{CARDIFF}/summary", headers=world.officer.headers)
        ).json()
        holders, paid_in = figures["holders_pooling"], figures["contributions_pence"]
        assert holders == {"value": 10, "suppressed": False}  # 9 people, to the nearest 5
        assert paid_in["value"] is not None
        await sign_in(browser, world.officer.email, DEFAULT_PASSWORD)
        page = (await browser.get(f"/council/areas/{CARDIFF}")).text
        assert f"<dd>{holders['value']}</dd>" in page
        assert f"<dd>{money(paid_in['value'])}</dd>" in page
        assert f"<dd>{money(10_000 + 8 * 12_345)}</dd>" not in page

    async def test_the_csv_is_the_api_s_byte_for_byte(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        world = await council_world(client, session)
        query = "from=2025-04-01&to=2026-03-02"
        api = await client.get(
            f"/api/v1/la/areas/{CARDIFF}/summary?{query}&format=csv", headers=world.officer.headers
        )
        assert api.status_code == 200, api.text
        await sign_in(browser, world.officer.email, DEFAULT_PASSWORD)
        page = await browser.get(f"/council/areas/{CARDIFF}")
        assert f"/council/areas/{CARDIFF}/summary.csv?{query}".replace("&", "&amp;") in page.text
        csv = await browser.get(f"/council/areas/{CARDIFF}/summary.csv?{query}")
        assert csv.status_code == 200
        assert csv.content == api.content
        assert csv.headers["content-disposition"] == api.headers["content-disposition"]

    async def test_the_months_asked_for_are_the_ones_shown_and_chosen(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        world = await council_world(client, session)
        await sign_in(browser, world.officer.email, DEFAULT_PASSWORD)
        page = await browser.get(f"/council/areas/{CARDIFF}?from=2022-01-01&to=2022-12-31")
        assert "From 1 January 2022 to 31 December 2022" in page.text
        assert '<option value="2022-01-01" selected>' in page.text
        assert '<option value="2022-12-31" selected>' in page.text
        assert "summary.csv?from=2022-01-01&amp;to=2022-12-31" in page.text

    async def test_a_period_the_api_refuses_is_refused_on_the_page_too(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        world = await council_world(client, session)
        await sign_in(browser, world.officer.email, DEFAULT_PASSWORD)
        page = await browser.get(f"/council/areas/{CARDIFF}?from=2026-02-02")
        assert 'class="error-summary"' in page.text
        assert "whole calendar months" in page.text
        csv = await browser.get(f"/council/areas/{CARDIFF}/summary.csv?from=2026-02-02")
        assert csv.status_code == 422

    async def test_another_council_s_area_is_refused_and_no_area_is_not_found(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        world = await council_world(client, session)
        await sign_in(browser, world.other_officer.email, DEFAULT_PASSWORD)
        for page in ("", "/summary.csv", "/awards", "/holders"):
            assert (await browser.get(f"/council/areas/{CARDIFF}{page}")).status_code == 403
        assert (await browser.get("/council/areas/W99999999")).status_code == 404


def test_bars_are_drawn_against_the_largest_and_an_unpublished_figure_has_none() -> None:
    assert bar_lengths([None, 0, 5, 10, 1000]) == [None, 0, 1, 1, 100]
    assert bar_lengths([None, None]) == [None, None]
    assert bar_lengths([3, 4]) == [75, 100]


class TestAwards:
    async def test_the_officer_confirms_a_waiting_award_with_its_amount_and_reference(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        world = await council_world(client, session)
        await sign_in(browser, world.officer.email, DEFAULT_PASSWORD)
        waiting = await browser.get(f"/council/areas/{CARDIFF}/awards")
        assert f'href="/council/awards/{world.award["id"]}">Gwen Holder</a>' in waiting.text
        page = f"/council/awards/{world.award['id']}"
        done = await post_form(
            browser,
            page,
            f"{page}/confirm",
            {"weekly_amount": "240.50", "council_reference": "CDF-123"},
        )
        assert done.status_code == 303
        assert done.headers["location"] == f"/council/areas/{CARDIFF}/awards?done=confirmed"
        latest = await award_status(client, world.holder)
        assert latest["status"] == "confirmed"
        assert latest["weekly_amount_pence"] == 24_050
        assert latest["council_reference"] == "CDF-123"
        after = await browser.get(done.headers["location"])
        assert "The award is confirmed." in after.text
        assert world.award["id"] not in after.text

    async def test_another_council_s_officer_finds_no_such_award_and_changes_nothing(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        world = await council_world(client, session)
        await sign_in(browser, world.other_officer.email, DEFAULT_PASSWORD)
        award = f"/council/awards/{world.award['id']}"
        assert (await browser.get(award)).status_code == 404
        token = csrf_of((await browser.get("/council")).text)
        confirm = await browser.post(f"{award}/confirm", data={"csrf_token": token})
        reject = await browser.post(
            f"{award}/reject", data={"csrf_token": token, "reason": "Not ours"}
        )
        assert confirm.status_code == reject.status_code == 404
        assert (await award_status(client, world.holder))["status"] == "declared"

    async def test_the_confirm_form_without_its_token_is_refused_and_changes_nothing(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        world = await council_world(client, session)
        await sign_in(browser, world.officer.email, DEFAULT_PASSWORD)
        answer = await browser.post(
            f"/council/awards/{world.award['id']}/confirm", data={"council_reference": "X"}
        )
        assert answer.status_code == 403
        assert (await award_status(client, world.holder))["status"] == "declared"

    async def test_rejecting_needs_a_reason_then_the_holder_reads_it(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        world = await council_world(client, session)
        await sign_in(browser, world.officer.email, DEFAULT_PASSWORD)
        page = f"/council/awards/{world.award['id']}"
        refused = await post_form(browser, page, f"{page}/reject", {})
        assert refused.status_code == 422
        assert 'href="#field-reason"' in refused.text
        assert (await award_status(client, world.holder))["status"] == "declared"
        done = await post_form(
            browser, page, f"{page}/reject", {"reason": "We pay 200 pounds a week."}
        )
        assert done.status_code == 303
        latest = await award_status(client, world.holder)
        assert latest["status"] == "rejected"
        assert latest["rejection_reason"] == "We pay 200 pounds a week."
        # Rejected, it is decided: it no longer waits, and cannot be rejected twice.
        again = await post_form(browser, page, f"{page}/reject", {"reason": "Again"})
        assert again.status_code == 409


class TestEvidence:
    async def test_the_officer_reads_what_a_holder_shares_only_while_it_is_shared(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        world = await council_world(client, session)
        await sign_in(browser, world.officer.email, DEFAULT_PASSWORD)
        evidence = f"/council/coops/{world.coop}/members/{world.member}/evidence"
        assert (await browser.get(evidence)).status_code == 404  # nothing shared yet
        grant_id = await grant(client, world)
        listed = await browser.get(f"/council/areas/{CARDIFF}/holders")
        assert f'href="{evidence}"' in listed.text
        page = await browser.get(evidence)
        assert page.status_code == 200
        assert "Evidence: Gwen Holder" in page.text
        assert money(10_000) in page.text
        reads = await session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.action == "evidence.read_by_council",
                AuditEntry.about_user_id == world.holder.id,
            )
        )
        assert reads == 1
        ended = await client.delete(
            f"/api/v1/me/council-access/{grant_id}", headers=world.holder.headers
        )
        assert ended.status_code == 204
        assert (await browser.get(evidence)).status_code == 404
        assert (
            f'href="{evidence}"'
            not in (await browser.get(f"/council/areas/{CARDIFF}/holders")).text
        )

    async def test_the_csv_is_the_api_s_and_another_council_reads_nothing(
        self,
        app: FastAPI,
        client: httpx.AsyncClient,
        browser: httpx.AsyncClient,
        session: AsyncSession,
    ) -> None:
        world = await council_world(client, session)
        await grant(client, world)
        evidence = f"/council/coops/{world.coop}/members/{world.member}/evidence"
        api = await client.get(
            f"/api/v1/coops/{world.coop}/members/{world.member}/evidence?format=csv",
            headers=world.officer.headers,
        )
        assert api.status_code == 200, api.text
        await sign_in(browser, world.officer.email, DEFAULT_PASSWORD)
        csv = await browser.get(f"{evidence}.csv")
        assert csv.content == api.content
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="https://test"
        ) as other:
            await sign_in(other, world.other_officer.email, DEFAULT_PASSWORD)
            assert (await other.get(evidence)).status_code == 404
            assert (await other.get(f"{evidence}.csv")).status_code == 404
