"""The open sets of handlers, carried by every session the app opens.

A few stories are truly open: what a closed proposal does (by its kind), what deciding a
holder's approval does (by its kind), who checks client credentials at the token endpoint.
Their handlers live in higher packages than the code that calls them, so they are declared
and filled in one place, `app.workflows.registry.build()`, which `create_app` (and the CLI,
and the worker) hands to the sessionmaker. A domain reads its set from the session it was
given; a session opened any other way has no sets, and asking for one fails loudly instead of
quietly doing nothing.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import InternalInconsistency

SESSION_KEY = "open_sets"


@dataclass(frozen=True, slots=True)
class OpenSets:
    """Each set by name: a mapping from a kind to its handler, or a tuple of handlers."""

    keyed: Mapping[str, Mapping[Any, Any]] = field(default_factory=dict)
    ordered: Mapping[str, tuple[Callable[..., Any], ...]] = field(default_factory=dict)

    def session_info(self) -> dict[str, Any]:
        return {SESSION_KEY: self}


def _sets_of(session: AsyncSession) -> OpenSets:
    sets = session.info.get(SESSION_KEY)
    if not isinstance(sets, OpenSets):
        raise InternalInconsistency(
            "this session was not opened by the app's sessionmaker, so it carries no handlers "
            "(open it with create_sessionmaker(engine, app.workflows.registry.build()))"
        )
    return sets


def keyed_set(session: AsyncSession, name: str) -> Mapping[Any, Any]:
    sets = _sets_of(session)
    if name not in sets.keyed:
        raise InternalInconsistency(f"no open set named {name!r} was declared")
    return sets.keyed[name]


def ordered_set(session: AsyncSession, name: str) -> tuple[Callable[..., Any], ...]:
    sets = _sets_of(session)
    if name not in sets.ordered:
        raise InternalInconsistency(f"no open set named {name!r} was declared")
    return sets.ordered[name]
