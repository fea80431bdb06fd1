"""The treasurer's month end, walked in a real browser (Chromium, driven by Playwright) on the
real server: upload the bank's statement (CSV, then OFX), confirm the matches the pages
suggest, match a line by hand, post the contribution a line shows, ignore a bank charge, read
the month's reconciliation, and answer a member's request at the support desk.

Every page reached is checked by `Walk` (its `lang`, axe-core with zero violations of any
impact, nothing wider than the screen); the main pages are photographed at 360 px. The
world is built through the API with `tests/factories.py`; the statement files are written
by the test and uploaded through the page's file field.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext

from app.core.clock import WALES
from app.web.rendering import money
from tests.factories import (
    DEFAULT_PASSWORD,
    Person,
    contribute,
    create_coop,
    join_coop,
    raise_support_request,
    register_person,
    request_refund,
    set_direct_payment,
)
from tests.helpers import ok
from tests.web.live import Site, Walk
from tests.web.test_bank_pages import csv_statement, ofx_statement
from tests.web.test_journeys import contexts, walk_for  # noqa: F401  (the same fixtures)

ADMIN_VARIANTS = [("cy", 360), ("en", 1280)]
pytestmark = pytest.mark.xdist_group("browser")
FIGURES = (
    "bank_balance_pence",
    "ledger_bank_pence",
    "unmatched_in_pence",
    "unmatched_out_pence",
    "difference_pence",
)


@dataclass
class Books:
    """A co-op of the walk's own: two holders who paid in (Gwen with a reference the bank
    shows, Dafydd without), a refund of 10.00 to each, and a request Gwen asked the desk;
    beside it another co-op with a bank line of its own."""

    coop: uuid.UUID
    admin: Person
    gwen_member: uuid.UUID
    reference: str
    dafydd_contribution: str
    support_request: uuid.UUID
    other_coop: uuid.UUID
    other_line: str


async def books_for(site: Site, tag: str) -> Books:
    api = site.api
    admin = await register_person(api, full_name=f"Trysorydd {tag}")
    coop = await create_coop(
        api, admin, name=f"Cydweithfa'r Banc {tag}", refund_second_approval_pence=1_000_000
    )
    gwen = await register_person(api, full_name=f"Gwenllïan {tag}")
    gwen_member = await join_coop(api, coop, gwen, admin)
    await set_direct_payment(api, gwen, weekly_amount_pence=50_000)
    dafydd = await register_person(api, full_name=f"Dafydd {tag}")
    dafydd_member = await join_coop(api, coop, dafydd, admin)
    await set_direct_payment(api, dafydd, weekly_amount_pence=50_000)
    reference = f"DPC-{uuid.uuid4().hex[:6].upper()}"
    ok(await contribute(api, coop, gwen, amount_pence=12_000, reference=reference))
    paid = ok(await contribute(api, coop, dafydd, amount_pence=8_000, reference="Mis yma"))
    for member in (gwen_member, dafydd_member):
        refund = ok(await request_refund(api, coop, admin, member_id=member, amount_pence=1_000))
        assert refund.json()["status"] == "posted", refund.text
    asked = await raise_support_request(api, coop, gwen.headers, subject="Ffurflen y cyngor")
    elsewhere = await register_person(api, full_name=f"Elsewhere {tag}")
    other = await create_coop(api, elsewhere, name=f"Cwmni Arall {tag}")
    ok(
        await api.post(
            f"/api/v1/coops/{other}/bank/statements",
            content=csv_statement([(today(), "Llog", 7, "")]),
            headers={**elsewhere.headers, "Content-Type": "text/csv"},
        )
    )
    theirs = ok(await api.get(f"/api/v1/coops/{other}/bank/lines", headers=elsewhere.headers))
    return Books(
        coop=coop,
        admin=admin,
        gwen_member=gwen_member,
        reference=reference,
        dafydd_contribution=paid.json()["id"],
        support_request=asked,
        other_coop=other,
        other_line=theirs.json()["items"][0]["id"],
    )


def today() -> date:
    """The server's day (it runs on the real clock), as the lines' bank date."""
    return datetime.now(WALES).date()


async def reconciliation(site: Site, books: Books) -> dict[str, int]:
    answer = await site.api.get(
        f"/api/v1/coops/{books.coop}/bank/reconciliation",
        params={"at": today().isoformat()},
        headers=books.admin.headers,
    )
    figures: dict[str, int] = ok(answer).json()
    return figures


async def shown_figures(walk: Walk) -> list[str]:
    """The money in the month's reconciliation, as the page lists it."""
    return [
        (await cell.inner_text()).split(" ")[0].strip()
        for cell in await walk.page.locator("dl.summary-list dd").all()
    ]


async def upload(walk: Walk, path: Path, name: str, *, shot: bool = False) -> None:
    await walk.page.get_by_label(walk.t("bank.statement"), exact=True).set_input_files(path)
    await walk.submit("bank.upload", name, shot=shot)


async def decide(walk: Walk, description: str, name: str, *, shot: bool = False) -> None:
    """From the lines still to match, open the line of that description."""
    await walk.follow("coopnav.bank_lines", f"{name}-list")
    link = walk.page.get_by_role("link", name=f"{walk.t('bank.decide')} {description}")
    await link.first.click()
    await walk.page.wait_for_load_state()
    await walk.reached(name, shot=shot)


@pytest.mark.parametrize(
    ("language", "width"), ADMIN_VARIANTS, ids=[f"{lang}-{w}px" for lang, w in ADMIN_VARIANTS]
)
async def test_a_treasurer_reconciles_the_month_and_answers_the_desk(
    chromium: Browser,
    site: Site,
    contexts: list[BrowserContext],  # noqa: F811
    tmp_path: Path,
    language: str,
    width: int,
) -> None:
    books = await books_for(site, f"{language}-{width}")
    day = today()
    csv_file = tmp_path / "statement.csv"
    csv_file.write_bytes(
        csv_statement(
            [
                (day, f"Taliad gan Gwenllïan {books.reference}", 12_000, books.reference),
                (day, "BACS D LLYR", 8_000, ""),
                (day, "Arian parod", 3_000, ""),
            ]
        )
    )
    ofx_file = tmp_path / "statement.ofx"
    ofx_file.write_bytes(
        ofx_statement(
            [
                (day, "AD-DALIAD", -1_000, "R1"),
                (day, "AD-DALIAD", -1_000, "R2"),
                (day, "TAL BANC", -500, "C1"),
            ]
        )
    )
    context, walk = await walk_for(chromium, site, language, width)
    contexts.append(context)
    page = walk.page
    coop = books.coop

    await walk.goto("/sign-in", "sign-in")
    await walk.fill("signup.email", books.admin.email)
    await walk.fill("signup.password", DEFAULT_PASSWORD)
    await walk.submit("signin.submit", "home")
    await walk.goto(f"/coops/{coop}/money", "bank-admin-money")
    await walk.follow("coopnav.bank", "bank-month", shot=True)

    # A form that lost its token is refused (403) and imports nothing.
    await page.get_by_label(walk.t("bank.statement"), exact=True).set_input_files(csv_file)
    await page.locator('form[enctype="multipart/form-data"] input[name="csrf_token"]').evaluate(
        "input => input.remove()"
    )
    async with page.expect_response(lambda r: r.request.method == "POST") as answered:
        await page.get_by_role("button", name=walk.t("bank.upload"), exact=True).click()
    assert (await answered.value).status == 403
    await page.wait_for_load_state()
    await walk.reached("bank-upload-no-token")
    none_yet = await site.api.get(f"/api/v1/coops/{coop}/bank/lines", headers=books.admin.headers)
    assert ok(none_yet).json()["items"] == []

    # No file chosen: refused, with a summary that links to the field.
    await walk.goto(f"/coops/{coop}/bank", "bank-month")
    await walk.submit("bank.upload", "bank-upload-refused", shot=True)
    summary = page.locator(".error-summary")
    assert await summary.count() == 1
    await summary.get_by_role("link").first.click()
    assert await page.evaluate("document.activeElement.id") == "field-statement"

    # The CSV, then the OFX: Gwen's payment is matched at once by its reference.
    await upload(walk, csv_file, "bank-imported-csv", shot=True)
    await walk.notice("bank.done_imported", imported=3, matched=1, duplicates=0)
    await upload(walk, ofx_file, "bank-imported-ofx")
    await walk.notice("bank.done_imported", imported=3, matched=0, duplicates=0)
    await upload(walk, csv_file, "bank-imported-again")
    await walk.notice("bank.done_imported", imported=0, matched=0, duplicates=3)
    figures = await reconciliation(site, books)
    assert await shown_figures(walk) == [money(figures[name]) for name in FIGURES]
    assert figures["unmatched_in_pence"] == 11_000
    assert figures["unmatched_out_pence"] == 2_500

    # Either refund could be either line: the list suggests both; confirming one for the
    # first line leaves the other for the second.
    await walk.follow("coopnav.bank_lines", "bank-lines", shot=True)
    confirm = page.get_by_role("button", name=walk.t("bank.confirm"))
    assert await confirm.count() == 4
    await confirm.first.click()
    await page.wait_for_load_state()
    await walk.reached("bank-lines-confirmed")
    await walk.notice("bank.done_matched")
    assert await confirm.count() == 1
    await confirm.first.click()
    await page.wait_for_load_state()
    await walk.reached("bank-lines-confirmed-again")
    assert await confirm.count() == 0

    # Dafydd's payment shows no reference: matched by hand to his contribution.
    await decide(walk, "BACS D LLYR", "bank-line", shot=True)
    await page.get_by_label(walk.t("bank.which_transaction"), exact=True).select_option(
        books.dafydd_contribution
    )
    await walk.submit("bank.match", "bank-line-matched")
    await walk.notice("bank.done_matched")
    if width == 360:
        await page.set_viewport_size({"width": 320, "height": 800})
        await walk.reached("bank-line-320")
        await page.set_viewport_size({"width": width, "height": 900})

    # Cash nobody recorded: posted as Gwen's top-up, the line matched to it.
    await decide(walk, "Arian parod", "bank-line-cash")
    await page.get_by_label(walk.t("bank.whose_money"), exact=True).select_option(
        str(books.gwen_member)
    )
    await page.get_by_label(walk.t("bank.source"), exact=True).select_option("top_up")
    await walk.submit("bank.post_contribution", "bank-line-contributed", shot=True)
    await walk.notice("bank.done_contributed")

    # The bank's charge: ignored, but only once a reason is given.
    await decide(walk, "TAL BANC", "bank-line-charge")
    await walk.submit("bank.ignore", "bank-line-ignore-refused", shot=True)
    assert await page.locator(".error-summary").count() == 1
    await walk.fill("bank.reason", "Tâl y banc am y mis")
    await walk.submit("bank.ignore", "bank-line-ignored")
    await walk.notice("bank.done_ignored")

    # The month: every line decided, the figures the API's.
    await walk.follow("coopnav.bank", "bank-month-done", shot=True)
    figures = await reconciliation(site, books)
    assert figures["unmatched_in_pence"] == figures["unmatched_out_pence"] == 0
    assert await shown_figures(walk) == [money(figures[name]) for name in FIGURES]

    # Another co-op's line is no page here, nor is that co-op's bank.
    for path in (
        f"/coops/{coop}/bank/lines/{books.other_line}",
        f"/coops/{books.other_coop}/bank/lines/{books.other_line}",
        f"/coops/{books.other_coop}/bank",
    ):
        missing = await page.goto(site.base + path)
        assert missing is not None
        assert missing.status == 404, path
    await walk.reached("bank-line-elsewhere")

    # The desk: Gwen's request answered and taken on.
    await walk.goto(f"/coops/{coop}/bank", "bank-month-again")
    await walk.follow("coopnav.desk", "desk", shot=True)
    await page.locator(f'a[href="/coops/{coop}/desk/{books.support_request}"]').click()
    await walk.reached("desk-request", shot=True)
    await walk.fill("desk.answer", "Byddwn yn ei hanfon ddydd Iau.")
    await walk.submit("desk.send_answer", "desk-answered")
    await walk.notice("desk.done_answered")
    await page.get_by_label(walk.t("desk.status"), exact=True).select_option("in_progress")
    await walk.submit("desk.save", "desk-updated", shot=True)
    await walk.notice("desk.done_updated")
    seen = ok(
        await site.api.get(
            f"/api/v1/coops/{coop}/support/requests/{books.support_request}",
            headers=books.admin.headers,
        )
    ).json()
    assert seen["status"] == "in_progress"
    assert [c["body"] for c in seen["comments"]] == ["Byddwn yn ei hanfon ddydd Iau."]
    walk.done()
