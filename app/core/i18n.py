"""Language negotiation: Welsh when the header puts Welsh first, else the person's preference.

The rule (SPEC section 25): Welsh is answered when `cy` (any region) has the highest weight
in `Accept-Language`; otherwise, with a valid token, the person's `preferred_language`;
otherwise English. Browsers send an English header whatever their user prefers, so a header
naming English never overrides a stated preference for Welsh.
"""

from typing import Literal

Language = Literal["en", "cy"]
SUPPORTED: tuple[Language, ...] = ("en", "cy")
DEFAULT_LANGUAGE: Language = "en"


def _ranges(accept_language: str) -> list[tuple[float, int, str]]:
    """(quality, position, primary subtag) of every range the header names with q > 0."""
    ranges = []
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
        if quality > 0 and tag:
            ranges.append((quality, position, tag.split("-")[0]))
    return ranges


def prefers_welsh(accept_language: str | None) -> bool:
    """True when Welsh has the highest weight in the header (ties go to the earlier range, as
    the person listed them): `cy`, `cy-GB, en;q=0.9`; not `en-GB, cy;q=0.8`, nor `*`."""
    if not accept_language:
        return False
    ranges = _ranges(accept_language)
    if not ranges:
        return False
    _, _, first = min(ranges, key=lambda r: (-r[0], r[1]))
    return first == "cy"


def negotiate(accept_language: str | None) -> Language | None:
    """The best supported language the header asks for, or None when it names none of ours.

    `cy-GB;q=0.9, en;q=0.8` -> "cy"; `fr` -> None; `*` -> English. Ties keep the header's
    order. (Which language an answer is in follows `prefers_welsh` and the person's
    preference; this is for callers that only have a header.)
    """
    best: tuple[float, int, Language] | None = None
    for quality, position, primary in _ranges(accept_language or ""):
        language: Language | None
        if primary == "*":
            language = DEFAULT_LANGUAGE
        elif primary in SUPPORTED:
            language = "cy" if primary == "cy" else "en"
        else:
            continue
        candidate = (-quality, position, language)
        if best is None or candidate < best:
            best = candidate
    return best[2] if best else None


def choose(*, welsh_by_header: bool, preferred: str | None) -> Language:
    """The answer's language: Welsh by header, else the signed-in person's preference, else
    English."""
    if welsh_by_header or preferred == "cy":
        return "cy"
    return DEFAULT_LANGUAGE
