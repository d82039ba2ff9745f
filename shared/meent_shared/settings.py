"""Settings every meent process shares, read from `MEENT_*` environment variables.

Local mode (`MEENT_MODE=local`, set by `make run` and the tests) has working defaults for everything;
any other mode refuses to start while a secret is a placeholder or the JWKS URL is missing.
"""

import datetime as dt
from enum import StrEnum
from typing import Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from meent_shared.events.streams import DUPLICATE_WINDOW_SECONDS, StreamLimits

LOCAL_JWT_SECRET = "meent-local-development-secret-not-for-production"
# Inbox rows outlive the stream's messages by this much (clock skew, a prune just before expiry).
INBOX_MARGIN = dt.timedelta(days=1)

LOCAL_PG_PORT = 55432
LOCAL_NATS_PORT = 4222
LOCAL_NATS_MONITOR_PORT = 8222
SERVICE_PORTS = {
    "gateway": 8000,
    "commons": 8001,
    "volunteers": 8002,
    "spaces": 8003,
    "grants": 8004,
}
# The gateway's operators' port: its /metrics and detailed /readyz (not on the public origin).
LOCAL_GATEWAY_OPERATIONS_PORT = 8090


# Settings without a usable default outside local mode; deployments must provide them.
REQUIRED_IN_PRODUCTION = (
    "database_url",
    "nats_url",
    "nats_password",
    "jwks_url",
    "jwt_secret",
    "mode",
)

# Every process has its own NATS user (see events.nats_access); locally the passwords are fixed.
LOCAL_NATS_ADMIN = "admin"
_LOCAL_NATS_PASSWORD_PREFIX = "meent-local-nats-"


def local_nats_password(user: str) -> str:
    """The development password of a NATS user, for local mode and the tests only."""
    return _LOCAL_NATS_PASSWORD_PREFIX + user


class Mode(StrEnum):
    local = "local"
    production = "production"


def production_password_problems(name: str, password: str, whose: str = "") -> list[str]:
    """What is wrong with a NATS password outside local mode (`name`: its variable)."""
    if not password:
        return [f"{name} is required{whose}"]
    if password.startswith(_LOCAL_NATS_PASSWORD_PREFIX):
        return [f"{name} must not be a local development password"]
    if len(password) < 16:
        return [f"{name} must be at least 16 characters"]
    return []


class StreamSettings(BaseSettings):
    """The streams' limits: the provisioning sets them, every service reads the same values (a
    consumer keeps its inbox rows at least as long)."""

    model_config = SettingsConfigDict(env_prefix="MEENT_", extra="ignore")

    # JetStream stream replicas: 1 locally, 3 in a production cluster.
    stream_replicas: int = Field(default=1, ge=1, le=5)
    # Each stream keeps messages this long, and at most this many bytes (the oldest go first).
    stream_max_age: dt.timedelta = dt.timedelta(days=30)
    stream_max_bytes: int = Field(default=2 * 1024**3, gt=0)

    @property
    def stream_limits(self) -> StreamLimits:
        return StreamLimits(
            max_age_seconds=self.stream_max_age.total_seconds(),
            max_bytes=self.stream_max_bytes,
            replicas=self.stream_replicas,
        )

    @model_validator(mode="after")
    def keep_messages_longer_than_the_duplicate_window(self) -> Self:
        # NATS refuses a stream whose max age is shorter than its duplicate window (error 10052).
        if self.stream_max_age.total_seconds() < DUPLICATE_WINDOW_SECONDS:
            raise ValueError(
                f"MEENT_STREAM_MAX_AGE ({self.stream_max_age}) must be at least the streams' "
                f"duplicate window of {DUPLICATE_WINDOW_SECONDS:.0f} s (NATS refuses a shorter one)"
            )
        return self


class ServiceSettings(StreamSettings):
    """One process's configuration. Each service subclasses it only to set `service_name`."""

    service_name: str = "service"
    mode: Mode = Mode.production
    version: str = "0.1.0"

    # Empty means "the local-mode default" (see `database_url_or_default`).
    database_url: str = ""
    database_pool_size: int = 10
    nats_url: str = f"nats://127.0.0.1:{LOCAL_NATS_PORT}"
    # Empty: the service's own name. The password has a development default in local mode only.
    nats_user: str = ""
    nats_password: str = ""
    # Unset: the stream's max age plus a day. Never shorter than the max age, or an event still in
    # the stream could find its inbox row gone and be applied again by a re-created consumer.
    inbox_retention: dt.timedelta | None = None

    # Outbox relay and event consumers run inside the web process unless turned off, e.g. when a
    # deployment runs them as separate `python -m <service>.worker` processes.
    run_workers: bool = True
    relay_batch_size: int = 500
    relay_poll_seconds: float = 0.2
    consumer_batch_size: int = 100
    # Well above the slowest handler: a message not acked within it is delivered again.
    consumer_ack_wait_seconds: float = 30.0
    # A failing handler is retried after 2 s, 4 s, 8 s ... (at most the max); on delivery number
    # `consumer_max_deliver` a failure parks the event as a dead letter instead.
    consumer_max_deliver: int = Field(default=5, ge=1, le=100)
    consumer_retry_seconds: float = Field(default=2.0, gt=0)
    consumer_retry_max_seconds: float = Field(default=60.0, gt=0)

    max_body_bytes: int = 1_048_576
    # Load shedding: requests running at once per process, and how long one may wait for a turn.
    max_in_flight: int = 64
    queue_seconds: float = 2.0
    log_level: str = "INFO"
    public_url: str = "http://127.0.0.1:8000"
    # The city's IANA time zone: "today", memberships' dates, hours' dates and calls' dates are
    # its local dates, in every service.
    city_timezone: str = "Europe/Amsterdam"

    jwt_secret: str = ""
    jwks_url: str = ""
    # The identity provider's keys: fetched again in the background once this old; a failed fetch
    # keeps the cached keys (for at most jwks_max_stale_seconds) and waits, doubling from
    # jwks_retry_seconds, before the next try. jwks_retry_seconds is also the least time between two
    # fetches an unknown `kid` may cause.
    jwks_cache_seconds: float = 600.0
    jwks_retry_seconds: float = 30.0
    jwks_timeout_seconds: float = 3.0
    jwks_max_stale_seconds: float = 86_400.0
    jwt_issuer: str = "meent-local"
    jwt_audience: str = "meent"

    @field_validator("city_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"MEENT_CITY_TIMEZONE {value!r} is not an IANA time zone") from None
        return value

    def today(self) -> dt.date:
        """Today in the city (MEENT_CITY_TIMEZONE), not on the server's clock."""
        return dt.datetime.now(ZoneInfo(self.city_timezone)).date()

    @property
    def is_local(self) -> bool:
        return self.mode is Mode.local

    @property
    def database_url_or_default(self) -> str:
        if self.database_url:
            return self.database_url
        return f"postgresql+asyncpg://postgres@127.0.0.1:{LOCAL_PG_PORT}/meent_{self.service_name}"

    @property
    def nats_user_or_default(self) -> str:
        return self.nats_user or self.service_name

    @property
    def nats_password_or_default(self) -> str:
        if self.nats_password or not self.is_local:
            return self.nats_password
        return local_nats_password(self.nats_user_or_default)

    @property
    def inbox_keep(self) -> dt.timedelta:
        """How long inbox rows are kept: at least as long as the streams keep messages."""
        return self.inbox_retention or self.stream_max_age + INBOX_MARGIN

    @model_validator(mode="after")
    def keep_inbox_rows_as_long_as_stream_messages(self) -> Self:
        if self.inbox_retention is not None and self.inbox_retention < self.stream_max_age:
            raise ValueError(
                f"MEENT_INBOX_RETENTION ({self.inbox_retention}) is shorter than "
                f"MEENT_STREAM_MAX_AGE ({self.stream_max_age}): an event still in a stream "
                "could be applied twice"
            )
        return self

    def _nats_password_problems(self) -> list[str]:
        return production_password_problems(
            "MEENT_NATS_PASSWORD", self.nats_password, " (the service's own NATS user)"
        )

    @property
    def jwt_secret_or_default(self) -> str:
        return self.jwt_secret or (LOCAL_JWT_SECRET if self.is_local else "")

    @model_validator(mode="after")
    def refuse_placeholders_outside_local_mode(self) -> Self:
        if self.is_local:
            return self
        problems = []
        if not self.database_url:
            problems.append("MEENT_DATABASE_URL is required")
        if not self.jwks_url:
            problems.append("MEENT_JWKS_URL is required")
        if not self.jwt_secret:
            problems.append("MEENT_JWT_SECRET is required (it signs the gateway's API-key tokens)")
        elif self.jwt_secret == LOCAL_JWT_SECRET:
            problems.append("MEENT_JWT_SECRET must not be the local development secret")
        elif len(self.jwt_secret) < 32:
            problems.append("MEENT_JWT_SECRET must be at least 32 characters")
        problems += self._nats_password_problems()
        if problems:
            raise ValueError(
                "refusing to start outside local mode (set MEENT_MODE=local for development): "
                + "; ".join(problems)
            )
        return self
