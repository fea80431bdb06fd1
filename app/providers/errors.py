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
