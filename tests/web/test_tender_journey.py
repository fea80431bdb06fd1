"""A co-op administrator runs a collective tender from the draft to the contract, and charges
a month of a shared service, in a real browser (Chromium, driven by Playwright) on the real
server: in Welsh on a phone (360 px) and in English on a desktop (1280 px).

Every page reached is checked by `Walk` (its `lang`, axe-core with zero violations, nothing
wider than the screen; screenshots of the main pages at 360 px). What others do meanwhile
(a holder declaring demand and voting, providers bidding) is done through the API, as the
factories do it. Bidding closes by the server's own clock, which a test cannot move: the
administrator types a deadline ten days away, and once the bids are in the walk lets those
days pass by moving the stored deadline into the past (what the server's next read of the
tender sees as the deadline gone by), instead of waiting in real time. The rules behind each step are the
API's tests' business, and the pages' own refusals `test_tender_pages.py`'s.
"""

import re
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext

from app.core.clock import WALES
from tests.factories import (
    DEFAULT_PASSWORD,
    Person,
    contribute,
    create_coop,
    create_support_service,
    declare_demand,
    join_coop,
    make_platform_admin,
    register_person,
    set_direct_payment,
    sign_in_again,
    submit_bid,
    verified_provider,
)
from tests.web.live import Site
from tests.web.test_journeys import sign_in, walk_for

VARIANTS = [("cy", 360), ("en", 1280)]
pytestmark = pytest.mark.xdist_group("browser")
SERVICE = "Payroll for personal assistants"


@pytest.fixture
async def contexts() -> AsyncIterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        await context.close()


@pytest.fixture(scope="session")
async def tendering(site: Site) -> dict[str, dict[str, Any]]:
    """For each walk: a co-op of its own whose awards go to the members' vote, its
    administrator, a holder with money in the pool subscribed to a shared service, and the
    staff of two verified providers serving the co-op's area."""
    api = site.api
    platform = await register_person(api, full_name="Platform Admin")
    async with site.sessionmaker() as session:
        await make_platform_admin(session, platform)
    found: dict[str, dict[str, Any]] = {}
    for language, width in VARIANTS:
        admin = await register_person(api, full_name=f"Tendering Admin {language} {width}")
        coop = await create_coop(api, admin, name=f"Cydweithfa Dendro {language} {width}")
        holder = await register_person(api, full_name=f"Holder {language} {width}")
        await join_coop(api, coop, holder, admin)
        await set_direct_payment(api, holder, weekly_amount_pence=50_000)
        paid = await contribute(api, coop, holder, amount_pence=10_000)
        assert paid.status_code == 201, paid.text
        service = await create_support_service(
            api, coop, admin, name=SERVICE, monthly_fee_pence=3_000
        )
        joined = await api.post(
            f"/api/v1/coops/{coop}/support/services/{service}/subscription",
            headers=holder.headers,
        )
        assert joined.status_code == 201, joined.text
        bidders = []
        for rate in (2_000, 2_300):
            staff = await register_person(api, full_name=f"Bidder {rate}")
            async with site.sessionmaker() as session:
                provider = await verified_provider(api, session, staff=staff, admin=platform)
            bidders.append((staff, provider["name"], rate))
        found[f"{language}-{width}"] = {
            "admin": admin,
            "coop": coop,
            "holder": holder,
            "bidders": bidders,
        }
    return found


def local(moment: datetime) -> str:
    """A time as typed into a `datetime-local` field: in Wales, to the second."""
    return moment.astimezone(WALES).strftime("%Y-%m-%dT%H:%M:%S")


@pytest.mark.parametrize(
    ("language", "width"), VARIANTS, ids=[f"{v[0]}-{v[1]}px" for v in VARIANTS]
)
async def test_an_administrator_runs_a_tender_from_the_draft_to_the_contract(
    chromium: Browser,
    site: Site,
    tendering: dict[str, dict[str, Any]],
    contexts: list[BrowserContext],
    language: str,
    width: int,
) -> None:
    mine = tendering[f"{language}-{width}"]
    admin, holder, coop = mine["admin"], mine["holder"], mine["coop"]
    assert isinstance(admin, Person)
    assert isinstance(holder, Person)
    await sign_in_again(site.api, holder, *(staff for staff, _, _ in mine["bidders"]))
    context, walk = await walk_for(chromium, site, language, width)
    contexts.append(context)
    page = walk.page

    # The administrator drafts a tender; weights that do not add up to 100 are refused.
    await sign_in(walk, admin.email, DEFAULT_PASSWORD)
    await walk.goto(f"/coops/{coop}/money", "tender-money")
    await walk.follow("tenderadmin.nav", "tender-list", shot=True)
    await walk.follow("tenderadmin.new_link", "tender-new", shot=True)
    await walk.fill("tenderadmin.title", "Gofal cartref yn Gymraeg")
    await walk.fill("tenderadmin.description", "Home care for two holders, in Welsh.")
    await page.get_by_label(walk.t("tender.service"), exact=True).select_option(
        "domiciliary_support"
    )
    await walk.fill("tender.max_rate", "25.00")
    await page.get_by_label(walk.t("tender.welsh"), exact=True).select_option("some")
    await walk.fill("tenderadmin.price_weight", "60")
    await walk.fill("tenderadmin.quality_weight", "50")
    await walk.fill("tenders.deadline", local(datetime.now(WALES) + timedelta(days=7)))
    await walk.fill("tenderadmin.standstill_days", "0")
    await walk.submit("tenderadmin.create", "tender-new-refused", shot=True)
    summary = page.locator(".error-summary")
    assert await summary.count() == 1
    await summary.get_by_role("link").first.click()
    assert await page.evaluate("document.activeElement.id") == "field-quality_weight"
    await walk.fill("tenderadmin.quality_weight", "40")
    await walk.submit("tenderadmin.create", "tender-drafted", shot=True)
    await walk.notice("tenderadmin.done_drafted")
    found = re.search(r"/admin/tenders/([0-9a-f-]{36})", page.url)
    assert found
    tender = uuid.UUID(found.group(1))

    # A holder says how many hours they want; the administrator sets the deadline and
    # publishes. The bids are sealed.
    await declare_demand(site.api, tender, holder, 8)
    await walk.follow("tenderadmin.edit_link", "tender-edit", shot=True)
    deadline = datetime.now(WALES).replace(microsecond=0) + timedelta(days=10)
    await walk.fill("tenders.deadline", local(deadline))
    await walk.submit("tenderadmin.save", "tender-edited")
    await walk.notice("tenderadmin.done_updated")
    await walk.submit("tenderadmin.publish", "tender-published", shot=True)
    await walk.notice("tenderadmin.done_published")
    sealed = "Mae cynigion yn aros wedi'u selio" if language == "cy" else "Bids stay sealed"
    assert sealed in await page.locator("main").inner_text()

    # Two providers bid; once bidding closes the bids are opened to the administrator.
    for staff, _, rate in mine["bidders"]:
        await submit_bid(site.api, tender, staff, hourly_rate_pence=rate)
    await site.close_bidding(tender)
    await walk.goto(f"/coops/{coop}/admin/tenders/{tender}", "tender-bids", shot=True)
    for (_, name, _), score in zip(mine["bidders"], ("60", "95"), strict=True):
        await page.get_by_label(walk.t("tenderadmin.score_for", provider=name), exact=True).fill(
            score
        )
        await page.get_by_role(
            "button", name=f"{walk.t('tenderadmin.score_submit')} {name}", exact=True
        ).click()
        await page.wait_for_load_state()
        await walk.reached("tender-scored")
        await walk.notice("tenderadmin.done_scored")

    # The best bid (the dearer one, on quality) is awarded; the members vote on it.
    best = mine["bidders"][1][1]
    ranking = page.get_by_role("table").last
    assert best in await ranking.get_by_role("row").nth(1).inner_text()
    await page.get_by_role("radio", name=re.compile(re.escape(best))).check()
    await walk.submit("tenderadmin.award", "tender-vote", shot=True)
    await walk.notice("tenderadmin.done_vote_opened")
    link = page.locator('main a[href^="/proposals/"]').first
    proposal = (await link.get_attribute("href") or "").rsplit("/", 1)[-1]
    voted = await site.api.post(
        f"/api/v1/proposals/{proposal}/votes", json={"choice": "yes"}, headers=holder.headers
    )
    assert voted.status_code == 200, voted.text
    await link.click()
    await page.wait_for_load_state()
    await walk.reached("tender-proposal")
    await page.get_by_label(walk.t("vote.yes"), exact=True).check()
    await walk.submit("proposal.submit", "tender-voted")
    await walk.notice("done.voted")

    # Awarded by the vote, with no standstill: the contract, with the holder's call-off.
    await walk.goto(f"/coops/{coop}/admin/tenders/{tender}", "tender-awarded", shot=True)
    await walk.submit("tenderadmin.contract", "tender-contract", shot=True)
    await walk.notice("tenderadmin.done_contracted")
    main = await page.locator("main").inner_text()
    assert best in main
    assert f"Holder {language} {width}" in main

    # A month of the shared service, charged to the holder subscribed to it.
    await walk.follow("charges.nav", "shared-services", shot=True)
    await page.get_by_role(
        "button", name=f"{walk.t('charges.submit')} {SERVICE}", exact=True
    ).click()
    await page.wait_for_load_state()
    await walk.reached("shared-services-charged", shot=True)
    await walk.notice("charges.done")
    await sign_in_again(site.api, admin)
    pool = await site.api.get(f"/api/v1/coops/{coop}/pool", headers=admin.headers)
    assert pool.json()["shared_pence"] == 3_000
    walk.done()
