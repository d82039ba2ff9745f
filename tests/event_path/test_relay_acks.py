"""The relay marks a row published only once JetStream has acked it: a missing stream or a
refused publish leaves the whole batch waiting, and nothing is lost or sent twice."""

import datetime as dt
import uuid

import pytest
from sqlalchemy import insert

from meent_shared.events.contracts.volunteers import HoursApproved
from meent_shared.events.outbox import PublishRefused, record_event
from meent_shared.events.streams import StreamMissing
from meent_shared.testing.helpers import (
    connect_admin,
    read_stream,
    sql_value,
    stream_message_count,
)
from meent_shared.testing.plugin import provision_streams
from volunteers.db import outbox

UNPUBLISHED = "SELECT count(*) FROM outbox WHERE published_at IS NULL"


def approval(minutes: int = 30) -> HoursApproved:
    return HoursApproved(
        entry_id=uuid.uuid4(),
        version=2,
        person_id="volunteer",
        project_id=uuid.uuid4(),
        activity="gardening",
        worked_on=dt.date(2026, 6, 1),
        minutes=minutes,
        approved_by="coordinator",
    )


@pytest.fixture
async def volunteers(start_service):
    service = await start_service("volunteers", run_workers=False)
    await service.runtime.link.wait_connected(within=10)
    return service


async def record(service, count: int) -> None:
    async with service.runtime.engine.begin() as conn:
        for _ in range(count):
            await record_event(conn, outbox, approval())


async def test_batches_are_published_once_each_with_the_event_id(volunteers):
    relay = volunteers.runtime.relay
    relay.batch_size = 500
    await record(volunteers, 1_200)
    assert [await relay.publish_batch() for _ in range(4)] == [500, 500, 200, 0]
    url = volunteers.settings.nats_url
    messages = await read_stream(url, "MEENT_VOLUNTEERS")
    assert len(messages) == 1_200
    assert all(headers["Nats-Msg-Id"] == str(event.id) for headers, event in messages)
    assert len({event.id for _, event in messages}) == 1_200
    assert sql_value(volunteers.database_url, UNPUBLISHED) == 0


async def test_a_missing_stream_keeps_the_rows_until_it_is_provisioned(volunteers):
    url = volunteers.settings.nats_url
    client, js = await connect_admin(url)
    await js.delete_stream("MEENT_VOLUNTEERS")
    await client.close()
    await record(volunteers, 3)
    relay = volunteers.runtime.relay
    with pytest.raises(StreamMissing, match="MEENT_VOLUNTEERS does not exist"):
        await relay.publish_batch()
    assert sql_value(volunteers.database_url, UNPUBLISHED) == 3

    await provision_streams(url)
    assert await relay.publish_batch() == 3
    assert await stream_message_count(url, "MEENT_VOLUNTEERS") == 3
    assert sql_value(volunteers.database_url, UNPUBLISHED) == 0


async def test_a_publish_jetstream_refuses_keeps_its_whole_batch(volunteers):
    await record(volunteers, 2)
    async with volunteers.runtime.engine.begin() as conn:
        # A row whose headers ask for another stream: JetStream refuses it (error 10060).
        event = approval()
        await conn.execute(
            insert(outbox).values(
                id=uuid.uuid4(),
                subject="meent.volunteers.hours.approved",
                event={"id": str(event.entry_id)},
                headers={"Nats-Expected-Stream": "MEENT_ELSEWHERE"},
            )
        )
    relay = volunteers.runtime.relay
    with pytest.raises(PublishRefused, match="JetStream refused 1 events"):
        await relay.publish_batch()
    assert sql_value(volunteers.database_url, UNPUBLISHED) == 3
    # the two good rows went out; sent again with the batch, JetStream drops them as duplicates
    url = volunteers.settings.nats_url
    assert await stream_message_count(url, "MEENT_VOLUNTEERS") == 2
    with pytest.raises(PublishRefused):
        await relay.publish_batch()
    assert await stream_message_count(url, "MEENT_VOLUNTEERS") == 2
