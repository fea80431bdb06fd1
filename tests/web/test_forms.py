"""Forms behave as the API does, and as a person expects: one set of rules, a refused form
keeps nothing it did, a form sent twice moves money once."""

import re

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.core.errors import ValidationFailed
from app.ledger.models import LedgerTransaction
from app.support.schemas import SupportCommentCreate
from app.web.forms import pounds_to_pence, state_of, validated
from app.web.rendering import pounds_field
from tests.factories import (
    DEFAULT_PASSWORD,
    contribute,
    create_coop,
    register_person,
    set_direct_payment,
)
from tests.web.pages import csrf_of, post_form, sign_in


async def count(session: AsyncSession, model: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def holder_in_coop(
    client: httpx.AsyncClient, browser: httpx.AsyncClient, *, weekly_pence: int = 10_000
) -> str:
    holder = await register_person(client, full_name="Gwen")
    coop = await create_coop(client, holder)
    await set_direct_payment(client, holder, weekly_amount_pence=weekly_pence)
    await sign_in(browser, holder.email, DEFAULT_PASSWORD)
    return str(coop)


class TestPayingIn:
    async def test_the_same_form_sent_twice_moves_the_money_once(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        coop = await holder_in_coop(client, browser)
        shown = await browser.get(f"/coops/{coop}/pay-in")
        key = re.search(r'name="idempotency_key" value="([^"]+)"', shown.text)
        assert key
        form = {
            "csrf_token": csrf_of(shown.text),
            "idempotency_key": key.group(1),
            "amount": "12.50",
            "reference": "March",
            "source": "direct_payment",
        }
        before = await count(session, LedgerTransaction)
        first = await browser.post(f"/coops/{coop}/pay-in", data=form)
        again = await browser.post(f"/coops/{coop}/pay-in", data=form)
        assert first.status_code == again.status_code == 303
        assert await count(session, LedgerTransaction) == before + 1
        money = await browser.get(f"/coops/{coop}/money")
        assert "£12.50" in money.text

    async def test_more_than_the_direct_payment_allows_is_refused_and_keeps_nothing(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        coop = await holder_in_coop(client, browser, weekly_pence=1_000)
        transactions = await count(session, LedgerTransaction)
        entries = await count(session, AuditEntry)
        refused = await post_form(
            browser,
            f"/coops/{coop}/pay-in",
            f"/coops/{coop}/pay-in",
            {"amount": "40.01", "reference": "Too much", "source": "direct_payment"},
        )
        assert refused.status_code == 422
        assert 'href="#field-amount"' in refused.text
        assert 'aria-invalid="true"' in refused.text
        assert 'value="40.01"' in refused.text  # what was typed is kept
        assert await count(session, LedgerTransaction) == transactions
        assert await count(session, AuditEntry) == entries

    async def test_an_amount_that_is_not_pounds_and_pence_is_refused_beside_the_field(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient
    ) -> None:
        coop = await holder_in_coop(client, browser)
        for typed in ("12.345", "twelve", "-3", "1e3"):
            refused = await post_form(
                browser,
                f"/coops/{coop}/pay-in",
                f"/coops/{coop}/pay-in",
                {"amount": typed, "reference": "x", "source": "top_up"},
            )
            assert refused.status_code == 422, typed
            assert 'id="error-amount"' in refused.text


class TestStatement:
    async def test_the_download_is_the_api_s_csv(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient
    ) -> None:
        holder = await register_person(client)
        coop = await create_coop(client, holder)
        await set_direct_payment(client, holder, weekly_amount_pence=10_000)
        assert (await contribute(client, coop, holder, amount_pence=2_500)).status_code == 201
        await sign_in(browser, holder.email, DEFAULT_PASSWORD)
        page = await browser.get(f"/coops/{coop}/money")
        link = re.search(r'href="(/coops/[^"]+/statement\.csv\?[^"]+)"', page.text)
        assert link
        download = await browser.get(link.group(1).replace("&amp;", "&"))
        me = (await client.get("/api/v1/me", headers=holder.headers)).json()
        member = me["memberships"][0]["id"]
        query = link.group(1).split("?", 1)[1].replace("&amp;", "&")
        api = await client.get(
            f"/api/v1/coops/{coop}/members/{member}/statement?format=csv&{query}",
            headers=holder.headers,
        )
        assert download.status_code == api.status_code == 200
        assert download.content == api.content
        assert download.headers["content-disposition"] == api.headers["content-disposition"]


class TestSigningUp:
    async def test_a_refused_sign_up_keeps_the_name_and_never_the_password(
        self, browser: httpx.AsyncClient
    ) -> None:
        refused = await post_form(
            browser,
            "/sign-up",
            "/sign-up",
            {"full_name": "Gwen Jones", "email": "gwen@example.org", "password": "short pass"},
        )
        assert refused.status_code == 422
        assert 'value="Gwen Jones"' in refused.text
        assert "short pass" not in refused.text
        assert 'href="#field-password"' in refused.text

    async def test_signing_up_opens_a_login_in_the_chosen_language(
        self, browser: httpx.AsyncClient
    ) -> None:
        made = await post_form(
            browser,
            "/sign-up",
            "/sign-up",
            {
                "full_name": "Gwen Jones",
                "email": "gwen.jones@example.org",
                "password": DEFAULT_PASSWORD,
                "preferred_language": "cy",
            },
        )
        assert made.status_code == 303
        home = await browser.get("/")
        assert '<html lang="cy">' in home.text
        assert "Gwen Jones" in home.text


@pytest.mark.parametrize(
    ("typed", "pence"),
    [("25", 2500), ("25.5", 2550), ("25.50", 2550), ("£1,234.05", 123405), ("0.01", 1)],
)
def test_pounds_typed_are_read_as_exact_pence(typed: str, pence: int) -> None:
    assert pounds_to_pence(typed, "amount") == pence


@given(st.integers(min_value=0, max_value=999_999_999_99))
def test_every_amount_shown_in_a_field_reads_back_as_itself(pence: int) -> None:
    assert pounds_to_pence(pounds_field(pence), "amount") == pence


@pytest.mark.parametrize("loc", [["body"], ["body", "body"]])
def test_a_field_called_body_is_refused_beside_itself(loc: list[str]) -> None:
    """A reply's `body` is a field like any other, whether the form's own schema or the API's
    request body names it."""
    with pytest.raises(ValidationFailed) as refused:
        validated(SupportCommentCreate, {})
    error = refused.value
    for item in error.extra["errors"]:
        item["loc"] = loc
    state = state_of(error, "en", {})
    assert list(state.errors) == ["body"]
    assert [name for name, _ in state.summary] == ["body"]
