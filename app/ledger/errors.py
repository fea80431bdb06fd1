"""Ledger errors."""

from app.core.errors import Conflict, InternalError


class InsufficientFunds(Conflict):
    code = "insufficient_funds"
    title, title_cy = "Insufficient funds", "Dim digon o arian"
    detail = "The balance is too low for this: nothing was posted."
    detail_cy = "Mae'r balans yn rhy isel ar gyfer hyn: ni chofnodwyd dim."


class InsufficientMemberFunds(Conflict):
    code = "insufficient_member_funds"
    title, title_cy = "Insufficient member funds", "Dim digon o arian gan aelodau"
    detail = "Some members do not have enough money in the pool (see members): nothing was posted."
    detail_cy = (
        "Nid oes gan rai aelodau ddigon o arian yn y gronfa (gweler members): ni chofnodwyd dim."
    )


class UnbalancedTransaction(InternalError):
    """A programming error: postings must sum to zero. Never shown to a client as such."""
