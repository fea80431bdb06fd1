"""Language negotiation: Accept-Language (with quality values), then the user's preference."""

from typing import Literal

Language = Literal["en", "cy"]
SUPPORTED: tuple[Language, ...] = ("en", "cy")
DEFAULT_LANGUAGE: Language = "en"


def negotiate(accept_language: str | None) -> Language | None:
    """The best supported language the header asks for, or None when it names none of ours.

    `cy-GB;q=0.9, en;q=0.8` -> "cy"; `fr` -> None (so the user's preference decides);
    `*` -> English. Ties keep the header's order.
    """
    if not accept_language:
        return None
    best: tuple[float, int, Language] | None = None
    for position, part in enumerate(accept_language.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        quality = 1.0
        for parameter in pieces[1:]:
            name, _, value = parameter.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0 or not tag:
            continue
        primary = tag.split("-")[0]
        language: Language | None
        if primary == "*":
            language = DEFAULT_LANGUAGE
        elif primary in SUPPORTED:
            language = "cy" if primary == "cy" else "en"
        else:
            language = None
        if language is None:
            continue
        candidate = (-quality, position, language)
        if best is None or candidate < best:
            best = candidate
    return best[2] if best else None
