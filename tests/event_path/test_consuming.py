"""Consumers apply an entity's newest version only, and each event id only once."""

import datetime as dt
import uuid

from meent_shared.events.contracts.spaces import ProjectCreated, ProjectUpdated
from meent_shared.events.contracts.volunteers import HoursApproved
from meent_shared.events.envelope import CloudEvent
from meent_shared.events.streams import StreamLimits, ensure_stream
from meent_shared.testing.helpers import connect_admin, publish_events, sql_value, wait_for


async def test_an_older_version_arriving_after_a_newer_one_changes_nothing(start_service):
    volunteers = await start_service("volunteers")
    project_id = uuid.uuid4()
    newest = ProjectUpdated(project_id=project_id, version=3, name="Plac Węglowy", slug="plac")
    await publish_events(
        volunteers.settings.nats_url,
        [
            newest,
            ProjectCreated(project_id=project_id, version=1, name="Parking", slug="parking"),
            ProjectUpdated(project_id=project_id, version=2, name="Coal Square", slug="coal"),
        ],
    )

    async def all_three_seen() -> bool:
        return sql_value(volunteers.database_url, "SELECT count(*) FROM inbox") == 3

    await wait_for(all_three_seen, what="three events in the inbox")
    answer = await volunteers.client.get(f"/projects/{project_id}")
    assert answer.json() == {
        "project_id": str(project_id),
        "name": "Plac Węglowy",
        "slug": "plac",
        "version": 3,
    }


async def test_the_same_event_delivered_twice_is_applied_once(start_service):
    """Two copies with one CloudEvent id (JetStream's dedup window aside): one effect."""
    grants = await start_service("grants")
    payload = HoursApproved(
        entry_id=uuid.uuid4(),
        version=2,
        person_id="p",
        project_id=uuid.uuid4(),
        activity="gardening",
        worked_on=dt.date(2026, 5, 2),
        minutes=90,
        approved_by="c",
    )
    event = CloudEvent.wrap(payload)
    client, js = await connect_admin(grants.settings.nats_url)
    await ensure_stream(js, "volunteers", StreamLimits())
    for copy in range(2):
        # Different Nats-Msg-Ids get both copies past JetStream: only the inbox stands between.
        await js.publish(
            payload.contract.subject,
            event.model_dump_json().encode(),
            headers={"Nats-Msg-Id": f"{event.id}-{copy}"},
        )
    await client.close()

    async def both_handled() -> bool:
        stats = grants.runtime.consumers[0].stats
        return stats.applied + stats.duplicates == 2

    await wait_for(both_handled, what="both copies handled")
    hours = (await grants.client.get(f"/projects/{payload.project_id}/hours")).json()
    assert hours["approved_minutes"] == 90
    assert hours["approved_entries"] == 1


async def test_a_malformed_message_is_parked_and_the_next_one_still_applies(start_service):
    volunteers = await start_service("volunteers")
    project_id = uuid.uuid4()
    client, js = await connect_admin(volunteers.settings.nats_url)
    await ensure_stream(js, "spaces", StreamLimits())
    await js.publish("meent.spaces.project.created", b"{not json")
    await client.close()
    await publish_events(
        volunteers.settings.nats_url,
        [ProjectCreated(project_id=project_id, version=1, name="Tuin", slug="tuin")],
    )

    async def known() -> bool:
        return (await volunteers.client.get(f"/projects/{project_id}")).status_code == 200

    await wait_for(known, what="the good event after the bad one")
    assert volunteers.runtime.consumers[0].stats.rejected == 1
    parked = "SELECT reason || ' ' || convert_from(body, 'UTF8') FROM dead_letter"
    assert sql_value(volunteers.database_url, parked) == "malformed {not json"
