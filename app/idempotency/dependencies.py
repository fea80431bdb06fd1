"""The Idempotency-Key dependency: required on some POSTs, honoured on the others."""

from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Header, Request

from app.auth.dependencies import AnyActor
from app.core.deps import NowDep, SessionDep, SettingsDep
from app.idempotency.errors import IdempotencyKeyRequired
from app.idempotency.service import IdempotencyGuard, request_fingerprint, resource_scope

KeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description=(
            "1-255 characters. The same key and body return the first answer again; kept at "
            "least 48 hours, per caller, person acted for (X-On-Behalf-Of) and resource."
        ),
    ),
]


def idempotency(*, required: bool) -> Callable[..., Coroutine[Any, Any, IdempotencyGuard]]:
    async def dependency(
        request: Request,
        session: SessionDep,
        actor: AnyActor,
        settings: SettingsDep,
        now: NowDep,
        idempotency_key: KeyHeader = None,
    ) -> IdempotencyGuard:
        if idempotency_key is None and required:
            raise IdempotencyKeyRequired
        guard = IdempotencyGuard(
            session=session,
            user_id=actor.user.id,
            endpoint=resource_scope(request, principal_id=actor.principal.id),
            key=idempotency_key,
            fingerprint=request_fingerprint(await request.body()),
            now=now,
            retention=timedelta(hours=settings.idempotency_retention_hours),
        )
        await guard.claim()
        return guard

    dependency.__name__ = "idempotency_required" if required else "idempotency_optional"
    return dependency


IdempotencyRequired = Annotated[IdempotencyGuard, Depends(idempotency(required=True))]
IdempotencyOptional = Annotated[IdempotencyGuard, Depends(idempotency(required=False))]
