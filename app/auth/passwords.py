"""Argon2id password hashing, run off the event loop."""

from functools import cached_property

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.core.config import Settings


class Passwords:
    """Hash and verify in a worker thread: a hash on the loop would stall every other request."""

    def __init__(self, settings: Settings) -> None:
        self._hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_cost=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
        )

    @cached_property
    def _dummy_hash(self) -> str:
        return self._hasher.hash("a password nobody has, so unknown e-mails cost the same")

    async def hash(self, password: str) -> str:
        return await anyio.to_thread.run_sync(self._hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """Verify; with no hash (unknown e-mail) spend the same time and answer False."""
        target = password_hash or self._dummy_hash
        try:
            ok = await anyio.to_thread.run_sync(self._hasher.verify, target, password)
        except (VerificationError, InvalidHashError):
            return False
        return bool(ok) and password_hash is not None

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)
