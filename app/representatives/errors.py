"""Mandate and approval errors (refusals of X-On-Behalf-Of itself live in app.auth.errors)."""

from app.auth.errors import OutsideMandate, TooManyAttempts
from app.core.errors import Conflict, Forbidden, NotFound


class MandateNotFound(NotFound):
    detail = "You have granted no such mandate."
    detail_cy = "Nid ydych wedi rhoi mandad o'r fath."


class MandateExists(Conflict):
    code = "mandate_exists"
    title, title_cy = "Mandate exists", "Mae mandad yn bodoli"
    detail = "This person already holds a live mandate from you: revoke it first to change it."
    detail_cy = "Mae gan y person hwn fandad byw gennych eisoes: dirymwch ef yn gyntaf i'w newid."


class BeyondMandateLimit(OutsideMandate):
    detail = (
        "This would take what you have moved for this holder in the cycle {first_day} to "
        "{last_day} beyond your mandate's limit of {limit}."
    )
    detail_cy = (
        "Byddai hyn yn mynd â'r hyn rydych wedi'i symud ar ran y deiliad hwn yn y cylch "
        "{first_day} i {last_day} y tu hwnt i derfyn eich mandad, sef {limit}."
    )


class ApprovalNotFound(NotFound):
    detail = "Nothing with this id is waiting for your approval."
    detail_cy = "Nid oes dim byd gyda'r id hwn yn aros am eich cymeradwyaeth."


class ApprovalDecided(Conflict):
    code = "invalid_transition"
    title, title_cy = "Invalid transition", "Newid annilys"
    detail = "This has already been approved or refused."
    detail_cy = "Mae hyn eisoes wedi'i gymeradwyo neu ei wrthod."


class OfferedMandateNotFound(NotFound):
    detail = "Nobody has given you a mandate with this id."
    detail_cy = "Nid oes neb wedi rhoi mandad gyda'r id hwn i chi."


class MandateNotInvited(Conflict):
    code = "invalid_transition"
    title, title_cy = "Invalid transition", "Newid annilys"
    detail = "Only a mandate waiting for your answer can be accepted or declined."
    detail_cy = "Dim ond mandad sy'n aros am eich ateb y gellir ei dderbyn neu ei wrthod."


class TooManyGrants(TooManyAttempts):
    detail = "You have granted too many mandates this hour. Try again in {retry_after} seconds."
    detail_cy = (
        "Rydych wedi rhoi gormod o fandadau yr awr hon. "
        "Rhowch gynnig arall arni ymhen {retry_after} eiliad."
    )


class ConflictOfInterest(Conflict):
    code = "conflict_of_interest"
    title, title_cy = "Conflict of interest", "Gwrthdaro buddiannau"
    detail = (
        "This person stands to gain from the holder's spending (staff of a provider with a "
        "call-off for the holder, or a worker employed for them), so they may not pay in or "
        "ask for refunds for the holder: leave out the scopes named in `scopes`."
    )
    detail_cy = (
        "Mae'r person hwn yn elwa ar wariant y deiliad (staff darparwr sydd â galwad am y "
        "deiliad, neu weithiwr a gyflogir ar ei gyfer), felly ni chaiff dalu i mewn na gofyn "
        "am ad-daliadau ar ran y deiliad: gadewch y cwmpasau a enwir yn `scopes` allan."
    )


class NotTheDecider(Forbidden):
    detail = (
        "This waits for the person named to approve for you, or for the co-operative's "
        "administrators: it is not yours to decide."
    )
    detail_cy = (
        "Mae hyn yn aros am y person a enwyd i gymeradwyo ar eich rhan, neu am weinyddwyr y "
        "cwmni cydweithredol: nid chi sy'n penderfynu."
    )


class AdminApprovalNotFound(NotFound):
    detail = "Nothing with this id waits for this co-operative's administrators to approve."
    detail_cy = (
        "Nid oes dim byd gyda'r id hwn yn aros i weinyddwyr y cwmni cydweithredol hwn ei "
        "gymeradwyo."
    )


class NotAnIndependentAdmin(Forbidden):
    code = "second_admin_required"
    title, title_cy = "A different administrator is required", "Mae angen gweinyddwr gwahanol"
    detail = (
        "Two administrators approve this, neither of them the person who asked for it nor "
        "the holder it is for."
    )
    detail_cy = (
        "Mae dau weinyddwr yn cymeradwyo hyn, a'r un ohonynt yw'r person a ofynnodd amdano "
        "na'r deiliad y mae ar ei gyfer."
    )
