"""The Direct Payment monitoring return of a member."""

import uuid
from typing import Annotated

from fastapi import Query, Request, Response

from app.auth.dependencies import ViewActor
from app.auth.errors import NoMandate, OutsideMandate
from app.coops import service as coops
from app.coops.dependencies import CurrentMembership
from app.coops.errors import CoopNotFound, MemberNotFound
from app.core.csv_answer import FormatQuery, csv_alternative, json_or_csv
from app.core.deps import SessionDep
from app.core.errors import problems
from app.core.routing import Router
from app.core.schemas import Day
from app.ledger import service as ledger
from app.support import returns
from app.support.periods import RETURN_PERIOD_PATTERN, days_asked
from app.support.schemas import DirectPaymentReturnRead

router = Router(prefix="/coops/{coop_id}", tags=["support"])

CSV_RESPONSE = csv_alternative(
    "The return; with `?format=csv` or `Accept: text/csv`, as CSV (UTF-8 with "
    "a byte-order mark, every cell quoted, a header row "
    "`line,service_type,provider_id,provider_name,value,invoice_id`, one figure per row, one "
    "`care_bought` row per provider and one `care_movement` row per payment for care).",
    example='"line","service_type","provider_id","provider_name","value","invoice_id"\r\n'
    '"opening_balance_pence","","","","12000",""\r\n',
)


@router.get(
    "/members/{member_id}/dp-return",
    response_model=DirectPaymentReturnRead,
    responses={
        **problems(CoopNotFound, MemberNotFound, OutsideMandate, NoMandate),
        200: CSV_RESPONSE,
    },
)
async def get_dp_return(
    member_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    member: CurrentMembership,
    actor: ViewActor,
    period: Annotated[
        str | None,
        Query(
            pattern=RETURN_PERIOD_PATTERN,
            description="A month `YYYY-MM`, a calendar quarter `YYYY-Qn` (Q1 is January to "
            "March) or a financial year `FYyyyy` (1 April of that year to 31 March).",
            examples=["2026-Q1"],
        ),
    ] = None,
    from_date: Annotated[
        Day | None, Query(alias="from", description="First day, with `to` (no `period`).")
    ] = None,
    to_date: Annotated[
        Day | None, Query(alias="to", description="Last day, with `from` (no `period`).")
    ] = None,
    format_: FormatQuery = None,
) -> DirectPaymentReturnRead | Response:
    """The Direct Payment monitoring return a council asks a holder for (the member, their
    representative with `view`, or an administrator; anyone else's return is 404): the
    opening balance, contributions, care bought by provider, shared charges and refunds (the
    refund on leaving included) over the period's days in Wales, and the closing balance =
    opening + contributions - care - charges - refunds. `care_movements` lists each payment
    for care with the invoice and provider it paid. The period is exactly one of `period`
    (`YYYY-MM`, `YYYY-Qn`, `FYyyyy`) or `from` and `to` (inclusive days), else 422
    `validation_error` naming the fields. `weeks_of_budget_held` and `surplus` are as on the
    statement."""
    if member_id == member.id:
        target = member
    elif ledger.viewer(actor, member).is_admin:
        target = await coops.get_member(session, coop_id=member.coop_id, member_id=member_id)
    else:
        raise MemberNotFound
    first, last = days_asked(period, from_date, to_date)
    read = await returns.dp_return(session, target, period=period, first=first, last=last)
    filename = f"dp-return-{target.id}-{period or f'{first}-{last}'}.csv"
    return json_or_csv(request, format_, read, to_csv=returns.to_csv, filename=filename)
