"""Ledger errors."""

from app.core.errors import Conflict, Forbidden, InternalError, NotFound


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


class RefundNotFound(NotFound):
    detail = "There is no such refund in this co-operative, or you may not see it."
    detail_cy = "Nid oes ad-daliad o'r fath yn y cwmni cydweithredol hwn, neu ni chewch ei weld."


class RefundNotPending(Conflict):
    code = "invalid_transition"
    title, title_cy = "Invalid transition", "Newid annilys"
    detail = "This refund is {status}: it is not waiting for this decision."
    detail_cy = "Mae'r ad-daliad hwn yn {status}: nid yw'n aros am y penderfyniad hwn."


class SecondAdminRequired(Forbidden):
    code = "second_admin_required"
    title, title_cy = "A second administrator is required", "Mae angen ail weinyddwr"
    detail = (
        "A refund above the co-operative's threshold must be approved by another "
        "administrator: not the one who asked for it, nor the member it is paid to."
    )
    detail_cy = (
        "Rhaid i weinyddwr arall gymeradwyo ad-daliad uwchlaw trothwy'r cwmni cydweithredol: "
        "nid yr un a ofynnodd amdano, na'r aelod y caiff ei dalu iddo."
    )


class MemberNotActive(Conflict):
    code = "member_not_active"
    title, title_cy = "Member not active", "Nid yw'r aelod yn weithredol"
    detail = "Money can only be paid into the account of an active member."
    detail_cy = "Dim ond i gyfrif aelod gweithredol y gellir talu arian."


class NotYourAccount(Forbidden):
    detail = "Only the member themselves, their representative or an administrator may do this."
    detail_cy = "Dim ond yr aelod ei hun, ei gynrychiolydd neu weinyddwr gaiff wneud hyn."
