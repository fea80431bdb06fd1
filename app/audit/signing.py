"""Signed checkpoints of the audit chain (Ed25519).

A checkpoint is the chain's head at a moment: `{seq, hash, at}`. The signed message is the
canonical JSON of exactly those three keys (keys sorted, no spaces, UTF-8), e.g.
`{"at":"2026-03-02T09:00:00.000000+00:00","hash":"<64 hex>","seq":42}`; the signature is
Ed25519 over those bytes, in standard base64. An auditor who keeps checkpoints can later show
that the chain was cut short or rewritten below one (GET /admin/audit/verify?seq=&hash=),
which the chain alone cannot: its remaining entries still chain.

The key is DPC_AUDIT_SIGNING_KEY (base64 of the raw 32-byte Ed25519 private key) or, when
that is unset, derived from DPC_SECRET_KEY with HKDF-SHA256, so every worker signs with the
same key without another secret to distribute.
"""

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.audit.chain import compact_json, format_at
from app.core.config import Settings

ALGORITHM = "Ed25519"
HKDF_SALT = b"dpc audit chain"
HKDF_INFO = b"audit checkpoint signing key, Ed25519, v1"


@dataclass(frozen=True, slots=True)
class SigningKey:
    private: Ed25519PrivateKey
    public_raw: bytes

    @property
    def public_key(self) -> str:
        return base64.b64encode(self.public_raw).decode("ascii")

    @property
    def key_id(self) -> str:
        """The first 16 hex digits of the SHA-256 of the raw public key."""
        return hashlib.sha256(self.public_raw).hexdigest()[:16]

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self.private.sign(message)).decode("ascii")


@lru_cache(maxsize=8)
def _key(configured: str | None, secret: str) -> SigningKey:
    if configured:
        seed = base64.b64decode(configured)  # checked to be 32 bytes when settings load
    else:
        seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=HKDF_SALT, info=HKDF_INFO).derive(
            secret.encode("utf-8")
        )
    private = Ed25519PrivateKey.from_private_bytes(seed)
    public_raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return SigningKey(private=private, public_raw=public_raw)


def signing_key(settings: Settings) -> SigningKey:
    configured = settings.audit_signing_key
    return _key(configured.get_secret_value() if configured else None, settings.signing_key)


def checkpoint_message(seq: int, hash_: str, at: str) -> bytes:
    """What a checkpoint's signature covers: the canonical JSON of {seq, hash, at}."""
    return compact_json({"seq": seq, "hash": hash_, "at": at}).encode("utf-8")


@dataclass(frozen=True, slots=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    signature: str


def sign_checkpoint(key: SigningKey, *, seq: int, hash_: str, at: datetime) -> Checkpoint:
    when = format_at(at)
    return Checkpoint(
        seq=seq, hash=hash_, at=when, signature=key.sign(checkpoint_message(seq, hash_, when))
    )
