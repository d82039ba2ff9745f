"""A message the consumer's checks reject (malformed, of a type it does not know, forged) is not
lost: it is parked as a dead letter with its reason and the message as it came, counted, and the
stream moves on. A replay checks it again: one the consumer now understands is applied once; a
forged one only when an operator names it and accepts it."""

import datetime as dt
import json
import uuid

from meent_shared.events.contracts import base as contracts
from meent_shared.events.contracts.volunteers import HoursApproved
from meent_shared.events.envelope import CloudEvent
from meent_shared.testing.helpers import (
    connect_admin,
    metric_value,
    publish_events,
    spawn_worker,
    sql_value,
    wait_for,
)

HOURS_APPROVED = HoursApproved.contract.event_type
SUBJECT = HoursApproved.contract.subject


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


async def publish_raw(nats_url: str, *bodies: bytes) -> None:
    client, js = await connect_admin(nats_url)
    for body in bodies:
        await js.publish(SUBJECT, body)
    await client.close()


def dead_letters(url: str) -> list[dict]:
    query = (
        "SELECT coalesce(json_agg(json_build_object('id', event_id, 'reason', reason, 'type', type,"
        " 'body', convert_from(body, 'UTF8'), 'error', error, 'waiting', replayed_at IS NULL)"
        " ORDER BY parked_at, reason), '[]') FROM dead_letter"
    )
    return sql_value(url, query)


def replay(grants, *args: str) -> dict:
    env = {"MEENT_DATABASE_URL": grants.database_url, "MEENT_NATS_URL": grants.settings.nats_url}
    worker = spawn_worker("grants", env, "replay-dead-letters", *args)
    assert worker.process.wait(timeout=60) == 0, worker.log_tail()
    lines = [line for line in worker.log_path.read_text().splitlines() if "dead_letters" in line]
    return json.loads(lines[-1])["dead_letters"]


async def minutes(grants, project_id: uuid.UUID) -> int:
    answer = await grants.client.get(f"/projects/{project_id}/hours")
    return answer.json()["approved_minutes"]


async def wait_until_applied(grants, project_id: uuid.UUID, expected: int) -> None:
    async def applied() -> bool:
        return await minutes(grants, project_id) == expected

    await wait_for(applied, what=f"{expected} minutes on the project")


async def test_malformed_and_unknown_messages_are_parked_with_their_reason(start_service):
    grants = await start_service("grants")
    project_id = uuid.uuid4()
    v2 = CloudEvent.wrap(approval(project_id, 30)).model_copy(
        update={"type": HOURS_APPROVED.replace(".v1", ".v2")}
    )
    bad_payload = CloudEvent.wrap(approval(project_id, 30))
    bad_payload.data["minutes"] = "lots"
    bodies = [b"{not json", v2.model_dump_json().encode(), bad_payload.model_dump_json().encode()]
    await publish_raw(grants.settings.nats_url, *bodies)
    await publish_events(grants.settings.nats_url, [approval(project_id, 60)])
    await wait_until_applied(grants, project_id, 60)  # the stream moved on

    parked = {row["body"].encode(): row for row in dead_letters(grants.database_url)}
    assert {body: row["reason"] for body, row in parked.items()} == {
        bodies[0]: "malformed",
        bodies[1]: "unknown_type",
        bodies[2]: "malformed",
    }
    assert parked[bodies[1]]["type"] == HOURS_APPROVED.replace(".v1", ".v2")
    assert "minutes" in parked[bodies[2]]["error"]
    metrics = (await grants.client.get("/metrics")).text
    labels = {"service": "grants", "stream": "MEENT_VOLUNTEERS"}
    assert metric_value(metrics, "meent_events_consumed_total", **labels, outcome="rejected") == 2
    assert (
        metric_value(metrics, "meent_events_consumed_total", **labels, outcome="unknown_type") == 1
    )
    assert metric_value(metrics, "meent_events_dead_letters_waiting", service="grants") == 3
    # Nothing this version can apply: a replay leaves all three parked, and fails nothing.
    report = replay(grants)
    assert (report["replayed"], report["failed"]) == ([], {})
    assert sorted(report["rejected"]) == sorted(row["id"] for row in parked.values())
    assert all(row["waiting"] for row in dead_letters(grants.database_url))
    assert await minutes(grants, project_id) == 60


async def test_an_event_of_a_type_not_known_yet_is_applied_by_a_replay_after_the_upgrade(
    start_service,
):
    """grants runs a version that does not know hours.approved yet; the new version's replay
    applies the parked event, once."""
    grants = await start_service("grants")
    project_id = uuid.uuid4()
    body = CloudEvent.wrap(approval(project_id, 45)).model_dump_json().encode()
    known = contracts._BY_TYPE.pop(HOURS_APPROVED)
    try:
        await publish_raw(grants.settings.nats_url, body)

        async def parked() -> bool:
            return len(dead_letters(grants.database_url)) == 1

        await wait_for(parked, what="the event of an unknown type to be parked")
    finally:
        contracts._BY_TYPE[HOURS_APPROVED] = known
    [row] = dead_letters(grants.database_url)
    assert row["reason"] == "unknown_type"
    assert await minutes(grants, project_id) == 0
    assert replay(grants)["replayed"] == [row["id"]]
    assert await minutes(grants, project_id) == 45
    assert replay(grants, "--id", row["id"])["not_waiting"] == [row["id"]]
    assert await minutes(grants, project_id) == 45


async def test_a_forged_event_is_replayed_only_when_an_operator_accepts_it(start_service):
    grants = await start_service("grants")
    project_id = uuid.uuid4()
    # Its CloudEvent subject names another entry than its payload: forged, parked.
    forged = CloudEvent.wrap(approval(project_id, 90)).model_copy(
        update={"subject": str(uuid.uuid4())}
    )
    await publish_raw(grants.settings.nats_url, forged.model_dump_json().encode())
    await publish_events(grants.settings.nats_url, [approval(project_id, 10)])
    await wait_until_applied(grants, project_id, 10)
    [row] = dead_letters(grants.database_url)
    assert row["reason"] == "forged"
    assert row["id"] != str(forged.id)  # its own id is not to be trusted

    plain = replay(grants)
    assert plain["rejected"] == {
        row["id"]: "forged: never replayed without --id and --accept-forged"
    }
    named = replay(grants, "--id", row["id"])
    assert (named["replayed"], list(named["rejected"])) == ([], [row["id"]])
    assert await minutes(grants, project_id) == 10
    accepted = replay(grants, "--id", row["id"], "--accept-forged")
    assert accepted["replayed"] == [row["id"]]
    assert await minutes(grants, project_id) == 100
