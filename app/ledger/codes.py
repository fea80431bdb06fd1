"""The codes of a co-op's ledger accounts."""

import uuid

SHARED = "shared"
DEPOSITS = "external:deposits"
PAYOUTS = "external:payouts"
MEMBER_PREFIX = "member:"


def member_account(member_id: uuid.UUID) -> str:
    return f"{MEMBER_PREFIX}{member_id}"


def provider_account(provider_id: uuid.UUID) -> str:
    return f"provider:{provider_id}"
