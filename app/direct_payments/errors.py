"""Direct Payment errors; the ledger raises these when a contribution breaks the award's rules."""

from app.core.errors import Conflict, Forbidden, NotFound, Unprocessable


class DirectPaymentNotFound(NotFound):
    detail = "No Direct Payment award of yours is in force today."
    detail_cy = "Nid oes dyfarniad Taliad Uniongyrchol i chi mewn grym heddiw."


class NotAHolder(Unprocessable):
    code = "not_a_holder"
    title, title_cy = "Not a Direct Payment holder", "Nid yw'n dderbynnydd Taliad Uniongyrchol"
    detail = "Only members of the service_user class contribute from a Direct Payment."
    detail_cy = (
        "Dim ond aelodau o'r dosbarth defnyddiwr gwasanaeth sy'n cyfrannu o Daliad Uniongyrchol."
    )


class NoDirectPayment(Unprocessable):
    code = "no_direct_payment"
    title, title_cy = "No Direct Payment", "Dim Taliad Uniongyrchol"
    detail = "There is no Direct Payment award in force on {day}."
    detail_cy = "Nid oes dyfarniad Taliad Uniongyrchol mewn grym ar {day}."


class ExceedsDirectPayment(Unprocessable):
    code = "exceeds_direct_payment"
    title, title_cy = "More than the Direct Payment", "Mwy na'r Taliad Uniongyrchol"
    detail = (
        "Contributions in the cycle {first_day} to {last_day} may not exceed four weeks of the "
        "award; {remaining_pence} pence remain."
    )
    detail_cy = (
        "Ni chaiff cyfraniadau yn y cylch {first_day} i {last_day} fod yn fwy na phedair wythnos "
        "o'r dyfarniad; mae {remaining_pence} ceiniog ar ôl."
    )


class AwardNotFound(NotFound):
    detail = "There is no such Direct Payment award paid by your council."
    detail_cy = "Nid oes dyfarniad Taliad Uniongyrchol o'r fath yn cael ei dalu gan eich cyngor."


class AwardConfirmed(Conflict):
    code = "award_confirmed"
    title, title_cy = "Award confirmed", "Dyfarniad wedi'i gadarnhau"
    detail = (
        "Your council has confirmed the award starting {start_date}; only the council may "
        "correct it. A change from a later day starts a new version."
    )
    detail_cy = (
        "Mae eich cyngor wedi cadarnhau'r dyfarniad sy'n dechrau {start_date}; dim ond y cyngor "
        "a gaiff ei gywiro. Mae newid o ddiwrnod diweddarach yn dechrau fersiwn newydd."
    )


class AwardInPast(Unprocessable):
    code = "award_in_past"
    title, title_cy = "Before the latest award", "Cyn y dyfarniad diweddaraf"
    detail = (
        "Your latest award starts on {start_date}; a new version must start on that day "
        "(a correction) or later."
    )
    detail_cy = (
        "Mae eich dyfarniad diweddaraf yn dechrau ar {start_date}; rhaid i fersiwn newydd "
        "ddechrau ar y diwrnod hwnnw (cywiriad) neu'n hwyrach."
    )


class AwardTransitionInvalid(Conflict):
    code = "invalid_transition"
    title, title_cy = "Invalid transition", "Newid statws annilys"
    detail = (
        "This award version is {status}: only a declared version can be rejected (a confirmed "
        "one is corrected by confirming it again)."
    )
    detail_cy = (
        "Mae'r fersiwn hon o'r dyfarniad yn {status}: dim ond fersiwn a ddatganwyd y gellir ei "
        "gwrthod (caiff un a gadarnhawyd ei chywiro drwy ei chadarnhau eto)."
    )


class OwnAward(Forbidden):
    code = "conflict_of_interest"
    title, title_cy = "Conflict of interest", "Gwrthdaro buddiannau"
    detail = "You may not decide your own Direct Payment award."
    detail_cy = "Ni chewch benderfynu ar eich dyfarniad Taliad Uniongyrchol eich hun."
