"""A co-op administrator's tender pages and shared-service charges, over plain HTTP: each form
does what the API's route does, is refused in the API's words, and keeps nothing it did."""

import html
import re
import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.core.clock import FrozenClock
from app.ledger.models import LedgerTransaction
from app.tenders.models import Tender
from tests.factories import (
    CARDIFF,
    DEFAULT_PASSWORD,
    Person,
    contribute,
    create_coop,
    create_support_service,
    create_tender,
    declare_demand,
    join_coop,
    open_tender,
    platform_admin,
    register_person,
    set_direct_payment,
    sign_in_again,
    submit_bid,
    verified_provider,
)
from tests.web.pages import post_form, sign_in

FORM = {
    "title": "Home care in Welsh",
    "description": "Two holders want reliable home care, in Welsh where possible.",
    "service_type": "domiciliary_support",
    "area_codes": CARDIFF,
    "max_hourly_rate": "25.50",
    "welsh_language_required": "some",
    "price_weight": "60",
    "quality_weight": "40",
    # Summer: Wales is an hour ahead of UTC.
    "submission_deadline": "2026-07-01T17:00",
    "standstill_days": "10",
}


async def count(session: AsyncSession, model: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def summary(page: str) -> str:
    """The error summary's text, as a person reads it."""
    found = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert found, "the page has no error summary"
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(0)))


async def admin_signed_in(
    client: httpx.AsyncClient, browser: httpx.AsyncClient, **rules: Any
) -> tuple[Person, uuid.UUID]:
    admin = await register_person(client, full_name="Alys Admin")
    coop = await create_coop(client, admin, **rules)
    await sign_in(browser, admin.email, DEFAULT_PASSWORD)
    return admin, coop


async def tender_api(client: httpx.AsyncClient, admin: Person, tender: str) -> dict[str, Any]:
    read = await client.get(f"/api/v1/tenders/{tender}", headers=admin.headers)
    assert read.status_code == 200, read.text
    body: dict[str, Any] = read.json()
    return body


class TestDrafting:
    async def test_the_form_drafts_the_tender_the_api_reads(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient
    ) -> None:
        admin, coop = await admin_signed_in(client, browser)
        new = f"/coops/{coop}/admin/tenders/new"
        made = await post_form(browser, new, f"/coops/{coop}/admin/tenders", FORM)
        assert made.status_code == 303, made.text
        tender = made.headers["location"].split("/")[-1].split("?")[0]
        read = await tender_api(client, admin, tender)
        assert read["status"] == "draft"
        assert read["max_hourly_rate_pence"] == 2550
        assert read["submission_deadline"].startswith("2026-07-01T16:00:00")
        assert read["area_codes"] == [CARDIFF]
        page = await browser.get(made.headers["location"])
        assert "The draft is saved." in page.text

    async def test_weights_not_adding_up_are_refused_in_the_api_s_words_and_draft_nothing(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        _, coop = await admin_signed_in(client, browser)
        tenders, entries = await count(session, Tender), await count(session, AuditEntry)
        refused = await post_form(
            browser,
            f"/coops/{coop}/admin/tenders/new",
            f"/coops/{coop}/admin/tenders",
            {**FORM, "quality_weight": "50"},
        )
        assert refused.status_code == 422
        assert "price_weight and quality_weight must add up to exactly 100" in summary(refused.text)
        assert 'href="#field-quality_weight"' in refused.text
        assert 'value="Home care in Welsh"' in refused.text
        assert await count(session, Tender) == tenders
        assert await count(session, AuditEntry) == entries

    async def test_an_empty_form_names_each_field_it_needs(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient
    ) -> None:
        _, coop = await admin_signed_in(client, browser)
        refused = await post_form(
            browser,
            f"/coops/{coop}/admin/tenders/new",
            f"/coops/{coop}/admin/tenders",
            {"max_hourly_rate": "lots", "submission_deadline": "next Friday"},
        )
        assert refused.status_code == 422
        for name in (
            "title",
            "description",
            "service_type",
            "area_codes",
            "max_hourly_rate",
            "welsh_language_required",
            "price_weight",
            "quality_weight",
            "submission_deadline",
            "standstill_days",
        ):
            assert f'href="#field-{name}"' in refused.text, name
        assert "Enter an amount in pounds and pence" in summary(refused.text)
        assert "Enter a day and a time" in summary(refused.text)

    async def test_a_draft_is_edited_and_a_needed_field_cannot_be_cleared(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient
    ) -> None:
        admin, coop = await admin_signed_in(client, browser)
        tender = await create_tender(client, coop, admin)
        edit = f"/coops/{coop}/admin/tenders/{tender}/edit"
        shown = await browser.get(edit)
        assert 'value="25.00"' in shown.text  # the draft as it stands
        changed = {**FORM, "title": "Respite in Welsh", "title_cy": "Seibiant yn Gymraeg"}
        refused = await post_form(browser, edit, edit, {**changed, "title": ""})
        assert refused.status_code == 422
        assert "This field cannot be cleared." in summary(refused.text)
        saved = await post_form(browser, edit, edit, changed)
        assert saved.status_code == 303, saved.text
        read = await tender_api(client, admin, str(tender))
        assert (read["title"], read["title_cy"]) == ("Respite in Welsh", "Seibiant yn Gymraeg")
        emptied = await post_form(browser, edit, edit, FORM)
        assert emptied.status_code == 303
        assert (await tender_api(client, admin, str(tender)))["title_cy"] is None

    async def test_a_published_tender_has_no_form_to_edit(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient
    ) -> None:
        admin, coop = await admin_signed_in(client, browser)
        tender = await open_tender(client, coop, admin)
        answer = await browser.get(f"/coops/{coop}/admin/tenders/{tender}/edit")
        assert answer.status_code == 409
        assert "The tender is open: that cannot be done now." in answer.text


class TestPublishing:
    async def test_a_deadline_passed_is_refused_in_the_page_s_language(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        admin, coop = await admin_signed_in(client, browser)
        past = (clock.now() - timedelta(hours=1)).isoformat()
        tender = await create_tender(client, coop, admin, submission_deadline=past)
        page = f"/coops/{coop}/admin/tenders/{tender}"
        browser.cookies.set("dpc_lang", "cy")
        refused = await post_form(browser, page, f"{page}/publish", {})
        assert refused.status_code == 422
        assert "Dim ond tra bo'r dyddiad cau ar gyfer cynigion eto i ddod" in summary(refused.text)
        assert (await tender_api(client, admin, str(tender)))["status"] == "draft"

    async def test_published_the_bids_stay_sealed_until_the_deadline(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin, coop = await admin_signed_in(client, browser)
        tender = await create_tender(client, coop, admin)
        page = f"/coops/{coop}/admin/tenders/{tender}"
        published = await post_form(browser, page, f"{page}/publish", {})
        assert published.status_code == 303
        staff = await register_person(client, full_name="Provider Staff")
        provider = await verified_provider(
            client, session, staff=staff, admin=await platform_admin(client, session)
        )
        await submit_bid(client, tender, staff, hourly_rate_pence=2345)
        shown = await browser.get(page)
        assert "Bids stay sealed until the submission deadline" in shown.text
        assert provider["name"] not in shown.text
        assert "£23.45" not in shown.text


async def closed_tender(
    client: httpx.AsyncClient,
    session: AsyncSession,
    clock: FrozenClock,
    admin: Person,
    coop: uuid.UUID,
    *,
    standstill_days: int = 0,
) -> tuple[str, list[uuid.UUID], Person]:
    """A tender of the co-op with a holder's demand and two bids, its deadline passed; and
    the holder (funded)."""
    holder = await register_person(client, full_name="Gwen Holder")
    await join_coop(client, coop, holder, admin)
    deadline = (clock.now() + timedelta(hours=1)).isoformat()
    tender = await open_tender(
        client, coop, admin, submission_deadline=deadline, standstill_days=standstill_days
    )
    await declare_demand(client, tender, holder, 6)
    platform = await platform_admin(client, session)
    bids = []
    for rate in (2000, 2400):
        staff = await register_person(client, full_name=f"Staff {rate}")
        await verified_provider(client, session, staff=staff, admin=platform)
        bids.append(await submit_bid(client, tender, staff, hourly_rate_pence=rate))
    clock.advance(timedelta(hours=2))
    await sign_in_again(client, admin, holder)
    return str(tender), bids, holder


class TestEvaluating:
    async def test_after_the_deadline_bids_are_scored_ranked_and_awarded_as_the_api_ranks(
        self,
        client: httpx.AsyncClient,
        browser: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
    ) -> None:
        admin, coop = await admin_signed_in(client, browser, award_requires_vote=False)
        tender, (cheap, dear), _ = await closed_tender(client, session, clock, admin, coop)
        page = f"/coops/{coop}/admin/tenders/{tender}"
        shown = await browser.get(page)
        assert "£20.00" in shown.text
        assert "£24.00" in shown.text
        refused = await post_form(browser, page, f"{page}/award", {"bid_id": str(cheap)})
        assert refused.status_code == 409
        assert "Every bid must have a quality score" in summary(refused.text)
        too_high = await post_form(
            browser, page, f"{page}/bids/{cheap}/score", {"quality_score": "101"}
        )
        assert too_high.status_code == 422
        assert 'id="field-quality_score"' in too_high.text
        assert 'value="101"' in too_high.text
        for bid, score in ((cheap, "50"), (dear, "100")):
            scored = await post_form(
                browser, page, f"{page}/bids/{bid}/score", {"quality_score": score}
            )
            assert scored.status_code == 303, scored.text
        evaluation = await client.get(f"/api/v1/tenders/{tender}/evaluation", headers=admin.headers)
        shown = await browser.get(page)
        for item in evaluation.json()["items"]:
            assert item["total_points"] in shown.text
        awarded = await post_form(browser, page, f"{page}/award", {"bid_id": str(dear)})
        assert awarded.status_code == 303
        read = await tender_api(client, admin, tender)
        assert read["status"] == "awarded"
        assert read["award"]["bid_id"] == str(dear)

    async def test_an_award_the_rules_put_to_a_vote_shows_the_vote(
        self,
        client: httpx.AsyncClient,
        browser: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
    ) -> None:
        admin, coop = await admin_signed_in(client, browser)
        tender, bids, _ = await closed_tender(client, session, clock, admin, coop)
        page = f"/coops/{coop}/admin/tenders/{tender}"
        for bid in bids:
            await post_form(browser, page, f"{page}/bids/{bid}/score", {"quality_score": "70"})
        awarded = await post_form(browser, page, f"{page}/award", {"bid_id": str(bids[0])})
        assert awarded.status_code == 303
        assert awarded.headers["location"].endswith("done=vote_opened")
        read = await tender_api(client, admin, tender)
        assert read["status"] == "award_pending_vote"
        shown = await browser.get(awarded.headers["location"])
        assert f'href="/proposals/{read["award_proposal_id"]}"' in shown.text

    async def test_the_contract_waits_for_the_standstill_then_holds_the_demand(
        self,
        client: httpx.AsyncClient,
        browser: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
    ) -> None:
        admin, coop = await admin_signed_in(client, browser, award_requires_vote=False)
        tender, bids, _ = await closed_tender(
            client, session, clock, admin, coop, standstill_days=3
        )
        page = f"/coops/{coop}/admin/tenders/{tender}"
        for bid in bids:
            await post_form(browser, page, f"{page}/bids/{bid}/score", {"quality_score": "70"})
        await post_form(browser, page, f"{page}/award", {"bid_id": str(bids[0])})
        early = await post_form(browser, page, f"{page}/contract", {})
        assert early.status_code == 409
        assert "The standstill period ends at" in summary(early.text)
        clock.advance(timedelta(days=3))
        made = await post_form(browser, page, f"{page}/contract", {})
        assert made.status_code == 303, made.text
        contract = await browser.get(made.headers["location"])
        assert contract.status_code == 200
        assert "Gwen Holder" in contract.text
        assert "The contract is signed" in contract.text
        await sign_in_again(client, admin)
        assert (await tender_api(client, admin, tender))["status"] == "contracted"

    async def test_a_cancelled_tender_keeps_its_reason(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient
    ) -> None:
        admin, coop = await admin_signed_in(client, browser)
        tender = await open_tender(client, coop, admin)
        page = f"/coops/{coop}/admin/tenders/{tender}"
        refused = await post_form(browser, page, f"{page}/cancel", {})
        assert refused.status_code == 422
        assert 'href="#field-reason"' in refused.text
        cancelled = await post_form(browser, page, f"{page}/cancel", {"reason": "No demand"})
        assert cancelled.status_code == 303
        read = await tender_api(client, admin, str(tender))
        assert (read["status"], read["cancellation_reason"]) == ("cancelled", "No demand")


class TestCharging:
    async def subscribed(
        self, client: httpx.AsyncClient, admin: Person, coop: uuid.UUID, *, funds: int
    ) -> uuid.UUID:
        holder = await register_person(client, full_name="Gwen Holder")
        await join_coop(client, coop, holder, admin)
        await set_direct_payment(client, holder, weekly_amount_pence=50_000)
        if funds:
            paid = await contribute(client, coop, holder, amount_pence=funds)
            assert paid.status_code == 201, paid.text
        service = await create_support_service(client, coop, admin, monthly_fee_pence=3_000)
        joined = await client.post(
            f"/api/v1/coops/{coop}/support/services/{service}/subscription",
            headers=holder.headers,
        )
        assert joined.status_code == 201, joined.text
        return service

    async def test_the_same_form_sent_twice_charges_once_and_a_new_one_is_refused(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin, coop = await admin_signed_in(client, browser)
        service = await self.subscribed(client, admin, coop, funds=10_000)
        page = f"/coops/{coop}/admin/shared-services"
        shown = await browser.get(page)
        key = re.search(r'name="idempotency_key" value="([^"]+)"', shown.text)
        token = re.search(r'name="csrf_token" value="([^"]+)"', shown.text)
        assert key
        assert token
        form = {"csrf_token": token.group(1), "idempotency_key": key.group(1), "period": "2026-03"}
        before = await count(session, LedgerTransaction)
        first = await browser.post(f"{page}/{service}/charge", data=form)
        again = await browser.post(f"{page}/{service}/charge", data=form)
        assert first.status_code == again.status_code == 303
        assert await count(session, LedgerTransaction) == before + 1
        refused = await post_form(browser, page, f"{page}/{service}/charge", {"period": "2026-03"})
        assert refused.status_code == 409
        assert "already been charged for 2026-03" in summary(refused.text)
        assert 'href="#field-period"' in refused.text

    async def test_a_member_short_of_their_share_is_named_and_nothing_is_posted(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin, coop = await admin_signed_in(client, browser)
        service = await self.subscribed(client, admin, coop, funds=1_000)
        page = f"/coops/{coop}/admin/shared-services"
        before = await count(session, LedgerTransaction)
        refused = await post_form(browser, page, f"{page}/{service}/charge", {"period": "2026-03"})
        assert refused.status_code == 409
        assert "Gwen Holder is short by £20.00" in summary(refused.text)
        assert await count(session, LedgerTransaction) == before

    async def test_an_amount_typed_is_charged_instead_of_the_fee(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient
    ) -> None:
        admin, coop = await admin_signed_in(client, browser)
        service = await self.subscribed(client, admin, coop, funds=10_000)
        page = f"/coops/{coop}/admin/shared-services"
        charged = await post_form(
            browser, page, f"{page}/{service}/charge", {"period": "2026-03", "amount": "12.34"}
        )
        assert charged.status_code == 303, charged.text
        pool = await client.get(f"/api/v1/coops/{coop}/pool", headers=admin.headers)
        assert pool.json()["shared_pence"] == 1234
