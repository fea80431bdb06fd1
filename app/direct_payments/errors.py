"""Direct Payment errors; the ledger raises these when a contribution breaks the award's rules."""

from app.core.errors import NotFound, Unprocessable


class DirectPaymentNotFound(NotFound):
    detail = "No Direct Payment award is recorded for you."
    detail_cy = "Nid oes dyfarniad Taliad Uniongyrchol wedi'i gofnodi ar eich cyfer."


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
