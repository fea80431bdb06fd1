"""Every text of the web pages, in English and Welsh, in one catalogue.

Each key names a pair (English, Welsh). A page asks for a key the catalogue lacks and
rendering fails; `tests/web/test_texts.py` finds every key the templates and page code use
and fails on one missing or with either language empty. Labels of the API's enums come from
`app.reference.labels`, problems' titles and details from the error classes: the pages keep
no second copy of either.
"""

from typing import Any

from app.core.i18n import Language
from app.web.texts.account import ACCOUNT
from app.web.texts.bank import BANK
from app.web.texts.care import CARE
from app.web.texts.coop import COOP
from app.web.texts.council import COUNCIL
from app.web.texts.desk import DESK
from app.web.texts.holder import HOLDER
from app.web.texts.layout import LAYOUT
from app.web.texts.public import PUBLIC
from app.web.texts.tenders import TENDERS

Pair = tuple[str, str]


def _merged(*parts: dict[str, Pair]) -> dict[str, Pair]:
    merged: dict[str, Pair] = {}
    for part in parts:
        twice = merged.keys() & part.keys()
        if twice:
            raise ValueError(f"texts defined twice: {sorted(twice)}")
        merged.update(part)
    return merged


TEXTS: dict[str, Pair] = _merged(
    LAYOUT, PUBLIC, ACCOUNT, HOLDER, COOP, COUNCIL, BANK, DESK, TENDERS, CARE
)


def text(key: str, language: Language, **params: Any) -> str:
    """The text in `language`, its `{name}` blanks filled from `params`; KeyError when the
    catalogue lacks the key."""
    english, welsh = TEXTS[key]
    template = welsh if language == "cy" else english
    return template.format(**params) if params else template
