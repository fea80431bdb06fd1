"""The care journeys, walked in a real browser (Chromium, driven by Playwright) on the real
server: a holder confirms one visit their provider recorded and queries another, lets their
council see their evidence and ends it; a daughter with her mother's mandate switches to
her, confirms a visit for her, shares her evidence, pays in for her within the mandate's
limit, and switches back.

The world (a contract, the visits, the mandate) is made through the API as the provider, the
administrator and the holder would make it; the browser does only what the person does.
Every page is checked by `Walk` (lang, axe-core, width), and the main ones photographed at
360 px.
"""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from playwright.async_api import Browser, BrowserContext

from app.core.clock import WALES
from app.core.i18n import Language
from app.web.rendering import day_text
from tests.factories import (
    DEFAULT_PASSWORD,
    Person,
    create_coop,
    declare_demand,
    grant_mandate,
    join_coop,
    make_platform_admin,
    open_tender,
    register_person,
    set_direct_payment,
    submit_bid,
    verified_provider,
)
from tests.helpers import ok
from tests.web.live import Site, Walk, soon
from tests.web.test_journeys import ids, sign_in, walk_for

VARIANTS = [("cy", 360), ("en", 1280)]
COOP = "Cydweithfa Gofal Penarth"
# What the daughter may move for her mother in a four-week cycle.
LIMIT = 10_000
pytestmark = pytest.mark.xdist_group("browser")


@dataclass
class Cared:
    holder: Person
    mother: Person
    daughter: Person
    day: date
    # Start times (HH:MM) of the visits: the holder's two, the mother's first.
    starts: list[str]


def two_visits(now: datetime) -> list[tuple[str, str]]:
    """Two back-to-back visits today (in Wales), each over by now."""
    minutes = now.hour * 60 + now.minute
    span = min(60, (minutes - 1) // 2)
    first = minutes - 1 - 2 * span
    return [(_clock(first + n * span), _clock(first + (n + 1) * span)) for n in range(2)]


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@pytest.fixture(scope="session")
async def cared(site: Site) -> dict[str, Cared]:
    """For each walk: two holders of a co-op with a contract for care, each with two visits
    recorded today and a Direct Payment from Cardiff; the second (the mother) has a daughter
    holding her mandate to see her affairs, share her evidence and pay in up to LIMIT a
    cycle (accepted)."""
    api = site.api
    admin = await register_person(api, full_name="Alys Admin")
    coop = await create_coop(api, admin, name=COOP, award_requires_vote=False)
    people: dict[str, tuple[Person, Person, Person]] = {}
    for language, width in VARIANTS:
        holder, mother = [
            await register_person(api, full_name=name) for name in ("Gwen Holder", "Mair Holder")
        ]
        for person in (holder, mother):
            await join_coop(api, coop, person, admin)
            await set_direct_payment(api, person, weekly_amount_pence=40_000)
        daughter = await register_person(api, full_name="Nia Daughter")
        await grant_mandate(
            api,
            mother,
            daughter,
            scopes=("view", "share", "contribute"),
            limit_pence_per_cycle=LIMIT,
        )
        people[f"{language}-{width}"] = (holder, mother, daughter)
    staff = await register_person(api, full_name="Provider Staff")
    platform = await register_person(api, full_name="Platform Admin")
    async with site.sessionmaker() as session:
        await make_platform_admin(session, platform)
        await verified_provider(api, session, staff=staff, admin=platform)
    tender = await open_tender(api, coop, admin, submission_deadline=soon(120), standstill_days=0)
    for holder, mother, _ in people.values():
        await declare_demand(api, tender, holder, 10)
        await declare_demand(api, tender, mother, 5)
    bid = await submit_bid(api, tender, staff)
    await site.close_bidding(tender)
    ok(
        await api.put(
            f"/api/v1/tenders/{tender}/bids/{bid}/score",
            json={"quality_score": 80},
            headers=admin.headers,
        )
    )
    ok(
        await api.post(
            f"/api/v1/tenders/{tender}/award", json={"bid_id": str(bid)}, headers=admin.headers
        )
    )
    contract = ok(await api.post(f"/api/v1/tenders/{tender}/contract", headers=admin.headers))
    now = datetime.now(WALES)
    if now.hour == 0 and now.minute < 3:  # room for two visits since midnight
        await asyncio.sleep(180)
        now = datetime.now(WALES)
    windows = two_visits(now)
    found = {}
    for name, (holder, mother, daughter) in people.items():
        for person in (holder, mother):
            me = ok(await api.get("/api/v1/me", headers=person.headers)).json()
            member = next(m["id"] for m in me["memberships"] if m["coop_id"] == str(coop))
            for start, end in windows:
                ok(
                    await api.post(
                        f"/api/v1/contracts/{contract.json()['id']}/visits",
                        json={
                            "member_id": member,
                            "date": now.date().isoformat(),
                            "start_time": start,
                            "end_time": end,
                            "worker_name": "Siân Gofalwr",
                        },
                        headers=staff.headers,
                    )
                )
        found[name] = Cared(
            holder=holder,
            mother=mother,
            daughter=daughter,
            day=now.date(),
            starts=[start for start, _ in windows],
        )
    return found


@pytest.fixture
async def contexts() -> AsyncIterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        await context.close()


def visit_button(walk: Walk, verb: str, cared: Cared, start: str) -> str:
    """The accessible name of a visit's button: the verb and which visit it is."""
    language: Language = "cy" if walk.language == "cy" else "en"
    which = walk.t("visits.which", day=day_text(cared.day, language), start=start)
    return f"{walk.t(verb)} {which}"


@pytest.mark.parametrize(("language", "width"), VARIANTS, ids=ids(VARIANTS))
async def test_a_holder_confirms_and_queries_visits_and_shares_their_evidence(
    chromium: Browser,
    site: Site,
    cared: dict[str, Cared],
    contexts: list[BrowserContext],
    language: str,
    width: int,
) -> None:
    mine = cared[f"{language}-{width}"]
    context, walk = await walk_for(chromium, site, language, width)
    contexts.append(context)
    page = walk.page

    # What waits for the holder, on their home page.
    await sign_in(walk, mine.holder.email, DEFAULT_PASSWORD)
    await walk.follow("home.visits_waiting", "visits", shot=True, count=2)

    # The first visit happened as recorded.
    first = visit_button(walk, "visits.confirm", mine, mine.starts[0])
    await page.get_by_role("button", name=first, exact=True).click()
    await page.wait_for_load_state()
    await walk.reached("visit-confirmed")
    await walk.notice("done.visit_confirmed")

    # The second did not: said without a reason, then with one.
    second = visit_button(walk, "visits.query", mine, mine.starts[1])
    await page.get_by_role("button", name=second, exact=True).click()
    await page.wait_for_load_state()
    await walk.reached("visit-query-refused", shot=True)
    summary = page.locator(".error-summary")
    assert await summary.count() == 1
    await summary.get_by_role("link").first.click()
    assert await page.evaluate("document.activeElement.id") == "field-reason"
    await page.locator("#field-reason").fill("Nobody came that afternoon")
    await page.get_by_role("button", name=second, exact=True).click()
    await page.wait_for_load_state()
    await walk.reached("visit-queried")
    await walk.notice("done.visit_queried")
    assert await page.get_by_role("button", name=first, exact=True).count() == 0

    # The council paying the Direct Payment may read the evidence, until the holder ends it.
    await walk.goto("/", "home-nothing-waiting")
    assert await page.get_by_text(walk.t("home.nothing_waiting"), exact=True).count() == 1
    await walk.follow("home.consent_link", "consent", shot=True)
    await walk.submit("consent.submit", "consent-granted", shot=True)
    await walk.notice("done.consent_granted")
    assert await page.get_by_text(walk.t("consent.in_force"), exact=True).count() == 1
    await page.get_by_role("button", name=walk.t("consent.end"), exact=False).click()
    await page.wait_for_load_state()
    await walk.reached("consent-ended")
    await walk.notice("done.consent_ended")
    walk.done()


@pytest.mark.parametrize(("language", "width"), VARIANTS, ids=ids(VARIANTS))
async def test_a_daughter_acts_for_her_mother_within_the_mandate_and_switches_back(
    chromium: Browser,
    site: Site,
    cared: dict[str, Cared],
    contexts: list[BrowserContext],
    language: str,
    width: int,
) -> None:
    mine = cared[f"{language}-{width}"]
    context, walk = await walk_for(chromium, site, language, width)
    contexts.append(context)
    page = walk.page
    banner = walk.t("acting.banner", name="Mair Holder")

    # She switches to her mother: every page says whom she acts for.
    await sign_in(walk, mine.daughter.email, DEFAULT_PASSWORD)
    assert await page.get_by_text(banner, exact=True).count() == 0
    switch = walk.t("home.act_for", name="Mair Holder")
    await page.get_by_role("link", name=switch, exact=True).click()
    await page.wait_for_load_state()
    await walk.reached("acting", shot=True)
    assert await page.get_by_text(banner, exact=True).count() == 1
    await walk.follow("visits.title", "acting-visits", shot=True)
    assert await page.get_by_text(banner, exact=True).count() == 1

    # She confirms a visit for her mother.
    first = visit_button(walk, "visits.confirm", mine, mine.starts[0])
    await page.get_by_role("button", name=first, exact=True).click()
    await page.wait_for_load_state()
    await walk.reached("acting-visit-confirmed")
    await walk.notice("done.visit_confirmed")

    # She lets her mother's council see the evidence.
    await page.get_by_role("link", name=banner, exact=True).click()
    await page.wait_for_load_state()
    await walk.reached("acting-again")
    await walk.follow("consent.title", "acting-consent", shot=True)
    await walk.submit("consent.submit", "acting-consent-granted")
    await walk.notice("done.consent_granted")

    # She records what she paid into the co-op's account for her mother, within her limit.
    await page.get_by_role("link", name=banner, exact=True).click()
    await page.wait_for_load_state()
    await page.get_by_role("link", name=walk.t("payin.title", name=COOP), exact=True).click()
    await page.wait_for_load_state()
    await walk.reached("acting-pay-in", shot=True)
    assert await page.get_by_text(walk.t("acting.limit", amount="£100.00")).count() == 1
    await walk.fill("payin.amount", "40.00")
    await walk.fill("payin.reference", "Rhagfyr")
    await walk.submit("payin.submit", "acting-paid")
    await walk.notice("done.paid")

    # Back to herself: her own pages act for nobody.
    await walk.follow("acting.switch_back", "home-own")
    assert await page.get_by_text(banner, exact=True).count() == 0
    walk.done()
