"""Relays and consumers as separate processes sharing the work: every event once, none twice."""

import datetime as dt
import uuid

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from meent_shared.db import async_url
from meent_shared.events.contracts.volunteers import HoursApproved
from meent_shared.events.outbox import record_event
from meent_shared.testing.helpers import (
    connect_admin,
    consumer_info,
    publish_events,
    spawn,
    spawn_worker,
    sql_value,
    stream_message_count,
    wait_for,
)
from volunteers.db import outbox as volunteers_outbox

pytestmark = pytest.mark.slow
PROJECTS = [uuid.uuid4() for _ in range(20)]


def approved_minutes(count: int, minutes: int = 1) -> list[HoursApproved]:
    """`count` approvals of `minutes` each, spread over 20 projects."""
    return [
        HoursApproved(
            entry_id=uuid.uuid4(),
            version=2,
            person_id=f"volunteer-{n % 37}",
            project_id=PROJECTS[n % len(PROJECTS)],
            activity="gardening",
            worked_on=dt.date(2026, 6, 1),
            minutes=minutes,
            approved_by="coordinator",
        )
        for n in range(count)
    ]


def worker_env(database_url: str, nats_url: str, **extra: str) -> dict[str, str]:
    return {"MEENT_DATABASE_URL": database_url, "MEENT_NATS_URL": nats_url, **extra}


async def fill_outbox(database_url: str, payloads: list[HoursApproved]) -> None:
    engine = create_async_engine(async_url(database_url))
    async with engine.begin() as conn:
        for payload in payloads:
            await record_event(conn, volunteers_outbox, payload)
    await engine.dispose()


async def test_two_relay_processes_publish_10000_rows_exactly_once(make_database, clean_jetstream):
    database_url = make_database("volunteers")
    await fill_outbox(database_url, approved_minutes(10_000))
    env = worker_env(database_url, clean_jetstream, MEENT_RELAY_BATCH_SIZE="200")
    relays = [spawn_worker("volunteers", env, "--no-consumers") for _ in range(2)]
    unpublished = "SELECT count(*) FROM outbox WHERE published_at IS NULL"

    async def drained() -> bool:
        return sql_value(database_url, unpublished) == 0

    try:
        await wait_for(drained, within=120, what="the outbox to drain")
    finally:
        reports = [relay.stop() for relay in relays]
    published = [report["published"] for report in reports]
    # SKIP LOCKED: no row went out from both relays (JetStream's dedup would hide it in the stream).
    assert sum(published) == 10_000, published
    assert await stream_message_count(clean_jetstream, "MEENT_VOLUNTEERS") == 10_000


async def test_two_consumer_processes_apply_10000_events_exactly_once(
    make_database, clean_jetstream
):
    await publish_events(clean_jetstream, approved_minutes(10_000))
    database_url = make_database("grants")
    env = worker_env(database_url, clean_jetstream)
    consumers = [spawn_worker("grants", env, "--no-relay") for _ in range(2)]

    async def all_recorded() -> bool:
        return sql_value(database_url, "SELECT count(*) FROM inbox") == 10_000

    try:
        await wait_for(all_recorded, within=150, what="10,000 inbox rows")
        info = await consumer_info(clean_jetstream, "MEENT_VOLUNTEERS", "grants")
        await wait_for(lambda: _acked(clean_jetstream), within=30, what="every message acked")
    finally:
        reports = [consumer.stop() for consumer in consumers]
    applied = [report["consumed"]["volunteers"]["applied"] for report in reports]
    assert sum(applied) == 10_000, applied
    assert info.num_pending == 0
    # Each approval is one row, applied by one process only (the inbox and the shared consumer).
    assert sql_value(database_url, "SELECT sum(minutes) FROM approved_hour_entry") == 10_000
    assert sql_value(database_url, "SELECT count(*) FROM approved_hour_entry") == 10_000


async def _acked(nats_url: str) -> bool:
    info = await consumer_info(nats_url, "MEENT_VOLUNTEERS", "grants")
    return info.num_ack_pending == 0 and info.num_pending == 0


CRASH_AFTER_COMMIT = """
import asyncio, os, sys
from grants.main import build_runtime

async def main():
    runtime = build_runtime()
    async def crash(messages):
        # The batch is committed; the process dies before a single ack is sent.
        os._exit(17)
    for consumer in runtime.consumers:
        consumer.after_commit = crash
    await runtime.start(relay=False)
    await asyncio.sleep(60)

asyncio.run(main())
"""


async def test_a_consumer_killed_before_its_ack_gets_the_event_again_and_applies_it_once(
    make_database, clean_jetstream
):
    await publish_events(clean_jetstream, approved_minutes(1, minutes=45))
    database_url = make_database("grants")
    env = worker_env(database_url, clean_jetstream, MEENT_CONSUMER_ACK_WAIT_SECONDS="2")

    crashing = spawn(["-c", CRASH_AFTER_COMMIT], env)
    assert crashing.process.wait(timeout=60) == 17, crashing.log_tail()
    assert sql_value(database_url, "SELECT sum(minutes) FROM approved_hour_entry") == 45
    info = await consumer_info(clean_jetstream, "MEENT_VOLUNTEERS", "grants")
    assert info.num_ack_pending == 1  # committed, never acked

    survivor = spawn_worker("grants", env, "--no-relay")
    try:
        await wait_for(lambda: _acked(clean_jetstream), within=30, what="the redelivery's ack")
    finally:
        report = survivor.stop()
    assert report["consumed"]["volunteers"]["duplicates"] == 1  # it did arrive again ...
    assert report["consumed"]["volunteers"]["applied"] == 0  # ... and changed nothing
    assert sql_value(database_url, "SELECT sum(minutes) FROM approved_hour_entry") == 45
    assert sql_value(database_url, "SELECT count(*) FROM inbox") == 1


async def test_a_re_created_consumer_after_pruned_inbox_rows_changes_no_total(
    make_database, clean_jetstream
):
    """The durable consumer is deleted (an operator, a new cluster) and the inbox rows are gone
    (pruned): the new consumer reads the stream from its start again, and the totals hold."""
    await publish_events(clean_jetstream, approved_minutes(300, minutes=2))
    database_url = make_database("grants")
    env = worker_env(database_url, clean_jetstream)
    totals = "SELECT sum(minutes) FROM approved_hour_entry"

    for run in range(2):
        consumer = spawn_worker("grants", env, "--no-relay")

        async def all_recorded() -> bool:
            return sql_value(database_url, "SELECT count(*) FROM inbox") == 300

        try:
            await wait_for(all_recorded, within=60, what="300 inbox rows")
            await wait_for(lambda: _acked(clean_jetstream), within=30, what="every message acked")
        finally:
            report = consumer.stop()
        assert report["consumed"]["volunteers"]["applied"] == 300, (run, report)
        assert sql_value(database_url, totals) == 600, run
        assert sql_value(database_url, "SELECT count(*) FROM approved_hour_entry") == 300
        client, js = await connect_admin(clean_jetstream)
        await js.delete_consumer("MEENT_VOLUNTEERS", "grants")
        await client.close()
        sql_value(
            database_url, "WITH gone AS (DELETE FROM inbox RETURNING 1) SELECT count(*) FROM gone"
        )
