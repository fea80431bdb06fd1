import pytest

from app.core.i18n import choose, negotiate, prefers_welsh


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("cy", "cy"),
        ("cy-GB", "cy"),
        ("en-GB,en;q=0.9", "en"),
        ("en;q=0.5, cy;q=0.8", "cy"),
        ("fr, cy;q=0.1", "cy"),
        ("fr", None),
        ("*", "en"),
        ("cy;q=0, en", "en"),
        ("cy;q=abc", None),
    ],
)
def test_negotiates_the_best_supported_language(header: str | None, expected: str | None) -> None:
    assert negotiate(header) == expected


@pytest.mark.parametrize(
    ("header", "welsh"),
    [
        (None, False),
        ("", False),
        ("cy", True),
        ("cy-GB", True),
        ("CY-gb, en;q=0.9", True),
        ("en-GB,en;q=0.9,cy;q=0.8", False),
        ("en;q=0.5, cy;q=0.8", True),
        ("fr, cy;q=0.9", False),
        ("cy, en", True),
        ("en, cy", False),
        ("*", False),
        ("cy;q=0, en", False),
        ("cy;q=abc", False),
    ],
)
def test_welsh_only_when_it_has_the_highest_weight(header: str | None, welsh: bool) -> None:
    assert prefers_welsh(header) is welsh


@pytest.mark.parametrize(
    ("welsh_by_header", "preferred", "expected"),
    [(True, "en", "cy"), (False, "cy", "cy"), (False, "en", "en"), (False, None, "en")],
)
def test_the_header_then_the_preference_then_english(
    welsh_by_header: bool, preferred: str | None, expected: str
) -> None:
    assert choose(welsh_by_header=welsh_by_header, preferred=preferred) == expected
