"""Provider errors."""

from app.core.errors import Conflict, Forbidden, NotFound


class ProviderNotFound(NotFound):
    detail = "There is no such provider, or you may not see it."
    detail_cy = "Nid oes darparwr o'r fath, neu ni chewch ei weld."


class NotProviderStaff(Forbidden):
    detail = "Only this provider's staff or a platform administrator may do this."
    detail_cy = "Dim ond staff y darparwr hwn neu weinyddwr y platfform gaiff wneud hyn."


class CiwServiceIdTaken(Conflict):
    code = "ciw_service_id_taken"
    title, title_cy = "CIW service id already registered", "Rhif gwasanaeth AGC wedi'i gofrestru"
    detail = "Another provider is already registered with this CIW service id."
    detail_cy = "Mae darparwr arall eisoes wedi'i gofrestru gyda'r rhif gwasanaeth AGC hwn."


class StaffNotFound(NotFound):
    detail = "That person is not on the provider's staff."
    detail_cy = "Nid yw'r person hwnnw ar staff y darparwr."


class LastStaff(Conflict):
    code = "last_staff"
    title, title_cy = "Last member of staff", "Yr aelod olaf o staff"
    detail = "A provider must keep at least one member of staff: add another one first."
    detail_cy = "Rhaid i ddarparwr gadw o leiaf un aelod o staff: ychwanegwch un arall yn gyntaf."


class ProviderNameTaken(Conflict):
    code = "provider_name_taken"
    title, title_cy = "Provider name taken", "Enw'r darparwr wedi'i gymryd"
    detail = (
        "A verified provider is already listed under this name (letter case and accents "
        "aside): choose a name people can tell apart."
    )
    detail_cy = (
        "Mae darparwr wedi'i ddilysu eisoes wedi'i restru dan yr enw hwn (heb ystyried "
        "priflythrennau ac acenion): dewiswch enw y gall pobl ei wahaniaethu."
    )


class ProviderHasContracts(Conflict):
    code = "provider_has_contracts"
    title, title_cy = "Provider has running contracts", "Mae gan y darparwr gontractau ar waith"
    detail = (
        "The provider holds a running contract for care it would stop offering (an area or a "
        "service type): it keeps them until the contract ends."
    )
    detail_cy = (
        "Mae gan y darparwr gontract ar waith ar gyfer gofal y byddai'n peidio â'i gynnig (ardal "
        "neu fath o wasanaeth): mae'n eu cadw nes i'r contract ddod i ben."
    )


class NothingToVerify(Conflict):
    code = "invalid_transition"
    title, title_cy = "Invalid transition", "Newid annilys"
    detail = "The provider is verified already and no changes wait to be applied."
    detail_cy = "Mae'r darparwr wedi'i ddilysu eisoes ac nid oes newidiadau'n aros."


class NoPendingChanges(Conflict):
    code = "invalid_transition"
    title, title_cy = "Invalid transition", "Newid annilys"
    detail = "No changes to this provider's listing wait for a decision."
    detail_cy = "Nid oes newidiadau i restriad y darparwr hwn yn aros am benderfyniad."
