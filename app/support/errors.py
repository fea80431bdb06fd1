"""Shared support errors."""

from app.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from app.direct_payments.errors import NotAHolder


class SupportServiceNotFound(NotFound):
    detail = "There is no such support service in this co-operative."
    detail_cy = "Nid oes gwasanaeth cymorth o'r fath yn y cwmni cydweithredol hwn."


class SubscriptionNotFound(NotFound):
    detail = "You are not subscribed to this support service."
    detail_cy = "Nid ydych wedi tanysgrifio i'r gwasanaeth cymorth hwn."


class SubscriberNotAHolder(NotAHolder):
    detail = (
        "Only Direct Payment holders (members of the service_user class) subscribe to shared "
        "services: the monthly charge is paid from the money they pool."
    )
    detail_cy = (
        "Dim ond deiliaid Taliadau Uniongyrchol (aelodau o'r dosbarth defnyddiwr gwasanaeth) "
        "sy'n tanysgrifio i wasanaethau a rennir: telir y tâl misol o'r arian y maent yn ei gronni."
    )


class NoSubscribers(Unprocessable):
    code = "no_subscribers"
    title, title_cy = "No subscribers", "Dim tanysgrifwyr"
    detail = "Nobody subscribed to this service in that month, so there is no one to charge."
    detail_cy = "Ni thanysgrifiodd neb i'r gwasanaeth hwn yn y mis hwnnw, felly nid oes neb i godi tâl arno."


class SupportRequestNotFound(NotFound):
    detail = "There is no such support request, or you may not see it."
    detail_cy = "Nid oes cais am gymorth o'r fath, neu ni chewch ei weld."


class SupportStaffRequired(Forbidden):
    detail = (
        "Only the co-operative's administrators and support workers may do this; the member "
        "who asked may only resolve their request or reopen it once resolved."
    )
    detail_cy = (
        "Dim ond gweinyddwyr a gweithwyr cymorth y cwmni cydweithredol gaiff wneud hyn; ni chaiff "
        "yr aelod a ofynnodd ond datrys ei gais neu ei ailagor ar ôl ei ddatrys."
    )


class AssigneeNotAWorker(Unprocessable):
    code = "assignee_not_a_worker"
    title, title_cy = "Assignee is not a support worker", "Nid yw'r aelod yn weithiwr cymorth"
    detail = "A request can only be assigned to an active worker member of this co-operative."
    detail_cy = (
        "Dim ond i aelod gweithredol o'r cwmni cydweithredol hwn yn y dosbarth gweithiwr y gellir "
        "neilltuo cais."
    )


class AlreadyCharged(Conflict):
    code = "already_charged"
    title, title_cy = "Already charged", "Codwyd tâl eisoes"
    detail = "This service has already been charged for {period}: nothing was posted."
    detail_cy = "Codwyd tâl am y gwasanaeth hwn eisoes am {period}: ni chofnodwyd dim."
