"""A member's evidence pack, for the member, their co-op and, with consent, their council."""

import uuid
from typing import Annotated

from fastapi import Query, Request, Response

from app.auth.errors import InvalidToken, NoMandate, OutsideMandate
from app.core.csv_answer import FormatQuery, csv_alternative, json_or_csv
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.routing import Router
from app.core.schemas import Day
from app.evidence import consent, pack
from app.evidence.dependencies import CurrentEvidenceReader
from app.evidence.errors import EvidenceNotFound
from app.evidence.schemas import EvidenceRead

router = Router(prefix="/coops/{coop_id}", tags=["evidence"])

CSV_RESPONSE = csv_alternative(
    "The evidence; with `?format=csv` or `Accept: text/csv`, as CSV (UTF-8 with a byte-order "
    "mark, every cell quoted, a header row, one `movement` row per movement with the running "
    "balance, then one `visit` row per visit naming the movement and invoice it stands "
    "behind, then one `payroll` row per payroll line a payment paid for).",
    example='"row","transaction_id","date","kind","source","amount_pence","balance_pence",'
    '"memo","invoice_id","provider_name","charge_id","bank_line_id","visit_date",'
    '"start_time","end_time","minutes","worker_name","confirmed_by","employment_id",'
    '"period_start","period_end","share_pence"\r\n',
)


@router.get(
    "/members/{member_id}/evidence",
    response_model=EvidenceRead,
    responses={
        **problems(InvalidToken, EvidenceNotFound, OutsideMandate, NoMandate),
        200: CSV_RESPONSE,
    },
)
async def get_evidence(
    member_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    reader: CurrentEvidenceReader,
    now: NowDep,
    from_date: Annotated[
        Day | None, Query(alias="from", description="First day (default: account opened).")
    ] = None,
    to_date: Annotated[
        Day | None, Query(alias="to", description="Last day (default: today).")
    ] = None,
    format_: FormatQuery = None,
) -> EvidenceRead | Response:
    """The evidence behind a member's money from `from` to `to` (inclusive days in Wales):
    every movement of their account as on the statement, each with what stands behind it (a
    contribution's `source`; a payment for care's `invoice_id`, `provider_name` and every
    visit billed on the member's lines of that invoice; a shared charge's `charge_id`; the
    matched `bank_line_id`), the opening and closing balances, and `totals` such that closing
    = opening + contributions - care - shared charges - payroll - refunds, to the penny.

    Readers: the member, their representative with `view`, the co-op's administrators, and
    the officers and API clients of the council a grant in force names (`POST
    /me/council-access`). Anyone else, and a council without such a grant (or with one to
    another council), is 404. A council's every read is audited about the holder and shows in
    their `/me/activity`."""
    del member_id  # loaded and authorised by the reader dependency
    read = await pack.evidence_pack(
        session, reader.member, from_date=from_date, to_date=to_date, now=now
    )
    if reader.council is not None and reader.grant is not None:
        consent.record_council_read(
            session,
            reader.council,
            "evidence.read_by_council",
            reader.grant,
            data={"from": read.from_date.isoformat(), "to": read.to_date.isoformat()},
        )
    filename = f"evidence-{reader.member.id}-{read.from_date}-{read.to_date}.csv"
    return json_or_csv(request, format_, read, to_csv=pack.to_csv, filename=filename)
