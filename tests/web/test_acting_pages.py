"""The care pages over plain HTTP, as a browser without scripts uses them: a holder confirms
or queries the visits recorded for them and shares their evidence with their council; a
representative switches to the holder, and does there only what the mandate allows."""

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.clock import FrozenClock, local_date
from app.web.texts import text
from tests.factories import Person, grant_mandate, register_person, set_direct_payment
from tests.helpers import ok
from tests.replay import replayed
from tests.tenders.conftest import World
from tests.tenders.conftest import world as world  # the tenders' co-op, with its providers
from tests.tenders.visiting import WORKER, recorded, visit_body, visiting
from tests.web.pages import Browse, csrf_of, post_form


@dataclass
class Care:
    world: World
    contract_id: uuid.UUID
    visit_id: str
    other_visit_id: str

    @property
    def holder(self) -> Person:
        return self.world.holder_a


@pytest.fixture
async def care(
    client: httpx.AsyncClient, connection: AsyncConnection, clock: FrozenClock, world: World
) -> Care:
    """The same visits in every test: built once per backend, then their rows written back
    (tests.replay)."""
    return await replayed(
        "web.care", connection, world.app, lambda: build_care(client, clock, world)
    )


async def build_care(client: httpx.AsyncClient, clock: FrozenClock, world: World) -> Care:
    """Huw (holder A) has two visits from provider 2 to confirm, on 27 and 28 March."""
    contract_id = await visiting(client, clock, world)
    first = await recorded(client, contract_id, world, visit_body(world.holder_a_member_id))
    second = await recorded(
        client, contract_id, world, visit_body(world.holder_a_member_id, day="2026-03-28")
    )
    return Care(world, contract_id, first["id"], second["id"])


def en(key: str, **params: Any) -> str:
    return text(key, "en", **params)


def escaped(value: str) -> str:
    return value.replace("'", "&#39;")


async def visit(client: httpx.AsyncClient, care: Care, visit_id: str) -> dict[str, Any]:
    found: dict[str, Any] = ok(
        await client.get(f"/api/v1/visits/{visit_id}", headers=care.holder.headers)
    ).json()
    return found


def waiting_section(html: str) -> str:
    """The page's part listing the visits waiting (up to the decided ones)."""
    return html.split(en("visits.waiting_title"), 1)[1].split(en("visits.decided_title"))[0]


class TestVisitsToConfirm:
    async def test_the_holder_sees_what_waits_for_them_on_the_home_page_and_the_visits_page(
        self, care: Care, browse: Browse
    ) -> None:
        browser = await browse(care.holder)
        home = ok(await browser.get("/"))
        assert en("home.visits_waiting", count=2) in home.text
        assert 'href="/visits"' in home.text
        page = ok(await browser.get("/visits"))
        waiting = waiting_section(page.text)
        assert f"/visits/{care.visit_id}/confirm" in waiting
        assert f"/visits/{care.other_visit_id}/query" in waiting
        assert WORKER in waiting
        assert en("visits.minutes", minutes=60) in waiting

    async def test_confirming_a_visit_confirms_it_as_the_member(
        self, client: httpx.AsyncClient, care: Care, browse: Browse
    ) -> None:
        browser = await browse(care.holder)
        answer = await post_form(browser, "/visits", f"/visits/{care.visit_id}/confirm", {})
        assert answer.status_code == 303
        assert answer.headers["location"] == "/visits?done=confirmed"
        after = ok(await browser.get(answer.headers["location"]))
        assert en("done.visit_confirmed") in after.text
        assert f"/visits/{care.visit_id}/confirm" not in waiting_section(after.text)
        found = await visit(client, care, care.visit_id)
        assert (found["status"], found["confirmed_by"]) == ("confirmed", "member")
        home = ok(await browser.get("/"))
        assert en("home.visits_waiting", count=1) in home.text

    async def test_a_query_without_a_reason_is_refused_beside_its_field_and_changes_nothing(
        self, client: httpx.AsyncClient, care: Care, browse: Browse
    ) -> None:
        browser = await browse(care.holder)
        answer = await post_form(browser, "/visits", f"/visits/{care.visit_id}/query", {})
        assert answer.status_code == 422
        assert 'class="error-summary"' in answer.text
        assert 'href="#field-reason"' in answer.text
        assert 'id="field-reason"' in answer.text
        assert 'aria-invalid="true"' in answer.text
        assert (await visit(client, care, care.visit_id))["status"] == "to_confirm"

    async def test_a_query_with_a_reason_waits_for_an_administrator(
        self, client: httpx.AsyncClient, care: Care, browse: Browse
    ) -> None:
        browser = await browse(care.holder)
        answer = await post_form(
            browser, "/visits", f"/visits/{care.visit_id}/query", {"reason": "Nobody came"}
        )
        assert answer.status_code == 303
        found = await visit(client, care, care.visit_id)
        assert (found["status"], found["query_reason"]) == ("queried", "Nobody came")

    async def test_a_visit_decided_meanwhile_is_refused_with_the_page_shown_again(
        self, client: httpx.AsyncClient, care: Care, browse: Browse
    ) -> None:
        browser = await browse(care.holder)
        shown = ok(await browser.get("/visits"))
        ok(
            await client.post(
                f"/api/v1/visits/{care.visit_id}/confirm", headers=care.holder.headers
            )
        )
        answer = await browser.post(
            f"/visits/{care.visit_id}/query",
            data={"csrf_token": csrf_of(shown.text), "reason": "Too short"},
        )
        assert answer.status_code == 409
        assert 'class="error-summary"' in answer.text
        assert (await visit(client, care, care.visit_id))["status"] == "confirmed"

    async def test_another_holder_s_visit_is_not_there(self, care: Care, browse: Browse) -> None:
        browser = await browse(care.world.holder_b)
        assert care.visit_id not in ok(await browser.get("/visits")).text
        answer = await post_form(browser, "/visits", f"/visits/{care.visit_id}/confirm", {})
        assert answer.status_code == 404


class TestActingFor:
    async def test_the_representative_switches_to_the_holder_and_back(
        self, client: httpx.AsyncClient, care: Care, browse: Browse
    ) -> None:
        daughter = await register_person(client, full_name="Nia Daughter")
        await grant_mandate(client, care.holder, daughter, scopes=("view",))
        browser = await browse(daughter)
        home = ok(await browser.get("/"))
        switch = f'href="/for/{care.holder.id}"'
        assert switch in home.text
        assert en("home.act_for", name="Huw Holder") in home.text
        assert en("acting.banner", name="Huw Holder") not in home.text
        acting = ok(await browser.get(f"/for/{care.holder.id}"))
        assert en("acting.banner", name="Huw Holder") in acting.text
        assert escaped(en("acting.switch_back")) in acting.text
        assert "See the holder&#39;s accounts and requests" in acting.text
        assert en("home.visits_waiting", count=2) in acting.text
        assert f'href="/for/{care.holder.id}/visits"' in acting.text
        # The holder's visits, every form on the page acting for the holder too.
        visits = ok(await browser.get(f"/for/{care.holder.id}/visits"))
        assert en("acting.banner", name="Huw Holder") in visits.text
        assert f'action="/for/{care.holder.id}/visits/{care.visit_id}/confirm"' in visits.text
        assert 'action="/visits/' not in visits.text
        # Back on their own pages, nothing waits for them.
        own = ok(await browser.get("/visits"))
        assert en("acting.banner", name="Huw Holder") not in own.text
        assert care.visit_id not in own.text

    async def test_a_visit_confirmed_for_the_holder_says_a_representative_did(
        self, client: httpx.AsyncClient, care: Care, browse: Browse
    ) -> None:
        daughter = await register_person(client, full_name="Nia Daughter")
        await grant_mandate(client, care.holder, daughter, scopes=("view",))
        browser = await browse(daughter)
        prefix = f"/for/{care.holder.id}"
        answer = await post_form(
            browser, f"{prefix}/visits", f"{prefix}/visits/{care.visit_id}/confirm", {}
        )
        assert answer.status_code == 303
        assert answer.headers["location"] == f"{prefix}/visits?done=confirmed"
        found = await visit(client, care, care.visit_id)
        assert (found["status"], found["confirmed_by"]) == ("confirmed", "representative")

    async def test_what_the_mandate_does_not_allow_is_absent_or_refused(
        self, client: httpx.AsyncClient, care: Care, browse: Browse
    ) -> None:
        son = await register_person(client, full_name="Iolo Son")
        await grant_mandate(
            client, care.holder, son, scopes=("contribute",), limit_pence_per_cycle=5_000
        )
        browser = await browse(son)
        prefix = f"/for/{care.holder.id}"
        acting = ok(await browser.get(prefix))
        assert "Pay in for the holder" in acting.text
        assert en("acting.limit", amount="£50.00") in acting.text
        assert f'href="{prefix}/visits"' not in acting.text
        assert f'href="{prefix}/council-access"' not in acting.text
        refused = await browser.get(f"{prefix}/visits")
        assert refused.status_code == 403
        assert "Your mandate does not cover this." in refused.text
        assert en("acting.banner", name="Huw Holder") in refused.text
        shown = ok(await browser.get(prefix))
        confirm = await browser.post(
            f"{prefix}/visits/{care.visit_id}/confirm", data={"csrf_token": csrf_of(shown.text)}
        )
        assert confirm.status_code == 403
        assert (await visit(client, care, care.visit_id))["status"] == "to_confirm"

    async def test_without_a_mandate_nobody_acts_for_the_holder(
        self, care: Care, browse: Browse
    ) -> None:
        browser = await browse(care.world.holder_b)
        refused = await browser.get(f"/for/{care.holder.id}/visits")
        assert refused.status_code == 403
        assert "given you no mandate" in refused.text
        assert care.visit_id not in refused.text

    async def test_a_revoked_mandate_stops_acting_at_once(
        self, client: httpx.AsyncClient, care: Care, browse: Browse
    ) -> None:
        daughter = await register_person(client, full_name="Nia Daughter")
        mandate = await grant_mandate(client, care.holder, daughter, scopes=("view",))
        browser = await browse(daughter)
        ok(await browser.get(f"/for/{care.holder.id}/visits"))
        revoked = await client.delete(
            f"/api/v1/me/representatives/{mandate}", headers=care.holder.headers
        )
        assert revoked.status_code == 204, revoked.text
        assert (await browser.get(f"/for/{care.holder.id}/visits")).status_code == 403
        assert f'href="/for/{care.holder.id}"' not in ok(await browser.get("/")).text

    async def test_a_representative_never_confirms_care_they_gave(
        self, client: httpx.AsyncClient, care: Care, browse: Browse
    ) -> None:
        worker = await register_person(client, full_name=WORKER)
        await grant_mandate(client, care.holder, worker, scopes=("view",))
        browser = await browse(worker)
        prefix = f"/for/{care.holder.id}"
        answer = await post_form(
            browser, f"{prefix}/visits", f"{prefix}/visits/{care.visit_id}/confirm", {}
        )
        assert answer.status_code == 403
        assert 'class="error-summary"' in answer.text
        assert (await visit(client, care, care.visit_id))["status"] == "to_confirm"


class TestPayingInForTheHolder:
    async def balance(self, client: httpx.AsyncClient, care: Care) -> int:
        me = ok(await client.get("/api/v1/me", headers=care.holder.headers)).json()
        balance: int = next(
            m["balance_pence"] for m in me["memberships"] if m["coop_id"] == str(care.world.coop_id)
        )
        return balance

    async def test_a_representative_pays_in_within_the_limit_and_no_further(
        self, client: httpx.AsyncClient, care: Care, browse: Browse
    ) -> None:
        await set_direct_payment(client, care.holder)
        son = await register_person(client, full_name="Iolo Son")
        await grant_mandate(
            client, care.holder, son, scopes=("contribute",), limit_pence_per_cycle=5_000
        )
        browser = await browse(son)
        prefix = f"/for/{care.holder.id}"
        pay_in = f"{prefix}/coops/{care.world.coop_id}/pay-in"
        assert f'href="{pay_in}"' in ok(await browser.get(prefix)).text
        before = await self.balance(client, care)
        shown = ok(await browser.get(pay_in))
        assert en("acting.banner", name="Huw Holder") in shown.text
        assert en("acting.limit", amount="£50.00") in shown.text
        form = {
            "csrf_token": csrf_of(shown.text),
            "idempotency_key": re.findall(r'name="idempotency_key" value="([^"]+)"', shown.text)[0],
            "amount": "30.00",
            "reference": "Mawrth",
            "source": "direct_payment",
        }
        first = await browser.post(pay_in, data=form)
        again = await browser.post(pay_in, data=form)
        assert first.status_code == again.status_code == 303
        assert first.headers["location"] == f"{prefix}?done=paid"
        assert await self.balance(client, care) == before + 3_000
        # Another 30.00 would take the cycle past the mandate's 50.00.
        beyond = await post_form(browser, pay_in, pay_in, {**form, "idempotency_key": "k2"})
        assert beyond.status_code == 403
        assert 'href="#field-amount"' in beyond.text
        # The refusal names the limit as the page does, in pounds.
        assert "beyond your mandate&#39;s limit of £50.00." in beyond.text
        assert await self.balance(client, care) == before + 3_000

    async def test_without_contribute_there_is_no_paying_in(
        self, client: httpx.AsyncClient, care: Care, browse: Browse
    ) -> None:
        daughter = await register_person(client, full_name="Nia Daughter")
        await grant_mandate(client, care.holder, daughter, scopes=("view",))
        browser = await browse(daughter)
        prefix = f"/for/{care.holder.id}"
        pay_in = f"{prefix}/coops/{care.world.coop_id}/pay-in"
        assert f'href="{pay_in}"' not in ok(await browser.get(prefix)).text
        assert (await browser.get(pay_in)).status_code == 403


class TestCouncilAccess:
    async def grants(self, client: httpx.AsyncClient, care: Care) -> list[dict[str, Any]]:
        found = ok(await client.get("/api/v1/me/council-access", headers=care.holder.headers))
        items: list[dict[str, Any]] = found.json()["items"]
        return items

    async def test_the_holder_grants_sees_and_ends_their_council_s_access(
        self, client: httpx.AsyncClient, care: Care, browse: Browse
    ) -> None:
        await set_direct_payment(client, care.holder)
        browser = await browse(care.holder)
        shown = ok(await browser.get("/council-access"))
        assert en("consent.none") in shown.text
        assert en("consent.council", council="Cardiff") in shown.text
        answer = await post_form(
            browser, "/council-access", "/council-access", {"coop_id": str(care.world.coop_id)}
        )
        assert answer.status_code == 303
        [grant] = await self.grants(client, care)
        assert (grant["area_code"], grant["in_force"]) == ("W06000015", True)
        page = ok(await browser.get(answer.headers["location"]))
        assert en("done.consent_granted") in page.text
        assert en("consent.in_force") in page.text
        # Shared already: not offered again, and refused if sent again all the same.
        assert en("consent.submit") not in page.text
        again = await browser.post(
            "/council-access",
            data={"csrf_token": csrf_of(page.text), "coop_id": str(care.world.coop_id)},
        )
        assert again.status_code == 409
        assert 'class="error-summary"' in again.text
        assert len(await self.grants(client, care)) == 1
        ended = await post_form(
            browser, "/council-access", f"/council-access/{grant['id']}/end", {}
        )
        assert ended.status_code == 303
        [grant] = await self.grants(client, care)
        assert grant["in_force"] is False
        assert grant["ended_at"] is not None

    async def test_a_last_day_before_today_is_refused_beside_its_field(
        self, client: httpx.AsyncClient, clock: FrozenClock, care: Care, browse: Browse
    ) -> None:
        await set_direct_payment(client, care.holder)
        browser = await browse(care.holder)
        yesterday = (local_date(clock.now()) - timedelta(days=1)).isoformat()
        answer = await post_form(
            browser,
            "/council-access",
            "/council-access",
            {"coop_id": str(care.world.coop_id), "until": yesterday},
        )
        assert answer.status_code == 422
        assert 'href="#field-until"' in answer.text
        assert re.search(r'id="field-until"[^>]*aria-invalid="true"', answer.text)
        assert await self.grants(client, care) == []

    async def test_without_a_direct_payment_there_is_no_council_to_share_with(
        self, client: httpx.AsyncClient, care: Care, browse: Browse
    ) -> None:
        browser = await browse(care.holder)
        answer = await post_form(
            browser, "/council-access", "/council-access", {"coop_id": str(care.world.coop_id)}
        )
        assert answer.status_code == 422
        assert 'href="#field-coop_id"' in answer.text
        assert await self.grants(client, care) == []

    async def test_a_representative_with_share_gives_and_ends_access_for_the_holder(
        self, client: httpx.AsyncClient, care: Care, browse: Browse
    ) -> None:
        await set_direct_payment(client, care.holder)
        daughter = await register_person(client, full_name="Nia Daughter")
        await grant_mandate(client, care.holder, daughter, scopes=("share",))
        browser = await browse(daughter)
        prefix = f"/for/{care.holder.id}"
        assert f'href="{prefix}/council-access"' in ok(await browser.get(prefix)).text
        answer = await post_form(
            browser,
            f"{prefix}/council-access",
            f"{prefix}/council-access",
            {"coop_id": str(care.world.coop_id)},
        )
        assert answer.status_code == 303
        assert answer.headers["location"] == f"{prefix}/council-access?done=granted"
        [grant] = await self.grants(client, care)
        assert grant["in_force"] is True
        ended = await post_form(
            browser,
            f"{prefix}/council-access",
            f"{prefix}/council-access/{grant['id']}/end",
            {},
        )
        assert ended.status_code == 303
        [grant] = await self.grants(client, care)
        assert grant["in_force"] is False

    async def test_a_representative_with_view_sees_the_grants_but_cannot_change_them(
        self, client: httpx.AsyncClient, care: Care, browse: Browse
    ) -> None:
        await set_direct_payment(client, care.holder)
        made = await client.post(
            "/api/v1/me/council-access",
            json={"coop_id": str(care.world.coop_id)},
            headers=care.holder.headers,
        )
        assert made.status_code == 201, made.text
        daughter = await register_person(client, full_name="Nia Daughter")
        await grant_mandate(client, care.holder, daughter, scopes=("view",))
        browser = await browse(daughter)
        prefix = f"/for/{care.holder.id}"
        shown = ok(await browser.get(f"{prefix}/council-access"))
        assert en("consent.in_force") in shown.text
        assert en("consent.end") not in shown.text
        assert en("consent.submit") not in shown.text
        refused = await browser.post(
            f"{prefix}/council-access/{made.json()['id']}/end",
            data={"csrf_token": csrf_of(shown.text)},
        )
        assert refused.status_code == 403
        [grant] = await self.grants(client, care)
        assert grant["in_force"] is True
