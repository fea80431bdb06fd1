"""The contract's OCDS releases, made from plain facts (no database): the contract, its
payments by quarter, each variation and its end.

`contract_amendment_release` and `contract_termination_release` take plain data (the new rate,
the day it runs from and the reason; the last day), so whatever records a variation or an end
can publish it through `service.record_release` without this module knowing how.
"""

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from app.core.money import pounds_text
from app.tenders.ocds.common import (
    SUPPLIER_ROLES,
    ContractRef,
    Party,
    Process,
    QuarterTotal,
    TenderFacts,
    end_of_day,
    entry,
    item,
    money,
    ref,
    release,
    unit,
    when,
)


def contract_release(
    t: TenderFacts,
    *,
    contract: ContractRef,
    supplier: Party,
    hourly_rate_pence: int,
    hours_per_week: int,
    signed_at: datetime,
) -> dict[str, Any]:
    """`contract`: the rate and the hours called off, the supplier named as when it signed."""
    return release(
        t.process,
        release_id="contract",
        at=signed_at,
        tag="contract",
        others=[entry(supplier, SUPPLIER_ROLES)],
        contracts=[
            {
                "id": str(contract.contract_id),
                "awardID": str(contract.award_id),
                "status": "active",
                "dateSigned": when(signed_at),
                "period": {"startDate": when(signed_at)},
                "items": [item(t, hours_per_week=hours_per_week, rate_pence=hourly_rate_pence)],
            }
        ],
    )


def implementation_release(
    process: Process,
    *,
    contract: ContractRef,
    supplier: Party,
    invoice_id: uuid.UUID,
    quarters: Sequence[QuarterTotal],
    at: datetime,
) -> dict[str, Any]:
    """`implementation`: the contract's paid totals, one transaction per closed quarter drawn
    from 8 or more holders (see `spend`), written when a paid invoice first makes one known."""
    return release(
        process,
        release_id=f"payment-{invoice_id}",
        at=at,
        tag="implementation",
        others=[entry(supplier, SUPPLIER_ROLES)],
        contracts=[
            {
                "id": str(contract.contract_id),
                "awardID": str(contract.award_id),
                "implementation": {
                    "transactions": [
                        {
                            "id": f"{contract.contract_id}-{q.key}",
                            "date": end_of_day(q.last_day),
                            "value": money(q.amount_pence),
                            "payer": ref(process.buyer),
                            "payee": ref(supplier),
                        }
                        for q in quarters
                    ]
                },
            }
        ],
    )


def contract_amendment_release(
    process: Process,
    *,
    contract: ContractRef,
    variation_id: uuid.UUID,
    hourly_rate_pence: int,
    from_date: date,
    reason: str,
    at: datetime,
) -> dict[str, Any]:
    """`contractAmendment`: a variation in force, its new rate and the day it runs from. The
    reason is published as the amendment's rationale."""
    rate = pounds_text(hourly_rate_pence)
    return release(
        process,
        release_id=f"variation-{variation_id}",
        at=at,
        tag="contractAmendment",
        contracts=[
            {
                "id": str(contract.contract_id),
                "awardID": str(contract.award_id),
                "items": [{"id": "1", "unit": unit(hourly_rate_pence)}],
                "amendments": [
                    {
                        "id": str(variation_id),
                        "date": when(at),
                        "rationale": reason,
                        "description": f"The hourly rate is {rate} from {from_date.isoformat()}.",
                        "description_cy": (
                            f"Y gyfradd fesul awr yw {rate} o {from_date.isoformat()} ymlaen."
                        ),
                    }
                ],
            }
        ],
    )


def contract_termination_release(
    process: Process, *, contract: ContractRef, last_day: date, at: datetime
) -> dict[str, Any]:
    """`contractTermination`: the contract ended after its last day of care (in Wales)."""
    return release(
        process,
        release_id="contract-end",
        at=at,
        tag="contractTermination",
        contracts=[
            {
                "id": str(contract.contract_id),
                "awardID": str(contract.award_id),
                "status": "terminated",
                "period": {"endDate": end_of_day(last_day)},
            }
        ],
    )
