"""Errors of invoices built from visits, and of the dispute window."""

from app.core.errors import Conflict, Unprocessable


class VisitInvoiced(Conflict):
    code = "visit_invoiced"
    title, title_cy = "Visit already invoiced", "Ymweliad wedi'i anfonebu eisoes"
    detail = "Some visits are already on an invoice line that is not voided (see visit_ids)."
    detail_cy = (
        "Mae rhai ymweliadau ar linell anfoneb nad yw wedi'i dileu eisoes (gweler visit_ids)."
    )


class VisitNotConfirmed(Conflict):
    code = "visit_not_confirmed"
    title, title_cy = "Visit not confirmed", "Ymweliad heb ei gadarnhau"
    detail = (
        "Only confirmed visits are invoiced; some named are still to confirm, queried or "
        "rejected (see visit_ids)."
    )
    detail_cy = (
        "Dim ond ymweliadau a gadarnhawyd a anfonebir; mae rhai a enwyd eto i'w cadarnhau, "
        "wedi'u cwestiynu neu wedi'u gwrthod (gweler visit_ids)."
    )


class NoVisits(Unprocessable):
    code = "no_visits"
    title, title_cy = "No visits to invoice", "Dim ymweliadau i'w hanfonebu"
    detail = "No confirmed visit in this period is left to invoice under this contract."
    detail_cy = (
        "Nid oes ymweliad a gadarnhawyd yn y cyfnod hwn ar ôl i'w anfonebu o dan y contract hwn."
    )


class VisitsRequired(Unprocessable):
    code = "visits_required"
    title, title_cy = "Visits required", "Mae angen ymweliadau"
    detail = (
        "The co-operative invoices recorded visits only: every line must name its visit_ids, "
        "or invoice with from_visits (see lines, by position)."
    )
    detail_cy = (
        "Mae'r cwmni cydweithredol yn anfonebu ymweliadau a gofnodwyd yn unig: rhaid i bob "
        "llinell enwi ei visit_ids, neu anfonebwch gyda from_visits (gweler lines, yn ôl safle)."
    )


class DisputeWindowOpen(Conflict):
    code = "dispute_window_open"
    title, title_cy = "Dispute window open", "Cyfnod herio ar agor"
    detail = (
        "The members may still dispute this invoice: it can be approved from {opens_at}, or "
        "sooner once every line is accepted or built from visits they confirmed."
    )
    detail_cy = (
        "Gall yr aelodau herio'r anfoneb hon o hyd: gellir ei chymeradwyo o {opens_at}, neu'n "
        "gynt pan fydd pob llinell wedi'i derbyn neu wedi'i hadeiladu o ymweliadau a "
        "gadarnhawyd ganddynt."
    )
