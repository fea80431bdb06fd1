"""Builders for test data: plain async functions, keyword-only and typed.

A builder given the suite's own in-process client (the `client` fixture, which registers
itself with `arrange_in_process`) arranges through the services its route calls, with the
same person's token and the same checks of who may do it: the same rows, audit entries,
notifications and mail as the HTTP call, without the HTTP round trip (a world of a dozen
people took a second that way). Given any other client (a live server, a second address)
a builder calls the API. The HTTP routes themselves are tested where they are the subject.
"""

import itertools
import uuid
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import service as auth_service
from app.auth import throttle
from app.auth.actor import Actor
from app.auth.dependencies import current_actor
from app.auth.models import User
from app.auth.schemas import UserCreate
from app.auth.tokens import read_access_token
from app.coops import service as coop_service
from app.coops.dependencies import coop_admin, current_membership
from app.coops.models import Member, MemberStatus
from app.coops.schemas import AdminFlag, CoopCreate, MemberApplication
from app.core.db import SETTINGS_KEY, unit_of_work
from app.representatives import service as representatives
from app.representatives.schemas import MandateCreate
from app.workflows import accounts, membership

_counter = itertools.count(1)
DEFAULT_PASSWORD = "correct horse battery staple"


@dataclass
class Person:
    id: uuid.UUID
    email: str
    password: str
    token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def on_behalf_of(self, holder: "Person") -> dict[str, str]:
        return {**self.headers, "X-On-Behalf-Of": str(holder.id)}


@dataclass(frozen=True)
class _InProcess:
    app: FastAPI
    client_address: str


_IN_PROCESS: "weakref.WeakKeyDictionary[httpx.AsyncClient, _InProcess]" = (
    weakref.WeakKeyDictionary()
)


def arrange_in_process(client: httpx.AsyncClient, app: FastAPI, *, client_address: str) -> None:
    """Builders given `client` (an ASGI client of `app`) arrange through `app`'s services."""
    _IN_PROCESS[client] = _InProcess(app, client_address)


def _in_process(client: httpx.AsyncClient) -> _InProcess | None:
    return _IN_PROCESS.get(client)


@asynccontextmanager
async def _unit(target: _InProcess) -> AsyncIterator[tuple[AsyncSession, datetime]]:
    """One unit of work as a request has it (the app's sessions, settings and clock), and
    what follows its commit (mail) run as the request's background tasks would."""
    async with unit_of_work(target.app.state.sessionmaker) as session:
        session.info[SETTINGS_KEY] = target.app.state.settings
        yield session, target.app.state.clock.now()


async def _acting(session: AsyncSession, target: _InProcess, person: "Person") -> Actor:
    """`person` as their bearer token makes them (the checks of `resolve_actor` and
    `current_actor`): an expired token or an ended login fails here as the call would."""
    now = target.app.state.clock.now()
    claims = read_access_token(target.app.state.settings, person.token, now=now)
    assert claims is not None, f"{person.email}: the access token does not work (expired?)"
    assert claims.kind == "access", claims
    user = await auth_service.load_user_for_token(
        session, user_id=claims.subject, login_id=claims.session_id, now=now
    )
    assert user is not None, f"{person.email}: the login or the account has ended"
    return await current_actor(Actor(user=user, login_id=claims.session_id))


def unique_email(prefix: str = "person") -> str:
    return f"{prefix}{next(_counter)}-{uuid.uuid4().hex[:6]}@example.org"


async def login(client: httpx.AsyncClient, *, email: str, password: str) -> httpx.Response:
    return await client.post("/api/v1/auth/token", data={"username": email, "password": password})


async def register_person(
    client: httpx.AsyncClient,
    *,
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
    full_name: str = "Test Person",
    preferred_language: str = "en",
) -> Person:
    email = email or unique_email()
    target = _in_process(client)
    if target is not None:
        return await _register_in_process(
            target,
            client,
            email=email,
            password=password,
            full_name=full_name,
            preferred_language=preferred_language,
        )
    response = await client.post(
        "/api/v1/auth/register",
        json={
            "email": email,
            "password": password,
            "full_name": full_name,
            "preferred_language": preferred_language,
        },
    )
    assert response.status_code == 201, response.text
    user_id = uuid.UUID(response.json()["id"])
    tokens = await login(client, email=email, password=password)
    assert tokens.status_code == 200, tokens.text
    return Person(
        id=user_id,
        email=email,
        password=password,
        token=tokens.json()["access_token"],
        refresh_token=tokens.json()["refresh_token"],
    )


async def _register_in_process(
    target: _InProcess,
    client: httpx.AsyncClient,
    *,
    email: str,
    password: str,
    full_name: str,
    preferred_language: str,
) -> "Person":
    """What POST /auth/register then POST /auth/token do: the sign-up counted against the
    address, the account, then the attempt counted, the password checked, a login (audited,
    told of, mailed) and its tokens, and the count cleared."""
    body = UserCreate.model_validate(
        {
            "email": email,
            "password": password,
            "full_name": full_name,
            "preferred_language": preferred_language,
        }
    )
    settings = target.app.state.settings
    async with _unit(target) as (session, now):
        await throttle.note_registration_attempt(
            session,
            client_address=target.client_address,
            now=now,
            limit=settings.registrations_per_address_per_hour,
        )
    async with _unit(target) as (session, now):
        user = await accounts.register(
            session,
            target.app.state.passwords,
            email=body.email,
            password=body.password,
            full_name=body.full_name,
            preferred_language=body.preferred_language,
            now=now,
        )
    async with _unit(target) as (session, now):
        delay = await throttle.claim_login_attempt(
            session, name=body.email, client_address=target.client_address, now=now
        )
    await target.app.state.sleeper(delay)
    async with _unit(target) as (session, now):
        signed_in = await auth_service.authenticate(
            session, target.app.state.passwords, email=body.email, password=body.password
        )
        assert signed_in is not None, email
        pair = await accounts.start_login(
            session,
            settings,
            user=signed_in,
            now=now,
            user_agent=client.headers.get("user-agent"),
        )
        await throttle.clear_failures(
            session, name=body.email, client_address=target.client_address
        )
    return Person(
        id=user.id,
        email=email,
        password=password,
        token=pair.access_token,
        refresh_token=pair.refresh_token or "",
    )


async def sign_in_again(client: httpx.AsyncClient, *people: Person) -> None:
    """New tokens for people whose old ones the test clock has let expire (they live 15 min)."""
    for person in people:
        tokens = await login(client, email=person.email, password=person.password)
        assert tokens.status_code == 200, tokens.text
        person.token = tokens.json()["access_token"]
        person.refresh_token = tokens.json()["refresh_token"]


async def make_platform_admin(session: AsyncSession, person: Person) -> Person:
    await session.execute(update(User).where(User.id == person.id).values(is_platform_admin=True))
    await session.commit()
    return person


async def platform_admin(client: httpx.AsyncClient, session: AsyncSession) -> Person:
    return await make_platform_admin(session, await register_person(client, full_name="Admin"))


CARDIFF = "W06000015"
SWANSEA = "W06000011"


async def create_coop(
    client: httpx.AsyncClient,
    admin: Person,
    *,
    name: str = "Cydweithfa Gofal Caerdydd",
    area_codes: tuple[str, ...] = (CARDIFF,),
    founder_class: str | None = None,
    **rules: Any,
) -> uuid.UUID:
    """A co-op founded by `admin`; `rules` are its rules (the defaults otherwise)."""
    body: dict[str, Any] = {
        "name": name,
        "description": "Pooling Direct Payments to buy care together.",
        "area_codes": list(area_codes),
        "rules": rules,
    }
    if founder_class is not None:
        body["founder_class"] = founder_class
    target = _in_process(client)
    if target is not None:
        founding = CoopCreate.model_validate(body)
        async with _unit(target) as (session, now):
            coop = await membership.found_coop(
                session,
                await _acting(session, target, admin),
                name=founding.name,
                description=founding.description,
                area_codes=founding.area_codes,
                rules=founding.rules,
                founder_class=founding.founder_class,
                now=now,
            )
        return coop.id
    response = await client.post("/api/v1/coops", json=body, headers=admin.headers)
    assert response.status_code == 201, response.text
    return uuid.UUID(response.json()["id"])


async def apply_to_coop(
    client: httpx.AsyncClient,
    coop_id: uuid.UUID,
    person: Person,
    *,
    member_class: str = "service_user",
) -> uuid.UUID:
    target = _in_process(client)
    if target is not None:
        application = MemberApplication.model_validate({"member_class": member_class})
        async with _unit(target) as (session, now):
            member = await membership.apply_to_join(
                session,
                await _acting(session, target, person),
                await coop_service.get_coop(session, coop_id),
                member_class=application.member_class,
                now=now,
            )
        return member.id
    response = await client.post(
        f"/api/v1/coops/{coop_id}/applications",
        json={"member_class": member_class},
        headers=person.headers,
    )
    assert response.status_code == 201, response.text
    return uuid.UUID(response.json()["id"])


async def join_coop(
    client: httpx.AsyncClient,
    coop_id: uuid.UUID,
    person: Person,
    admin: Person,
    member_class: str = "service_user",
) -> uuid.UUID:
    """Apply and be approved; returns the member id."""
    member_id = await apply_to_coop(client, coop_id, person, member_class=member_class)
    target = _in_process(client)
    if target is not None:
        async with _unit(target) as (session, now):
            actor = await _acting(session, target, admin)
            await coop_admin(await current_membership(coop_id, session, actor), actor)
            member = await coop_service.get_member(session, coop_id=coop_id, member_id=member_id)
            await membership.admit_member(session, actor, member, now=now)
        return member_id
    response = await client.post(
        f"/api/v1/coops/{coop_id}/members/{member_id}/approve", headers=admin.headers
    )
    assert response.status_code == 200, response.text
    return member_id


async def member_id_of(
    client: httpx.AsyncClient,
    coop_id: uuid.UUID,
    person: Person,
    *,
    status: str = "active",
) -> uuid.UUID:
    """The id of `person`'s membership of the co-op, which must be in `status` (an applicant
    is `pending`): a membership in another state fails here, not later in the test."""
    target = _in_process(client)
    if target is not None:
        async with _unit(target) as (session, _):
            found = (
                await session.execute(
                    select(Member.id, Member.status).where(
                        Member.coop_id == coop_id,
                        Member.user_id == person.id,
                        Member.status != MemberStatus.left,
                    )
                )
            ).all()
        memberships = [(member_id, MemberStatus(state).value) for member_id, state in found]
    else:
        response = await client.get("/api/v1/me", headers=person.headers)
        assert response.status_code == 200, response.text
        memberships = [
            (uuid.UUID(m["id"]), m["status"])
            for m in response.json()["memberships"]
            if m["coop_id"] == str(coop_id)
        ]
    assert len(memberships) == 1, f"{person.email} in {coop_id}: {memberships}"
    member_id, found_status = memberships[0]
    assert found_status == status, f"{person.email} in {coop_id} is {found_status}, not {status}"
    return member_id


async def set_admin(
    client: httpx.AsyncClient, coop_id: uuid.UUID, person: Person, admin: Person, is_admin: bool
) -> None:
    target = _in_process(client)
    if target is not None:
        flag = AdminFlag.model_validate({"is_admin": is_admin})
        member_id = await member_id_of(client, coop_id, person)
        async with _unit(target) as (session, _):
            actor = await _acting(session, target, admin)
            admin_member = await coop_admin(
                await current_membership(coop_id, session, actor), actor
            )
            member = await coop_service.get_member(session, coop_id=coop_id, member_id=member_id)
            await coop_service.set_admin(
                session,
                actor,
                admin_member,
                member,
                is_admin=flag.is_admin,
                safeguarding_lead=flag.safeguarding_lead,
            )
        return
    response = await client.post(
        f"/api/v1/coops/{coop_id}/members/{await member_id_of(client, coop_id, person)}/admin",
        json={"is_admin": is_admin},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text


async def agree_rules(
    client: httpx.AsyncClient,
    coop_id: uuid.UUID,
    proposer: Person,
    approver: Person,
    rules: dict[str, Any],
) -> None:
    """Change rules that weaken a safeguard: `proposer` asks (202), `approver`, another
    administrator, approves."""
    asked = await client.patch(
        f"/api/v1/coops/{coop_id}", json={"rules": rules}, headers=proposer.headers
    )
    assert asked.status_code == 202, asked.text
    approved = await client.post(
        f"/api/v1/coops/{coop_id}/rule-changes/{asked.json()['rule_change_id']}/approve",
        headers=approver.headers,
    )
    assert approved.status_code == 200, approved.text


async def grant_mandate(
    client: httpx.AsyncClient,
    holder: Person,
    representative: Person,
    *,
    scopes: tuple[str, ...] = ("view",),
    limit_pence_per_cycle: int = 0,
    accept: bool = True,
    role: str = "helper",
) -> uuid.UUID:
    """The holder grants a mandate and (unless `accept=False`) the representative accepts it
    themselves, with their own token: a mandate works only once accepted."""
    target = _in_process(client)
    if target is not None:
        grant = MandateCreate.model_validate(
            {
                "email": representative.email,
                "scopes": list(scopes),
                "limit_pence_per_cycle": limit_pence_per_cycle,
                "role": role,
            }
        )
        async with _unit(target) as (session, now):
            mandate = await representatives.grant_mandate(
                session,
                await _acting(session, target, holder),
                email=grant.email,
                scopes=grant.scopes,
                limit_pence_per_cycle=grant.limit_pence_per_cycle,
                role=grant.role,
                now=now,
            )
        if accept:
            async with _unit(target) as (session, now):
                actor = await _acting(session, target, representative)
                offered = await representatives.get_offered(
                    session, user=actor.user, mandate_id=mandate.id
                )
                assert offered is not None, f"no mandate {mandate.id} for {representative.email}"
                await representatives.answer_invitation(
                    session, actor, offered, accept=True, now=now
                )
        return mandate.id
    response = await client.post(
        "/api/v1/me/representatives",
        json={
            "email": representative.email,
            "scopes": list(scopes),
            "limit_pence_per_cycle": limit_pence_per_cycle,
            "role": role,
        },
        headers=holder.headers,
    )
    assert response.status_code == 201, response.text
    mandate_id = uuid.UUID(response.json()["id"])
    if accept:
        accepted = await client.post(
            f"/api/v1/me/representing/{mandate_id}/accept", headers=representative.headers
        )
        assert accepted.status_code == 200, accepted.text
    return mandate_id


async def set_direct_payment(
    client: httpx.AsyncClient,
    holder: Person,
    *,
    weekly_amount_pence: int = 25_000,
    start_date: date = date(2026, 3, 2),
    end_date: date | None = None,
    area_code: str = CARDIFF,
) -> dict[str, Any]:
    response = await client.put(
        "/api/v1/me/direct-payment",
        json={
            "area_code": area_code,
            "weekly_amount_pence": weekly_amount_pence,
            "start_date": start_date.isoformat(),
            "end_date": end_date.isoformat() if end_date else None,
        },
        headers=holder.headers,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def appoint_officer(
    client: httpx.AsyncClient, admin: Person, area_code: str, officer: Person | None = None
) -> Person:
    """A council officer for `area_code` (a new person unless `officer` is given)."""
    officer = officer or await register_person(client, full_name="Council Officer")
    response = await client.post(
        "/api/v1/admin/la-officers",
        json={"user_id": str(officer.id), "area_code": area_code},
        headers=admin.headers,
    )
    assert response.status_code == 201, response.text
    return officer


async def confirm_award(
    client: httpx.AsyncClient,
    officer: Person,
    award_id: uuid.UUID | str,
    *,
    weekly_amount_pence: int | None = None,
    council_reference: str | None = None,
) -> dict[str, Any]:
    """The paying council's officer confirms an award version."""
    body: dict[str, Any] = {}
    if weekly_amount_pence is not None:
        body["weekly_amount_pence"] = weekly_amount_pence
    if council_reference is not None:
        body["council_reference"] = council_reference
    response = await client.post(
        f"/api/v1/la/awards/{award_id}/confirm", json=body, headers=officer.headers
    )
    assert response.status_code == 200, response.text
    confirmed: dict[str, Any] = response.json()
    return confirmed


def provider_fields(**overrides: Any) -> dict[str, Any]:
    """A valid POST /providers body; keyword arguments replace or add fields."""
    fields: dict[str, Any] = {
        "name": f"Gofal Prawf {next(_counter)}",
        "service_types": ["domiciliary_support"],
        "area_codes": ["W06000015"],
        "hourly_rate_pence": 2200,
        "capacity_hours_per_week": 300,
        "welsh_language": "some",
        "contact_email": unique_email("provider"),
    }
    fields.update(overrides)
    return fields


async def create_provider(
    client: httpx.AsyncClient, staff: Person, **fields: Any
) -> dict[str, Any]:
    """Register a provider as `staff` (it starts pending); returns the response body."""
    response = await client.post(
        "/api/v1/providers", json=provider_fields(**fields), headers=staff.headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def open_proposal(
    client: httpx.AsyncClient,
    coop_id: uuid.UUID,
    person: Person,
    *,
    closes_at: datetime,
    title: str = "Buy respite care together",
) -> uuid.UUID:
    response = await client.post(
        f"/api/v1/coops/{coop_id}/proposals",
        json={"title": title, "body": "Shall we?", "closes_at": closes_at.isoformat()},
        headers=person.headers,
    )
    assert response.status_code == 201, response.text
    return uuid.UUID(response.json()["id"])


async def verified_provider(
    client: httpx.AsyncClient,
    session: AsyncSession,
    *,
    staff: Person | None = None,
    admin: Person | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """Register a provider and have a platform admin verify it; returns the verified body."""
    staff = staff or await register_person(client, full_name="Provider Staff")
    created = await create_provider(client, staff, **fields)
    admin = admin or await platform_admin(client, session)
    response = await client.post(f"/api/v1/providers/{created['id']}/verify", headers=admin.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def create_support_service(
    client: httpx.AsyncClient,
    coop_id: uuid.UUID,
    admin: Person,
    *,
    name: str = "Payroll for personal assistants",
    category: str = "payroll",
    monthly_fee_pence: int = 10_000,
) -> uuid.UUID:
    response = await client.post(
        f"/api/v1/coops/{coop_id}/support/services",
        json={
            "name": name,
            "category": category,
            "description": "Payslips, PAYE and pensions for the PAs members employ.",
            "monthly_fee_pence": monthly_fee_pence,
        },
        headers=admin.headers,
    )
    assert response.status_code == 201, response.text
    return uuid.UUID(response.json()["id"])


async def raise_support_request(
    client: httpx.AsyncClient,
    coop_id: uuid.UUID,
    headers: dict[str, str],
    *,
    subject: str = "Help with my DP return",
    priority: str = "normal",
    category: str = "dp_returns",
) -> uuid.UUID:
    response = await client.post(
        f"/api/v1/coops/{coop_id}/support/requests",
        json={
            "category": category,
            "subject": subject,
            "body": "The council wants the quarterly return by Friday.",
            "priority": priority,
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return uuid.UUID(response.json()["id"])


async def contribute(
    client: httpx.AsyncClient,
    coop_id: uuid.UUID,
    person: Person,
    *,
    amount_pence: int,
    member_id: uuid.UUID | None = None,
    reference: str = "Direct Payment, March",
    key: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST a contribution (a fresh Idempotency-Key unless `key` is given); not asserted."""
    body: dict[str, Any] = {"amount_pence": amount_pence, "reference": reference}
    if member_id is not None:
        body["member_id"] = str(member_id)
    return await client.post(
        f"/api/v1/coops/{coop_id}/pool/contributions",
        json=body,
        headers={**(headers or person.headers), "Idempotency-Key": key or uuid.uuid4().hex},
    )


async def request_refund(
    client: httpx.AsyncClient,
    coop_id: uuid.UUID,
    person: Person,
    *,
    member_id: uuid.UUID,
    amount_pence: int,
    reason: str = "Moving to a care home",
    key: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST a refund (a fresh Idempotency-Key unless `key` is given); not asserted."""
    return await client.post(
        f"/api/v1/coops/{coop_id}/pool/refunds",
        json={"member_id": str(member_id), "amount_pence": amount_pence, "reason": reason},
        headers={**(headers or person.headers), "Idempotency-Key": key or uuid.uuid4().hex},
    )


async def fresh_token(client: httpx.AsyncClient, person: Person) -> Person:
    """Log in again (after moving the clock past the access token's life)."""
    await sign_in_again(client, person)
    return person


def tender_fields(**overrides: Any) -> dict[str, Any]:
    """A valid POST /coops/{id}/tenders body; keyword arguments replace or add fields."""
    fields: dict[str, Any] = {
        "title": "Gofal cartref â chymorth Cymraeg",
        "description": "Two holders want reliable home care, in Welsh where possible.",
        "service_type": "domiciliary_support",
        "area_codes": [CARDIFF],
        "max_hourly_rate_pence": 2500,
        "welsh_language_required": "some",
        "price_weight": 60,
        "quality_weight": 40,
        "submission_deadline": "2026-03-16T12:00:00+00:00",
        "standstill_days": 10,
    }
    fields.update(overrides)
    return fields


async def create_tender(
    client: httpx.AsyncClient, coop_id: uuid.UUID, admin: Person, **fields: Any
) -> uuid.UUID:
    """A draft tender of the co-op, drafted by `admin`."""
    response = await client.post(
        f"/api/v1/coops/{coop_id}/tenders", json=tender_fields(**fields), headers=admin.headers
    )
    assert response.status_code == 201, response.text
    return uuid.UUID(response.json()["id"])


async def open_tender(
    client: httpx.AsyncClient, coop_id: uuid.UUID, admin: Person, **fields: Any
) -> uuid.UUID:
    """A tender drafted and published by `admin`: open for bids."""
    tender_id = await create_tender(client, coop_id, admin, **fields)
    response = await client.post(f"/api/v1/tenders/{tender_id}/publish", headers=admin.headers)
    assert response.status_code == 200, response.text
    return tender_id


def bid_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "hourly_rate_pence": 2200,
        "capacity_hours_per_week": 120,
        "quality_statement": "Staff trained in dementia care; continuity of carers.",
        "welsh_language": "full",
    }
    fields.update(overrides)
    return fields


async def submit_bid(
    client: httpx.AsyncClient, tender_id: uuid.UUID, staff: Person, **fields: Any
) -> uuid.UUID:
    response = await client.post(
        f"/api/v1/tenders/{tender_id}/bids", json=bid_fields(**fields), headers=staff.headers
    )
    assert response.status_code == 201, response.text
    return uuid.UUID(response.json()["id"])


async def declare_demand(
    client: httpx.AsyncClient, tender_id: uuid.UUID, holder: Person, hours_per_week: int
) -> None:
    response = await client.put(
        f"/api/v1/tenders/{tender_id}/demand/me",
        json={"hours_per_week": hours_per_week},
        headers=holder.headers,
    )
    assert response.status_code == 200, response.text
