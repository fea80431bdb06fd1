"""Which language a page is in (SPEC 25 for pages): the page's own switch, then Welsh first
in Accept-Language, then the signed-in person's preference, then English."""

import re

import httpx
import pytest

from tests.factories import DEFAULT_PASSWORD, register_person
from tests.web.pages import post_form, sign_in


def language_of(answer: httpx.Response) -> str:
    found = re.search(r'<html lang="(en|cy)">', answer.text)
    assert found, answer.text[:200]
    assert answer.headers["content-language"] == found.group(1)
    return found.group(1)


@pytest.mark.parametrize(
    ("header", "expected"),
    [("en-GB,en;q=0.9", "en"), ("cy", "cy"), ("cy-GB, en;q=0.8", "cy"), ("en, cy;q=0.9", "en")],
)
async def test_a_visitor_reads_the_language_their_browser_puts_first_if_welsh(
    browser: httpx.AsyncClient, header: str, expected: str
) -> None:
    assert (
        language_of(await browser.get("/tenders", headers={"Accept-Language": header})) == expected
    )


async def test_a_preference_for_welsh_wins_over_a_browser_s_english(
    browser: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    person = await register_person(client, preferred_language="cy")
    await sign_in(browser, person.email, DEFAULT_PASSWORD)
    answer = await browser.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert language_of(answer) == "cy"
    assert "Eich tudalen gartref" in answer.text


async def test_welsh_first_in_the_header_wins_over_a_preference_for_english(
    browser: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    person = await register_person(client, preferred_language="en")
    await sign_in(browser, person.email, DEFAULT_PASSWORD)
    assert language_of(await browser.get("/", headers={"Accept-Language": "cy"})) == "cy"


async def test_the_page_s_switch_wins_over_header_and_preference(
    browser: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    person = await register_person(client, preferred_language="cy")
    await sign_in(browser, person.email, DEFAULT_PASSWORD)
    switched = await browser.get("/language/en?next=/account", headers={"Accept-Language": "cy"})
    assert switched.status_code == 303
    assert switched.headers["location"] == "/account"
    answer = await browser.get("/account", headers={"Accept-Language": "cy"})
    assert language_of(answer) == "en"
    back = await browser.get("/language/cy?next=/account")
    assert back.status_code == 303
    assert language_of(await browser.get("/account")) == "cy"


async def test_every_page_offers_the_other_language_marked_as_such(
    browser: httpx.AsyncClient,
) -> None:
    english = await browser.get("/coops")
    assert (
        '<a class="language-switch" href="/language/cy?next=/coops" lang="cy" hreflang="cy">Cymraeg</a>'
        in english.text
    )
    welsh = await browser.get("/coops", headers={"Accept-Language": "cy"})
    assert 'lang="en" hreflang="en">English</a>' in welsh.text


@pytest.mark.parametrize("elsewhere", ["//evil.example/", "https://evil.example/", "/\\evil"])
async def test_the_switch_never_sends_the_browser_to_another_site(
    browser: httpx.AsyncClient, elsewhere: str
) -> None:
    answer = await browser.get("/language/cy", params={"next": elsewhere})
    assert answer.headers["location"] == "/"


async def test_a_refused_form_speaks_the_page_s_language(browser: httpx.AsyncClient) -> None:
    await browser.get("/language/cy?next=/")
    answer = await post_form(browser, "/sign-up", "/sign-up", {"email": "not-an-address"})
    assert answer.status_code == 422
    assert language_of(answer) == "cy"
    assert "Mae problem" in answer.text
    assert "Mae angen y maes hwn." in answer.text
