"""Areas on the wire."""

from app.core.schemas import Output


class AreaRead(Output):
    code: str
    name_en: str
    name_cy: str
    health_board_code: str
    health_board_name_en: str
    health_board_name_cy: str
