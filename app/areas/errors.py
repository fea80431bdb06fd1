"""Area errors."""

from app.core.errors import NotFound


class AreaNotFound(NotFound):
    code = "area_not_found"
    title, title_cy = "Area not found", "Ardal heb ei chanfod"
    detail = "There is no Welsh principal local authority with code {code}."
    detail_cy = "Nid oes prif awdurdod lleol yng Nghymru â'r cod {code}."
