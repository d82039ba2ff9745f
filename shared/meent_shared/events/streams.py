"""JetStream streams: one per publishing service (`MEENT_COMMONS` on `meent.commons.>`, ...)."""

import logging

from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig
from nats.js.errors import NotFoundError

log = logging.getLogger("meent.events.streams")

PUBLISHING_SERVICES = ("commons", "volunteers", "spaces", "grants")
# Long enough to cover a relay's retry of a batch that was partly published before a failure.
DUPLICATE_WINDOW_SECONDS = 600.0


def stream_name(service: str) -> str:
    return f"MEENT_{service.upper()}"


def stream_config(service: str, replicas: int = 1) -> StreamConfig:
    return StreamConfig(
        name=stream_name(service),
        subjects=[f"meent.{service}.>"],
        storage=StorageType.FILE,
        num_replicas=replicas,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
    )


async def ensure_stream(js: JetStreamContext, service: str, replicas: int = 1) -> None:
    """Create the service's stream if it is missing; leave an existing one as it is.

    Consumers call this too, so a consumer can start before its producer ever ran.
    """
    try:
        await js.stream_info(stream_name(service))
    except NotFoundError:
        await js.add_stream(stream_config(service, replicas))
        log.info("created stream", extra={"stream": stream_name(service)})
