"""Settings: read once from DPC_* environment variables into one frozen object."""

import base64
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_network
from typing import Literal, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-change-me-0123456789"  # noqa: S105


def async_database_url(url: str) -> str:
    """Map plain sqlite:// and postgresql:// URLs onto the async drivers the service uses."""
    for plain, driver in (
        ("sqlite://", "sqlite+aiosqlite://"),
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgres://", "postgresql+asyncpg://"),
        ("postgresql+psycopg://", "postgresql+asyncpg://"),
        ("postgresql+psycopg2://", "postgresql+asyncpg://"),
    ):
        if url.startswith(plain):
            return driver + url[len(plain) :]
    return url


def parse_networks(value: str) -> tuple[IPv4Network | IPv6Network, ...]:
    """`10.0.0.0/8, 192.0.2.7` -> networks (a bare address is a network of one)."""
    return tuple(
        ip_network(part.strip(), strict=False) for part in value.split(",") if part.strip()
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DPC_", extra="ignore", frozen=True)

    env: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite+aiosqlite:///./dpc.sqlite3"
    secret_key: SecretStr | None = None
    jwt_issuer: str = "dpc"
    jwt_audience: str = "dpc-api"
    access_token_seconds: int = Field(default=900, ge=60, le=900)
    refresh_token_days: int = Field(default=30, ge=1, le=90)
    idempotency_retention_hours: int = Field(default=48, ge=24)
    ocid_prefix: str = "ocds-dpcwales"
    # Named as the publisher of the open-contracting (OCDS) release packages.
    ocds_publisher: str = "Direct Payments co-operatives in Wales"
    # Where the service is reached from outside (scheme, host, any path prefix; no trailing
    # slash): absolute links in open data (OCDS packages' `uri` and `links.next`) start here.
    public_base_url: str = Field(
        default="http://localhost:8000", pattern=r"^https?://[^\s]*[^/\s]$"
    )
    # The licence of the published open data (OCDS packages' `license`): the Open Government
    # Licence v3.0 by default.
    ocds_license: str = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    # The publication policy OCDS packages link to; unset, the one the service itself serves
    # at /api/v1/ocds/publication-policy.
    ocds_policy_url: str | None = None
    cors_origins: list[str] = Field(default_factory=list)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    # Files imported (bank statements) may be larger than other bodies.
    max_import_bytes: int = Field(default=16 * 1024 * 1024, ge=1024)
    log_level: str = "INFO"
    registrations_per_address_per_hour: int = Field(default=20, ge=1)
    redis_url: str | None = None
    # OWASP's first Argon2id recommendation: 19 MiB, two passes, one lane.
    argon2_memory_kib: int = 19_456
    argon2_time_cost: int = 2
    argon2_parallelism: int = 1
    # Rendered provider-directory answers kept per process (0 turns the cache off); each is
    # keyed by the directory's stamp, so a write is visible on the next request regardless.
    directory_cache_entries: int = Field(default=1024, ge=0)
    directory_cache_seconds: float = Field(default=30.0, gt=0)
    # Signs the audit checkpoints: base64 of a raw 32-byte Ed25519 private key. Unset, the key
    # is derived from DPC_SECRET_KEY (HKDF), so every worker signs with the same key.
    audit_signing_key: SecretStr | None = None
    # A request that cannot have a database connection or a row lock within this many seconds
    # answers 503 `busy` with Retry-After instead of queueing (pool timeout, PostgreSQL
    # lock_timeout, SQLite busy timeout).
    db_wait_seconds: float = Field(default=5.0, gt=0, le=60)
    # PostgreSQL cancels any one statement running longer than this (503 `busy`).
    db_statement_timeout_seconds: float = Field(default=30.0, gt=0)
    # A pooled PostgreSQL connection idle for longer than this is pinged before a request
    # uses it (and replaced if the server dropped it); one in steady use is not (a round trip
    # saved on every request), and if the server dropped it meanwhile the request answers 503
    # `busy` and the pool starts afresh.
    db_ping_after_idle_seconds: float = Field(default=5.0, ge=0)
    # Connections each process keeps open, and how many more it may open under a burst.
    db_pool_size: int = Field(default=5, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)
    # /metrics is served only to a bearer of this token, or to a client whose address is in
    # DPC_METRICS_ALLOW (comma-separated IPs or CIDRs; loopback only by default); anyone
    # else is told 404, as if there were nothing there.
    metrics_token: SecretStr | None = None
    metrics_allow: str = "127.0.0.1/32,::1/128"
    # DPC_BENCH_ENDPOINTS=1 adds /bench/bare, the baseline the benchmarks in bench/ compare with.
    bench_endpoints: bool = False
    # Mail: smtp://user:pass@host:587?starttls=true (or smtps://host:465). Unset outside
    # production, messages are written as .eml files to mail_dir instead of being sent.
    smtp_url: SecretStr | None = None
    mail_from: str = "Direct Payments co-operatives <no-reply@localhost>"
    mail_dir: str = "./mail"
    # The outbox worker (`python -m app.cli worker`, or inside the server on SQLite): how long
    # it sleeps between passes when nothing is due, and the first wait before a failed webhook
    # delivery (or e-mail) is tried again; the n-th retry waits base x 2^n, for 24 hours.
    worker_poll_seconds: float = Field(default=2.0, gt=0, le=300)
    webhook_retry_base_seconds: float = Field(default=30.0, gt=0)
    # Run the worker inside the server process: unset, it does so when the database is
    # SQLite (the embedded default) outside the test suite; 1 or 0 forces it on or off.
    worker_in_process: bool | None = None

    @model_validator(mode="after")
    def _audit_signing_key_is_a_key(self) -> Self:
        if self.audit_signing_key is not None:
            try:
                raw = base64.b64decode(self.audit_signing_key.get_secret_value(), validate=True)
            except ValueError as exc:
                raise ValueError("DPC_AUDIT_SIGNING_KEY must be base64") from exc
            if len(raw) != 32:
                raise ValueError(
                    "DPC_AUDIT_SIGNING_KEY must be base64 of a raw 32-byte Ed25519 private key"
                )
        return self

    @model_validator(mode="after")
    def _secret_required_in_production(self) -> Self:
        if self.env == "production":
            secret = self.secret_key.get_secret_value() if self.secret_key else ""
            if not secret or secret == DEVELOPMENT_SECRET_KEY or len(secret) < 32:
                raise ValueError(
                    "DPC_SECRET_KEY (at least 32 characters) is required when DPC_ENV=production"
                )
            if self.bench_endpoints:
                raise ValueError("DPC_BENCH_ENDPOINTS may not be set when DPC_ENV=production")
            if self.smtp_url is None:
                raise ValueError("DPC_SMTP_URL is required when DPC_ENV=production")
            # Published open data links to itself from this address: the development default
            # would send the world to localhost, and the pages' cookies (Secure outside
            # development) are never sent back over plain http.
            if (
                "public_base_url" not in self.model_fields_set
                or not self.public_base_url.startswith("https://")
            ):
                raise ValueError(
                    "DPC_PUBLIC_BASE_URL (https://, the address people reach the service at) "
                    "is required when DPC_ENV=production"
                )
        return self

    @field_validator("metrics_allow")
    @classmethod
    def _metrics_allow_is_addresses(cls, value: str) -> str:
        parse_networks(value)  # a typo must stop the start, not open or close /metrics quietly
        return value

    @property
    def metrics_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        return parse_networks(self.metrics_allow)

    @property
    def ocds_publication_policy(self) -> str:
        return self.ocds_policy_url or f"{self.public_base_url}/api/v1/ocds/publication-policy"

    @property
    def async_database_url(self) -> str:
        return async_database_url(self.database_url)

    @property
    def is_sqlite(self) -> bool:
        return self.async_database_url.startswith("sqlite")

    @property
    def runs_worker_in_process(self) -> bool:
        if self.worker_in_process is not None:
            return self.worker_in_process
        return self.is_sqlite and self.env != "test"

    @property
    def signing_key(self) -> str:
        if self.secret_key is None:
            return DEVELOPMENT_SECRET_KEY
        return self.secret_key.get_secret_value()


@lru_cache
def get_settings() -> Settings:
    return Settings()
