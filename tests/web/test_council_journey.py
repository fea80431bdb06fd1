"""A council officer's journey, walked in a real browser (Chromium, by Playwright) on the real
server, in Welsh on a phone and in English on a desktop: from home to the area's figures (its
charts and tables, and their CSV), confirming one waiting award and rejecting another, then
reading the evidence a holder shared. Every page is checked by `Walk` (lang, axe-core,
width); the rules behind each step have the API's tests."""

import uuid
from dataclasses import dataclass

import pytest
from playwright.async_api import Browser, BrowserContext

from tests.factories import (
    CARDIFF,
    DEFAULT_PASSWORD,
    Person,
    appoint_officer,
    contribute,
    join_coop,
    make_platform_admin,
    register_person,
    set_direct_payment,
)
from tests.web.live import Site
from tests.web.test_journeys import api_person, contexts, ids, sign_in, walk_for  # noqa: F401

VARIANTS = [("cy", 360), ("en", 1280)]
pytestmark = pytest.mark.xdist_group("browser")
AREA_NAME = {"en": "Cardiff", "cy": "Caerdydd"}


@dataclass
class Officer:
    officer: Person
    to_confirm: str
    to_reject: str
    shared_member: uuid.UUID


async def officer_world(site: Site, language: str, width: int) -> Officer:
    """Cardiff's officer, and two holders Cardiff pays whose awards wait for it: one who
    pays in and shares their evidence with the council, one whose award is wrong."""
    api, coop = site.api, site.ids["coop"]
    admin = await api_person(site, site.people["admin"].email, DEFAULT_PASSWORD)
    platform = await register_person(api, full_name="Platform Admin")
    async with site.sessionmaker() as session:
        await make_platform_admin(session, platform)
    officer = await appoint_officer(api, platform, CARDIFF)
    names = {"to_confirm": f"Siân {language} {width}", "to_reject": f"Rhys {language} {width}"}
    members = {}
    for role, name in names.items():
        holder = await register_person(api, full_name=name)
        members[role] = await join_coop(api, coop, holder, admin)
        await set_direct_payment(api, holder, weekly_amount_pence=30_000)
        if role == "to_confirm":
            paid = await contribute(api, coop, holder, amount_pence=25_000)
            assert paid.status_code == 201, paid.text
            shared = await api.post(
                "/api/v1/me/council-access", json={"coop_id": str(coop)}, headers=holder.headers
            )
            assert shared.status_code == 201, shared.text
    return Officer(officer, names["to_confirm"], names["to_reject"], members["to_confirm"])


@pytest.mark.parametrize(("language", "width"), VARIANTS, ids=ids(VARIANTS))
async def test_an_officer_reads_the_figures_decides_awards_and_reads_shared_evidence(
    chromium: Browser,
    site: Site,
    contexts: list[BrowserContext],  # noqa: F811  (the journeys' fixture)
    language: str,
    width: int,
) -> None:
    world = await officer_world(site, language, width)
    context, walk = await walk_for(chromium, site, language, width)
    contexts.append(context)
    page = walk.page
    area = AREA_NAME[language]

    # From home to the area's figures: each chart beside its table, then their CSV.
    await sign_in(walk, world.officer.email, DEFAULT_PASSWORD)
    await walk.follow("council.home_link", "council-home", shot=True)
    await walk.follow("council.link_summary", "council-summary", shot=True, area=area)
    charts = page.locator("figure.chart [role=img]")
    assert await charts.count() >= 3
    assert await charts.count() == await page.locator("table").count()
    this_month = page.get_by_label(walk.t("council.from"), exact=True)
    first = await this_month.locator("option").first.get_attribute("value")
    assert first is not None
    await this_month.select_option(first)
    await walk.submit("council.show", "council-summary-month")
    assert f"from={first}" in page.url
    async with page.expect_download() as downloading:
        await page.get_by_role("link", name=walk.t("council.csv"), exact=True).click()
    csv = (await (await downloading.value).path()).read_text(encoding="utf-8-sig")
    assert csv.splitlines()[0] == '"section","key","field","value","suppressed"'
    assert f'"area","{CARDIFF}","from","{first}",' in csv

    # Confirm one waiting award with the council's reference.
    await walk.follow("council.nav_awards", "council-awards", shot=True)
    await page.get_by_role("link", name=world.to_confirm, exact=True).click()
    await walk.reached("council-award", shot=True)
    await walk.fill("council.reference", f"CDF-{language}-{width}")
    await walk.submit("council.confirm", "council-award-confirmed")
    await walk.notice("council.done_confirmed")
    assert await page.get_by_role("link", name=world.to_confirm, exact=True).count() == 0

    # Reject the other: without a reason the form says so, and the summary leads to the field.
    await page.get_by_role("link", name=world.to_reject, exact=True).click()
    await walk.reached("council-award-to-reject")
    await walk.submit("council.reject", "council-award-refused", shot=True)
    summary = page.locator(".error-summary")
    assert await summary.count() == 1
    await summary.get_by_role("link").first.click()
    assert await page.evaluate("document.activeElement.id") == "field-reason"
    await walk.fill("council.reason", "The council pays 250 pounds a week from March.")
    await walk.submit("council.reject", "council-award-rejected")
    await walk.notice("council.done_rejected")

    # The evidence a holder shared with the council, and its CSV.
    await walk.follow("council.nav_holders", "council-holders", shot=True)
    coop = site.ids["coop"]
    await page.locator(
        f'a[href="/council/coops/{coop}/members/{world.shared_member}/evidence"]'
    ).click()
    await walk.reached("council-evidence", shot=True)
    assert world.to_confirm in await page.locator("h1").inner_text()
    assert "£250.00" in await page.locator("table").inner_text()
    async with page.expect_download() as downloading:
        await page.get_by_role("link", name=walk.t("council.evidence_csv"), exact=True).click()
    evidence = (await (await downloading.value).path()).read_text(encoding="utf-8-sig")
    assert '"contribution","direct_payment","25000"' in evidence

    if width == 360:
        # 320 px: the narrowest screen WCAG asks for; the charts and tables lose nothing.
        await walk.goto(f"/council/areas/{CARDIFF}", "council-summary-wide")
        await page.set_viewport_size({"width": 320, "height": 800})
        await walk.reached("council-summary-320")
    walk.done()
