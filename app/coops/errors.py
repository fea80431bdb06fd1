"""Co-operative and membership errors."""

from app.core.errors import Conflict, Forbidden, NotFound


class CoopNotFound(NotFound):
    detail = "There is no such co-operative, or you are not a member of it."
    detail_cy = "Nid oes cwmni cydweithredol o'r fath, neu nid ydych yn aelod ohono."


class MemberNotFound(NotFound):
    detail = "There is no such member in this co-operative."
    detail_cy = "Nid oes aelod o'r fath yn y cwmni cydweithredol hwn."


class CoopAdminRequired(Forbidden):
    detail = "Only an administrator of this co-operative may do this."
    detail_cy = "Dim ond un o weinyddwyr y cwmni cydweithredol hwn gaiff wneud hyn."


class NotThisMember(Forbidden):
    detail = "Only the member themselves or an administrator of the co-operative may do this."
    detail_cy = "Dim ond yr aelod ei hun neu un o weinyddwyr y cwmni cydweithredol gaiff wneud hyn."


class AlreadyMember(Conflict):
    code = "already_member"
    title, title_cy = "Already a member", "Eisoes yn aelod"
    detail = "You already have a membership of, or an application to, this co-operative."
    detail_cy = "Mae gennych aelodaeth o'r cwmni cydweithredol hwn, neu gais iddo, eisoes."


class LastAdmin(Conflict):
    code = "last_admin"
    title, title_cy = "Last administrator", "Y gweinyddwr olaf"
    detail = (
        "A co-operative must keep at least one active administrator: appoint another one first."
    )
    detail_cy = (
        "Rhaid i gwmni cydweithredol gadw o leiaf un gweinyddwr gweithredol: "
        "penodwch un arall yn gyntaf."
    )


class InvalidMemberTransition(Conflict):
    code = "invalid_transition"
    title, title_cy = "Invalid transition", "Newid annilys"
    detail = "The membership's current status does not allow this."
    detail_cy = "Nid yw statws presennol yr aelodaeth yn caniatáu hyn."


class MemberHasCommitments(Conflict):
    code = "member_has_commitments"
    title, title_cy = "Member has commitments", "Mae gan yr aelod ymrwymiadau"
    detail = "This member has open call-offs or unpaid invoice lines and cannot leave yet."
    detail_cy = (
        "Mae gan yr aelod hwn alwadau agored neu linellau anfoneb heb eu talu, ac ni all adael eto."
    )
