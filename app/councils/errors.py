"""Council access errors."""

from app.core.errors import Forbidden, NotFound


class ApiClientNotFound(NotFound):
    detail = "There is no such API client."
    detail_cy = "Nid oes cleient API o'r fath."


class NotThisArea(Forbidden):
    detail = "You may read figures for your own council area only."
    detail_cy = "Cewch ddarllen ffigurau ar gyfer ardal eich cyngor eich hun yn unig."


class NotACouncil(Forbidden):
    detail = "Only a council's officers and API clients may do this."
    detail_cy = "Dim ond swyddogion a chleientiaid API cyngor a gaiff wneud hyn."


class AppointmentNotFound(NotFound):
    detail = "There is no such officer appointment."
    detail_cy = "Nid oes penodiad swyddog o'r fath."
