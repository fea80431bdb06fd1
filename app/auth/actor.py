"""Who is calling: a person, possibly acting for a holder within a mandate."""

import uuid
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.errors import OutsideMandate
from app.auth.models import User


@dataclass(frozen=True, slots=True)
class Mandate:
    """What a holder lets a representative do (scopes from SPEC section 5)."""

    id: uuid.UUID
    scopes: frozenset[str]
    limit_pence_per_cycle: int


@dataclass(frozen=True, slots=True)
class Actor:
    user: User
    on_behalf_of: User | None = None
    mandate: Mandate | None = None
    # The login the caller's token came from (None when not called through a token).
    login_id: uuid.UUID | None = None

    @property
    def principal(self) -> User:
        """The person whose rights and money are in play."""
        return self.on_behalf_of or self.user

    @property
    def is_representing(self) -> bool:
        return self.on_behalf_of is not None

    def require_scope(self, scope: str) -> None:
        """Refuse a representative whose mandate lacks `scope`; acting as oneself always passes."""
        if self.on_behalf_of is not None and (
            self.mandate is None or scope not in self.mandate.scopes
        ):
            raise OutsideMandate


class MandateResolver(Protocol):
    """Finds the live mandate `holder_id` granted `representative`, or None.

    Installed by the representatives domain (app.state.mandate_resolver) so that
    X-On-Behalf-Of is handled once, centrally, for every route.
    """

    def __call__(
        self, session: AsyncSession, *, representative: User, holder_id: uuid.UUID
    ) -> Awaitable[tuple[User, Mandate] | None]: ...
