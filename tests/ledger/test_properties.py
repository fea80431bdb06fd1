"""Random sequences of contributions, refunds, approvals and replays against the real API,
checked after every step against a model a few lines long.

The books must always balance (all postings sum to zero, every balance is the sum of its
postings, no member account below zero), a replayed request must change nothing and answer
the same bytes, and every balance must equal the model's.
"""

import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import (
    Person,
    create_coop,
    grant_mandate,
    join_coop,
    register_person,
    set_direct_payment,
)
from tests.helpers import ok
from tests.ledger.checks import assert_books_balance

WEEKLY = 20_000  # a cycle's allowance: 80,000
THRESHOLD = 30_000
REP_LIMIT = 50_000
SEED = 40_000
HOLDERS = ("holder", "other")


@dataclass
class Cast:
    admin: Person
    second: Person
    holder: Person
    other: Person
    rep: Person

    def person(self, name: str) -> Person:
        person: Person = getattr(self, name)
        return person


@pytest.fixture
async def admins(client: httpx.AsyncClient) -> tuple[Person, Person]:
    return (
        await register_person(client, full_name="Admin"),
        await register_person(client, full_name="Second"),
    )


async def new_cast(client: httpx.AsyncClient, admins: tuple[Person, Person]) -> Cast:
    """Holders of their own for every example: allowances and mandate limits start afresh."""
    people = Cast(
        *admins,
        **{
            name: await register_person(client, full_name=name.title())
            for name in ("holder", "other", "rep")
        },
    )
    for holder in (people.holder, people.other):
        await set_direct_payment(client, holder, weekly_amount_pence=WEEKLY)
    await grant_mandate(
        client,
        people.holder,
        people.rep,
        scopes=("contribute", "refund", "view"),
        limit_pence_per_cycle=REP_LIMIT,
    )
    return people


COUNTED = ("posted", "pending_second_approval", "pending_holder_approval")


@dataclass
class ModelRefund:
    id: str
    member: str
    amount: int
    requested_by: str
    status: str
    approval_id: str | None = None


@dataclass
class Model:
    """What the rules say should have happened, in plain integers."""

    balances: dict[str, int] = field(default_factory=lambda: dict.fromkeys(HOLDERS, 0))
    contributed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(HOLDERS, 0))
    rep_used: int = 0
    deposits: int = 0
    payouts: int = 0
    refunds: list[ModelRefund] = field(default_factory=list)

    def cycle_total(self, refund: ModelRefund) -> int:
        """`refund` with the member's other posted and waiting refunds (all in one cycle here:
        the clock stands still)."""
        return refund.amount + sum(
            r.amount
            for r in self.refunds
            if r is not refund and r.member == refund.member and r.status in COUNTED
        )

    def post_refund(self, refund: ModelRefund) -> None:
        self.balances[refund.member] -= refund.amount
        self.payouts += refund.amount
        refund.status = "posted"


@dataclass(frozen=True)
class Contribute:
    by: str  # holder, other, rep (for holder), admin (for member)
    member: str
    amount: int


@dataclass(frozen=True)
class Refund:
    by: str
    member: str
    percent: int  # of the balance at the time: above 100 asks for too much


@dataclass(frozen=True)
class SecondApprove:
    pick: int
    by: str  # admin or second
    waiting: bool  # pick among refunds waiting for this (else among all)


@dataclass(frozen=True)
class HolderDecides:
    pick: int
    approve: bool
    waiting: bool


@dataclass(frozen=True)
class Replay:
    pick: int


amounts = st.one_of(
    st.integers(min_value=1, max_value=45_000),
    st.sampled_from([5_000, 20_000, THRESHOLD, THRESHOLD + 1, 45_000]),
)
percents = st.one_of(st.integers(min_value=1, max_value=130), st.sampled_from([50, 100, 101]))
picks = st.integers(min_value=0, max_value=20)
steps = st.lists(
    st.one_of(
        st.builds(
            Contribute,
            by=st.sampled_from(["holder", "rep", "admin"]),
            member=st.just("holder"),
            amount=amounts,
        ),
        st.builds(
            Contribute,
            by=st.sampled_from(["other", "admin"]),
            member=st.just("other"),
            amount=amounts,
        ),
        st.builds(
            Refund,
            by=st.sampled_from(["holder", "rep", "admin"]),
            member=st.just("holder"),
            percent=percents,
        ),
        st.builds(
            Refund,
            by=st.sampled_from(["other", "admin"]),
            member=st.just("other"),
            percent=percents,
        ),
        st.builds(
            SecondApprove,
            pick=picks,
            by=st.sampled_from(["admin", "second"]),
            waiting=st.booleans(),
        ),
        st.builds(HolderDecides, pick=picks, approve=st.booleans(), waiting=st.booleans()),
        st.builds(Replay, pick=st.integers(min_value=0, max_value=40)),
    ),
    min_size=4,
    max_size=20,
)


@dataclass
class Sent:
    method: str
    url: str
    json: Any
    headers: dict[str, str]
    status: int
    body: bytes


class Run:
    """One example: a fresh co-op in a fresh Direct Payment cycle, and its model."""

    def __init__(self, client: httpx.AsyncClient, cast: Cast, coop_id: uuid.UUID) -> None:
        self.client = client
        self.cast = cast
        self.coop_id = coop_id
        self.members: dict[str, uuid.UUID] = {}
        self.model = Model()
        self.sent: list[Sent] = []

    @staticmethod
    def choose(
        refunds: list[ModelRefund], waiting: bool, status: str, pick: int
    ) -> ModelRefund | None:
        pool = [r for r in refunds if r.status == status] if waiting else refunds
        return pool[pick % len(pool)] if pool else None

    def headers_of(self, by: str) -> dict[str, str]:
        if by == "rep":
            return self.cast.rep.on_behalf_of(self.cast.holder)
        return dict(self.cast.person(by).headers)

    async def send(self, method: str, path: str, by: str, json: Any = None) -> httpx.Response:
        headers = {**self.headers_of(by), "Idempotency-Key": uuid.uuid4().hex}
        url = f"/api/v1/coops/{self.coop_id}{path}"
        response = await self.client.request(method, url, json=json, headers=headers)
        if response.is_success:
            self.sent.append(
                Sent(method, url, json, headers, response.status_code, response.content)
            )
        return response

    async def contribute(self, step: Contribute) -> None:
        model = self.model
        response = await self.send(
            "POST",
            "/pool/contributions",
            step.by,
            {
                "amount_pence": step.amount,
                "member_id": str(self.members[step.member]),
                "reference": "p",
            },
        )
        if model.contributed[step.member] + step.amount > 4 * WEEKLY:
            assert response.json()["code"] == "exceeds_direct_payment"
        elif step.by == "rep" and model.rep_used + step.amount > REP_LIMIT:
            assert response.json()["code"] == "outside_mandate"
        else:
            assert response.status_code == 201, response.text
            model.contributed[step.member] += step.amount
            model.balances[step.member] += step.amount
            model.deposits -= step.amount
            if step.by == "rep":
                model.rep_used += step.amount

    async def refund(self, step: Refund) -> None:
        model = self.model
        amount = max(1, model.balances[step.member] * step.percent // 100)
        response = await self.send(
            "POST",
            "/pool/refunds",
            step.by,
            {
                "member_id": str(self.members[step.member]),
                "amount_pence": amount,
                "reason": "r",
            },
        )
        if amount > model.balances[step.member]:
            assert response.json()["code"] == "insufficient_funds"
            return
        if step.by == "rep" and model.rep_used + amount > REP_LIMIT:
            assert response.json()["code"] == "outside_mandate"
            return
        assert response.status_code == 201, response.text
        refund = ModelRefund(response.json()["id"], step.member, amount, step.by, "")
        model.refunds.append(refund)
        if step.by == "rep":
            model.rep_used += amount
            refund.status = "pending_holder_approval"
            waiting = await self.client.get(
                "/api/v1/me/approvals", headers=self.cast.holder.headers
            )
            refund.approval_id = next(
                a["id"] for a in waiting.json()["items"] if a["subject_id"] == refund.id
            )
        elif model.cycle_total(refund) > THRESHOLD:
            refund.status = "pending_second_approval"
        else:
            model.post_refund(refund)
        assert response.json()["status"] == refund.status

    async def second_approve(self, step: SecondApprove) -> None:
        refund = self.choose(self.model.refunds, step.waiting, "pending_second_approval", step.pick)
        if refund is None:
            return
        response = await self.send("POST", f"/pool/refunds/{refund.id}/approve", step.by)
        if refund.status != "pending_second_approval":
            assert response.json()["code"] == "invalid_transition"
        elif refund.requested_by == step.by:
            assert response.json()["code"] == "second_admin_required"
        elif refund.amount > self.model.balances[refund.member]:
            assert response.json()["code"] == "insufficient_funds"
        else:
            assert response.status_code == 200, response.text
            self.model.post_refund(refund)

    async def holder_decides(self, step: HolderDecides) -> None:
        asked = [r for r in self.model.refunds if r.requested_by == "rep"]
        refund = self.choose(asked, step.waiting, "pending_holder_approval", step.pick)
        if refund is None:
            return
        verb = "approve" if step.approve else "refuse"
        headers = {**self.cast.holder.headers, "Idempotency-Key": uuid.uuid4().hex}
        url = f"/api/v1/me/approvals/{refund.approval_id}/{verb}"
        response = await self.client.post(url, headers=headers)
        if response.is_success:
            self.sent.append(
                Sent("POST", url, None, headers, response.status_code, response.content)
            )
        if refund.status != "pending_holder_approval":
            assert response.json()["code"] == "invalid_transition"
        elif not step.approve:
            assert response.status_code == 200, response.text
            refund.status = "refused"
            self.model.rep_used -= refund.amount
        elif self.model.cycle_total(refund) > THRESHOLD:
            assert response.status_code == 200, response.text
            refund.status = "pending_second_approval"
        elif refund.amount > self.model.balances[refund.member]:
            assert response.json()["code"] == "insufficient_funds"
        else:
            assert response.status_code == 200, response.text
            self.model.post_refund(refund)

    async def replay(self, step: Replay) -> None:
        if not self.sent:
            return
        first = self.sent[step.pick % len(self.sent)]
        again = await self.client.request(
            first.method, first.url, json=first.json, headers=first.headers
        )
        assert (again.status_code, again.content) == (first.status, first.body)

    async def check(self, session: AsyncSession) -> None:
        books = await assert_books_balance(session, self.coop_id)
        model = self.model
        for name in HOLDERS:
            assert books.balance(f"member:{self.members[name]}") == model.balances[name]
        assert books.balance("external:deposits") == model.deposits
        assert books.balance("external:payouts") == model.payouts


async def start_run(client: httpx.AsyncClient, admins: tuple[Person, Person]) -> Run:
    cast = await new_cast(client, admins)
    coop_id = await create_coop(client, cast.admin, refund_second_approval_pence=THRESHOLD)
    run = Run(client, cast, coop_id)
    second = await join_coop(client, coop_id, cast.second, cast.admin, member_class="worker")
    ok(
        await client.post(
            f"/api/v1/coops/{coop_id}/members/{second}/admin",
            json={"is_admin": True},
            headers=cast.admin.headers,
        )
    )
    for name in HOLDERS:
        run.members[name] = await join_coop(client, coop_id, cast.person(name), cast.admin)
        # Money in the pool from the start, so refunds and approvals have something to do.
        await run.contribute(Contribute(by=name, member=name, amount=SEED))
    run.sent.clear()
    return run


# A plain function, not a method: hypothesis wants one executor for every example, and a
# class is instantiated afresh for each backend.
@settings(
    max_examples=25,
    # No explain phase: it replays a failure a hundred times more to annotate lines.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(plan=steps)
async def test_the_books_always_balance_and_agree_with_the_model(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admins: tuple[Person, Person],
    plan: list[Any],
) -> None:
    run = await start_run(client, admins)
    for step in plan:
        if isinstance(step, Contribute):
            await run.contribute(step)
        elif isinstance(step, Refund):
            await run.refund(step)
        elif isinstance(step, SecondApprove):
            await run.second_approve(step)
        elif isinstance(step, HolderDecides):
            await run.holder_decides(step)
        else:
            await run.replay(step)
        await run.check(session)
