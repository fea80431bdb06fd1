import pytest

from app.core.i18n import negotiate


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
