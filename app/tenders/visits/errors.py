"""Errors of visits: recording, confirming, querying and settling them, and acting on one's
own work."""

from app.core.errors import Conflict, Forbidden, NotFound, Unprocessable


class VisitNotFound(NotFound):
    detail = "There is no such visit, or you may not see it."
    detail_cy = "Nid oes ymweliad o'r fath, neu ni chewch ei weld."


class VisitNoCallOff(Unprocessable):
    code = "no_call_off"
    title, title_cy = "No call-off", "Dim galwad"
    detail = "The member has no call-off running under this contract on {date}."
    detail_cy = "Nid oes gan yr aelod alwad yn rhedeg o dan y contract hwn ar {date}."


class VisitOverlaps(Unprocessable):
    code = "visit_overlaps"
    title, title_cy = "Visit overlaps another", "Ymweliad yn gorgyffwrdd ag un arall"
    detail = (
        "The member already has a visit under this contract at that time (see visit_ids); a "
        "rejected visit does not count."
    )
    detail_cy = (
        "Mae gan yr aelod ymweliad o dan y contract hwn ar yr adeg honno eisoes (gweler "
        "visit_ids); nid yw ymweliad a wrthodwyd yn cyfrif."
    )


class InvalidVisitTransition(Conflict):
    code = "invalid_transition"
    title, title_cy = "Invalid transition", "Newid annilys"
    detail = "The visit is {status}: that cannot be done now."
    detail_cy = "Mae statws yr ymweliad yn {status}: ni ellir gwneud hynny nawr."


class VisitInvoicedAlready(InvalidVisitTransition):
    detail = "The visit has been invoiced: it cannot change any more."
    detail_cy = "Mae'r ymweliad wedi'i anfonebu: ni all newid mwyach."


class NotTheVisitsMember(Forbidden):
    detail = "Only the member the visit was for, or their representative, may do this."
    detail_cy = "Dim ond yr aelod y bu'r ymweliad iddo, neu ei gynrychiolydd, gaiff wneud hyn."


class ConflictOfInterest(Forbidden):
    code = "conflict_of_interest"
    title, title_cy = "Conflict of interest", "Gwrthdaro buddiannau"
    detail = (
        "A representative never confirms, accepts or queries work they did themselves (as the "
        "worker or the provider's staff): the holder, or another representative, must."
    )
    detail_cy = (
        "Nid yw cynrychiolydd byth yn cadarnhau, yn derbyn nac yn cwestiynu gwaith a wnaeth ei "
        "hun (fel y gweithiwr neu staff y darparwr): rhaid i'r deiliad, neu gynrychiolydd "
        "arall, wneud hynny."
    )
