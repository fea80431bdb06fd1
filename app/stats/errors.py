"""The councils' figures: errors."""

from app.core.errors import NamesTheFields


class PeriodNotWholeMonths(NamesTheFields):
    code = "period_not_whole_months"
    title, title_cy = "Not whole calendar months", "Nid misoedd calendr cyfan"
    detail = (
        "Figures are given for whole calendar months only: 'from' must be the first day of a "
        "month and 'to' the last day of a month, or today (see errors)."
    )
    detail_cy = (
        "Rhoddir ffigurau ar gyfer misoedd calendr cyfan yn unig: rhaid i 'from' fod yn "
        "ddiwrnod cyntaf mis a 'to' yn ddiwrnod olaf mis, neu heddiw (gweler errors)."
    )
