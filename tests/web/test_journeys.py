"""The journeys a person makes, walked in a real browser (Chromium, driven by Playwright) on
the real server, in English and in Welsh, on a phone (360 px) and a desktop (1280 px).

Every page reached is checked by `Walk`: its `lang`, axe-core with zero violations of any
impact, and nothing wider than the screen. Screenshots of the main pages at 360 px go to
`test-output/screenshots/`. The journeys are what a person does; the rules behind each step
are the API's tests' business.
"""

import json
import uuid
from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from playwright.async_api import Browser, BrowserContext

from app.core.clock import WALES
from tests.factories import (
    DEFAULT_PASSWORD,
    Person,
    apply_to_coop,
    contribute,
    join_coop,
    login,
    make_platform_admin,
    member_id_of,
    open_proposal,
    open_tender,
    register_person,
    set_direct_payment,
    submit_bid,
    unique_email,
    verified_provider,
)
from tests.web.live import Site, Walk, soon, with_axe

# Every journey is walked in both languages and at both widths; the short public one in
# each pairing, the long ones in two (the suite's time matters: the rules behind each step
# have their own tests).
VARIANTS = [("en", 360), ("cy", 360), ("en", 1280), ("cy", 1280)]
HOLDER_VARIANTS = [("en", 360), ("cy", 1280)]
ADMIN_VARIANTS = [("cy", 360), ("en", 1280)]
pytestmark = pytest.mark.xdist_group("browser")


def ids(variants: list[tuple[str, int]]) -> list[str]:
    return [f"{language}-{width}px" for language, width in variants]


async def walk_for(
    chromium: Browser, site: Site, language: str, width: int
) -> tuple[BrowserContext, Walk]:
    context = await chromium.new_context(
        viewport={"width": width, "height": 900},
        locale="cy-GB" if language == "cy" else "en-GB",
        accept_downloads=True,
    )
    await with_axe(context)
    page = await context.new_page()
    return context, Walk(page=page, language=language, width=width, base=site.base)


async def sign_in(walk: Walk, email: str, password: str) -> None:
    await walk.goto("/sign-in", "sign-in", shot=True)
    await walk.fill("signup.email", email)
    await walk.fill("signup.password", password)
    await walk.submit("signin.submit", "home")


@pytest.fixture
async def contexts() -> AsyncIterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        await context.close()


@pytest.mark.parametrize(("language", "width"), VARIANTS, ids=ids(VARIANTS))
async def test_anyone_finds_care_tenders_and_co_ops(
    chromium: Browser, site: Site, contexts: list[BrowserContext], language: str, width: int
) -> None:
    if "tender" not in site.ids:
        admin = await api_person(site, site.people["admin"].email, DEFAULT_PASSWORD)
        site.ids["tender"] = await open_tender(
            site.api, site.ids["coop"], admin, submission_deadline=soon(30 * 86400)
        )
    # The Welsh walk starts in an English browser and chooses Welsh with the page's switch.
    context, walk = await walk_for(chromium, site, "en", width)
    contexts.append(context)
    page = walk.page
    await walk.goto("/", "home-public", shot=language == "en")
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.className") == "skip-link"
    outline = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    shadow = await page.evaluate("getComputedStyle(document.activeElement).boxShadow")
    assert outline != "none" or shadow != "none", "focus is not visible"
    await page.keyboard.press("Enter")
    assert await page.evaluate("document.activeElement.id") == "main"
    if language == "cy":
        await page.get_by_role("link", name="Cymraeg", exact=True).click()
        walk.language = "cy"
        await walk.reached("home-public", shot=True)
    await walk.follow("nav.directory", "directory")
    await page.get_by_label(walk.t("directory.area"), exact=True).select_option("W06000015")
    await walk.submit("directory.show", "directory-area", shot=True)
    assert await page.get_by_role("table").count() == 1
    assert await page.locator(".cards > li").count() > 0
    await page.get_by_label(walk.t("directory.service"), exact=True).select_option("respite")
    await walk.submit("directory.show", "directory-service")
    await walk.follow("nav.tenders", "tenders", shot=True)
    await page.locator(f'a[href="/tenders/{site.ids["tender"]}"]').click()
    await walk.reached("tender", shot=True)
    await walk.follow("nav.coops", "coops", shot=True)
    await page.locator(f'a[href="/coops/{site.ids["coop"]}"]').first.click()
    await walk.reached("coop", shot=True)
    if width == 360:
        # 320 px: the narrowest screen WCAG asks for (and 1280 px at 400 % zoom).
        await page.set_viewport_size({"width": 320, "height": 800})
        await walk.reached("coop-320")
    walk.done()


@pytest.mark.parametrize(("language", "width"), HOLDER_VARIANTS, ids=ids(HOLDER_VARIANTS))
async def test_a_holder_joins_pays_in_votes_asks_and_leaves(
    chromium: Browser, site: Site, contexts: list[BrowserContext], language: str, width: int
) -> None:
    coop = site.ids["coop"]
    admin = await api_person(site, site.people["admin"].email, DEFAULT_PASSWORD)
    context, walk = await walk_for(chromium, site, language, width)
    contexts.append(context)
    page = walk.page
    email, password = unique_email("holder"), "a long enough password 1"

    # Sign up: a password too short is refused with a summary that links to the field.
    await walk.goto("/", "home-public")
    await walk.follow("nav.sign_up", "sign-up", shot=True)
    await walk.fill("signup.full_name", "Gwen Holder")
    await walk.fill("signup.email", email)
    await walk.fill("signup.password", "short")
    await walk.submit("signup.submit", "sign-up-refused", shot=True)
    summary = page.locator(".error-summary")
    assert await summary.count() == 1
    await summary.get_by_role("link").first.click()
    assert await page.evaluate("document.activeElement.id") == "field-password"
    await walk.fill("signup.password", password)
    await walk.submit("signup.submit", "home-new")
    await walk.notice("done.welcome")

    # Sign out, forget the password, reset it with the mailed code, sign in again.
    await walk.submit("nav.sign_out", "signed-out")
    await walk.notice("done.signed_out")
    await walk.follow("signin.forgotten", "reset-request", shot=True)
    await walk.fill("signup.email", email)
    await walk.submit("reset.send", "reset-sent")
    code = await site.reset_code(email)
    await walk.fill("reset.code", code)
    password = "another long password 2"
    await walk.fill("reset.new_password", password)
    await walk.submit("reset.confirm_submit", "reset-done")
    await walk.notice("done.password_reset")
    await walk.fill("signup.email", email)
    await walk.fill("signup.password", password)
    await walk.submit("signin.submit", "home-empty")

    # Join the co-op; its administrator admits the holder.
    await walk.goto(f"/coops/{coop}", "coop-join")
    await walk.submit("coop.apply", "coop-applied")
    await walk.notice("coop.done_applied")
    holder = await api_person(site, email, password)
    member = await member_id_of(site.api, coop, holder, status="pending")
    approved = await site.api.post(
        f"/api/v1/coops/{coop}/members/{member}/approve", headers=admin.headers
    )
    assert approved.status_code == 200, approved.text

    # Record the Direct Payment, then pay in.
    await walk.goto("/", "home", shot=True)
    await walk.follow("home.dp_link", "direct-payment", shot=True)
    await page.get_by_label(walk.t("dp.council"), exact=True).select_option("W06000015")
    await walk.fill("dp.weekly", "250.00")
    await walk.submit("dp.submit", "direct-payment-recorded")
    await walk.notice("done.dp_recorded")
    await walk.goto(f"/coops/{coop}/pay-in", "pay-in", shot=True)
    await walk.fill("payin.amount", "100.00")
    await walk.fill("payin.reference", "Mawrth")
    await walk.submit("payin.submit", "money", shot=True)
    await walk.notice("done.paid")
    assert "£100.00" in await page.locator("dl").first.inner_text()
    async with page.expect_download() as downloading:
        await page.get_by_role("link", name=walk.t("money.csv"), exact=True).click()
    download = await downloading.value
    csv = (await download.path()).read_text(encoding="utf-8-sig")
    assert csv.splitlines()[0].startswith('"date","transaction_id","kind"')
    assert '"contribution","10000"' in csv

    # A vote opened once the holder is a member.
    proposal = await open_proposal(
        site.api, coop, admin, closes_at=datetime.now(WALES).replace(year=2030), title="Respite"
    )
    await walk.follow("coopnav.votes", "votes", shot=True)
    await page.locator(f'a[href="/proposals/{proposal}"]').click()
    await walk.reached("proposal", shot=True)
    await page.get_by_label(walk.t("vote.yes"), exact=True).check()
    await walk.submit("proposal.submit", "voted")
    await walk.notice("done.voted")

    # Approvals (nothing waits), the support desk.
    await walk.goto("/approvals", "approvals", shot=True)
    await walk.goto(f"/coops/{coop}/support", "support", shot=True)
    await page.get_by_label(walk.t("support.category"), exact=True).select_option("payroll")
    await walk.fill("support.subject", "Payslips")
    await walk.fill("support.body", "When do payslips come?")
    await walk.submit("support.submit", "support-asked")
    await walk.notice("done.asked")
    # The desk answers (through the API); the holder reads the answer and replies.
    listed = await site.api.get(f"/api/v1/coops/{coop}/support/requests", headers=holder.headers)
    assert listed.status_code == 200, listed.text
    asked = listed.json()["items"][0]["id"]
    answered = await site.api.post(
        f"/api/v1/coops/{coop}/support/requests/{asked}/comments",
        json={"body": "Payslips come on the 28th."},
        headers=admin.headers,
    )
    assert answered.status_code == 201, answered.text
    await page.locator(f'a[href="/coops/{coop}/support/{asked}"]').click()
    await walk.reached("support-request", shot=True)
    assert "Payslips come on the 28th." in await page.locator("main").inner_text()
    await walk.fill("support.reply", "Diolch, thank you.")
    await walk.submit("support.send_reply", "support-replied")
    await walk.notice("support.done_replied")

    # The account: logins, a copy of the data, closing.
    await walk.follow("nav.account", "account", shot=True)
    async with page.expect_download() as downloading:
        await page.get_by_role("link", name=walk.t("account.export"), exact=True).click()
    exported = json.loads((await (await downloading.value).path()).read_text(encoding="utf-8"))
    assert email in json.dumps(exported)
    await walk.follow("account.close_link", "close", shot=True)
    await walk.submit("close.submit", "closed")
    await walk.notice("done.closed")
    walk.done()


async def api_person(site: Site, email: str, password: str) -> Person:
    tokens = await login(site.api, email=email, password=password)
    assert tokens.status_code == 200, tokens.text
    me = await site.api.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {tokens.json()['access_token']}"}
    )
    return Person(
        id=uuid.UUID(me.json()["id"]),
        email=email,
        password=password,
        token=tokens.json()["access_token"],
        refresh_token=tokens.json()["refresh_token"],
    )


@pytest.fixture(scope="session")
async def invoiced(site: Site) -> dict[str, dict[str, object]]:
    """For each walk: an applicant waiting, and a holder with a call-off under a contract and
    two invoices of one line each (one to dispute, one for the administrator to approve)."""
    api, coop = site.api, site.ids["coop"]
    admin = await api_person(site, site.people["admin"].email, DEFAULT_PASSWORD)
    people: dict[str, dict[str, object]] = {}
    for language, width in ADMIN_VARIANTS:
        holder = await register_person(api, full_name=f"Holder {language} {width}")
        await join_coop(api, coop, holder, admin)
        await set_direct_payment(api, holder, weekly_amount_pence=50_000)
        paid = await contribute(api, coop, holder, amount_pence=100_000)
        assert paid.status_code == 201, paid.text
        applicant = await register_person(api, full_name=f"Applicant {language} {width}")
        await apply_to_coop(api, coop, applicant)
        people[f"{language}-{width}"] = {"holder": holder, "applicant": applicant}
    staff = await register_person(api, full_name="Provider Staff")
    platform = await register_person(api, full_name="Platform Admin")
    async with site.sessionmaker() as session:
        await make_platform_admin(session, platform)
        await verified_provider(api, session, staff=staff, admin=platform)
    tender = await open_tender(api, coop, admin, submission_deadline=soon(120), standstill_days=0)
    for entry in people.values():
        demand = await api.put(
            f"/api/v1/tenders/{tender}/demand/me",
            json={"hours_per_week": 10},
            headers=entry["holder"].headers,  # type: ignore[attr-defined]
        )
        assert demand.status_code == 200, demand.text
    bid = await submit_bid(api, tender, staff)
    await site.close_bidding(tender)
    scored = await api.put(
        f"/api/v1/tenders/{tender}/bids/{bid}/score",
        json={"quality_score": 80},
        headers=admin.headers,
    )
    assert scored.status_code == 200, scored.text
    awarded = await api.post(
        f"/api/v1/tenders/{tender}/award", json={"bid_id": str(bid)}, headers=admin.headers
    )
    assert awarded.status_code == 200, awarded.text
    contract = await api.post(f"/api/v1/tenders/{tender}/contract", headers=admin.headers)
    assert contract.status_code == 201, contract.text
    today = datetime.now(WALES).date().isoformat()
    for entry in people.values():
        invoiced_holder = entry["holder"]
        assert isinstance(invoiced_holder, Person)
        member = await member_id_of(api, coop, invoiced_holder)
        for name in ("to_dispute", "to_approve"):
            made = await api.post(
                f"/api/v1/contracts/{contract.json()['id']}/invoices",
                json={
                    "period_start": today,
                    "period_end": today,
                    "lines": [
                        {"member_id": str(member), "minutes": 30, "description": "Morning call"}
                    ],
                },
                headers=staff.headers,
            )
            assert made.status_code == 201, made.text
            entry[name] = made.json()["id"]
        # The holder accepts the line to be approved, which lifts the dispute window
        # (SPEC 15): otherwise approval waits `invoice_dispute_days` after submission.
        to_approve = await api.get(
            f"/api/v1/invoices/{entry['to_approve']}",
            headers=invoiced_holder.headers,
        )
        assert to_approve.status_code == 200, to_approve.text
        [line] = to_approve.json()["lines"]
        accepted = await api.post(
            f"/api/v1/invoices/{entry['to_approve']}/lines/{line['id']}/accept",
            headers=invoiced_holder.headers,
        )
        assert accepted.status_code == 200, accepted.text
    return people


@pytest.mark.parametrize(("language", "width"), ADMIN_VARIANTS, ids=ids(ADMIN_VARIANTS))
async def test_an_administrator_admits_a_member_and_approves_what_a_holder_checked(
    chromium: Browser,
    site: Site,
    invoiced: dict[str, dict[str, object]],
    contexts: list[BrowserContext],
    language: str,
    width: int,
) -> None:
    coop = site.ids["coop"]
    mine = invoiced[f"{language}-{width}"]
    holder, applicant = mine["holder"], mine["applicant"]
    assert isinstance(holder, Person)
    assert isinstance(applicant, Person)

    admin_context, admin = await walk_for(chromium, site, language, width)
    holder_context, checker = await walk_for(chromium, site, language, width)
    contexts += [admin_context, holder_context]

    # The administrator admits the applicant.
    await sign_in(admin, site.people["admin"].email, DEFAULT_PASSWORD)
    await admin.goto(f"/coops/{coop}/money", "admin-money")
    await admin.follow("coopnav.admin_members", "admin-members", shot=True)
    name = f"Applicant {language} {width}"
    await admin.page.get_by_role("button", name=f"{admin.t('admin.approve')} {name}").click()
    await admin.page.wait_for_load_state()
    await admin.reached("admin-member-approved")
    await admin.notice("done.member_approved")

    # The holder checks their invoices and disputes a line.
    await sign_in(checker, holder.email, DEFAULT_PASSWORD)
    await checker.goto(f"/coops/{coop}/invoices", "invoices", shot=True)
    await checker.page.locator(f'a[href="/invoices/{mine["to_dispute"]}"]').click()
    await checker.reached("invoice", shot=True)
    await checker.submit("invoice.dispute", "invoice-dispute-refused")
    assert await checker.page.locator(".error-summary").count() == 1
    await checker.fill("invoice.reason", "Nobody came that morning")
    await checker.submit("invoice.dispute", "invoice-disputed")
    await checker.notice("done.disputed")

    # The administrator approves the other invoice: the holder's line is charged.
    await admin.goto(f"/invoices/{mine['to_approve']}", "admin-invoice", shot=True)
    await admin.submit("invoice.approve", "admin-invoice-approved")
    await admin.notice("done.invoice_approved")
    await checker.goto(f"/coops/{coop}/money", "money-charged")
    assert "£50.00" not in await checker.page.locator("dl").first.inner_text()
    admin.done()
    checker.done()
