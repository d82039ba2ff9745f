"""Streams are bounded by age and size; the publishing service brings an existing stream's limits
in line with its settings, and a consumer never changes another service's stream."""

import uuid

from nats.js.api import StreamConfig

from meent_shared.events.contracts.spaces import ProjectCreated
from meent_shared.testing.helpers import (
    connect_admin,
    publish_events,
    stream_message_count,
    wait_for,
)

WEEK = 7 * 86400.0


async def stream_config(nats_url: str, name: str) -> StreamConfig | None:
    client, js = await connect_admin(nats_url)
    try:
        return (await js.stream_info(name)).config
    except Exception:
        return None
    finally:
        await client.close()


async def test_a_publishing_service_creates_its_stream_bounded(start_service):
    spaces = await start_service("spaces", stream_max_age="P7D", stream_max_bytes=10_000_000)

    async def created() -> bool:
        return await stream_config(spaces.settings.nats_url, "MEENT_SPACES") is not None

    await wait_for(created, what="spaces' stream")
    config = await stream_config(spaces.settings.nats_url, "MEENT_SPACES")
    assert (config.max_age, config.max_bytes) == (WEEK, 10_000_000)
    assert config.subjects == ["meent.spaces.>"]


async def test_an_unbounded_stream_gets_the_limits_and_keeps_its_messages(
    clean_jetstream, start_service
):
    client, js = await connect_admin(clean_jetstream)
    await js.add_stream(StreamConfig(name="MEENT_SPACES", subjects=["meent.spaces.>"]))
    await client.close()
    project = ProjectCreated(project_id=uuid.uuid4(), version=1, name="Tuin", slug="tuin")
    await publish_events(clean_jetstream, [project])
    await start_service("spaces", stream_max_age="P7D", stream_max_bytes=10_000_000)

    async def bounded() -> bool:
        config = await stream_config(clean_jetstream, "MEENT_SPACES")
        return config is not None and config.max_age == WEEK

    await wait_for(bounded, what="the stream's new limits")
    config = await stream_config(clean_jetstream, "MEENT_SPACES")
    assert config.max_bytes == 10_000_000
    assert await stream_message_count(clean_jetstream, "MEENT_SPACES") == 1


async def test_a_consumer_leaves_the_producers_stream_as_it_is(clean_jetstream, start_service):
    client, js = await connect_admin(clean_jetstream)
    await js.add_stream(
        StreamConfig(name="MEENT_SPACES", subjects=["meent.spaces.>"], max_age=3 * WEEK)
    )
    await client.close()
    volunteers = await start_service("volunteers", stream_max_age="P7D")

    async def subscribed() -> bool:
        return any(c.stream_max_age is not None for c in volunteers.runtime.consumers)

    await wait_for(subscribed, what="volunteers to subscribe to spaces' stream")
    config = await stream_config(clean_jetstream, "MEENT_SPACES")
    assert (config.max_age, config.max_bytes) == (3 * WEEK, -1)
