"""Every e-mail's text exists in English and Welsh, with the same blanks."""

import string

import pytest

from app.mail.catalogue import CATALOGUE, compose, render


def blanks(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_message_is_in_both_languages_with_the_same_blanks(key: str) -> None:
    texts = CATALOGUE[key]
    assert set(texts) == {"en", "cy"}, key
    english, welsh = texts["en"], texts["cy"]
    for part in ("subject", "body"):
        en, cy = getattr(english, part), getattr(welsh, part)
        assert en.strip(), (key, part)
        assert cy.strip(), (key, part)
        assert en != cy, (key, part)
        assert blanks(en) == blanks(cy), (key, part)


def test_a_message_is_filled_in_and_signed_in_its_language() -> None:
    text = render("account.password_reset", "cy", full_name="Siân", token="abc", minutes=30)
    assert text.subject == "Ailosod eich cyfrinair"
    assert "Helo Siân" in text.body
    assert "abc" in text.body
    assert "30 munud" in text.body
    assert text.body.rstrip().endswith("Cydweithfeydd Taliadau Uniongyrchol")
    mail = compose(
        "account.password_reset", "en", to="a@example.org", full_name="A", token="t", minutes=30
    )
    assert (mail.to, mail.language, mail.subject) == ("a@example.org", "en", "Reset your password")
