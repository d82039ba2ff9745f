"""A handler that always fails gets a bounded number of deliveries, then its event is parked as a
dead letter (counted in /metrics), the stream moves on, and a replay applies it once."""

import asyncio
import datetime as dt
import json
import uuid

from meent_shared.events.contracts.volunteers import HoursApproved
from meent_shared.testing.helpers import (
    consumer_info,
    metric_value,
    publish_events,
    spawn,
    spawn_worker,
    sql_value,
    wait_for,
)
from meent_shared.testing.servers import execute

HOURS_APPROVED = HoursApproved.contract.event_type
MAX_DELIVER = 3


def approval(project_id: uuid.UUID, minutes: int) -> HoursApproved:
    return HoursApproved(
        entry_id=uuid.uuid4(),
        version=2,
        person_id="vera",
        project_id=project_id,
        activity="weeding",
        worked_on=dt.date.today(),
        minutes=minutes,
        approved_by="coordinator",
    )


async def start_grants_with_a_poisoned_handler(start_service):
    grants = await start_service(
        "grants", consumer_max_deliver=MAX_DELIVER, consumer_retry_seconds=0.05
    )
    consumer = grants.runtime.consumers[0]
    calls: list[uuid.UUID] = []
    fixed = consumer.handlers[HOURS_APPROVED]

    async def poisoned(session, payload, event):
        calls.append(event.id)
        if payload.minutes == 45:  # the bug: this one entry can never be applied
            raise RuntimeError("cannot count 45 minutes")
        await fixed(session, payload, event)

    consumer.handlers[HOURS_APPROVED] = poisoned
    return grants, calls


def replay(grants, *args: str) -> dict:
    env = {"MEENT_DATABASE_URL": grants.database_url, "MEENT_NATS_URL": grants.settings.nats_url}
    worker = spawn_worker("grants", env, "replay-dead-letters", *args)
    assert worker.process.wait(timeout=60) == 0, worker.log_tail()
    lines = [line for line in worker.log_path.read_text().splitlines() if "dead_letters" in line]
    return json.loads(lines[-1])["dead_letters"]


async def metric(grants, name: str, **labels: str) -> float | None:
    return metric_value((await grants.client.get("/metrics")).text, name, **labels)


async def test_a_poisoned_event_is_parked_after_max_deliver_and_the_stream_moves_on(start_service):
    grants, calls = await start_grants_with_a_poisoned_handler(start_service)
    project_id = uuid.uuid4()
    poison, good = approval(project_id, 45), approval(project_id, 60)
    await publish_events(grants.settings.nats_url, [poison, good])

    async def parked() -> bool:
        return sql_value(grants.database_url, "SELECT count(*) FROM dead_letter") == 1

    await wait_for(parked, what="the poisoned event to be parked")
    row = sql_value(
        grants.database_url,
        "SELECT json_build_object('deliveries', deliveries, 'error', error, 'subject', subject,"
        " 'type', event->>'type', 'minutes', event->'data'->'minutes') FROM dead_letter",
    )
    assert row["deliveries"] == MAX_DELIVER
    assert "cannot count 45 minutes" in row["error"]
    assert row["subject"] == "meent.volunteers.hours.approved"
    assert (row["type"], row["minutes"]) == (HOURS_APPROVED, 45)
    await asyncio.sleep(1.0)  # many retry delays later: not delivered again
    poisoned_calls = [event_id for event_id in calls if calls.count(event_id) > 1]
    assert len(poisoned_calls) == MAX_DELIVER
    info = await consumer_info(grants.settings.nats_url, "MEENT_VOLUNTEERS", "grants")
    assert (info.num_pending, info.num_ack_pending, info.num_redelivered) == (0, 0, 0)
    hours = (await grants.client.get(f"/projects/{project_id}/hours")).json()
    assert hours["approved_minutes"] == 60  # the next event was not held up
    labels = {"service": "grants", "stream": "MEENT_VOLUNTEERS"}
    assert (
        await metric(grants, "meent_events_consumed_total", **labels, outcome="dead_lettered") == 1
    )
    assert await metric(grants, "meent_events_consumed_total", **labels, outcome="failed") == 2
    assert await metric(grants, "meent_events_dead_letters_waiting", service="grants") == 1


async def test_a_fixed_handler_replays_the_dead_letter_once(start_service):
    grants, calls = await start_grants_with_a_poisoned_handler(start_service)
    project_id = uuid.uuid4()
    poison = approval(project_id, 45)
    await publish_events(grants.settings.nats_url, [poison])

    async def parked() -> bool:
        return sql_value(grants.database_url, "SELECT count(*) FROM dead_letter") == 1

    await wait_for(parked, what="the poisoned event to be parked")
    event_id = str(sql_value(grants.database_url, "SELECT event_id FROM dead_letter"))
    # The fix is deployed: the command runs the service's own (unpoisoned) handlers.
    report = replay(grants)
    assert report == {
        "replayed": [event_id],
        "duplicates": [],
        "failed": {},
        "not_waiting": [],
        "rejected": {},
    }
    hours_url = f"/projects/{project_id}/hours"
    assert (await grants.client.get(hours_url)).json()["approved_minutes"] == 45
    assert await metric(grants, "meent_events_dead_letters_waiting", service="grants") == 0

    # Replayed again by id: nothing is waiting, nothing changes.
    again = replay(grants, "--id", event_id)
    assert again == {
        "replayed": [],
        "duplicates": [],
        "failed": {},
        "not_waiting": [event_id],
        "rejected": {},
    }
    # Even a row wrongly marked waiting again only meets its inbox row: never applied twice.
    execute(grants.database_url, "UPDATE dead_letter SET replayed_at = NULL")
    assert replay(grants)["duplicates"] == [event_id]
    assert (await grants.client.get(hours_url)).json()["approved_minutes"] == 45
    assert sql_value(grants.database_url, "SELECT count(*) FROM inbox") == 1


async def test_a_replay_that_still_fails_keeps_the_dead_letter(start_service):
    grants, _ = await start_grants_with_a_poisoned_handler(start_service)
    poison = approval(uuid.uuid4(), 45)
    await publish_events(grants.settings.nats_url, [poison])

    async def parked() -> bool:
        return sql_value(grants.database_url, "SELECT count(*) FROM dead_letter") == 1

    await wait_for(parked, what="the poisoned event to be parked")
    # The project's row is locked away by a broken migration, say: the replay fails too.
    execute(
        grants.database_url,
        "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE 'hours are frozen'; END $$"
        " LANGUAGE plpgsql; CREATE TRIGGER frozen BEFORE INSERT ON approved_hour_entry"
        " FOR EACH ROW EXECUTE FUNCTION refuse()",
    )
    env = {"MEENT_DATABASE_URL": grants.database_url, "MEENT_NATS_URL": grants.settings.nats_url}
    worker = spawn_worker("grants", env, "replay-dead-letters")
    assert worker.process.wait(timeout=60) == 1, worker.log_tail()
    assert "hours are frozen" in worker.log_tail()
    waiting = "SELECT count(*) FROM dead_letter WHERE replayed_at IS NULL"
    assert sql_value(grants.database_url, waiting) == 1
    assert sql_value(grants.database_url, "SELECT count(*) FROM inbox") == 0


DIE_ON_EVENTS = """
import asyncio, os
from grants.main import build_runtime

async def main():
    runtime = build_runtime()
    async def die(session, payload, event):
        os._exit(17)  # the process dies on this event: no failure, no ack, no nak
    for consumer in runtime.consumers:
        consumer.handlers = {event_type: die for event_type in consumer.handlers}
    await runtime.start(relay=False)
    await asyncio.sleep(60)

asyncio.run(main())
"""


def given_up_env(database_url: str, nats_url: str) -> dict[str, str]:
    return {
        "MEENT_DATABASE_URL": database_url,
        "MEENT_NATS_URL": nats_url,
        "MEENT_CONSUMER_MAX_DELIVER": "2",
        "MEENT_CONSUMER_ACK_WAIT_SECONDS": "4",
    }


async def kill_every_delivery(env: dict[str, str], nats_url: str) -> None:
    """A poison event whose handler kills the process on both deliveries JetStream makes."""
    await publish_events(nats_url, [approval(uuid.uuid4(), 45)])
    for _ in range(2):
        dying = spawn(["-c", DIE_ON_EVENTS], env)
        assert dying.process.wait(timeout=60) == 17, dying.log_tail()


async def test_a_message_that_kills_every_consumer_is_parked_when_jetstream_gives_up(
    make_database, clean_jetstream
):
    database_url = make_database("grants")
    env = given_up_env(database_url, clean_jetstream)
    await kill_every_delivery(env, clean_jetstream)
    # A healthy process is running when JetStream gives up on the message (one ack wait later).
    survivor = spawn_worker("grants", env, "--no-relay")

    async def parked() -> bool:
        return sql_value(database_url, "SELECT count(*) FROM dead_letter") == 1

    try:
        await wait_for(parked, within=30, what="the message to be parked")
    finally:
        report = survivor.stop()
    assert report["consumed"]["volunteers"] == {
        "applied": 0,
        "duplicates": 0,
        "failed": 0,
        "dead_lettered": 1,
        "rejected": 0,
        "unknown_type": 0,
        "forged": 0,
    }
    assert sql_value(database_url, "SELECT deliveries FROM dead_letter") == 2
    assert "without an ack or a failure" in sql_value(database_url, "SELECT error FROM dead_letter")
    env_replay = {"MEENT_DATABASE_URL": database_url, "MEENT_NATS_URL": clean_jetstream}
    replayed = spawn_worker("grants", env_replay, "replay-dead-letters")
    assert replayed.process.wait(timeout=60) == 0, replayed.log_tail()
    assert sql_value(database_url, "SELECT sum(minutes) FROM approved_hour_entry") == 45


async def test_parking_a_given_up_message_is_tried_again_while_the_database_refuses(
    make_database, clean_jetstream
):
    """JetStream's advisory comes once: a failure to park it must not lose the message."""
    database_url = make_database("grants")
    env = given_up_env(database_url, clean_jetstream)
    await kill_every_delivery(env, clean_jetstream)
    execute(
        database_url,
        "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE 'disk full'; END $$"
        " LANGUAGE plpgsql; CREATE TRIGGER disk_full BEFORE INSERT ON dead_letter"
        " FOR EACH ROW EXECUTE FUNCTION refuse()",
    )
    survivor = spawn_worker("grants", env, "--no-relay")

    async def refused() -> bool:
        return "disk full" in survivor.log_path.read_text()

    async def parked() -> bool:
        return sql_value(database_url, "SELECT count(*) FROM dead_letter") == 1

    try:
        await wait_for(refused, within=30, what="the first attempt to park to fail")
        execute(database_url, "DROP TRIGGER disk_full ON dead_letter")
        await wait_for(parked, within=30, what="the message to be parked after all")
    finally:
        report = survivor.stop()
    assert report["consumed"]["volunteers"]["dead_lettered"] == 1
    assert sql_value(database_url, "SELECT reason FROM dead_letter") == "no_answer"
