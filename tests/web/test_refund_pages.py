"""Refund pages over plain HTTP: a member asks for money back from their balance, a second
administrator decides a refund above the co-op's threshold, and a representative with
`refund` asks for the holder, which then waits for the holder's approval."""

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection

from app.web.texts import text
from tests.factories import (
    Person,
    contribute,
    create_coop,
    grant_mandate,
    join_coop,
    member_id_of,
    register_person,
    set_admin,
    set_direct_payment,
)
from tests.helpers import ok
from tests.replay import replayed
from tests.web.pages import Browse, post_form

THRESHOLD = 20_000


@dataclass
class Pool:
    coop_id: uuid.UUID
    admin: Person
    treasurer: Person
    holder: Person
    member_id: uuid.UUID

    @property
    def page(self) -> str:
        return f"/coops/{self.coop_id}/refunds"


@pytest.fixture
async def pool(client: httpx.AsyncClient, app: FastAPI, connection: AsyncConnection) -> Pool:
    """Built once per backend, then its rows written back into each test (tests.replay)."""
    return await replayed("web.refund_pages.pool", connection, app, lambda: build_pool(client))


async def build_pool(client: httpx.AsyncClient) -> Pool:
    """Nia holds £500 in a co-op of two administrators whose refunds above £200 need the
    second one."""
    admin = await register_person(client, full_name="Alys Admin")
    coop_id = await create_coop(client, admin, refund_second_approval_pence=THRESHOLD)
    treasurer = await register_person(client, full_name="Twm Treasurer")
    await join_coop(client, coop_id, treasurer, admin)
    await set_admin(client, coop_id, treasurer, admin, True)
    holder = await register_person(client, full_name="Nia Holder")
    await join_coop(client, coop_id, holder, admin)
    await set_direct_payment(client, holder, weekly_amount_pence=50_000)
    ok(await contribute(client, coop_id, holder, amount_pence=50_000))
    return Pool(coop_id, admin, treasurer, holder, await member_id_of(client, coop_id, holder))


def en(key: str, **params: Any) -> str:
    return text(key, "en", **params).replace("'", "&#39;")


async def refunds_of(client: httpx.AsyncClient, pool: Pool) -> list[dict[str, Any]]:
    found = ok(
        await client.get(f"/api/v1/coops/{pool.coop_id}/pool/refunds", headers=pool.admin.headers)
    )
    items: list[dict[str, Any]] = found.json()["items"]
    return items


async def balance(client: httpx.AsyncClient, pool: Pool) -> int:
    me = ok(await client.get("/api/v1/me", headers=pool.holder.headers)).json()
    return int(
        next(m for m in me["memberships"] if m["coop_id"] == str(pool.coop_id))["balance_pence"]
    )


class TestAskingForOwnMoney:
    async def test_a_refund_under_the_threshold_is_paid_at_once_and_only_once(
        self,
        client: httpx.AsyncClient,
        browse: Browse,
        pool: Pool,
    ) -> None:
        browser = await browse(pool.holder)
        shown = ok(await browser.get(pool.page))
        form = {"amount": "50.00", "reason": "Paid in twice by mistake"}
        answer = await post_form(browser, pool.page, pool.page, form)
        assert answer.headers["location"] == f"{pool.page}?done=posted"
        # The same form sent again (its key in it) asks for nothing more.
        key = shown.text.split('name="idempotency_key" value="', 1)[1].split('"', 1)[0]
        first = await post_form(browser, pool.page, pool.page, {**form, "idempotency_key": key})
        again = await post_form(browser, pool.page, pool.page, {**form, "idempotency_key": key})
        assert first.status_code == again.status_code == 303
        assert [r["status"] for r in await refunds_of(client, pool)] == ["posted", "posted"]
        assert await balance(client, pool) == 50_000 - 2 * 5_000
        page = ok(await browser.get(f"{pool.page}?done=posted"))
        assert en("refunds.done_posted") in page.text
        assert "Paid in twice by mistake" in page.text
        assert en("refunds.approve") not in page.text  # a member decides nothing

    async def test_more_than_the_balance_is_refused_beside_the_amount_and_nothing_is_asked(
        self,
        client: httpx.AsyncClient,
        browse: Browse,
        pool: Pool,
    ) -> None:
        browser = await browse(pool.holder)
        answer = await post_form(
            browser, pool.page, pool.page, {"amount": "600.00", "reason": "All of it"}
        )
        assert answer.status_code == 409
        assert 'href="#field-amount"' in answer.text
        assert await refunds_of(client, pool) == []
        assert await balance(client, pool) == 50_000
        bad = await post_form(browser, pool.page, pool.page, {"amount": "lots", "reason": "x"})
        assert bad.status_code == 422
        assert await refunds_of(client, pool) == []

    async def test_a_form_without_its_token_is_refused(
        self,
        client: httpx.AsyncClient,
        browse: Browse,
        pool: Pool,
    ) -> None:
        browser = await browse(pool.holder)
        refused = await browser.post(pool.page, data={"amount": "5.00", "reason": "No token"})
        assert refused.status_code == 403
        assert await refunds_of(client, pool) == []


class TestSecondAdministrator:
    async def test_above_the_threshold_another_administrator_approves_or_refuses(
        self,
        client: httpx.AsyncClient,
        browse: Browse,
        pool: Pool,
    ) -> None:
        holder = await browse(pool.holder)
        for reason in ("Moving away", "A second look"):
            asked = await post_form(
                holder, pool.page, pool.page, {"amount": "250.00", "reason": reason}
            )
            assert asked.headers["location"] == f"{pool.page}?done=waiting"
        first, second = sorted(await refunds_of(client, pool), key=lambda r: r["reason"])
        assert {first["status"], second["status"]} == {"pending_second_approval"}
        assert await balance(client, pool) == 50_000

        treasurer = await browse(pool.treasurer)
        listed = ok(await treasurer.get(pool.page))
        assert "Nia Holder" in listed.text
        assert f"{pool.page}/{first['id']}/approve" in listed.text
        approved = await post_form(treasurer, pool.page, f"{pool.page}/{second['id']}/approve", {})
        assert approved.headers["location"] == f"{pool.page}?done=approved"
        refused = await post_form(treasurer, pool.page, f"{pool.page}/{first['id']}/refuse", {})
        assert refused.headers["location"] == f"{pool.page}?done=refused"
        states = {r["reason"]: r["status"] for r in await refunds_of(client, pool)}
        assert states == {"Moving away": "posted", "A second look": "refused"}
        assert await balance(client, pool) == 25_000
        # Decided once: deciding again is refused and changes nothing.
        again = await post_form(treasurer, pool.page, f"{pool.page}/{second['id']}/approve", {})
        assert again.status_code == 409
        assert await balance(client, pool) == 25_000

    async def test_a_member_may_not_decide_and_another_coop_has_no_such_refund(
        self,
        client: httpx.AsyncClient,
        browse: Browse,
        pool: Pool,
    ) -> None:
        holder = await browse(pool.holder)
        asked = await post_form(holder, pool.page, pool.page, {"amount": "250.00", "reason": "Big"})
        assert asked.headers["location"] == f"{pool.page}?done=waiting"
        [waiting] = await refunds_of(client, pool)
        denied = await post_form(holder, pool.page, f"{pool.page}/{waiting['id']}/approve", {})
        assert denied.status_code == 403
        stranger = await register_person(client, full_name="Other Admin")
        elsewhere = await create_coop(client, stranger, name="Cydweithfa Arall")
        outsider = await browse(stranger)
        other = f"/coops/{elsewhere}/refunds"
        missing = await post_form(outsider, other, f"{other}/{waiting['id']}/approve", {})
        assert missing.status_code == 404
        assert [r["status"] for r in await refunds_of(client, pool)] == ["pending_second_approval"]


class TestRepresentative:
    async def test_with_refund_the_representative_asks_and_the_holder_decides(
        self,
        client: httpx.AsyncClient,
        browse: Browse,
        pool: Pool,
    ) -> None:
        daughter = await register_person(client, full_name="Cerys Daughter")
        await grant_mandate(
            client, pool.holder, daughter, scopes=("view", "refund"), limit_pence_per_cycle=10_000
        )
        browser = await browse(daughter)
        acting = f"/for/{pool.holder.id}"
        home = ok(await browser.get(acting))
        form_page = f"{acting}/coops/{pool.coop_id}/refund"
        assert form_page in home.text
        over = await post_form(browser, form_page, form_page, {"amount": "150.00", "reason": "x"})
        assert over.status_code == 403  # beyond the mandate's £100 a cycle
        asked = await post_form(
            browser, form_page, form_page, {"amount": "40.00", "reason": "For the taxi"}
        )
        assert asked.headers["location"] == f"{acting}?done=refund_asked"
        [refund] = await refunds_of(client, pool)
        assert refund["status"] == "pending_holder_approval"
        assert await balance(client, pool) == 50_000

        holder = await browse(pool.holder)
        approvals = ok(await holder.get("/approvals"))
        assert en("approval.kind.refund") in approvals.text

    async def test_without_refund_the_page_is_refused(
        self,
        client: httpx.AsyncClient,
        browse: Browse,
        pool: Pool,
    ) -> None:
        helper = await register_person(client, full_name="Rhys Helper")
        await grant_mandate(client, pool.holder, helper, scopes=("view", "contribute"))
        browser = await browse(helper)
        form_page = f"/for/{pool.holder.id}/coops/{pool.coop_id}/refund"
        assert form_page not in ok(await browser.get(f"/for/{pool.holder.id}")).text
        assert (await browser.get(form_page)).status_code == 403
        assert await refunds_of(client, pool) == []
