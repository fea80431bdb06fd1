"""The authorisation matrix of the web pages: every page route, asked for by every kind of
visitor, against a table kept by hand (as `test_authorisation.py` keeps the API's).

A page route the app serves without a row here fails the test. Pages answer 303 to the
sign-in page for a visitor who is not signed in, 404 for what the person may not see (another
co-op's pages), 403 for an act their role does not allow, as the API does. Each call runs in a
savepoint that is rolled back, with the visitor's cookies as they were before it.
"""

import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.routing import BaseRoute

from app.web.route import PageRoute
from tests.factories import DEFAULT_PASSWORD, SWANSEA
from tests.security.test_authorisation import World, world  # noqa: F401  (the same world)
from tests.web.pages import csrf_of

# "officer" is Swansea's; the world's member is a holder Cardiff pays, who shares with Cardiff.
ROLES = ("anonymous", "user", "other_coop", "member", "admin", "officer")
Expect = dict[str, int]


def everyone(status: int) -> Expect:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int) -> Expect:
    return {**everyone(status), "anonymous": 303}


def signed_out(status: int) -> Expect:
    """A page for signing in or up: a signed-in visitor is sent on."""
    return {**everyone(303), "anonymous": status}


def coop_members(status: int, *, admin: int | None = None) -> Expect:
    """A co-op's own page: anyone else is told it does not exist."""
    return {
        **signed_in(404),
        "member": status,
        "admin": status if admin is None else admin,
    }


def coop_admins(status: int) -> Expect:
    return {**coop_members(403), "admin": status}


def council_officers(status: int) -> Expect:
    """A council officer's page: anyone who is not one is refused, as the API refuses them."""
    return {**signed_in(403), "officer": status}


# A whole tender form (the co-op's area, a deadline to come), for drafting and editing.
TENDER_FORM = {
    "title": "Respite in Welsh",
    "description": "Short breaks for carers.",
    "service_type": "respite",
    "area_codes": "W06000015",
    "max_hourly_rate": "25.00",
    "welsh_language_required": "some",
    "price_weight": "60",
    "quality_weight": "40",
    "submission_deadline": "2026-07-01T17:00",
    "standstill_days": "10",
}


@dataclass(frozen=True)
class Row:
    path: str
    expect: Expect
    form: Callable[[World], dict[str, str]] | None = None


VISIT_DECIDERS = {**signed_in(404), "member": 303, "admin": 403}

TABLE: dict[str, Row] = {
    "GET /": Row("/", everyone(200)),
    "GET /providers": Row("/providers?area=W06000015", everyone(200)),
    "GET /tenders": Row("/tenders", everyone(200)),
    "GET /tenders/{tender_id}": Row("/tenders/{tender_open}", everyone(200)),
    "GET /coops": Row("/coops", everyone(200)),
    "GET /coops/{coop_id}": Row("/coops/{coop}", everyone(200)),
    "GET /language/{language}": Row("/language/cy?next=/coops", everyone(303)),
    "GET /sign-up": Row("/sign-up", signed_out(200)),
    "POST /sign-up": Row(
        "/sign-up",
        everyone(303),
        lambda w: {
            "email": f"new-{uuid.uuid4().hex[:8]}@example.org",
            "password": DEFAULT_PASSWORD,
            "full_name": "New Person",
        },
    ),
    "GET /sign-in": Row("/sign-in", signed_out(200)),
    "POST /sign-in": Row(
        "/sign-in",
        everyone(303),
        lambda w: {"email": w.people["user"].email, "password": DEFAULT_PASSWORD},
    ),
    "POST /sign-out": Row("/sign-out", everyone(303)),
    "GET /password-reset": Row("/password-reset", everyone(200)),
    "POST /password-reset": Row(
        "/password-reset", everyone(303), lambda w: {"email": w.people["user"].email}
    ),
    "GET /password-reset/confirm": Row("/password-reset/confirm", everyone(200)),
    # A code nobody was sent: refused for everyone alike.
    "POST /password-reset/confirm": Row(
        "/password-reset/confirm",
        everyone(400),
        lambda w: {"token": "not-a-code", "new_password": DEFAULT_PASSWORD},
    ),
    "GET /account": Row("/account", signed_in(200)),
    # The member's second login: only the member may end it.
    "POST /account/logins/{login_id}/end": Row(
        "/account/logins/{member_login}/end", {**signed_in(404), "member": 303}
    ),
    "GET /account/export": Row("/account/export", signed_in(200)),
    "GET /account/close": Row("/account/close", signed_in(200)),
    # Administrators are the last of their co-op's; the member has a call-off to keep.
    "POST /account/close": Row("/account/close", {**signed_in(409), "user": 303, "officer": 303}),
    "GET /direct-payment": Row("/direct-payment", signed_in(200)),
    "POST /direct-payment": Row(
        "/direct-payment",
        signed_in(303),
        lambda w: {
            "area_code": "W06000015",
            "weekly_amount": "500.00",
            "start_date": "2026-03-02",
        },
    ),
    "POST /coops/{coop_id}/join": Row(
        "/coops/{coop}/join",
        {**signed_in(303), "member": 409, "admin": 409},
        lambda w: {"member_class": "carer"},
    ),
    "GET /approvals": Row("/approvals", signed_in(200)),
    # Representatives: anyone signed in invites someone (the world's trusted address); only
    # the member gave the world's mandate, and only its representative, none of these
    # visitors, may answer it.
    "GET /representatives": Row("/representatives", signed_in(200)),
    "POST /representatives": Row(
        "/representatives",
        signed_in(303),
        lambda w: {"email": w.ids["trusted_email"], "scopes": "view", "limit": "0"},
    ),
    "POST /representatives/{mandate_id}/end": Row(
        "/representatives/{mandate}/end", {**signed_in(404), "member": 303}
    ),
    "GET /representing": Row("/representing", signed_in(200)),
    "POST /representing/{mandate_id}/accept": Row("/representing/{mandate}/accept", signed_in(404)),
    "POST /representing/{mandate_id}/decline": Row(
        "/representing/{mandate}/decline", signed_in(404)
    ),
    "POST /approvals/{approval_id}/approve": Row("/approvals/{missing}/approve", signed_in(404)),
    "POST /approvals/{approval_id}/refuse": Row("/approvals/{missing}/refuse", signed_in(404)),
    "GET /coops/{coop_id}/money": Row("/coops/{coop}/money", coop_members(200)),
    "GET /coops/{coop_id}/statement.csv": Row("/coops/{coop}/statement.csv", coop_members(200)),
    "GET /coops/{coop_id}/pay-in": Row("/coops/{coop}/pay-in", coop_members(200)),
    "POST /coops/{coop_id}/pay-in": Row(
        "/coops/{coop}/pay-in",
        coop_members(303),
        lambda w: {"amount": "10.00", "reference": "Top-up", "source": "top_up"},
    ),
    "GET /coops/{coop_id}/refunds": Row("/coops/{coop}/refunds", coop_members(200)),
    # The administrator holds nothing of their own to ask back.
    "POST /coops/{coop_id}/refunds": Row(
        "/coops/{coop}/refunds",
        coop_members(303, admin=409),
        lambda w: {"amount": "1.00", "reason": "Overpaid"},
    ),
    # The world's big refund waits for a second administrator: the member's to be paid.
    "POST /coops/{coop_id}/refunds/{refund_id}/approve": Row(
        "/coops/{coop}/refunds/{refund}/approve", coop_admins(303)
    ),
    "POST /coops/{coop_id}/refunds/{refund_id}/refuse": Row(
        "/coops/{coop}/refunds/{refund}/refuse", coop_admins(303)
    ),
    "GET /coops/{coop_id}/votes": Row("/coops/{coop}/votes", coop_members(200)),
    "GET /proposals/{proposal_id}": Row("/proposals/{proposal}", coop_members(200)),
    "POST /proposals/{proposal_id}": Row(
        "/proposals/{proposal}", coop_members(303), lambda w: {"choice": "yes"}
    ),
    "GET /coops/{coop_id}/support": Row("/coops/{coop}/support", coop_members(200)),
    "POST /coops/{coop_id}/support": Row(
        "/coops/{coop}/support",
        coop_members(303),
        lambda w: {"category": "payroll", "subject": "Payslips", "body": "Where are they?"},
    ),
    # The member's own request (the desk's staff see it too, as in the API).
    "GET /coops/{coop_id}/support/{request_id}": Row(
        "/coops/{coop}/support/{support_request}", coop_members(200)
    ),
    "POST /coops/{coop_id}/support/{request_id}/comments": Row(
        "/coops/{coop}/support/{support_request}/comments",
        coop_members(303),
        lambda w: {"body": "Thank you."},
    ),
    "POST /coops/{coop_id}/support/{request_id}": Row(
        "/coops/{coop}/support/{support_request}",
        coop_members(303),
        lambda w: {"status": "resolved"},
    ),
    "GET /coops/{coop_id}/invoices": Row("/coops/{coop}/invoices", coop_members(200)),
    "GET /invoices/{invoice_id}": Row("/invoices/{invoice}", coop_members(200)),
    # Only the member the line charges disputes it.
    "POST /invoices/{invoice_id}/lines/{line_id}/dispute": Row(
        "/invoices/{invoice}/lines/{invoice_line}/dispute",
        coop_members(303, admin=403),
        lambda w: {"reason": "Nobody came"},
    ),
    "POST /invoices/{invoice_id}/approve": Row(
        "/invoices/{accepted_invoice}/approve", coop_members(403, admin=303)
    ),
    "GET /coops/{coop_id}/admin/members": Row("/coops/{coop}/admin/members", coop_admins(200)),
    "POST /coops/{coop_id}/admin/members/{member_id}/approve": Row(
        "/coops/{coop}/admin/members/{pending}/approve", coop_admins(303)
    ),
    "GET /council": Row("/council", council_officers(200)),
    "GET /council/areas/{code}": Row(f"/council/areas/{SWANSEA}", council_officers(200)),
    "GET /council/areas/{code}/summary.csv": Row(
        f"/council/areas/{SWANSEA}/summary.csv", council_officers(200)
    ),
    "GET /council/areas/{code}/awards": Row(
        f"/council/areas/{SWANSEA}/awards", council_officers(200)
    ),
    "GET /council/areas/{code}/holders": Row(
        f"/council/areas/{SWANSEA}/holders", council_officers(200)
    ),
    "GET /council/awards/{award_id}": Row("/council/awards/{swansea_award}", council_officers(200)),
    "POST /council/awards/{award_id}/confirm": Row(
        "/council/awards/{swansea_award}/confirm", council_officers(303)
    ),
    "POST /council/awards/{award_id}/reject": Row(
        "/council/awards/{swansea_award}/reject",
        council_officers(303),
        lambda w: {"reason": "Not what the council assessed"},
    ),
    # The member shares with Cardiff: Swansea's officer, like everyone else, finds nothing.
    "GET /council/coops/{coop_id}/members/{member_id}/evidence": Row(
        "/council/coops/{coop}/members/{member}/evidence", signed_in(404)
    ),
    "GET /council/coops/{coop_id}/members/{member_id}/evidence.csv": Row(
        "/council/coops/{coop}/members/{member}/evidence.csv", signed_in(404)
    ),
    "GET /coops/{coop_id}/bank": Row("/coops/{coop}/bank?month=2026-03", coop_admins(200)),
    # Posted as the matrix posts every form (no file in it): past the checks, refused as a form.
    "POST /coops/{coop_id}/bank/statements": Row(
        "/coops/{coop}/bank/statements", coop_admins(422), lambda w: {"statement": "no file"}
    ),
    "GET /coops/{coop_id}/bank/lines": Row(
        "/coops/{coop}/bank/lines?state=unmatched", coop_admins(200)
    ),
    "GET /coops/{coop_id}/bank/lines/{line_id}": Row(
        "/coops/{coop}/bank/lines/{bank_line}", coop_admins(200)
    ),
    "POST /coops/{coop_id}/bank/lines/{line_id}/match": Row(
        "/coops/{coop}/bank/lines/{bank_line}/match",
        coop_admins(303),
        lambda w: {"transaction_id": w.ids["funded"]},
    ),
    "POST /coops/{coop_id}/bank/lines/{line_id}/create-contribution": Row(
        "/coops/{coop}/bank/lines/{cash_line}/create-contribution",
        coop_admins(303),
        lambda w: {"member_id": w.ids["member"], "source": "top_up"},
    ),
    "POST /coops/{coop_id}/bank/lines/{line_id}/ignore": Row(
        "/coops/{coop}/bank/lines/{bank_line}/ignore",
        coop_admins(303),
        lambda w: {"reason": "Not the pool's money"},
    ),
    # The desk's staff side: the member who asked is not on the desk.
    "GET /coops/{coop_id}/desk": Row("/coops/{coop}/desk", coop_admins(200)),
    "GET /coops/{coop_id}/desk/{request_id}": Row(
        "/coops/{coop}/desk/{support_request}", coop_admins(200)
    ),
    "POST /coops/{coop_id}/desk/{request_id}/comments": Row(
        "/coops/{coop}/desk/{support_request}/comments",
        coop_admins(303),
        lambda w: {"body": "The return is due on Friday; we will send it."},
    ),
    "POST /coops/{coop_id}/desk/{request_id}": Row(
        "/coops/{coop}/desk/{support_request}",
        coop_admins(303),
        lambda w: {"status": "in_progress"},
    ),
    "GET /coops/{coop_id}/admin/tenders": Row("/coops/{coop}/admin/tenders", coop_admins(200)),
    "GET /coops/{coop_id}/admin/tenders/new": Row(
        "/coops/{coop}/admin/tenders/new", coop_admins(200)
    ),
    "POST /coops/{coop_id}/admin/tenders": Row(
        "/coops/{coop}/admin/tenders", coop_admins(303), lambda w: TENDER_FORM
    ),
    "GET /coops/{coop_id}/admin/tenders/{tender_id}": Row(
        "/coops/{coop}/admin/tenders/{tender_evaluated}", coop_admins(200)
    ),
    "GET /coops/{coop_id}/admin/tenders/{tender_id}/edit": Row(
        "/coops/{coop}/admin/tenders/{tender_draft}/edit", coop_admins(200)
    ),
    "POST /coops/{coop_id}/admin/tenders/{tender_id}/edit": Row(
        "/coops/{coop}/admin/tenders/{tender_draft}/edit", coop_admins(303), lambda w: TENDER_FORM
    ),
    "POST /coops/{coop_id}/admin/tenders/{tender_id}/publish": Row(
        "/coops/{coop}/admin/tenders/{tender_draft}/publish", coop_admins(303)
    ),
    "POST /coops/{coop_id}/admin/tenders/{tender_id}/cancel": Row(
        "/coops/{coop}/admin/tenders/{tender_open}/cancel",
        coop_admins(303),
        lambda w: {"reason": "No longer needed"},
    ),
    "POST /coops/{coop_id}/admin/tenders/{tender_id}/bids/{bid_id}/score": Row(
        "/coops/{coop}/admin/tenders/{tender_evaluated}/bids/{bid_evaluated}/score",
        coop_admins(303),
        lambda w: {"quality_score": "70"},
    ),
    "POST /coops/{coop_id}/admin/tenders/{tender_id}/award": Row(
        "/coops/{coop}/admin/tenders/{tender_scored}/award",
        coop_admins(303),
        lambda w: {"bid_id": w.ids["bid_scored"]},
    ),
    "POST /coops/{coop_id}/admin/tenders/{tender_id}/contract": Row(
        "/coops/{coop}/admin/tenders/{tender_awarded}/contract", coop_admins(303)
    ),
    "GET /coops/{coop_id}/admin/contracts/{contract_id}": Row(
        "/coops/{coop}/admin/contracts/{contract}", coop_admins(200)
    ),
    "GET /coops/{coop_id}/admin/shared-services": Row(
        "/coops/{coop}/admin/shared-services", coop_admins(200)
    ),
    # The member subscribes to the service and has the money for its month.
    "POST /coops/{coop_id}/admin/shared-services/{service_id}/charge": Row(
        "/coops/{coop}/admin/shared-services/{service}/charge",
        coop_admins(303),
        lambda w: {"period": "2026-03"},
    ),
    # Everyone's own visits and council access (none, for most). Only the member the visit
    # is for decides on it; the co-op's administrator sees it, but it is not theirs.
    "GET /visits": Row("/visits", signed_in(200)),
    "POST /visits/{visit_id}/confirm": Row("/visits/{visit}/confirm", VISIT_DECIDERS),
    "POST /visits/{visit_id}/query": Row(
        "/visits/{visit}/query", VISIT_DECIDERS, lambda w: {"reason": "Nobody came"}
    ),
    "GET /council-access": Row("/council-access", signed_in(200)),
    # The member's Cardiff grant is in force already; the administrator has no award.
    "POST /council-access": Row(
        "/council-access",
        {**signed_in(404), "member": 409, "admin": 422},
        lambda w: {"coop_id": w.ids["coop"]},
    ),
    "POST /council-access/{grant_id}/end": Row(
        "/council-access/{council_access}/end", {**signed_in(404), "member": 303}
    ),
    # Acting for the member: nobody here holds a mandate of theirs (403 `no_mandate`, as for
    # X-On-Behalf-Of); the member naming themselves acts as themselves. The representatives
    # have a table of their own below.
    "GET /for/{holder_id}": Row("/for/{member_user}", {**signed_in(403), "member": 303}),
    "GET /for/{holder_id}/visits": Row(
        "/for/{member_user}/visits", {**signed_in(403), "member": 200}
    ),
    "POST /for/{holder_id}/visits/{visit_id}/confirm": Row(
        "/for/{member_user}/visits/{visit}/confirm", {**signed_in(403), "member": 303}
    ),
    "POST /for/{holder_id}/visits/{visit_id}/query": Row(
        "/for/{member_user}/visits/{visit}/query",
        {**signed_in(403), "member": 303},
        lambda w: {"reason": "Nobody came"},
    ),
    "GET /for/{holder_id}/council-access": Row(
        "/for/{member_user}/council-access", {**signed_in(403), "member": 200}
    ),
    "POST /for/{holder_id}/council-access": Row(
        "/for/{member_user}/council-access",
        {**signed_in(403), "member": 409},
        lambda w: {"coop_id": w.ids["coop"]},
    ),
    "POST /for/{holder_id}/council-access/{grant_id}/end": Row(
        "/for/{member_user}/council-access/{council_access}/end",
        {**signed_in(403), "member": 303},
    ),
    "GET /for/{holder_id}/coops/{coop_id}/pay-in": Row(
        "/for/{member_user}/coops/{coop}/pay-in", {**signed_in(403), "member": 200}
    ),
    "GET /for/{holder_id}/proposals/{proposal_id}": Row(
        "/for/{member_user}/proposals/{proposal}", {**signed_in(403), "member": 200}
    ),
    "POST /for/{holder_id}/proposals/{proposal_id}": Row(
        "/for/{member_user}/proposals/{proposal}",
        {**signed_in(403), "member": 303},
        lambda w: {"choice": "yes"},
    ),
    "POST /for/{holder_id}/coops/{coop_id}/pay-in": Row(
        "/for/{member_user}/coops/{coop}/pay-in",
        {**signed_in(403), "member": 303},
        lambda w: {"amount": "10.00", "reference": "Top-up", "source": "top_up"},
    ),
    "GET /for/{holder_id}/coops/{coop_id}/refund": Row(
        "/for/{member_user}/coops/{coop}/refund", {**signed_in(403), "member": 200}
    ),
    "POST /for/{holder_id}/coops/{coop_id}/refund": Row(
        "/for/{member_user}/coops/{coop}/refund",
        {**signed_in(403), "member": 303},
        lambda w: {"amount": "1.00", "reason": "Overpaid"},
    ),
    "GET /for/{holder_id}/coops/{coop_id}/support": Row(
        "/for/{member_user}/coops/{coop}/support", {**signed_in(403), "member": 200}
    ),
    "POST /for/{holder_id}/coops/{coop_id}/support": Row(
        "/for/{member_user}/coops/{coop}/support",
        {**signed_in(403), "member": 303},
        lambda w: {"category": "payroll", "subject": "Payslips", "body": "Where are they?"},
    ),
    "GET /for/{holder_id}/coops/{coop_id}/support/{request_id}": Row(
        "/for/{member_user}/coops/{coop}/support/{support_request}",
        {**signed_in(403), "member": 200},
    ),
    "POST /for/{holder_id}/coops/{coop_id}/support/{request_id}/comments": Row(
        "/for/{member_user}/coops/{coop}/support/{support_request}/comments",
        {**signed_in(403), "member": 303},
        lambda w: {"body": "Thank you."},
    ),
    "POST /for/{holder_id}/coops/{coop_id}/support/{request_id}": Row(
        "/for/{member_user}/coops/{coop}/support/{support_request}",
        {**signed_in(403), "member": 303},
        lambda w: {"status": "resolved"},
    ),
}


def _all_routes(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    for route in routes:
        if hasattr(route, "original_router"):  # an included router, walked into
            yield from _all_routes(route.original_router.routes)
        else:
            yield route


def page_routes(app: FastAPI) -> set[str]:
    """Every page route (the web routers have no prefixes: a route's path is its address)."""
    return {
        f"{method} {route.path}"
        for route in _all_routes(app.routes)
        if isinstance(route, PageRoute)
        for method in route.methods or ()
        if method != "HEAD"
    }


def test_every_page_route_has_a_row(app: FastAPI) -> None:
    missing = page_routes(app) - set(TABLE)
    assert not missing, f"page routes without a row in the table: {sorted(missing)}"
    stale = set(TABLE) - page_routes(app)
    assert not stale, f"rows for page routes the app does not serve: {sorted(stale)}"


async def visitors(app: FastAPI, world: World) -> dict[str, tuple[httpx.Cookies, str]]:  # noqa: F811
    """Each role's cookies (signed in through the sign-in page) and its forms' token."""
    found = {}
    for role in ROLES:
        async with _client(app, httpx.Cookies()) as client:
            shown = await client.get("/sign-in")
            if role != "anonymous":
                person = world.people[role]
                signed = await client.post(
                    "/sign-in",
                    data={
                        "csrf_token": csrf_of(shown.text),
                        "email": person.email,
                        "password": DEFAULT_PASSWORD,
                    },
                )
                assert signed.status_code == 303, signed.text
                shown = await client.get("/account")
            found[role] = (httpx.Cookies(client.cookies), csrf_of(shown.text))
    return found


def _client(app: FastAPI, cookies: httpx.Cookies) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("203.0.113.30", 50000)),
        base_url="https://test",
        cookies=cookies,
    )


async def test_every_page_answers_every_visitor_as_the_table_says(
    app: FastAPI,
    connection: AsyncConnection,
    world: World,  # noqa: F811
) -> None:
    who = await visitors(app, world)
    mismatches: list[str] = []
    for route, row in sorted(TABLE.items()):
        method = route.split(" ", 1)[0]
        path = row.path.format(**ids_of(world))
        for role in ROLES:
            cookies, token = who[role]
            savepoint = await connection.begin_nested()
            try:
                async with _client(app, httpx.Cookies(cookies)) as client:
                    if method == "POST":
                        form = {"csrf_token": token, **(row.form(world) if row.form else {})}
                        response = await client.post(path, data=form)
                    else:
                        response = await client.get(path)
            finally:
                await savepoint.rollback()
            expected = row.expect[role]
            if response.status_code != expected:
                mismatches.append(
                    f"{route} as {role}: {response.status_code} (expected {expected}) "
                    f"{_heading(response.text)}"
                )
            sent_away = not response.headers.get("location", "").startswith("/sign-in")
            if (
                expected == 303
                and role == "anonymous"
                and row.expect["member"] != 303
                and sent_away
            ):
                mismatches.append(f"{route} as anonymous: not sent to sign in")
            if role != "anonymous" and response.headers.get("cache-control") != "no-store":
                mismatches.append(f"{route} as {role}: a personal page a cache may keep")
    assert not mismatches, "\n".join(mismatches)


def ids_of(world: World) -> dict[str, str]:  # noqa: F811
    """The world's ids, and the member's own: the holder the pages act for."""
    return {**world.ids, "member_user": str(world.people["member"].id)}


# The member's representatives acting for them: one whose mandate has `view`, one with
# `contribute` only, and someone with no mandate at all. What the mandate does not cover is
# 403, as the API answers it (`outside_mandate`, `no_mandate`).
REPRESENTATIVES = ("representative", "narrow_representative", "user")
ACTING: dict[str, tuple[str, tuple[int, int, int], dict[str, str] | None]] = {
    "GET /for/{holder_id}": ("/for/{member_user}", (200, 200, 403), None),
    "GET /for/{holder_id}/visits": ("/for/{member_user}/visits", (200, 403, 403), None),
    "POST /for/{holder_id}/visits/{visit_id}/confirm": (
        "/for/{member_user}/visits/{visit}/confirm",
        (303, 403, 403),
        {},
    ),
    "POST /for/{holder_id}/visits/{visit_id}/query": (
        "/for/{member_user}/visits/{visit}/query",
        (303, 403, 403),
        {"reason": "Nobody came"},
    ),
    "GET /for/{holder_id}/council-access": (
        "/for/{member_user}/council-access",
        (200, 403, 403),
        None,
    ),
    # Sharing needs the `share` scope, which neither has.
    "POST /for/{holder_id}/council-access": (
        "/for/{member_user}/council-access",
        (403, 403, 403),
        {"coop_id": "{coop}"},
    ),
    "POST /for/{holder_id}/council-access/{grant_id}/end": (
        "/for/{member_user}/council-access/{council_access}/end",
        (403, 403, 403),
        {},
    ),
    # Reading a proposal needs `view` (or `vote`), voting `vote`, which neither has.
    "GET /for/{holder_id}/proposals/{proposal_id}": (
        "/for/{member_user}/proposals/{proposal}",
        (200, 403, 403),
        None,
    ),
    "POST /for/{holder_id}/proposals/{proposal_id}": (
        "/for/{member_user}/proposals/{proposal}",
        (403, 403, 403),
        {"choice": "yes"},
    ),
    # Paying in needs `contribute`; the narrow mandate has it, with a limit of nothing.
    "GET /for/{holder_id}/coops/{coop_id}/pay-in": (
        "/for/{member_user}/coops/{coop}/pay-in",
        (403, 200, 403),
        None,
    ),
    "POST /for/{holder_id}/coops/{coop_id}/pay-in": (
        "/for/{member_user}/coops/{coop}/pay-in",
        (403, 403, 403),
        {"amount": "10.00", "reference": "Top-up", "source": "top_up"},
    ),
    # Asking for a refund needs `refund`, which neither has.
    "GET /for/{holder_id}/coops/{coop_id}/refund": (
        "/for/{member_user}/coops/{coop}/refund",
        (403, 403, 403),
        None,
    ),
    "POST /for/{holder_id}/coops/{coop_id}/refund": (
        "/for/{member_user}/coops/{coop}/refund",
        (403, 403, 403),
        {"amount": "1.00", "reason": "Overpaid"},
    ),
    # The desk: reading the holder's requests needs `view` (the representative has it);
    # asking, replying and resolving need `support`, which neither has.
    "GET /for/{holder_id}/coops/{coop_id}/support": (
        "/for/{member_user}/coops/{coop}/support",
        (200, 403, 403),
        None,
    ),
    "POST /for/{holder_id}/coops/{coop_id}/support": (
        "/for/{member_user}/coops/{coop}/support",
        (403, 403, 403),
        {"category": "payroll", "subject": "Payslips", "body": "Where are they?"},
    ),
    "GET /for/{holder_id}/coops/{coop_id}/support/{request_id}": (
        "/for/{member_user}/coops/{coop}/support/{support_request}",
        (200, 403, 403),
        None,
    ),
    "POST /for/{holder_id}/coops/{coop_id}/support/{request_id}/comments": (
        "/for/{member_user}/coops/{coop}/support/{support_request}/comments",
        (403, 403, 403),
        {"body": "Thank you."},
    ),
    "POST /for/{holder_id}/coops/{coop_id}/support/{request_id}": (
        "/for/{member_user}/coops/{coop}/support/{support_request}",
        (403, 403, 403),
        {"status": "resolved"},
    ),
}


def test_every_acting_page_has_a_row_for_the_representatives(app: FastAPI) -> None:
    assert {r for r in page_routes(app) if " /for/" in r} == set(ACTING)


async def test_a_representative_sees_and_does_only_what_the_mandate_allows(
    app: FastAPI,
    connection: AsyncConnection,
    world: World,  # noqa: F811
) -> None:
    ids = ids_of(world)
    who = {}
    for role in REPRESENTATIVES:
        async with _client(app, httpx.Cookies()) as client:
            shown = await client.get("/sign-in")
            signed = await client.post(
                "/sign-in",
                data={
                    "csrf_token": csrf_of(shown.text),
                    "email": world.people[role].email,
                    "password": DEFAULT_PASSWORD,
                },
            )
            assert signed.status_code == 303, signed.text
            token = csrf_of((await client.get("/account")).text)
            who[role] = (httpx.Cookies(client.cookies), token)
    mismatches = []
    for route, (template, expected, form) in sorted(ACTING.items()):
        path = template.format(**ids)
        for role, status in zip(REPRESENTATIVES, expected, strict=True):
            cookies, token = who[role]
            savepoint = await connection.begin_nested()
            try:
                async with _client(app, httpx.Cookies(cookies)) as client:
                    if form is None:
                        response = await client.get(path)
                    else:
                        data = {k: v.format(**ids) for k, v in form.items()}
                        response = await client.post(path, data={"csrf_token": token, **data})
            finally:
                await savepoint.rollback()
            if response.status_code != status:
                mismatches.append(
                    f"{route} as {role}: {response.status_code} (expected {status}) "
                    f"{_heading(response.text)}"
                )
    assert not mismatches, "\n".join(mismatches)


def _heading(html: str) -> str:
    found = re.search(r"<h1>(.*?)</h1>", html, re.S)
    return found.group(1).strip() if found else ""
