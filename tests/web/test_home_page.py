"""The holder's home page lists what waits for them: here, the invoices to check."""

import httpx

from app.core.clock import FrozenClock
from tests.factories import DEFAULT_PASSWORD
from tests.helpers import ok
from tests.tenders.conftest import World, world  # noqa: F401  (the tenders' world)
from tests.tenders.test_dispute_window import accept, funded, invoice_of
from tests.tenders.test_invoice_visits import typed
from tests.tenders.test_invoices import line
from tests.web.pages import sign_in


async def test_an_invoice_charging_a_line_not_yet_agreed_waits_on_the_home_page(
    client: httpx.AsyncClient,
    browser: httpx.AsyncClient,
    clock: FrozenClock,
    world: World,  # noqa: F811
) -> None:
    contract_id = await funded(client, clock, world)
    invoice = await invoice_of(
        client, contract_id, world, typed(line(world.holder_a_member_id, 60))
    )
    await sign_in(browser, world.holder_a.email, DEFAULT_PASSWORD)
    home = ok(await browser.get("/"))
    link = f'<a href="/coops/{world.coop_id}/invoices">Invoices to check in '
    assert link in home.text
    assert ": 1</a>" in home.text.split(link, 1)[1].split("\n", 1)[0]

    # Holder B has no line on it; once holder A accepts theirs nothing waits.
    ok(await accept(client, invoice, 0, world.holder_a.headers))
    assert "Invoices to check" not in ok(await browser.get("/")).text
