"""The authorisation matrix: every route, called as every kind of caller, against a table.

The table is kept by hand, on purpose: it is the statement of who may do what. A route that
the app serves without a row here fails the test, so no route ships without a decision.
Each call runs in a savepoint that is rolled back, so no call changes what the next one sees.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.clock import FrozenClock
from tests.factories import (
    CARDIFF,
    DEFAULT_PASSWORD,
    SWANSEA,
    Person,
    bid_fields,
    grant_mandate,
    login,
    open_proposal,
    provider_fields,
    raise_support_request,
    tender_fields,
)
from tests.helpers import ok
from tests.worlds import building, sign_in_again

ROLES = (
    "anonymous",
    "user",
    "other_coop",
    "member",
    "admin",
    "officer",
    "provider_staff",
    "other_provider_staff",
    "platform_admin",
)


@dataclass
class World:
    people: dict[str, Person]
    ids: dict[str, str] = field(default_factory=dict)

    def headers(self, role: str) -> dict[str, str]:
        return {} if role == "anonymous" else self.people[role].headers


@pytest.fixture
async def world(app: FastAPI, client: httpx.AsyncClient, clock: FrozenClock) -> World:
    """Built through the services the routes call where a step only arranges; through the
    API where the world needs what only a request gives (a token's login, a secret)."""
    async with building(app) as b:
        people = {
            "user": await b.person(full_name="Someone Else"),
            "other_coop": await b.person(full_name="Other Co-op Admin"),
            "member": await b.person(full_name="Member"),
            "admin": await b.person(full_name="Admin"),
            "officer": await b.person(full_name="Swansea Officer"),
            "provider_staff": await b.person(full_name="Provider Staff"),
            "other_provider_staff": await b.person(full_name="Other Provider Staff"),
            "platform_admin": await b.person(full_name="Admin", platform_admin=True),
        }
        admin, member, platform = people["admin"], people["member"], people["platform_admin"]
        # Awards need no vote here, so tenders reach every stage (turning the vote off later
        # would take a second administrator).
        coop = await b.coop(admin, award_requires_vote=False)
        other = await b.coop(people["other_coop"], name="Cwmni Arall", area_codes=(SWANSEA,))
        member_row = await b.join(coop, member, admin)
        pending = await b.apply(coop, await b.person(full_name="Applicant", signed_in=False))
        # Representatives of the member beside the table's roles: one with `view`, one
        # without.
        people["representative"] = await b.person(full_name="Representative")
        people["narrow_representative"] = await b.person(full_name="Narrow Rep")
        appointment = await b.appoint_officer(platform, SWANSEA, people["officer"])
        provider = await b.verify(platform, await b.provider(people["provider_staff"]))
        other_provider = await b.verify(platform, await b.provider(people["other_provider_staff"]))
        service = await b.support_service(coop.id, admin)
        await b.award(member, weekly_amount_pence=50_000)
        await b.subscribe(service, member)
        # A holder paid by Swansea, whose officer decides their declared award.
        swansea_award = await b.award(
            await b.person(full_name="Swansea Holder", signed_in=False), area_code=SWANSEA
        )
        funded = await b.contribute(member_row, member, amount_pence=150_000)
        big_refund = await b.refund(member_row, member, amount_pence=60_000)
        world = World(people=people)
        world.ids.update(
            service=str(service.id),
            refund=str(big_refund.id),
            provider=str(provider.id),
            other_provider=str(other_provider.id),
            provider_staff_user=str(people["provider_staff"].id),
            coop=str(coop.id),
            other_coop=str(other.id),
            member=str(member_row.id),
            admin_member=str((await b.member_of(coop, admin)).id),
            pending=str(pending.id),
            representative=str(people["representative"].id),
            trusted_email=(await b.person(full_name="Trusted", signed_in=False)).email,
            swansea_award=str(swansea_award.id),
            missing=str(uuid.uuid4()),
            officer_appointment=str(appointment),
            funded=str(funded),
        )
    proposal = await open_proposal(
        client, coop.id, admin, closes_at=clock.now() + timedelta(days=7)
    )
    mandate = await grant_mandate(client, member, people["representative"], scopes=("view",))
    await grant_mandate(client, member, people["narrow_representative"], scopes=("contribute",))
    api_client = ok(
        await client.post(
            "/api/v1/admin/api-clients",
            json={"name": "Swansea BI", "area_code": SWANSEA},
            headers=platform.headers,
        )
    ).json()
    # A rename waiting for a platform administrator, for verify and changes/reject to act on.
    ok(
        await client.patch(
            f"/api/v1/providers/{provider.id}",
            json={"name": "Gofal Wedi'i Ailenwi"},
            headers=people["provider_staff"].headers,
        )
    )
    support_request = await raise_support_request(client, coop.id, member.headers)
    # The member lets Cardiff, which pays their award, read their evidence (not Swansea, whose
    # officer is in this world).
    council_access = ok(
        await client.post(
            "/api/v1/me/council-access", json={"coop_id": str(coop.id)}, headers=member.headers
        )
    ).json()
    world.ids.update(
        support_request=str(support_request),
        proposal=str(proposal),
        mandate=str(mandate),
        api_client=api_client["id"],
        council_access=council_access["id"],
    )
    await add_tenders(app, client, clock, world)
    await add_webhooks(client, world)
    await add_bank_lines(client, world)
    await add_employments(client, world)
    async with building(app) as b:
        # A weakening rule change another administrator proposed, waiting for "admin" (it
        # stays theirs to approve after its proposer stands down).
        co_admin = await b.person(full_name="Co-admin")
        await b.join(await b.coop_by_id(coop.id), co_admin, admin, "carer")
        await b.set_admin(coop.id, co_admin, admin, True)
        world.ids["rule_change"] = str(
            await b.propose_rules(coop.id, co_admin, {"quorum_percent": 0})
        )
        # "admin" is the co-op's safeguarding lead; the co-admin raises a concern about
        # "member".
        await b.set_admin(coop.id, admin, admin, True, safeguarding_lead=True)
    concern = ok(
        await client.post(
            f"/api/v1/coops/{coop.id}/safeguarding-concerns",
            json={"member_id": world.ids["member"], "summary": "Seemed frightened of a visitor."},
            headers=co_admin.headers,
        )
    )
    world.ids["concern"] = concern.json()["id"]
    # Stood down again, "admin" is the co-op's last administrator once more.
    async with building(app) as b:
        await b.set_admin(coop.id, co_admin, admin, False)
    # A second login of the member's, which only the member may end.
    second = ok(await login(client, email=member.email, password=DEFAULT_PASSWORD))
    logins = await client.get(
        "/api/v1/me/sessions", headers={"Authorization": f"Bearer {second.json()['access_token']}"}
    )
    world.ids["member_login"] = next(i["id"] for i in ok(logins).json()["items"] if i["current"])
    return world


async def add_webhooks(client: httpx.AsyncClient, world: World) -> None:
    """A webhook of the co-op and one of the platform, and one notification of the member's."""
    people, coop = world.people, world.ids["coop"]
    hook = {"url": "https://hooks.example.org/dpc", "event_types": ["tender.published"]}
    made = await client.post(
        f"/api/v1/coops/{coop}/webhooks", json=hook, headers=people["admin"].headers
    )
    platform = await client.post(
        "/api/v1/admin/webhooks", json=hook, headers=people["platform_admin"].headers
    )
    mine = await client.get("/api/v1/me/notifications", headers=people["member"].headers)
    world.ids.update(
        coop_webhook=ok(made).json()["id"],
        platform_webhook=ok(platform).json()["id"],
        notification=ok(mine).json()["items"][0]["id"],
    )


BANK_CSV = b"date,description,amount\n2026-03-02,Transfer,1500.00\n2026-03-02,Cash,10.00\n"


async def add_bank_lines(client: httpx.AsyncClient, world: World) -> None:
    """A bank statement of two unmatched lines: one the member's contribution (150,000) could
    be matched to, one of 1,000 to post a contribution from."""
    admin = world.people["admin"]
    imported = await client.post(
        f"/api/v1/coops/{world.ids['coop']}/bank/statements",
        content=BANK_CSV,
        headers={**admin.headers, "Content-Type": "text/csv"},
    )
    assert ok(imported).json()["matched"] == 0
    found = ok(
        await client.get(f"/api/v1/coops/{world.ids['coop']}/bank/lines", headers=admin.headers)
    ).json()["items"]
    by_amount = {line["amount_pence"]: line["id"] for line in found}
    world.ids.update(bank_line=by_amount[150_000], cash_line=by_amount[1_000])


async def add_employments(client: httpx.AsyncClient, world: World) -> None:
    """The member's own employee (four-weekly from 2 February: February exported and posted,
    March written but not confirmed) and the co-op's (monthly: February exported, results not
    yet posted)."""
    people, coop = world.people, world.ids["coop"]
    member, admin = people["member"], people["admin"]

    async def made(path: str, body: dict[str, Any], who: Person) -> str:
        response = await client.post(f"/api/v1/coops/{coop}{path}", json=body, headers=who.headers)
        return str(ok(response).json()["id"])

    async def kept(employment: str, start: str, entries: list[dict[str, Any]], who: Person) -> str:
        url = f"/api/v1/employments/{employment}/timesheets/{start}"
        ok(await client.put(url, json={"entries": entries}, headers=who.headers))
        return url

    terms = {"hourly_rate_pence": 1_200, "contracted_hours_per_week": 10}
    own_worker = await made("/workers", {"full_name": "Siân"}, member)
    own = await made(
        "/employments",
        {
            "worker_id": own_worker,
            "employer_kind": "member",
            "pay_frequency": "four_weekly",
            "first_period_start": "2026-02-02",
            **terms,
        },
        member,
    )
    shared = await made(
        "/employments",
        {
            "worker_id": await made("/workers", {"full_name": "Gareth"}, admin),
            "employer_kind": "coop",
            "pay_frequency": "monthly",
            "first_period_start": "2026-02-01",
            **terms,
        },
        admin,
    )
    feb = await kept(own, "2026-02-02", [{"date": "2026-02-03", "minutes": 60}], member)
    ok(await client.post(f"{feb}/confirm", headers=member.headers))
    entry = {"date": "2026-02-03", "minutes": 30, "member_id": world.ids["member"]}
    coop_feb = await kept(shared, "2026-02-01", [entry], admin)
    ok(await client.post(f"{coop_feb}/confirm", headers=admin.headers))
    await kept(own, "2026-03-02", [], member)
    for start in ("2026-02-02", "2026-02-01"):
        ok(await client.post(f"/api/v1/coops/{coop}/payroll/{start}/export", headers=admin.headers))
    ok(
        await client.post(
            f"/api/v1/coops/{coop}/payroll/2026-02-02/results",
            json={"lines": [result_line(own, 1_200)]},
            headers={**admin.headers, "Idempotency-Key": uuid.uuid4().hex},
        )
    )
    world.ids.update(own_worker=own_worker, own_employment=own, coop_employment=shared)


def result_line(employment: str, gross: int) -> dict[str, Any]:
    return {
        "employment_id": employment,
        "gross_pence": gross,
        "employer_ni_pence": 0,
        "employer_pension_pence": 36,
        "net_pence": gross,
    }


async def add_tenders(
    app: FastAPI, client: httpx.AsyncClient, clock: FrozenClock, world: World
) -> None:
    """Tenders at every stage, a contract and invoices: their ids join the world's."""
    people, coop = world.people, uuid.UUID(world.ids["coop"])
    admin, member, staff = people["admin"], people["member"], people["provider_staff"]
    soon = (clock.now() + timedelta(hours=1)).isoformat()
    async with building(app) as b:
        closing = {
            name: (await b.tender(coop, admin, standstill_days=0, submission_deadline=soon)).id
            for name in ("evaluated", "scored", "awarded", "contracted")
        }
        closing_bids = {name: await b.bid(t, staff) for name, t in closing.items()}
        await b.demand(closing["contracted"], member, 10)
        tender_open = (await b.tender(coop, admin)).id
        bid_open = await b.bid(tender_open, staff)
        await b.tender(
            uuid.UUID(world.ids["other_coop"]), people["other_coop"], area_codes=[SWANSEA]
        )
        tender_draft = (await b.tender(coop, admin, publish=False)).id
    question = ok(
        await client.post(
            f"/api/v1/tenders/{tender_open}/questions",
            json={"question": "Are evening calls included?"},
            headers=people["other_provider_staff"].headers,
        )
    )
    world.ids.update(
        tender_draft=str(tender_draft),
        tender_open=str(tender_open),
        bid_open=str(bid_open),
        question=question.json()["id"],
        tender_evaluated=str(closing["evaluated"]),
        bid_evaluated=str(closing_bids["evaluated"]),
        tender_scored=str(closing["scored"]),
        bid_scored=str(closing_bids["scored"]),
        tender_awarded=str(closing["awarded"]),
    )
    clock.advance(timedelta(hours=2))
    await sign_in_again(app, *people.values())
    async with building(app) as b:
        for name in ("scored", "awarded", "contracted"):
            await b.score(closing[name], admin, {closing_bids[name]: 80})
        for name in ("awarded", "contracted"):
            await b.award_tender(closing[name], admin, closing_bids[name])
        contract_id = (await b.contract(closing["contracted"], admin)).id
        invoices: list[tuple[str, str]] = []
        for _ in range(4):
            made = await b.invoice(
                contract_id,
                staff,
                {
                    # The contract's first day, today: care is invoiced once delivered. Four
                    # lines of 10 minutes leave room in the call-off for the table's own
                    # invoice.
                    "period_start": "2026-03-02",
                    "period_end": "2026-03-02",
                    "lines": [
                        {"member_id": world.ids["member"], "minutes": 10, "description": "Visit"}
                    ],
                },
            )
            invoices.append((str(made.id), str(made.lines[0].id)))
    (invoice, line), disputed, approved, accepted = invoices
    ok(
        await client.post(
            f"/api/v1/invoices/{disputed[0]}/lines/{disputed[1]}/dispute",
            json={"reason": "Nobody came"},
            headers=member.headers,
        )
    )
    # The member agrees the lines of two invoices, so they may be approved at once.
    for agreed, agreed_line in (approved, accepted):
        ok(
            await client.post(
                f"/api/v1/invoices/{agreed}/lines/{agreed_line}/accept", headers=member.headers
            )
        )
    async with building(app) as b:
        await b.approve_invoice(uuid.UUID(approved[0]), admin)
    world.ids.update(
        contract=str(contract_id),
        invoice=invoice,
        invoice_line=line,
        disputed_invoice=disputed[0],
        disputed_line=disputed[1],
        approved_invoice=approved[0],
        accepted_invoice=accepted[0],
    )
    await add_visits(client, world)


async def add_visits(client: httpx.AsyncClient, world: World) -> None:
    """Two visits to the member this morning: one to confirm, one the member queried."""
    member, staff = world.people["member"], world.people["provider_staff"]
    made = []
    for start, end in (("09:00", "09:30"), ("09:30", "10:00")):
        visit = await client.post(
            f"/api/v1/contracts/{world.ids['contract']}/visits",
            json={
                "member_id": world.ids["member"],
                "date": "2026-03-02",
                "start_time": start,
                "end_time": end,
                "worker_name": "Gwen Gofalwr",
            },
            headers=staff.headers,
        )
        assert visit.status_code == 201, visit.text
        made.append(visit.json()["id"])
    ok(
        await client.post(
            f"/api/v1/visits/{made[1]}/query",
            json={"reason": "Nobody came"},
            headers=member.headers,
        )
    )
    world.ids.update(visit=made[0], queried_visit=made[1])


Expect = dict[str, int]


def everyone(status: int) -> Expect:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int) -> Expect:
    return {**everyone(status), "anonymous": 401}


def platform_admin_only(status: int) -> Expect:
    return {**everyone(403), "anonymous": 401, "platform_admin": status}


def coop_members(status: int, *, admin: int | None = None) -> Expect:
    """A co-op sub-resource: outsiders (even platform admins) are told it does not exist."""
    return {
        **everyone(404),
        "anonymous": 401,
        "member": status,
        "admin": status if admin is None else admin,
    }


def coop_admins(status: int) -> Expect:
    return {**coop_members(403), "admin": status}


def safeguarding_leads(status: int) -> Expect:
    return {**everyone(404), "anonymous": 401, "admin": status, "platform_admin": status}


def tender_admins(status: int) -> Expect:
    """An administrator's act on a published tender: anyone else who is signed in may see the
    tender, so is refused rather than told it does not exist."""
    return {**signed_in(403), "admin": status}


def draft_admins(status: int) -> Expect:
    """An administrator's act on a draft, which exists for the co-op's members only."""
    return {**coop_members(403), "admin": status}


def contract_parties(status: int, *, member: int | None = None, staff: int | None = None) -> Expect:
    """A contract or invoice: the co-op's members and the provider's staff may see it; it does
    not exist for anyone else."""
    return {
        **coop_members(status if member is None else member, admin=status),
        "provider_staff": status if staff is None else staff,
    }


def provider_staff(status: int) -> Expect:
    return {
        **everyone(403),
        "anonymous": 401,
        "provider_staff": status,
        "platform_admin": status,
    }


@dataclass(frozen=True)
class Row:
    path: str
    expect: Expect
    body: Callable[[World], Any] | None = None
    # A body that is not JSON: (content, media type).
    raw: tuple[bytes, str] | None = None
    # Money-moving: each call carries a fresh Idempotency-Key.
    idempotent: bool = False


def _(template: str) -> Callable[[World], str]:
    return lambda w: template.format(**w.ids)


def coop_body(w: World) -> dict[str, Any]:
    return {
        "name": "Cydweithfa Newydd",
        "description": "A new co-op",
        "area_codes": [CARDIFF],
        "rules": {},
    }


TABLE: dict[str, Row] = {
    "GET /healthz": Row("/healthz", everyone(200)),
    "GET /readyz": Row("/readyz", everyone(200)),
    # Served to loopback or DPC_METRICS_TOKEN only; these callers come from 203.0.113.10.
    "GET /metrics": Row("/metrics", everyone(404)),
    "GET /api/v1/me/export": Row("/api/v1/me/export", signed_in(200)),
    "DELETE /api/v1/me": Row(
        "/api/v1/me", {**signed_in(204), "admin": 409, "other_coop": 409, "member": 409}
    ),
    "POST /api/v1/auth/register": Row(
        "/api/v1/auth/register",
        everyone(201),
        lambda w: {
            "email": f"new-{uuid.uuid4().hex[:8]}@example.org",
            "password": "a long password",
            "full_name": "N",
        },
    ),
    "GET /api/v1/me": Row("/api/v1/me", signed_in(200)),
    "PATCH /api/v1/me": Row("/api/v1/me", signed_in(200), lambda w: {"full_name": "Newly Named"}),
    "POST /api/v1/me/password": Row(
        "/api/v1/me/password",
        signed_in(204),
        lambda w: {"current_password": DEFAULT_PASSWORD, "new_password": "another long password"},
    ),
    "POST /api/v1/me/email": Row(
        "/api/v1/me/email",
        signed_in(202),
        lambda w: {"new_email": "moving@example.org", "current_password": DEFAULT_PASSWORD},
    ),
    # The code is the credential, for anyone who has it: a made-up one is refused alike.
    "POST /api/v1/me/email/confirm": Row(
        "/api/v1/me/email/confirm", everyone(400), lambda w: {"token": "made-up"}
    ),
    "GET /api/v1/me/sessions": Row("/api/v1/me/sessions", signed_in(200)),
    "DELETE /api/v1/me/sessions/{session_id}": Row(
        "/api/v1/me/sessions/{member_login}", {**signed_in(404), "member": 204}
    ),
    "POST /api/v1/auth/logout": Row("/api/v1/auth/logout", signed_in(204)),
    "POST /api/v1/auth/password-reset": Row(
        "/api/v1/auth/password-reset", everyone(202), lambda w: {"email": "someone@example.org"}
    ),
    "POST /api/v1/auth/password-reset/confirm": Row(
        "/api/v1/auth/password-reset/confirm",
        everyone(400),
        lambda w: {"token": "made-up", "new_password": "another long password"},
    ),
    "GET /api/v1/admin/users": Row(
        "/api/v1/admin/users?email=someone@example.org", platform_admin_only(200)
    ),
    "GET /api/v1/me/activity": Row("/api/v1/me/activity", signed_in(200)),
    "GET /api/v1/areas": Row("/api/v1/areas", everyone(200)),
    "GET /api/v1/areas/{code}": Row("/api/v1/areas/W06000015", everyone(200)),
    "GET /api/v1/areas/{code}/monitoring-profile": Row(
        "/api/v1/areas/W06000015/monitoring-profile", everyone(200)
    ),
    "PUT /api/v1/areas/{code}/monitoring-profile": Row(
        "/api/v1/areas/W06000015/monitoring-profile",
        platform_admin_only(200),
        lambda w: {"period": "monthly", "surplus_weeks": 6, "first_review_weeks": 8},
    ),
    "GET /api/v1/reference/labels": Row("/api/v1/reference/labels", everyone(200)),
    "GET /api/v1/areas/{code}/providers": Row("/api/v1/areas/W06000015/providers", everyone(200)),
    "GET /api/v1/areas/{code}/coverage": Row("/api/v1/areas/W06000015/coverage", everyone(200)),
    "POST /api/v1/providers": Row("/api/v1/providers", signed_in(201), lambda w: provider_fields()),
    "GET /api/v1/providers": Row("/api/v1/providers", everyone(200)),
    "GET /api/v1/providers/{provider_id}": Row("/api/v1/providers/{provider}", everyone(200)),
    "PATCH /api/v1/providers/{provider_id}": Row(
        "/api/v1/providers/{provider}", provider_staff(200), lambda w: {"hourly_rate_pence": 2300}
    ),
    "POST /api/v1/providers/{provider_id}/verify": Row(
        "/api/v1/providers/{provider}/verify", platform_admin_only(200)
    ),
    "POST /api/v1/providers/{provider_id}/changes/reject": Row(
        "/api/v1/providers/{provider}/changes/reject",
        platform_admin_only(200),
        lambda w: {"reason": "The CIW register names the service otherwise."},
    ),
    "POST /api/v1/providers/{provider_id}/suspend": Row(
        "/api/v1/providers/{provider}/suspend", platform_admin_only(200)
    ),
    "POST /api/v1/providers/{provider_id}/staff": Row(
        "/api/v1/providers/{provider}/staff",
        provider_staff(201),
        lambda w: {"user_id": str(w.people["user"].id)},
    ),
    "GET /api/v1/providers/{provider_id}/staff": Row(
        "/api/v1/providers/{provider}/staff", provider_staff(200)
    ),
    # The provider's only member of staff: those allowed reach the rule that keeps them.
    "DELETE /api/v1/providers/{provider_id}/staff/{user_id}": Row(
        "/api/v1/providers/{provider}/staff/{provider_staff_user}", provider_staff(409)
    ),
    "POST /api/v1/providers/import": Row(
        "/api/v1/providers/import",
        platform_admin_only(200),
        raw=(
            b"name,service_types,area_codes,hourly_rate_pence,capacity_hours_per_week,"
            b"welsh_language,contact_email\nGofal Newydd,respite,W06000015,2100,40,full,"
            b"new@example.org\n",
            "text/csv",
        ),
    ),
    "POST /api/v1/admin/la-officers": Row(
        "/api/v1/admin/la-officers",
        platform_admin_only(201),
        lambda w: {"user_id": str(w.people["user"].id), "area_code": CARDIFF},
    ),
    "GET /api/v1/admin/la-officers": Row("/api/v1/admin/la-officers", platform_admin_only(200)),
    "DELETE /api/v1/admin/la-officers/{appointment_id}": Row(
        "/api/v1/admin/la-officers/{officer_appointment}", platform_admin_only(204)
    ),
    "POST /api/v1/admin/api-clients": Row(
        "/api/v1/admin/api-clients",
        platform_admin_only(201),
        lambda w: {"name": "BI", "area_code": CARDIFF},
    ),
    "GET /api/v1/admin/api-clients": Row("/api/v1/admin/api-clients", platform_admin_only(200)),
    "DELETE /api/v1/admin/api-clients/{client_id}": Row(
        "/api/v1/admin/api-clients/{api_client}", platform_admin_only(204)
    ),
    "GET /api/v1/la/areas/{code}/summary": Row(
        f"/api/v1/la/areas/{SWANSEA}/summary",
        {**platform_admin_only(200), "officer": 200},
    ),
    "GET /api/v1/stats/wales": Row("/api/v1/stats/wales", everyone(200)),
    "GET /api/v1/admin/audit/verify": Row("/api/v1/admin/audit/verify", platform_admin_only(200)),
    "GET /api/v1/admin/audit/checkpoint": Row(
        "/api/v1/admin/audit/checkpoint", platform_admin_only(200)
    ),
    "GET /api/v1/audit/public-key": Row("/api/v1/audit/public-key", everyone(200)),
    "POST /api/v1/coops": Row("/api/v1/coops", signed_in(201), coop_body),
    "GET /api/v1/coops": Row("/api/v1/coops", everyone(200)),
    "GET /api/v1/coops/{coop_id}": Row("/api/v1/coops/{coop}", everyone(200)),
    "PATCH /api/v1/coops/{coop_id}": Row(
        "/api/v1/coops/{coop}", coop_admins(200), lambda w: {"description": "Changed"}
    ),
    "GET /api/v1/coops/{coop_id}/audit": Row("/api/v1/coops/{coop}/audit", coop_admins(200)),
    "GET /api/v1/coops/{coop_id}/rule-changes": Row(
        "/api/v1/coops/{coop}/rule-changes", coop_admins(200)
    ),
    "POST /api/v1/coops/{coop_id}/rule-changes/{rule_change_id}/approve": Row(
        "/api/v1/coops/{coop}/rule-changes/{rule_change}/approve", coop_admins(200)
    ),
    "POST /api/v1/coops/{coop_id}/rule-changes/{rule_change_id}/withdraw": Row(
        "/api/v1/coops/{coop}/rule-changes/{rule_change}/withdraw", coop_admins(200)
    ),
    "POST /api/v1/coops/{coop_id}/applications": Row(
        "/api/v1/coops/{coop}/applications",
        {**signed_in(201), "member": 409, "admin": 409},
        lambda w: {"member_class": "carer"},
    ),
    "GET /api/v1/coops/{coop_id}/members": Row("/api/v1/coops/{coop}/members", coop_members(200)),
    "POST /api/v1/coops/{coop_id}/members/{member_id}/approve": Row(
        "/api/v1/coops/{coop}/members/{pending}/approve", coop_admins(200)
    ),
    "POST /api/v1/coops/{coop_id}/members/{member_id}/suspend": Row(
        "/api/v1/coops/{coop}/members/{member}/suspend", coop_admins(200)
    ),
    "POST /api/v1/coops/{coop_id}/members/{member_id}/admin": Row(
        "/api/v1/coops/{coop}/members/{member}/admin",
        coop_admins(200),
        lambda w: {"is_admin": True},
    ),
    # The member has a call-off under the world's contract: whoever may end the membership is
    # told it cannot end yet.
    "POST /api/v1/coops/{coop_id}/members/{member_id}/leave": Row(
        "/api/v1/coops/{coop}/members/{member}/leave", {**coop_members(409)}
    ),
    "POST /api/v1/coops/{coop_id}/proposals": Row(
        "/api/v1/coops/{coop}/proposals",
        coop_members(201),
        lambda w: {"title": "T", "body": "B", "closes_at": "2026-03-09T09:00:00+00:00"},
    ),
    "GET /api/v1/coops/{coop_id}/proposals": Row(
        "/api/v1/coops/{coop}/proposals", coop_members(200)
    ),
    "GET /api/v1/proposals/{proposal_id}": Row("/api/v1/proposals/{proposal}", coop_members(200)),
    "POST /api/v1/proposals/{proposal_id}/votes": Row(
        "/api/v1/proposals/{proposal}/votes", coop_members(200), lambda w: {"choice": "yes"}
    ),
    "POST /api/v1/coops/{coop_id}/support/services": Row(
        "/api/v1/coops/{coop}/support/services",
        coop_admins(201),
        lambda w: {
            "name": "DBS checks",
            "category": "dbs_checks",
            "description": "Checks for new PAs",
            "monthly_fee_pence": 500,
        },
    ),
    "GET /api/v1/coops/{coop_id}/support/services": Row(
        "/api/v1/coops/{coop}/support/services", coop_members(200)
    ),
    "POST /api/v1/coops/{coop_id}/support/services/{service_id}/subscription": Row(
        "/api/v1/coops/{coop}/support/services/{service}/subscription",
        coop_members(200, admin=201),
    ),
    "DELETE /api/v1/coops/{coop_id}/support/services/{service_id}/subscription": Row(
        "/api/v1/coops/{coop}/support/services/{service}/subscription",
        coop_members(200, admin=404),
    ),
    "POST /api/v1/coops/{coop_id}/support/services/{service_id}/charges": Row(
        "/api/v1/coops/{coop}/support/services/{service}/charges",
        coop_admins(201),
        lambda w: {"period": "2026-03"},
        idempotent=True,
    ),
    "POST /api/v1/coops/{coop_id}/support/requests": Row(
        "/api/v1/coops/{coop}/support/requests",
        coop_members(201),
        lambda w: {
            "category": "payroll",
            "subject": "Payslip",
            "body": "Wrong hours",
            "priority": "low",
        },
    ),
    "GET /api/v1/coops/{coop_id}/support/requests": Row(
        "/api/v1/coops/{coop}/support/requests", coop_members(200)
    ),
    "GET /api/v1/coops/{coop_id}/support/requests/{request_id}": Row(
        "/api/v1/coops/{coop}/support/requests/{support_request}", coop_members(200)
    ),
    "PATCH /api/v1/coops/{coop_id}/support/requests/{request_id}": Row(
        "/api/v1/coops/{coop}/support/requests/{support_request}",
        coop_members(403, admin=200),
        lambda w: {"status": "in_progress"},
    ),
    "POST /api/v1/coops/{coop_id}/support/requests/{request_id}/comments": Row(
        "/api/v1/coops/{coop}/support/requests/{support_request}/comments",
        coop_members(201),
        lambda w: {"body": "Thank you"},
    ),
    # About the administrator: a member files records about themselves only.
    "POST /api/v1/coops/{coop_id}/compliance": Row(
        "/api/v1/coops/{coop}/compliance",
        coop_members(403, admin=201),
        lambda w: {
            "subject_kind": "member",
            "subject_id": w.ids["admin_member"],
            "kind": "dbs_basic",
            "reference": "001234567890",
            "issued_on": "2026-01-05",
            "expires_on": "2029-01-04",
        },
    ),
    "GET /api/v1/coops/{coop_id}/compliance": Row(
        "/api/v1/coops/{coop}/compliance", coop_members(200)
    ),
    "GET /api/v1/coops/{coop_id}/pool": Row("/api/v1/coops/{coop}/pool", coop_members(200)),
    "POST /api/v1/coops/{coop_id}/pool/contributions": Row(
        "/api/v1/coops/{coop}/pool/contributions",
        coop_members(201),
        lambda w: {"amount_pence": 100, "reference": "Bank transfer", "member_id": w.ids["member"]},
        idempotent=True,
    ),
    "GET /api/v1/coops/{coop_id}/ledger": Row("/api/v1/coops/{coop}/ledger", coop_members(200)),
    "GET /api/v1/coops/{coop_id}/balances": Row(
        "/api/v1/coops/{coop}/balances?at=2026-03-31", coop_admins(200)
    ),
    "POST /api/v1/coops/{coop_id}/bank/statements": Row(
        "/api/v1/coops/{coop}/bank/statements",
        coop_admins(200),
        raw=(b"date,description,amount_pence\n2026-03-03,Llog,7\n", "text/csv"),
    ),
    "GET /api/v1/coops/{coop_id}/bank/lines": Row(
        "/api/v1/coops/{coop}/bank/lines?state=unmatched", coop_admins(200)
    ),
    "POST /api/v1/coops/{coop_id}/bank/lines/{line_id}/match": Row(
        "/api/v1/coops/{coop}/bank/lines/{bank_line}/match",
        coop_admins(200),
        lambda w: {"transaction_id": w.ids["funded"]},
    ),
    "POST /api/v1/coops/{coop_id}/bank/lines/{line_id}/create-contribution": Row(
        "/api/v1/coops/{coop}/bank/lines/{cash_line}/create-contribution",
        coop_admins(201),
        lambda w: {"member_id": w.ids["member"]},
        idempotent=True,
    ),
    "POST /api/v1/coops/{coop_id}/bank/lines/{line_id}/ignore": Row(
        "/api/v1/coops/{coop}/bank/lines/{bank_line}/ignore",
        coop_admins(200),
        lambda w: {"reason": "Not the pool's money"},
    ),
    "GET /api/v1/coops/{coop_id}/bank/reconciliation": Row(
        "/api/v1/coops/{coop}/bank/reconciliation?at=2026-03-31", coop_admins(200)
    ),
    "GET /api/v1/coops/{coop_id}/members/{member_id}/statement": Row(
        "/api/v1/coops/{coop}/members/{member}/statement", coop_members(200)
    ),
    "GET /api/v1/coops/{coop_id}/members/{member_id}/dp-return": Row(
        "/api/v1/coops/{coop}/members/{member}/dp-return?period=2026-Q1", coop_members(200)
    ),
    # Swansea's officer is told it does not exist: the member shares with Cardiff only.
    "GET /api/v1/coops/{coop_id}/members/{member_id}/evidence": Row(
        "/api/v1/coops/{coop}/members/{member}/evidence", coop_members(200)
    ),
    # The member shares already (409 `already_granted`); the founding admin has no award
    # (422); nobody else is a member of the co-op (404).
    "POST /api/v1/me/council-access": Row(
        "/api/v1/me/council-access",
        {**signed_in(404), "member": 409, "admin": 422},
        lambda w: {"coop_id": w.ids["coop"]},
    ),
    "GET /api/v1/me/council-access": Row("/api/v1/me/council-access", signed_in(200)),
    "DELETE /api/v1/me/council-access/{grant_id}": Row(
        "/api/v1/me/council-access/{council_access}", {**signed_in(404), "member": 204}
    ),
    # A council's own list: its officers and API clients (tests/evidence); platform admins are
    # no council.
    "GET /api/v1/la/areas/{code}/holders": Row(
        f"/api/v1/la/areas/{SWANSEA}/holders", {**signed_in(403), "officer": 200}
    ),
    "POST /api/v1/coops/{coop_id}/pool/refunds": Row(
        "/api/v1/coops/{coop}/pool/refunds",
        coop_members(201),
        lambda w: {"member_id": w.ids["member"], "amount_pence": 100, "reason": "Overpaid"},
        idempotent=True,
    ),
    "GET /api/v1/coops/{coop_id}/pool/refunds": Row(
        "/api/v1/coops/{coop}/pool/refunds", coop_members(200)
    ),
    "GET /api/v1/coops/{coop_id}/pool/refunds/{refund_id}": Row(
        "/api/v1/coops/{coop}/pool/refunds/{refund}", coop_members(200)
    ),
    "POST /api/v1/coops/{coop_id}/pool/refunds/{refund_id}/approve": Row(
        "/api/v1/coops/{coop}/pool/refunds/{refund}/approve", coop_admins(200)
    ),
    "POST /api/v1/coops/{coop_id}/pool/refunds/{refund_id}/refuse": Row(
        "/api/v1/coops/{coop}/pool/refunds/{refund}/refuse", coop_admins(200)
    ),
    "PUT /api/v1/me/direct-payment": Row(
        "/api/v1/me/direct-payment",
        signed_in(200),
        lambda w: {"area_code": CARDIFF, "weekly_amount_pence": 20000, "start_date": "2026-03-02"},
    ),
    "GET /api/v1/me/direct-payment": Row(
        "/api/v1/me/direct-payment", {**signed_in(404), "member": 200}
    ),
    "GET /api/v1/me/direct-payment/history": Row(
        "/api/v1/me/direct-payment/history", signed_in(200)
    ),
    # Awards are the paying council's to decide: its officers (and API clients, tests in
    # tests/direct_payments); platform admins are no council. Another council's award is 404.
    "GET /api/v1/la/areas/{code}/awards": Row(
        f"/api/v1/la/areas/{SWANSEA}/awards", {**signed_in(403), "officer": 200}
    ),
    "POST /api/v1/la/awards/{award_id}/confirm": Row(
        "/api/v1/la/awards/{swansea_award}/confirm",
        {**signed_in(403), "officer": 200},
        lambda w: {"council_reference": "SWA-1"},
    ),
    "POST /api/v1/la/awards/{award_id}/reject": Row(
        "/api/v1/la/awards/{swansea_award}/reject",
        {**signed_in(403), "officer": 200},
        lambda w: {"reason": "No such award"},
    ),
    "POST /api/v1/me/representatives": Row(
        "/api/v1/me/representatives",
        signed_in(201),
        lambda w: {
            "email": w.ids["trusted_email"],
            "scopes": ["view"],
            "limit_pence_per_cycle": 0,
        },
    ),
    "GET /api/v1/me/representatives": Row("/api/v1/me/representatives", signed_in(200)),
    "DELETE /api/v1/me/representatives/{mandate_id}": Row(
        "/api/v1/me/representatives/{mandate}", {**signed_in(404), "member": 204}
    ),
    "GET /api/v1/me/representing": Row("/api/v1/me/representing", signed_in(200)),
    # The world's mandate was given to its representative, who is none of these callers: the
    # holder included, nobody else may answer it.
    "POST /api/v1/me/representing/{mandate_id}/accept": Row(
        "/api/v1/me/representing/{mandate}/accept", signed_in(404)
    ),
    "POST /api/v1/me/representing/{mandate_id}/decline": Row(
        "/api/v1/me/representing/{mandate}/decline", signed_in(404)
    ),
    "GET /api/v1/me/approvals": Row("/api/v1/me/approvals", signed_in(200)),
    "POST /api/v1/coops/{coop_id}/members/{member_id}/capacity": Row(
        "/api/v1/coops/{coop}/members/{member}/capacity",
        coop_admins(202),
        lambda w: {"lacks_capacity": True},
    ),
    "GET /api/v1/coops/{coop_id}/members/{member_id}/capacity": Row(
        "/api/v1/coops/{coop}/members/{member}/capacity", coop_admins(200)
    ),
    "GET /api/v1/coops/{coop_id}/approvals": Row(
        "/api/v1/coops/{coop}/approvals", coop_admins(200)
    ),
    # Only what waits for two administrators exists here: nothing by this id.
    "POST /api/v1/coops/{coop_id}/approvals/{approval_id}/approve": Row(
        "/api/v1/coops/{coop}/approvals/{missing}/approve", coop_admins(404)
    ),
    "POST /api/v1/coops/{coop_id}/approvals/{approval_id}/refuse": Row(
        "/api/v1/coops/{coop}/approvals/{missing}/refuse", coop_admins(404)
    ),
    "POST /api/v1/coops/{coop_id}/safeguarding-concerns": Row(
        "/api/v1/coops/{coop}/safeguarding-concerns",
        coop_members(201),
        lambda w: {"member_id": w.ids["admin_member"], "summary": "Shouting at a carer."},
    ),
    # A concern exists for the co-op's safeguarding lead ("admin") and platform administrators
    # only: the member it is about, and everyone else, are told there is nothing.
    "GET /api/v1/coops/{coop_id}/safeguarding-concerns": Row(
        "/api/v1/coops/{coop}/safeguarding-concerns", safeguarding_leads(200)
    ),
    "GET /api/v1/coops/{coop_id}/safeguarding-concerns/{concern_id}": Row(
        "/api/v1/coops/{coop}/safeguarding-concerns/{concern}", safeguarding_leads(200)
    ),
    "POST /api/v1/me/approvals/{approval_id}/approve": Row(
        "/api/v1/me/approvals/{missing}/approve", signed_in(404)
    ),
    "POST /api/v1/me/approvals/{approval_id}/refuse": Row(
        "/api/v1/me/approvals/{missing}/refuse", signed_in(404)
    ),
    "POST /api/v1/coops/{coop_id}/tenders": Row(
        "/api/v1/coops/{coop}/tenders", coop_admins(201), lambda w: tender_fields()
    ),
    "GET /api/v1/coops/{coop_id}/tenders": Row(
        "/api/v1/coops/{coop}/tenders?status=open", coop_members(200)
    ),
    "GET /api/v1/coops/{coop_id}/invoices": Row(
        "/api/v1/coops/{coop}/invoices?status=submitted", coop_members(200)
    ),
    "GET /api/v1/tenders": Row("/api/v1/tenders", everyone(200)),
    "GET /api/v1/tenders/{tender_id}": Row("/api/v1/tenders/{tender_open}", everyone(200)),
    "PATCH /api/v1/tenders/{tender_id}": Row(
        "/api/v1/tenders/{tender_draft}", draft_admins(200), lambda w: {"title": "Respite"}
    ),
    "POST /api/v1/tenders/{tender_id}/publish": Row(
        "/api/v1/tenders/{tender_draft}/publish", draft_admins(200)
    ),
    "POST /api/v1/tenders/{tender_id}/cancel": Row(
        "/api/v1/tenders/{tender_open}/cancel", tender_admins(200), lambda w: {"reason": "Off"}
    ),
    "PUT /api/v1/tenders/{tender_id}/demand/me": Row(
        "/api/v1/tenders/{tender_open}/demand/me",
        {**signed_in(403), "member": 200, "admin": 200},
        lambda w: {"hours_per_week": 4},
    ),
    "GET /api/v1/tenders/{tender_id}/demand": Row(
        "/api/v1/tenders/{tender_open}/demand", everyone(200)
    ),
    "POST /api/v1/tenders/{tender_id}/questions": Row(
        "/api/v1/tenders/{tender_open}/questions",
        {**signed_in(403), "provider_staff": 201, "other_provider_staff": 201},
        lambda w: {"question": "Weekends too?"},
    ),
    "GET /api/v1/tenders/{tender_id}/questions": Row(
        "/api/v1/tenders/{tender_open}/questions", everyone(200)
    ),
    "POST /api/v1/tenders/{tender_id}/questions/{question_id}/answer": Row(
        "/api/v1/tenders/{tender_open}/questions/{question}/answer",
        tender_admins(200),
        lambda w: {"answer": "Yes"},
    ),
    "POST /api/v1/tenders/{tender_id}/bids": Row(
        "/api/v1/tenders/{tender_open}/bids",
        {**signed_in(403), "provider_staff": 409, "other_provider_staff": 201},
        lambda w: bid_fields(),
    ),
    "GET /api/v1/tenders/{tender_id}/bids": Row(
        "/api/v1/tenders/{tender_open}/bids", {**signed_in(403), "provider_staff": 200}
    ),
    "PUT /api/v1/tenders/{tender_id}/bids/{bid_id}": Row(
        "/api/v1/tenders/{tender_open}/bids/{bid_open}",
        {**signed_in(404), "provider_staff": 200},
        lambda w: bid_fields(hourly_rate_pence=2100),
    ),
    "DELETE /api/v1/tenders/{tender_id}/bids/{bid_id}": Row(
        "/api/v1/tenders/{tender_open}/bids/{bid_open}", {**signed_in(404), "provider_staff": 204}
    ),
    "PUT /api/v1/tenders/{tender_id}/bids/{bid_id}/score": Row(
        "/api/v1/tenders/{tender_evaluated}/bids/{bid_evaluated}/score",
        tender_admins(200),
        lambda w: {"quality_score": 55},
    ),
    "GET /api/v1/tenders/{tender_id}/evaluation": Row(
        "/api/v1/tenders/{tender_scored}/evaluation",
        {**signed_in(403), "admin": 200, "platform_admin": 200},
    ),
    "POST /api/v1/tenders/{tender_id}/award": Row(
        "/api/v1/tenders/{tender_scored}/award",
        tender_admins(200),
        lambda w: {"bid_id": w.ids["bid_scored"]},
    ),
    "POST /api/v1/tenders/{tender_id}/contract": Row(
        "/api/v1/tenders/{tender_awarded}/contract", tender_admins(201)
    ),
    "GET /api/v1/tenders/{tender_id}/ocds": Row(
        "/api/v1/tenders/{tender_open}/ocds", everyone(200)
    ),
    "GET /api/v1/ocds/releases": Row("/api/v1/ocds/releases", everyone(200)),
    "GET /api/v1/ocds/records/{ocid}": Row(
        "/api/v1/ocds/records/ocds-dpcwales-{tender_open}", everyone(200)
    ),
    "GET /api/v1/ocds/publication-policy": Row("/api/v1/ocds/publication-policy", everyone(200)),
    "GET /api/v1/la/areas/{code}/ocds": Row(
        f"/api/v1/la/areas/{SWANSEA}/ocds",
        {**signed_in(403), "officer": 200, "platform_admin": 200},
    ),
    "GET /api/v1/contracts/{contract_id}": Row(
        "/api/v1/contracts/{contract}", contract_parties(200)
    ),
    "GET /api/v1/coops/{coop_id}/contracts": Row(
        "/api/v1/coops/{coop}/contracts", coop_members(200)
    ),
    # After the day the world's invoices cover, and lower: applied at once, no vote.
    "POST /api/v1/contracts/{contract_id}/variations": Row(
        "/api/v1/contracts/{contract}/variations",
        {**contract_parties(403), "admin": 201},
        lambda w: {"hourly_rate_pence": 1500, "from_date": "2026-03-03", "reason": "Agreed"},
    ),
    "POST /api/v1/contracts/{contract_id}/end": Row(
        "/api/v1/contracts/{contract}/end",
        {**contract_parties(403), "admin": 200},
        lambda w: {"last_day": "2026-03-02", "reason": "Provider closing"},
    ),
    "POST /api/v1/contracts/{contract_id}/call-offs/{member_id}/end": Row(
        "/api/v1/contracts/{contract}/call-offs/{member}/end",
        {**contract_parties(200), "provider_staff": 403},
        lambda w: {},
    ),
    "POST /api/v1/contracts/{contract_id}/invoices": Row(
        "/api/v1/contracts/{contract}/invoices",
        {**contract_parties(403), "provider_staff": 201},
        lambda w: {
            "period_start": "2026-03-02",
            "period_end": "2026-03-02",
            "lines": [{"member_id": w.ids["member"], "minutes": 20, "description": "Visit"}],
        },
    ),
    "GET /api/v1/contracts/{contract_id}/invoices": Row(
        "/api/v1/contracts/{contract}/invoices", contract_parties(200)
    ),
    "GET /api/v1/invoices/{invoice_id}": Row("/api/v1/invoices/{invoice}", contract_parties(200)),
    "POST /api/v1/invoices/{invoice_id}/lines/{line_id}/dispute": Row(
        "/api/v1/invoices/{invoice}/lines/{invoice_line}/dispute",
        {**contract_parties(403), "member": 200},
        lambda w: {"reason": "Late"},
    ),
    "POST /api/v1/invoices/{invoice_id}/lines/{line_id}/resolve": Row(
        "/api/v1/invoices/{disputed_invoice}/lines/{disputed_line}/resolve",
        {**contract_parties(403), "admin": 200},
        lambda w: {"outcome": "upheld", "note": "Agreed"},
    ),
    "POST /api/v1/invoices/{invoice_id}/lines/{line_id}/accept": Row(
        "/api/v1/invoices/{invoice}/lines/{invoice_line}/accept",
        {**contract_parties(403), "member": 200},
    ),
    # Its line accepted by the member: the dispute window does not hold it.
    "POST /api/v1/invoices/{invoice_id}/approve": Row(
        "/api/v1/invoices/{accepted_invoice}/approve", {**contract_parties(403), "admin": 200}
    ),
    # Only the contract's provider records visits: another provider's staff are told the
    # contract does not exist, and may not read its visits either.
    "POST /api/v1/contracts/{contract_id}/visits": Row(
        "/api/v1/contracts/{contract}/visits",
        {**contract_parties(403), "provider_staff": 201},
        lambda w: {
            "member_id": w.ids["member"],
            "date": "2026-03-02",
            "start_time": "10:00",
            "end_time": "10:30",
            "worker_name": "Gwen Gofalwr",
        },
    ),
    "GET /api/v1/contracts/{contract_id}/visits": Row(
        "/api/v1/contracts/{contract}/visits", contract_parties(200)
    ),
    "GET /api/v1/visits/{visit_id}": Row("/api/v1/visits/{visit}", contract_parties(200)),
    "POST /api/v1/visits/{visit_id}/confirm": Row(
        "/api/v1/visits/{visit}/confirm", {**contract_parties(403), "member": 200}
    ),
    "POST /api/v1/visits/{visit_id}/query": Row(
        "/api/v1/visits/{visit}/query",
        {**contract_parties(403), "member": 200},
        lambda w: {"reason": "The carer left early"},
    ),
    "POST /api/v1/visits/{visit_id}/resolve": Row(
        "/api/v1/visits/{queried_visit}/resolve",
        {**contract_parties(403), "admin": 200},
        lambda w: {"outcome": "confirmed", "note": "The rota shows the visit."},
    ),
    "POST /api/v1/invoices/{invoice_id}/pay": Row(
        "/api/v1/invoices/{approved_invoice}/pay", {**contract_parties(403), "admin": 200}
    ),
    "POST /api/v1/coops/{coop_id}/workers": Row(
        "/api/v1/coops/{coop}/workers", coop_members(201), lambda w: {"full_name": "Nia"}
    ),
    "GET /api/v1/coops/{coop_id}/workers": Row("/api/v1/coops/{coop}/workers", coop_members(200)),
    # A holder employs for themselves (the administrator is a holder too); the member's worker
    # is one the administrator sees.
    "POST /api/v1/coops/{coop_id}/employments": Row(
        "/api/v1/coops/{coop}/employments",
        coop_members(201),
        lambda w: {
            "worker_id": w.ids["own_worker"],
            "employer_kind": "member",
            "hourly_rate_pence": 1_300,
            "contracted_hours_per_week": 8,
            "pay_frequency": "weekly",
            "first_period_start": "2026-03-02",
        },
    ),
    "GET /api/v1/coops/{coop_id}/employments": Row(
        "/api/v1/coops/{coop}/employments", coop_members(200)
    ),
    "GET /api/v1/me/employments": Row("/api/v1/me/employments", signed_in(200)),
    # The member employs; an administrator reads a holder's employee's timesheets but neither
    # keeps nor confirms them; anyone else is told the employment does not exist.
    "PUT /api/v1/employments/{employment_id}/timesheets/{period_start}": Row(
        "/api/v1/employments/{own_employment}/timesheets/2026-03-02",
        coop_members(200, admin=403),
        lambda w: {"entries": [{"date": "2026-03-02", "minutes": 60}]},
    ),
    "POST /api/v1/employments/{employment_id}/timesheets/{period_start}/confirm": Row(
        "/api/v1/employments/{own_employment}/timesheets/2026-03-02/confirm",
        coop_members(200, admin=403),
    ),
    "GET /api/v1/employments/{employment_id}/timesheets/{period_start}": Row(
        "/api/v1/employments/{own_employment}/timesheets/2026-02-02", coop_members(200)
    ),
    "GET /api/v1/employments/{employment_id}/timesheets": Row(
        "/api/v1/employments/{own_employment}/timesheets", coop_members(200)
    ),
    # March 1 starts the co-op employee's second month, which has no timesheet yet.
    "POST /api/v1/coops/{coop_id}/payroll/{period_start}/export": Row(
        "/api/v1/coops/{coop}/payroll/2026-03-01/export", coop_admins(201)
    ),
    "GET /api/v1/coops/{coop_id}/payroll/{period_start}/export": Row(
        "/api/v1/coops/{coop}/payroll/2026-02-01/export", coop_admins(200)
    ),
    "POST /api/v1/coops/{coop_id}/payroll/{period_start}/results": Row(
        "/api/v1/coops/{coop}/payroll/2026-02-01/results",
        coop_admins(201),
        lambda w: {"lines": [result_line(w.ids["coop_employment"], 550)]},
        idempotent=True,
    ),
    "GET /api/v1/coops/{coop_id}/payroll/{period_start}/results": Row(
        "/api/v1/coops/{coop}/payroll/2026-02-02/results", coop_admins(200)
    ),
    "GET /api/v1/me/notifications": Row("/api/v1/me/notifications", signed_in(200)),
    # The member's own notification: anyone else is told it does not exist.
    "POST /api/v1/me/notifications/{notification_id}/read": Row(
        "/api/v1/me/notifications/{notification}/read", {**signed_in(404), "member": 200}
    ),
    "POST /api/v1/me/notifications/read-all": Row(
        "/api/v1/me/notifications/read-all", signed_in(200)
    ),
    "GET /api/v1/me/notification-preferences": Row(
        "/api/v1/me/notification-preferences", signed_in(200)
    ),
    "PUT /api/v1/me/notification-preferences": Row(
        "/api/v1/me/notification-preferences",
        signed_in(200),
        lambda w: {"email": {"tender.published": False}},
    ),
    "POST /api/v1/coops/{coop_id}/webhooks": Row(
        "/api/v1/coops/{coop}/webhooks",
        coop_admins(201),
        lambda w: {"url": "https://hooks.example.org/new", "event_types": ["tender.awarded"]},
    ),
    "GET /api/v1/coops/{coop_id}/webhooks": Row("/api/v1/coops/{coop}/webhooks", coop_admins(200)),
    "GET /api/v1/coops/{coop_id}/webhooks/{webhook_id}": Row(
        "/api/v1/coops/{coop}/webhooks/{coop_webhook}", coop_admins(200)
    ),
    "DELETE /api/v1/coops/{coop_id}/webhooks/{webhook_id}": Row(
        "/api/v1/coops/{coop}/webhooks/{coop_webhook}", coop_admins(204)
    ),
    "GET /api/v1/coops/{coop_id}/webhooks/{webhook_id}/deliveries": Row(
        "/api/v1/coops/{coop}/webhooks/{coop_webhook}/deliveries", coop_admins(200)
    ),
    "POST /api/v1/admin/webhooks": Row(
        "/api/v1/admin/webhooks",
        platform_admin_only(201),
        lambda w: {"url": "https://hooks.example.org/all", "event_types": ["tender.awarded"]},
    ),
    "GET /api/v1/admin/webhooks": Row("/api/v1/admin/webhooks", platform_admin_only(200)),
    "GET /api/v1/admin/webhooks/{webhook_id}": Row(
        "/api/v1/admin/webhooks/{platform_webhook}", platform_admin_only(200)
    ),
    "DELETE /api/v1/admin/webhooks/{webhook_id}": Row(
        "/api/v1/admin/webhooks/{platform_webhook}", platform_admin_only(204)
    ),
    "GET /api/v1/admin/webhooks/{webhook_id}/deliveries": Row(
        "/api/v1/admin/webhooks/{platform_webhook}/deliveries", platform_admin_only(200)
    ),
}

# Routes whose callers are not people with a role (token grants) are covered in tests/auth.
NOT_ROLE_BASED = {"POST /api/v1/auth/token", "POST /api/v1/auth/refresh"}


def served_routes(app: FastAPI) -> set[str]:
    routes = set()
    for path, operations in app.openapi()["paths"].items():
        for method in operations:
            routes.add(f"{method.upper()} {path}")
    return routes


def test_every_route_has_a_row(app: FastAPI) -> None:
    missing = served_routes(app) - set(TABLE) - NOT_ROLE_BASED
    assert not missing, f"routes without a row in the authorisation table: {sorted(missing)}"
    stale = set(TABLE) - served_routes(app)
    assert not stale, f"rows for routes the app does not serve: {sorted(stale)}"


async def call(
    client: httpx.AsyncClient, method: str, path: str, row: Row, world: World, role: str
) -> httpx.Response:
    headers = world.headers(role)
    if row.idempotent:
        headers = {**headers, "Idempotency-Key": uuid.uuid4().hex}
    if row.raw is not None:
        content, media_type = row.raw
        return await client.request(
            method, path, content=content, headers={**headers, "content-type": media_type}
        )
    body = row.body(world) if row.body else None
    return await client.request(method, path, json=body, headers=headers)


async def test_every_route_answers_every_role_as_the_table_says(
    client: httpx.AsyncClient, connection: AsyncConnection, world: World
) -> None:
    mismatches: list[str] = []
    for route, row in sorted(TABLE.items()):
        method = route.split(" ", 1)[0]
        path = row.path.format(**world.ids)
        for role in ROLES:
            savepoint = await connection.begin_nested()
            try:
                response = await call(client, method, path, row, world, role)
            finally:
                await savepoint.rollback()
            expected = row.expect[role]
            if response.status_code != expected:
                detail = response.json().get("code") if response.content else ""
                mismatches.append(
                    f"{route} as {role}: {response.status_code} {detail} (expected {expected})"
                )
            if role != "anonymous" and response.headers.get("cache-control") != "no-store":
                mismatches.append(f"{route} as {role}: a personal answer a cache may keep")
    assert not mismatches, "\n".join(mismatches)


async def test_a_representative_needs_view_to_read_confirm_or_accept_for_the_holder(
    client: httpx.AsyncClient, connection: AsyncConnection, world: World
) -> None:
    """Visits and invoice lines are the holder's: a representative with `view` reads and
    decides on them for the holder; one without it is refused (403 `outside_mandate`)."""
    holder = world.people["member"]
    calls = [
        ("GET", "/api/v1/contracts/{contract}/visits", None),
        ("GET", "/api/v1/visits/{visit}", None),
        ("POST", "/api/v1/visits/{visit}/confirm", None),
        ("POST", "/api/v1/visits/{visit}/query", {"reason": "Too short"}),
        ("POST", "/api/v1/invoices/{invoice}/lines/{invoice_line}/accept", None),
    ]
    for method, template, body in calls:
        path = template.format(**world.ids)
        for who, expected in (("representative", 200), ("narrow_representative", 403)):
            savepoint = await connection.begin_nested()
            try:
                response = await client.request(
                    method, path, json=body, headers=world.people[who].on_behalf_of(holder)
                )
            finally:
                await savepoint.rollback()
            assert response.status_code == expected, (method, path, who, response.text)
            if expected == 403:
                assert response.json()["code"] == "outside_mandate"
