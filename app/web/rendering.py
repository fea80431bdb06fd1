"""Templates and the filters they use: texts from the catalogue, labels, money and days."""

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2
from fastapi.templating import Jinja2Templates

from app.core.clock import WALES
from app.core.i18n import Language
from app.notifications import catalogue
from app.reference.labels import LABELS
from app.web.texts import text

TEMPLATES = Path(__file__).resolve().parent / "templates"

# A variable a template names but the page did not give is an error, never a blank.
environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=jinja2.select_autoescape(["html"]),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates = Jinja2Templates(env=environment)


def money(pence: int) -> str:
    """Pence as a person reads money: 123456 -> "£1,234.56", -500 -> "\u2212£5.00" (a minus sign)."""
    pounds, pennies = divmod(abs(pence), 100)
    sign = "\u2212" if pence < 0 else ""
    return f"{sign}£{pounds:,}.{pennies:02d}"


def pounds_field(pence: int | None) -> str:
    """Pence as typed into a form field: 2550 -> "25.50"."""
    if pence is None:
        return ""
    pounds, pennies = divmod(pence, 100)
    return f"{pounds}.{pennies:02d}"


def day_text(value: date | datetime | None, language: Language) -> str:
    """A day in Wales as written in the language: "2 March 2026", "2 Mawrth 2026"."""
    if value is None:
        return ""
    day = value.astimezone(WALES).date() if isinstance(value, datetime) else value
    return catalogue.day_text(day, language)


def time_text(value: datetime | None, language: Language) -> str:
    """A moment in Wales: its day and the time on the 24-hour clock."""
    if value is None:
        return ""
    local = value.astimezone(WALES)
    return f"{day_text(local, language)}, {local:%H:%M}"


def label_in(language: Language) -> Callable[[str, Any], str]:
    def label(enum_name: str, value: Any) -> str:
        """The enum value's label from the API's own catalogue (`/reference/labels`)."""
        key = getattr(value, "value", value)
        return LABELS[enum_name][str(key)][language]

    return label


def texts_in(language: Language) -> Callable[..., str]:
    def t(key: str, **params: Any) -> str:
        return text(key, language, **params)

    return t
