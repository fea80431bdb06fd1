"""Tenders loaded, brought up to date and authorised; a draft does not exist for outsiders."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.actor import Actor
from app.auth.dependencies import AnyActor, ContributeActor, CurrentActor, OptionalActor
from app.coops import service as coops
from app.coops.errors import CoopAdminRequired
from app.coops.models import Coop, Member
from app.core.deps import NowDep, SessionDep
from app.core.errors import must_exist
from app.tenders import repository, service
from app.tenders.contracts import service as contracts
from app.tenders.contracts import variations
from app.tenders.contracts.service import ContractViewer
from app.tenders.errors import ContractNotFound, InvoiceNotFound, NotCoopMember, TenderNotFound
from app.tenders.invoices import service as invoices
from app.tenders.models import Contract, Invoice, Tender
from app.tenders.states import TenderStatus
from app.tenders.visits import service as visits
from app.tenders.visits.errors import VisitNotFound
from app.tenders.visits.models import Visit


def viewer_id(actor: Actor | None) -> uuid.UUID | None:
    """Whose memberships widen what the caller sees: the holder, for a representative with
    `view` (a representative without it is refused, 403 outside_mandate)."""
    if actor is None:
        return None
    if actor.is_representing:
        actor.require_scope("view")
    return actor.principal.id


async def load_visible(
    session: AsyncSession, tender_id: uuid.UUID, actor: Actor | None, now: datetime
) -> tuple[Tender, Member | None]:
    """The tender, settled, with the caller's membership of its co-op; a draft only for
    members."""
    tender = await repository.get_tender(session, tender_id)
    if tender is None:
        raise TenderNotFound
    member = await repository.membership(session, tender, viewer_id(actor))
    if tender.status == TenderStatus.draft and member is None:
        raise TenderNotFound
    return await service.settle(session, actor, tender, now=now), member


@dataclass(frozen=True, slots=True)
class Seen:
    """A tender, the caller, and their membership of its co-op (the holder's, for a
    representative), if any."""

    tender: Tender
    actor: Actor | None
    member: Member | None

    @property
    def is_admin(self) -> bool:
        """An administrator of the co-op acting in person: a mandate does not cover that."""
        return (
            self.member is not None
            and self.member.is_admin
            and self.actor is not None
            and not self.actor.is_representing
        )


async def public_tender(
    tender_id: uuid.UUID, session: SessionDep, actor: OptionalActor, now: NowDep
) -> Seen:
    tender, member = await load_visible(session, tender_id, actor, now)
    return Seen(tender, actor, member)


async def signed_in_tender(
    tender_id: uuid.UUID, session: SessionDep, actor: CurrentActor, now: NowDep
) -> Seen:
    tender, member = await load_visible(session, tender_id, actor, now)
    return Seen(tender, actor, member)


# Anyone may read a published tender; a token, when sent, shows a member the drafts too.
PublicTender = Annotated[Seen, Depends(public_tender)]
# The same visibility for routes that need a token (a person acting as themselves).
SignedInTender = Annotated[Seen, Depends(signed_in_tender)]


@dataclass(frozen=True, slots=True)
class Administered:
    tender: Tender
    admin: Member
    coop: Coop


async def admin_tender(seen: SignedInTender, session: SessionDep) -> Administered:
    """A tender the caller administers (as a co-op administrator, in person)."""
    if not seen.is_admin or seen.member is None:
        raise CoopAdminRequired
    coop = await coops.find_coop(session, seen.tender.coop_id)
    coop = must_exist(coop, "a tender's co-op is never deleted")
    return Administered(seen.tender, seen.member, coop)


TenderAdmin = Annotated[Administered, Depends(admin_tender)]


async def demanding_member(
    tender_id: uuid.UUID, session: SessionDep, actor: ContributeActor, now: NowDep
) -> Seen:
    """A tender and the membership of the holder declaring demand (a representative needs
    the `contribute` scope: demand commits the holder's money)."""
    tender = await repository.get_tender(session, tender_id)
    if tender is None:
        raise TenderNotFound
    member = await repository.membership(session, tender, actor.principal.id)
    if member is None:
        if tender.status == TenderStatus.draft:
            raise TenderNotFound
        raise NotCoopMember
    return Seen(await service.settle(session, actor, tender, now=now), actor, member)


DemandingMember = Annotated[Seen, Depends(demanding_member)]


@dataclass(frozen=True, slots=True)
class ContractSeen:
    contract: Contract
    viewer: ContractViewer


async def seen_contract(
    contract_id: uuid.UUID, session: SessionDep, actor: AnyActor, now: NowDep
) -> ContractSeen:
    """A contract the caller may see, brought up to date: a variation vote whose time has
    come is closed (applying or rejecting it) and a contract past its last day ends."""
    contract = await contracts.get_contract(session, contract_id)
    if contract is None:
        raise ContractNotFound
    viewer = await contracts.viewer(session, actor, contract)
    await variations.settle_votes(session, actor, [contract.id], now=now)
    contract = await contracts.settle(session, contract, now=now)
    return ContractSeen(contract, viewer)


SeenContract = Annotated[ContractSeen, Depends(seen_contract)]


@dataclass(frozen=True, slots=True)
class InvoiceSeen:
    invoice: Invoice
    contract: Contract
    viewer: ContractViewer


async def seen_invoice(invoice_id: uuid.UUID, session: SessionDep, actor: AnyActor) -> InvoiceSeen:
    """An invoice the caller may see: a member sees one only when a line of it is theirs."""
    invoice = await invoices.get_invoice(session, invoice_id)
    if invoice is None:
        raise InvoiceNotFound
    contract = await contracts.get_contract(session, invoice.contract_id)
    contract = must_exist(contract, "an invoice's contract exists")
    try:
        viewer = await contracts.viewer(session, actor, contract)
    except ContractNotFound as exc:
        raise InvoiceNotFound from exc
    if not any(viewer.sees(line.member_id) for line in invoice.lines):
        raise InvoiceNotFound
    return InvoiceSeen(invoice, contract, viewer)


SeenInvoice = Annotated[InvoiceSeen, Depends(seen_invoice)]


@dataclass(frozen=True, slots=True)
class VisitSeen:
    visit: Visit
    contract: Contract
    viewer: ContractViewer


async def seen_visit(
    visit_id: uuid.UUID, session: SessionDep, actor: AnyActor, now: NowDep
) -> VisitSeen:
    """A visit the caller may see (the contract's parties; a member, or their representative
    with `view`, only their own), confirmed first if its hours have run out."""
    visit = await visits.get_visit(session, visit_id)
    if visit is None:
        raise VisitNotFound
    contract = await contracts.get_contract(session, visit.contract_id)
    contract = must_exist(contract, "a visit's contract exists")
    try:
        viewer = await contracts.viewer(session, actor, contract)
    except ContractNotFound as exc:
        raise VisitNotFound from exc
    if not viewer.sees(visit.member_id):
        raise VisitNotFound
    await visits.settle_due(session, now=now, visit_ids=[visit.id])
    return VisitSeen(visit, contract, viewer)


SeenVisit = Annotated[VisitSeen, Depends(seen_visit)]
