"""What running contracts bind their providers to: asked before a provider stops offering
an area or a service type (the providers domain decides, SPEC 19)."""

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.providers.listing import ContractTerms
from app.tenders.models import CallOff, Contract, ContractStatus, Tender, TenderArea


async def running_terms(
    session: AsyncSession, provider_ids: Sequence[uuid.UUID], *, today: date
) -> list[ContractTerms]:
    """The service type and areas of each running contract of these providers: an active
    contract with a call-off that has not ended, or whose last day is still to come (care
    may yet be bought under it). Oldest contract first."""
    if not provider_ids:
        return []
    call_off_running = exists().where(
        CallOff.contract_id == Contract.id,
        or_(CallOff.last_day.is_(None), CallOff.last_day >= today),
    )
    rows = (
        await session.execute(
            select(Contract.id, Contract.provider_id, Tender.service_type, TenderArea.area_code)
            .join(Tender, Tender.id == Contract.tender_id)
            .join(TenderArea, TenderArea.tender_id == Tender.id)
            .where(
                Contract.provider_id.in_(sorted(set(provider_ids))),
                Contract.status == ContractStatus.active,
                call_off_running,
            )
            .order_by(Contract.created_at, Contract.id, TenderArea.area_code)
        )
    ).all()
    terms: dict[uuid.UUID, ContractTerms] = {}
    for contract_id, provider_id, service_type, area_code in rows:
        found = terms.get(contract_id)
        areas = (found.area_codes if found else frozenset()) | {area_code}
        terms[contract_id] = ContractTerms(
            contract_id=contract_id,
            provider_id=provider_id,
            service_type=service_type,
            area_codes=areas,
        )
    return list(terms.values())
