"""Platform administration of the audit chain, and the key its checkpoints are signed with."""

from typing import Annotated

from fastapi import Query
from pydantic import Field

from app.audit import service
from app.audit.chain import GENESIS_HASH
from app.audit.models import AuditChainHead
from app.audit.schemas import HEX_HASH, AuditCheckpoint, AuditPublicKey, AuditVerification
from app.audit.signing import ALGORITHM, sign_checkpoint, signing_key
from app.auth.dependencies import PlatformAdmin
from app.auth.errors import PlatformAdminRequired
from app.core.deps import NowDep, SessionDep, SettingsDep
from app.core.errors import ValidationFailed, problems
from app.core.routing import Router
from app.core.schemas import DigitsOnly

router = Router()


@router.get(
    "/admin/audit/verify",
    tags=["admin"],
    response_model=AuditVerification,
    responses=problems(PlatformAdminRequired),
)
async def verify_audit_chain(
    session: SessionDep,
    actor: PlatformAdmin,
    seq: Annotated[
        Annotated[int, Field(ge=0, le=2**63 - 1), DigitsOnly] | None,
        Query(description="A kept checkpoint's `seq` (give `hash` with it)."),
    ] = None,
    hash: Annotated[
        str | None,
        Query(pattern=HEX_HASH, description="A kept checkpoint's `hash` (give `seq` with it)."),
    ] = None,
) -> AuditVerification:
    """Recompute the whole hash chain; `first_bad_seq` names the first entry that fails.

    The chain alone cannot show that its newest entries were removed and its head wound
    back (what is left still chains). Given a checkpoint you kept (GET
    /admin/audit/checkpoint), it also checks that the entry at that `seq` is still there with
    that `hash`: `ok` is false, and `first_bad_seq` the first entry missing, when the chain
    was cut short below it, or the checkpoint's `seq` when that entry differs."""
    del actor
    if (seq is None) != (hash is None):
        missing = "hash" if hash is None else "seq"
        raise ValidationFailed(
            [{"loc": ["query", missing], "msg": "A checkpoint is given as seq and hash together."}]
        )
    kept = service.KeptCheckpoint(seq=seq, hash=hash) if seq is not None and hash else None
    result = await service.verify_chain(session, checkpoint=kept)
    return AuditVerification(
        ok=result.ok, entries_checked=result.entries_checked, first_bad_seq=result.first_bad_seq
    )


@router.get(
    "/admin/audit/checkpoint",
    tags=["admin"],
    response_model=AuditCheckpoint,
    responses=problems(PlatformAdminRequired),
)
async def audit_checkpoint(
    session: SessionDep, actor: PlatformAdmin, settings: SettingsDep, now: NowDep
) -> AuditCheckpoint:
    """The chain's head now, signed with Ed25519 (the public key is at GET
    /api/v1/audit/public-key). The signature covers the UTF-8 bytes of the canonical JSON of
    `{"at", "hash", "seq"}` (keys sorted, no spaces). Keep checkpoints somewhere the service
    cannot write: one later passed to GET /admin/audit/verify shows a chain cut short or
    rewritten below it."""
    del actor
    head = await session.get(AuditChainHead, 1)
    seq, last_hash = (head.last_seq, head.last_hash) if head else (0, GENESIS_HASH)
    signed = sign_checkpoint(signing_key(settings), seq=seq, hash_=last_hash, at=now)
    return AuditCheckpoint(
        seq=signed.seq, hash=signed.hash, at=signed.at, signature=signed.signature
    )


@router.get(
    "/audit/public-key", tags=["audit"], response_model=AuditPublicKey, responses=problems()
)
async def audit_public_key(settings: SettingsDep) -> AuditPublicKey:
    """The Ed25519 public key audit checkpoints are signed with (public): `public_key` is
    standard base64 of the raw 32 bytes; `key_id` the first 16 hex digits of its SHA-256."""
    key = signing_key(settings)
    return AuditPublicKey(algorithm=ALGORITHM, public_key=key.public_key, key_id=key.key_id)
