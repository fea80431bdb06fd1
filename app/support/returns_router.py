"""The quarterly Direct Payment monitoring return of a member."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.auth.dependencies import ViewActor
from app.auth.errors import NoMandate, OutsideMandate
from app.coops import service as coops
from app.coops.dependencies import CurrentMembership
from app.coops.errors import CoopNotFound, MemberNotFound
from app.core.csv_answer import FormatQuery, csv_alternative, json_or_csv
from app.core.deps import SessionDep
from app.core.errors import problems
from app.core.schemas import QUARTER_PATTERN
from app.ledger import service as ledger
from app.support import returns
from app.support.schemas import DirectPaymentReturnRead

router = APIRouter(prefix="/coops/{coop_id}", tags=["support"])

CSV_RESPONSE = csv_alternative(
    "The return; with `?format=csv` or `Accept: text/csv`, as CSV (UTF-8 with "
    "a byte-order mark, every cell quoted, a header row "
    "`line,service_type,provider_id,provider_name,value`, one figure per row and one "
    "`care_bought` row per provider).",
    example='"line","service_type","provider_id","provider_name","value"\r\n'
    '"opening_balance_pence","","","","12000"\r\n',
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
        str,
        Query(
            pattern=QUARTER_PATTERN,
            description="The calendar quarter, `YYYY-Qn` (Q1 is January to March).",
            examples=["2026-Q1"],
        ),
    ],
    format_: FormatQuery = None,
) -> DirectPaymentReturnRead | Response:
    """The quarterly Direct Payment monitoring return a council asks a holder for (the
    member, their representative with `view`, or an administrator; anyone else's return is
    404): the opening balance, contributions, care bought by provider, shared charges and
    refunds (the refund on leaving included) over the quarter's days in Wales, and the closing
    balance = opening + contributions - care - charges - refunds. `weeks_of_budget_held` and
    `surplus` are as on the statement."""
    if member_id == member.id:
        target = member
    elif ledger.viewer(actor, member).is_admin:
        target = await coops.get_member(session, coop_id=member.coop_id, member_id=member_id)
    else:
        raise MemberNotFound
    read = await returns.dp_return(session, target, period=period)
    filename = f"dp-return-{target.id}-{period}.csv"
    return json_or_csv(request, format_, read, to_csv=returns.to_csv, filename=filename)
