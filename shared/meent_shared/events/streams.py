"""JetStream streams: one per publishing service (`MEENT_COMMONS` on `meent.commons.>`, ...),
bounded by age and size (the oldest messages go first).

Operators own the streams: `python -m meent_shared.events.provision` creates them with the
administrator's credentials and brings existing ones in line with the configured limits. A
service's NATS user may not create, change, purge or delete any stream (a stream's RePublish,
sources or subjects would let it put messages into another service's stream): it only reads
stream information. Consumers read a stream's config before consuming (`stream_problem`) and its
limits, to keep their inbox rows at least as long as the stream keeps messages.
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
PROVISION_COMMAND = "python -m meent_shared.events.provision"


@dataclass(frozen=True)
class StreamLimits:
    max_age_seconds: float = DEFAULT_MAX_AGE_SECONDS
    max_bytes: int = DEFAULT_MAX_BYTES
    replicas: int = 1


class StreamMissing(LookupError):
    """The stream has not been provisioned yet; its producer and its consumers wait for it."""


class StreamRefused(RuntimeError):
    """The stream is not configured as provisioned: it could hold messages another service put in
    (RePublish, sources, a mirror, wider subjects), so no consumer reads it."""


def stream_name(service: str) -> str:
    return f"MEENT_{service.upper()}"


def service_of_stream(stream: str) -> str:
    """`MEENT_VOLUNTEERS` -> `volunteers`."""
    return stream.removeprefix("MEENT_").lower()


def stream_subjects(service: str) -> list[str]:
    return [f"meent.{service}.>"]


def stream_config(service: str, limits: StreamLimits) -> StreamConfig:
    return StreamConfig(
        name=stream_name(service),
        subjects=stream_subjects(service),
        storage=StorageType.FILE,
        num_replicas=limits.replicas,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
        max_age=limits.max_age_seconds,
        max_bytes=limits.max_bytes,
    )


def stream_problem(config: StreamConfig, service: str) -> str | None:
    """Why the service's stream cannot be trusted to hold only what the service published; None
    when it captures exactly `meent.<service>.>` and takes in nothing from elsewhere."""
    name = stream_name(service)
    if config.subjects != stream_subjects(service):
        return f"{name} captures {config.subjects}, not exactly {stream_subjects(service)}"
    for setting in ("republish", "mirror", "sources", "subject_transform"):
        if getattr(config, setting):
            return f"{name} has a {setting} setting, which no provisioned stream has"
    return None


def _differences(have: StreamConfig, want: StreamConfig) -> dict[str, tuple[object, object]]:
    """The settings of `want` that `have` does not match (times compared to the millisecond)."""
    found: dict[str, tuple[object, object]] = {}
    for name in (
        "subjects",
        "num_replicas",
        "max_bytes",
        "republish",
        "sources",
        "subject_transform",
    ):
        if (getattr(have, name) or None) != (getattr(want, name) or None):
            found[name] = (getattr(have, name), getattr(want, name))
    for name in ("max_age", "duplicate_window"):
        if abs((getattr(have, name) or 0.0) - (getattr(want, name) or 0.0)) > 0.001:
            found[name] = (getattr(have, name), getattr(want, name))
    return found


async def ensure_stream(js: JetStreamContext, service: str, limits: StreamLimits) -> str:
    """Create the service's stream, or bring an existing one in line (limits, subjects, no
    RePublish or sources); needs the administrator's rights. Returns what was done."""
    want = stream_config(service, limits)
    try:
        info = await js.stream_info(want.name or "")
    except NotFoundError:
        await js.add_stream(want)
        log.info("created stream", extra={"stream": want.name})
        return "created"
    if info.config.mirror:
        # A mirror cannot become a stream of its own: only deleting it (and its messages) would.
        raise StreamRefused(f"{want.name}: {stream_problem(info.config, service)}; delete it")
    changes = _differences(info.config, want)
    if not changes:
        return "unchanged"
    await js.update_stream(want)
    log.info("updated stream", extra={"stream": want.name, "changes": changes})
    return "updated"


async def stream_of(js: JetStreamContext, service: str) -> StreamInfo:
    """A service's stream, as it is; `StreamMissing` until it has been provisioned."""
    try:
        return await js.stream_info(stream_name(service))
    except NotFoundError:
        raise StreamMissing(
            f"{stream_name(service)} does not exist yet (run `{PROVISION_COMMAND}`)"
        ) from None


async def trusted_stream(js: JetStreamContext, service: str) -> StreamInfo:
    """The service's stream, if it is configured as provisioned; `StreamMissing` or
    `StreamRefused` otherwise."""
    info = await stream_of(js, service)
    if problem := stream_problem(info.config, service):
        raise StreamRefused(problem)
    return info
