"""Safeguarding errors: a concern is not there for anyone who may not read it."""

from app.core.errors import NotFound


class ConcernNotFound(NotFound):
    detail = "There is no such safeguarding concern, or you may not see it."
    detail_cy = "Nid oes pryder diogelu o'r fath, neu ni chewch ei weld."
