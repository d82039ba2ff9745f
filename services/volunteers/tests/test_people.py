"""A volunteer's data: their part of the export, and their erasure (spaces' person.erased) —
the hours stay in the project's totals, the subject goes."""

import uuid

from meent_shared.events.contracts.spaces import PersonErased
from meent_shared.testing.helpers import publish_events, sql_value, wait_for


async def vera_logged_hours(hours_project, auth_header):
    """A project vera is a member of, with 90 minutes she logged today."""
    await hours_project.join(("vera", "skill"))
    volunteers = hours_project.volunteers
    entry = hours_project.hours(90)
    logged = await volunteers.client.post("/hours", json=entry, headers=auth_header("vera"))
    assert logged.status_code == 201, logged.text
    return volunteers, logged.json()["id"]


async def test_the_export_holds_a_volunteers_hours(hours_project, auth_header):
    volunteers, entry_id = await vera_logged_hours(hours_project, auth_header)
    answer = await volunteers.client.get("/people/me/export", headers=auth_header("vera"))
    assert answer.status_code == 200, answer.text
    [entry] = answer.json()["rows"]["hour_entry.person_id"]
    assert (entry["id"], entry["minutes"]) == (entry_id, 90)
    other = await volunteers.client.get("/people/me/export", headers=auth_header("someone"))
    assert other.json()["rows"]["hour_entry.person_id"] == []


async def test_an_erased_volunteer_is_pseudonymised_and_the_hours_stay(hours_project, auth_header):
    volunteers, entry_id = await vera_logged_hours(hours_project, auth_header)

    async def sent() -> bool:  # published rows naming her must go with her name
        unsent = "SELECT count(*) FROM outbox WHERE published_at IS NULL"
        return sql_value(volunteers.database_url, unsent) == 0

    await wait_for(sent, what="the relay to publish hours.submitted")
    pseudonym = f"erased:{uuid.uuid4()}"
    erased = PersonErased(person_id="vera", pseudonym=pseudonym, version=2)
    await publish_events(volunteers.settings.nats_url, [erased])

    async def honoured() -> bool:
        query = "SELECT person_id FROM hour_entry WHERE id = %s"
        return sql_value(volunteers.database_url, query, entry_id) == pseudonym

    await wait_for(honoured, what="volunteers to honour the erasure")
    dump = sql_value(
        volunteers.database_url,
        "SELECT string_agg(t, ' ') FROM (SELECT row_to_json(h)::text t FROM hour_entry h"
        " UNION ALL SELECT event::text FROM outbox WHERE published_at IS NOT NULL) x",
    )
    assert '"vera"' not in dump
    assert sql_value(volunteers.database_url, "SELECT sum(minutes) FROM hour_entry") == 90


async def test_events_not_yet_sent_go_out_naming_the_pseudonym(make_hours_project, auth_header):
    project = await make_hours_project(relay_poll_seconds=3600)  # the relay waits: nothing sent
    await project.join(("coordinator-1", "coordinator"))
    volunteers, entry_id = await vera_logged_hours(project, auth_header)
    approved = await volunteers.client.post(
        f"/hours/{entry_id}/approve", headers=auth_header("coordinator-1")
    )
    assert approved.status_code == 200, approved.text
    unsent = "SELECT count(*) FROM outbox WHERE published_at IS NULL"
    waiting = sql_value(volunteers.database_url, unsent)
    assert waiting >= 2  # hours.submitted, hours.approved
    pseudonym = f"erased:{uuid.uuid4()}"
    erased = PersonErased(person_id="vera", pseudonym=pseudonym, version=2)
    await publish_events(volunteers.settings.nats_url, [erased])

    async def honoured() -> bool:
        query = "SELECT person_id FROM hour_entry WHERE id = %s"
        return sql_value(volunteers.database_url, query, entry_id) == pseudonym

    await wait_for(honoured, what="volunteers to honour the erasure")
    events = "SELECT string_agg(event::text, ' ') FROM outbox WHERE published_at IS NULL"
    assert '"vera"' not in sql_value(volunteers.database_url, events)
    # Still every event, each for her entry, now with the pseudonym (the approver kept).
    assert sql_value(volunteers.database_url, unsent) == waiting
    hers = (
        "SELECT count(*) FROM outbox WHERE published_at IS NULL"
        " AND event -> 'data' ->> 'entry_id' = %s AND event -> 'data' ->> 'person_id' = %s"
    )
    assert sql_value(volunteers.database_url, hers, entry_id, pseudonym) == 2
    approver = (
        "SELECT event -> 'data' ->> 'approved_by' FROM outbox WHERE subject LIKE '%%approved'"
    )
    assert sql_value(volunteers.database_url, approver) == "coordinator-1"
