"""The pooled budget on the wire."""

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from app.core.schemas import Input, Output, Pence, ShortText
from app.ledger.models import ContributionSource, RefundStatus, TransactionKind

ContributionPence = Annotated[Pence, Field(ge=1, le=10_000_000)]
RefundPence = Annotated[Pence, Field(ge=1, le=1_000_000_000)]


class ContributionCreate(Input):
    amount_pence: ContributionPence
    member_id: uuid.UUID | None = Field(
        default=None,
        description="Administrators recording a bank transfer: the member whose money it is. "
        "Left out, the money goes to the caller's own account (or, for a representative, the "
        "holder's).",
    )
    reference: ShortText = Field(description="Shown as the transaction's memo.")
    source: ContributionSource = Field(
        default=ContributionSource.direct_payment,
        description="Whose money it is. `direct_payment` (the default) is paid from the "
        "holder's Direct Payment and counts against the award's four-week cap and in the "
        "councils' figures; `top_up` and `client_contribution` are the holder's own money, "
        "need no award and are not capped.",
    )


class RefundCreate(Input):
    member_id: uuid.UUID
    amount_pence: RefundPence
    reason: ShortText


class PostingRead(Output):
    account: str = Field(
        description="`member:<member_id>`, `shared`, `provider:<provider_id>`, "
        "`external:deposits`, `external:payouts`, or `members` (other members' postings, "
        "summed, as a member who is not an administrator sees them)."
    )
    amount_pence: int = Field(description="Positive into the account, negative out of it.")


class LedgerTransactionRead(Output):
    id: uuid.UUID
    kind: TransactionKind
    created_at: datetime
    memo: str | None = Field(
        description="Null, as are the people, on a transaction that is other members' alone "
        "(unless you are an administrator)."
    )
    actor_user_id: uuid.UUID | None
    on_behalf_of_user_id: uuid.UUID | None
    source: ContributionSource | None = Field(
        default=None, description="A contribution's source; null on every other kind."
    )
    postings: list[PostingRead] = Field(description="They sum to exactly zero.")


class PoolRead(Output):
    balance_pence: int = Field(description="members + shared + provider payable.")
    members_pence: int
    shared_pence: int
    provider_payable_pence: int


class RefundRead(Output):
    id: uuid.UUID
    member_id: uuid.UUID
    amount_pence: int
    reason: str
    status: RefundStatus
    transaction_id: uuid.UUID | None = Field(description="Set once the refund has posted.")
    requested_at: datetime
    requested_by_user_id: uuid.UUID
    on_behalf_of_user_id: uuid.UUID | None = Field(
        description="The holder, when their representative asked for the refund."
    )
    decided_at: datetime | None
    decided_by_user_id: uuid.UUID | None


class MovementRead(Output):
    transaction_id: uuid.UUID
    at: datetime
    kind: TransactionKind
    amount_pence: int = Field(description="Positive into the member's account, negative out.")
    memo: str
    source: ContributionSource | None = Field(
        default=None,
        description="A contribution's source (Direct Payment money, a top-up, a client "
        "contribution); null on every other kind.",
    )
    bank_line_id: uuid.UUID | None = Field(
        default=None,
        description="The bank statement line matched to this movement's transaction (the "
        "bank's record of a contribution or a payment), if any.",
    )
    invoice_id: uuid.UUID | None = Field(
        default=None,
        description="A payment for care (or its reversal): the provider's invoice it paid; "
        "null on every other kind.",
    )
    provider_name: str | None = Field(
        default=None,
        description="A payment for care (or its reversal): the provider, as named in the "
        "contract; null on every other kind.",
    )


class StatementRead(Output):
    member_id: uuid.UUID
    from_date: date = Field(serialization_alias="from", description="First day (inclusive).")
    to_date: date = Field(serialization_alias="to", description="Last day (inclusive).")
    opening_balance_pence: int
    movements: list[MovementRead]
    closing_balance_pence: int
    weeks_of_budget_held: str | None = Field(
        description="Closing balance / weekly Direct Payment, 1 decimal place rounded half up "
        '("8.4"); null without an award.',
        examples=["8.4"],
    )
    surplus: bool | None = Field(
        description="True when the exact weeks held exceed the paying council's "
        "`surplus_weeks` (its monitoring profile; 8 unless set), as councils may claw back a "
        "surplus; null without an award."
    )


class BalanceRead(Output):
    account: str = Field(
        description="`member:<member_id>`, `shared`, `provider:<provider_id>`, "
        "`external:deposits` or `external:payouts`."
    )
    member_id: uuid.UUID | None = Field(description="On a member's account: the membership.")
    holder_name: str | None = Field(description="On a member's account: the member's name.")
    balance_pence: int = Field(description="The sum of the account's postings by then.")


class BalancesRead(Output):
    at: date = Field(description="The day whose end the balances are taken at (in Wales).")
    items: list[BalanceRead] = Field(
        description="Every account opened by then, those at zero included, by account."
    )
    total_pence: int = Field(description="Always 0: every transaction sums to zero.")
