"""Money forms move money once: each form carries a key of its own (`new_idempotency_key`,
rendered into the form), claimed as the API claims an `Idempotency-Key`, so a form sent twice
(a double click, the browser's back button and send again) does the work the first time only.
"""

import json
from datetime import timedelta

from fastapi import Request
from pydantic import BaseModel

from app.auth.actor import Actor
from app.core.replay import IdempotentReplay
from app.idempotency.service import IdempotencyGuard, request_fingerprint, resource_scope
from app.web.forms import new_idempotency_key
from app.web.pages import Page


async def claim_form(
    page: Page, request: Request, actor: Actor, values: dict[str, str], body: BaseModel
) -> IdempotencyGuard | None:
    """The claim on this form's key, for the work to answer through (`guard.respond`); None
    when the same form was sent before and its work is done (send the person on as then)."""
    guard = IdempotencyGuard(
        session=page.session,
        user_id=actor.user.id,
        endpoint=resource_scope(request, principal_id=actor.principal.id),
        key=values.get("idempotency_key") or new_idempotency_key(),
        fingerprint=request_fingerprint(
            json.dumps(body.model_dump(mode="json"), sort_keys=True).encode()
        ),
        now=page.now,
        retention=timedelta(hours=page.settings.idempotency_retention_hours),
    )
    try:
        await guard.claim()
    except IdempotentReplay:
        return None
    return guard
