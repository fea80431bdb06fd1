"""Every text of the pages is in the catalogue, in English and in Welsh."""

import re
import string
from pathlib import Path

import pytest

from app.coops.models import MemberStatus
from app.governance.tally import VoteChoice
from app.web.rendering import environment
from app.web.texts import TEXTS, text

WEB = Path(__file__).resolve().parents[2] / "app" / "web"
# t("key"), t('key'), page.t("key"), text("key": every way a page asks for a text.
ASKED = re.compile(r"""\b(?:t|text)\(\s*["']([a-z_]+(?:\.[a-z_]+)+)["']""")
# Keys built from a value: the prefix and every value it can take.
BUILT = {
    "member_status.": [s.value for s in MemberStatus],
    "vote.": [c.value for c in VoteChoice],
}


def asked_for() -> set[str]:
    found: set[str] = set()
    for path in [*WEB.rglob("*.html"), *WEB.glob("*.py")]:
        found |= set(ASKED.findall(path.read_text(encoding="utf-8")))
    for prefix, values in BUILT.items():
        found |= {prefix + value for value in values}
    return found


def test_every_text_a_page_asks_for_is_in_the_catalogue() -> None:
    missing = sorted(asked_for() - TEXTS.keys())
    assert missing == []


def test_the_search_for_texts_finds_them() -> None:
    assert {"layout.skip", "signin.title", "money.csv", "member_status.left"} <= asked_for()


def test_every_built_key_s_prefix_is_used_by_a_template() -> None:
    templates = "".join(p.read_text(encoding="utf-8") for p in WEB.rglob("*.html"))
    for prefix in BUILT:
        assert f'"{prefix}" +' in templates, prefix


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_each_text_has_both_languages_with_the_same_blanks(key: str) -> None:
    english, welsh = TEXTS[key]
    assert english.strip()
    assert welsh.strip()
    blanks = [{f for _, f, _, _ in string.Formatter().parse(s) if f} for s in (english, welsh)]
    assert blanks[0] == blanks[1]


def test_most_texts_are_translated_not_copied() -> None:
    same = [k for k, (en, cy) in TEXTS.items() if en == cy]
    assert len(same) <= 3, same


def test_a_page_asking_for_a_text_the_catalogue_lacks_fails_to_render() -> None:
    page = environment.from_string('{{ t("no.such.text") }}')
    with pytest.raises(KeyError):
        page.render(t=lambda key: text(key, "cy"))


def test_no_text_is_kept_in_the_templates_themselves() -> None:
    """Words in a template outside `t(...)` would have no Welsh: only the names of the two
    languages (each in its own language) and codes may stand there."""
    allowed = {"English", "Cymraeg", "CSV"}
    stray = {}
    for path in WEB.rglob("*.html"):
        source = path.read_text(encoding="utf-8")
        source = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", source, flags=re.S)
        source = re.sub(r"<[^>]+>", " ", source)
        words = {w for w in re.findall(r"[A-Za-zÀ-ÿŵŷŴŶ]{2,}", source) if w not in allowed}
        if words:
            stray[path.name] = sorted(words)
    assert stray == {}
