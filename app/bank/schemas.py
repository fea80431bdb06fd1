"""Bank statements on the wire."""

import uuid
from datetime import date, datetime

from pydantic import Field

from app.bank.models import LineState, MatchMethod
from app.core.schemas import Input, Output, ShortText
from app.ledger.models import ContributionSource


class ImportRead(Output):
    imported: int = Field(description="Lines new to the co-op's statements, now stored.")
    duplicates: int = Field(
        description="Lines already stored (by the bank's own id, else by date, amount, "
        "description and running balance, only as many times as an identical line exists)."
    )
    matched: int = Field(description="New lines matched to a transaction by the import itself.")


class BankLineRead(Output):
    id: uuid.UUID
    statement_id: uuid.UUID
    booked_on: date = Field(serialization_alias="date", description="The bank's date (in Wales).")
    description: str
    reference: str | None
    amount_pence: int = Field(description="Into the bank +, out of it -.")
    balance_pence: int | None = Field(description="The running balance the bank gave, if any.")
    bank_id: str | None = Field(
        description="The bank's own id for the line (OFX: the account, then the FITID)."
    )
    state: LineState
    transaction_id: uuid.UUID | None = Field(description="The transaction matched, if any.")
    method: MatchMethod | None = Field(
        description="How it was matched: by the import (`automatic`), by an administrator "
        "(`manual`), or as the contribution posted from it (`contribution`)."
    )
    reason: str | None = Field(description="Why it was ignored.")
    decided_at: datetime | None
    decided_by_user_id: uuid.UUID | None


class MatchCreate(Input):
    transaction_id: uuid.UUID


class ContributionFromLine(Input):
    member_id: uuid.UUID = Field(description="The member whose money the line is.")
    source: ContributionSource = Field(
        default=ContributionSource.direct_payment,
        description="Whose money it is (as for `POST .../pool/contributions`); Direct Payment "
        "money by default, within the award's four-week cap.",
    )


class IgnoreCreate(Input):
    reason: ShortText


class ReconciliationRead(Output):
    at: date = Field(description="The day whose end the figures are taken at (in Wales).")
    bank_balance_pence: int = Field(
        description="The `balance` of the last line on or before `at`, else the sum of the "
        "lines on or before `at`."
    )
    ledger_bank_pence: int = Field(description="The pool's `balance_pence` at the end of `at`.")
    unmatched_in_pence: int = Field(
        description="Money in on lines on or before `at` neither matched nor ignored (>= 0)."
    )
    unmatched_out_pence: int = Field(
        description="Money out on lines on or before `at` neither matched nor ignored (>= 0)."
    )
    difference_pence: int = Field(
        description="bank_balance - ledger_bank - unmatched_in + unmatched_out: 0 when "
        "everything is explained."
    )
