"""Idempotency-Key errors (SPEC section 2)."""

from app.core.errors import BadRequest, Conflict, Unprocessable


class IdempotencyKeyRequired(BadRequest):
    code = "idempotency_key_required"
    title, title_cy = "Idempotency-Key required", "Mae angen Idempotency-Key"
    detail = "This request moves money: send an Idempotency-Key header (1-255 characters)."
    detail_cy = "Mae'r cais hwn yn symud arian: anfonwch bennyn Idempotency-Key (1-255 nod)."


class IdempotencyKeyReused(Unprocessable):
    code = "idempotency_key_reused"
    title, title_cy = "Idempotency-Key reused", "Idempotency-Key wedi'i ailddefnyddio"
    detail = "This Idempotency-Key was already used with a different request body."
    detail_cy = "Defnyddiwyd yr Idempotency-Key hwn eisoes gyda chorff cais gwahanol."


class IdempotencyInProgress(Conflict):
    code = "idempotency_in_progress"
    title, title_cy = "Request in progress", "Cais ar y gweill"
    detail = "A request with this Idempotency-Key is still being processed; retry shortly."
    detail_cy = (
        "Mae cais gyda'r Idempotency-Key hwn yn dal i gael ei brosesu; ceisiwch eto cyn bo hir."
    )
