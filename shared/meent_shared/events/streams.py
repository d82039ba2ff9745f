"""JetStream streams: one per publishing service (`MEENT_COMMONS` on `meent.commons.>`, ...),
bounded by age and size (the oldest messages go first).

The publishing service owns its stream: it creates it and brings an existing one's limits in line
with its settings. Consumers only read a stream's limits, to keep their inbox rows at least as
long as the stream keeps messages.
"""

import logging
from dataclasses import dataclass

from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig, StreamInfo
from nats.js.errors import NotFoundError

log = logging.getLogger("meent.events.streams")

PUBLISHING_SERVICES = ("commons", "volunteers", "spaces", "grants")
# Long enough to cover a relay's retry of a batch that was partly published before a failure.
DUPLICATE_WINDOW_SECONDS = 600.0
DEFAULT_MAX_AGE_SECONDS = 30 * 86400.0
DEFAULT_MAX_BYTES = 2 * 1024**3


@dataclass(frozen=True)
class StreamLimits:
    max_age_seconds: float = DEFAULT_MAX_AGE_SECONDS
    max_bytes: int = DEFAULT_MAX_BYTES
    replicas: int = 1


class StreamMissing(LookupError):
    """The producer has not created its stream yet; a consumer waits for it."""


def stream_name(service: str) -> str:
    return f"MEENT_{service.upper()}"


def stream_config(service: str, limits: StreamLimits) -> StreamConfig:
    return StreamConfig(
        name=stream_name(service),
        subjects=[f"meent.{service}.>"],
        storage=StorageType.FILE,
        num_replicas=limits.replicas,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
        max_age=limits.max_age_seconds,
        max_bytes=limits.max_bytes,
    )


def _differences(have: StreamConfig, want: StreamConfig) -> dict[str, tuple[object, object]]:
    """The settings of `want` that `have` does not match (times compared to the millisecond)."""
    found: dict[str, tuple[object, object]] = {}
    for name in ("subjects", "num_replicas", "max_bytes"):
        if getattr(have, name) != getattr(want, name):
            found[name] = (getattr(have, name), getattr(want, name))
    for name in ("max_age", "duplicate_window"):
        if abs((getattr(have, name) or 0.0) - (getattr(want, name) or 0.0)) > 0.001:
            found[name] = (getattr(have, name), getattr(want, name))
    return found


async def ensure_stream(js: JetStreamContext, service: str, limits: StreamLimits) -> StreamInfo:
    """Create the service's own stream, or update an existing one whose limits differ."""
    want = stream_config(service, limits)
    try:
        info = await js.stream_info(want.name or "")
    except NotFoundError:
        info = await js.add_stream(want)
        log.info("created stream", extra={"stream": want.name})
        return info
    changes = _differences(info.config, want)
    if not changes:
        return info
    info = await js.update_stream(want)
    log.info("updated stream", extra={"stream": want.name, "changes": changes})
    return info


async def stream_of(js: JetStreamContext, service: str) -> StreamInfo:
    """Another service's stream, as it is; `StreamMissing` until its producer has created it."""
    try:
        return await js.stream_info(stream_name(service))
    except NotFoundError:
        raise StreamMissing(stream_name(service)) from None
