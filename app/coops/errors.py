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


class LastSafeguardingLead(Conflict):
    code = "last_safeguarding_lead"
    title, title_cy = "Last safeguarding lead", "Yr arweinydd diogelu olaf"
    detail = (
        "A co-operative that has a safeguarding lead must keep at least one active one: mark "
        "another administrator as lead first."
    )
    detail_cy = (
        "Rhaid i gwmni cydweithredol sydd ag arweinydd diogelu gadw o leiaf un gweithredol: "
        "nodwch weinyddwr arall yn arweinydd yn gyntaf."
    )


class SafeguardingLeadRequired(Forbidden):
    code = "safeguarding_lead_required"
    title, title_cy = "A safeguarding lead is required", "Mae angen arweinydd diogelu"
    detail = "Once a co-operative has a safeguarding lead, only a lead may mark or unmark one."
    detail_cy = (
        "Unwaith y bydd gan gwmni cydweithredol arweinydd diogelu, dim ond arweinydd gaiff "
        "nodi neu ddad-nodi un."
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


class RuleChangeNotFound(NotFound):
    detail = "There is no such rule change in this co-operative."
    detail_cy = "Nid oes newid rheolau o'r fath yn y cwmni cydweithredol hwn."


class SameAdmin(Forbidden):
    code = "same_admin"
    title, title_cy = "A different administrator is required", "Mae angen gweinyddwr gwahanol"
    detail = (
        "A change that weakens a safeguard must be approved by an administrator other than "
        "the one who proposed it."
    )
    detail_cy = (
        "Rhaid i weinyddwr heblaw'r un a'i cynigiodd gymeradwyo newid sy'n gwanhau mesur diogelu."
    )


class RuleChangeNotPending(Conflict):
    code = "invalid_transition"
    title, title_cy = "Invalid transition", "Newid annilys"
    detail = "This rule change is {status} and can no longer be decided."
    detail_cy = "Mae'r newid rheolau hwn yn {status} ac ni ellir penderfynu arno mwyach."


class RuleChangeStale(Conflict):
    code = "rule_change_stale"
    title, title_cy = "Rules changed since", "Newidiodd y rheolau ers hynny"
    detail = (
        "The co-operative's rules have changed since this change was proposed: propose it "
        "again over the rules now in force."
    )
    detail_cy = (
        "Mae rheolau'r cwmni cydweithredol wedi newid ers cynnig y newid hwn: cynigiwch ef "
        "eto dros y rheolau sydd mewn grym nawr."
    )
