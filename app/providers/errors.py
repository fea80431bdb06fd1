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
