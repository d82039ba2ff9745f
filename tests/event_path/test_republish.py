"""After the stream's old messages are gone, a consumer whose projection was dropped rebuilds it
exactly from its producer's `republish`, and a second republish changes nothing."""

import datetime as dt
import json
import uuid

import psycopg

from meent_shared.events.contracts.spaces import MembershipChanged, ProjectCreated
from meent_shared.testing.helpers import (
    connect_admin,
    publish_events,
    read_stream,
    spawn_worker,
    sql_value,
    stream_message_count,
    wait_for,
)
from meent_shared.testing.servers import execute

ADMIN = ["admin"]


def rows(url: str, query: str) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(query.encode()).fetchall()


def republish(service) -> dict:
    """Run `python -m <service>.worker republish` against the service's database."""
    env = {
        "MEENT_DATABASE_URL": service.database_url,
        "MEENT_NATS_URL": service.settings.nats_url,
    }
    worker = spawn_worker(service.name, env, "republish")
    assert worker.process.wait(timeout=120) == 0, worker.log_tail()
    lines = [line for line in worker.log_path.read_text().splitlines() if "republished" in line]
    return json.loads(lines[-1])


async def forget_the_past(nats_url: str, stream: str, consumer: str) -> None:
    """The stream's old messages age out, and the consumer is created anew."""
    client, js = await connect_admin(nats_url)
    await js.purge_stream(stream)
    await js.delete_consumer(stream, consumer)
    await client.close()
    assert await stream_message_count(nats_url, stream) == 0


async def log_hours(volunteers, auth_header) -> None:
    """Six entries on two projects: four approved, one rejected, one still submitted."""
    decisions = ["approve", "approve", "reject", "approve", None, "approve"]
    for n, decision in enumerate(decisions):
        entry = {
            "project_id": str(PROJECTS[n % 2]),
            "activity": "gardening",
            "worked_on": (dt.date.today() - dt.timedelta(days=n)).isoformat(),
            "minutes": 30 + 15 * n,
        }
        logged = await volunteers.client.post("/hours", json=entry, headers=auth_header(f"v{n}"))
        assert logged.status_code == 201, logged.text
        if decision:
            decided = await volunteers.client.post(
                f"/hours/{logged.json()['id']}/{decision}",
                json={"reason": ""},
                headers=auth_header("ada", ADMIN),
            )
            assert decided.status_code == 200, decided.text


PROJECTS = [uuid.uuid4(), uuid.uuid4()]


def memberships() -> list[MembershipChanged]:
    """v0 … v5 are members of the project they log for (members log hours)."""
    return [
        MembershipChanged(
            membership_id=uuid.uuid4(),
            version=1,
            project_id=PROJECTS[n % 2],
            person_id=f"v{n}",
            role="skill",
            joined_on=dt.date.today() - dt.timedelta(days=30),
        )
        for n in range(6)
    ]


HOUR_ROWS = (
    "SELECT entry_id, project_id, minutes, worked_on, corrects_entry_id, version "
    "FROM approved_hour_entry ORDER BY entry_id"
)


async def project_hours(grants) -> list[dict]:
    return [(await grants.client.get(f"/projects/{p}/hours")).json() for p in PROJECTS]


async def test_grants_rebuilds_its_hours_from_volunteers_republish(start_service, auth_header):
    volunteers = await start_service("volunteers")
    grants = await start_service("grants")
    url = volunteers.settings.nats_url
    await publish_events(
        url,
        [ProjectCreated(project_id=p, version=1, name=f"p{p}", slug=f"p-{p}") for p in PROJECTS]
        + memberships(),
    )

    async def projects_known() -> bool:
        known = (
            "SELECT (SELECT count(*) FROM known_project) + (SELECT count(*) FROM project_member)"
        )
        return sql_value(volunteers.database_url, known) == 2 + 6

    await wait_for(projects_known, what="volunteers to know both projects")
    await log_hours(volunteers, auth_header)

    async def four_approved() -> bool:
        return sql_value(grants.database_url, "SELECT count(*) FROM approved_hour_entry") == 4

    await wait_for(four_approved, what="grants to count four approved entries")
    before, totals = rows(grants.database_url, HOUR_ROWS), await project_hours(grants)
    assert [t["approved_minutes"] for t in totals] == [30, 45 + 75 + 105]

    await forget_the_past(url, "MEENT_VOLUNTEERS", "grants")
    execute(grants.database_url, "TRUNCATE approved_hour_entry")
    assert republish(volunteers)["republished"] == {
        "org.meent.volunteers.hours.approved.v1": 4,
        "org.meent.volunteers.hours.rejected.v1": 1,
        "org.meent.volunteers.hours.submitted.v1": 1,
    }
    await wait_for(four_approved, what="grants to rebuild its entries")
    assert rows(grants.database_url, HOUR_ROWS) == before
    assert await project_hours(grants) == totals

    applied = grants.runtime.consumers[0].stats.applied
    republish(volunteers)

    async def second_round_seen() -> bool:
        return grants.runtime.consumers[0].stats.applied == applied + 4

    await wait_for(second_round_seen, what="the second republish to reach grants")
    assert rows(grants.database_url, HOUR_ROWS) == before
    assert await project_hours(grants) == totals


async def test_volunteers_rebuild_their_projects_from_spaces_republish(start_service, auth_header):
    spaces = await start_service("spaces")
    volunteers = await start_service("volunteers")
    headers = auth_header("anna")
    ids = []
    for name in ("Elisabeth groen", "Plac Węglowy", "Moestuin"):
        created = await spaces.client.post("/projects", json={"name": name}, headers=headers)
        ids.append(created.json()["id"])
    renamed = await spaces.client.patch(
        f"/projects/{ids[1]}", json={"name": "Coal Square"}, headers=headers
    )
    assert renamed.json()["version"] == 2
    known = "SELECT project_id, name, slug, version FROM known_project ORDER BY project_id"

    async def all_known() -> bool:
        found = rows(volunteers.database_url, known)
        return len(found) == 3 and {r[3] for r in found} == {1, 2}

    await wait_for(all_known, what="volunteers to know the three projects")
    before = rows(volunteers.database_url, known)

    await forget_the_past(spaces.settings.nats_url, "MEENT_SPACES", "volunteers")
    execute(volunteers.database_url, "TRUNCATE known_project")
    report = republish(spaces)
    assert report["republished"] == {
        "org.meent.spaces.project.created.v1": 2,
        "org.meent.spaces.project.updated.v1": 1,
        "org.meent.spaces.membership.changed.v1": 3,
        "org.meent.spaces.person.updated.v1": 1,
    }
    await wait_for(all_known, what="volunteers to rebuild their projects")
    assert rows(volunteers.database_url, known) == before
    republish(spaces)

    async def six_seen() -> bool:
        consumer = volunteers.runtime.consumers
        return sum(c.stats.applied for c in consumer if c.producer_service == "spaces") >= 6

    await wait_for(six_seen, what="the second republish to reach volunteers")
    assert rows(volunteers.database_url, known) == before


async def test_commons_and_grants_republish_their_state_at_current_versions(
    start_service, auth_header
):
    commons = await start_service("commons")
    grants = await start_service("grants")
    site = {
        "name": "Coal Square",
        "kind": "square",
        "timezone": "Europe/Warsaw",
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[18.64, 54.35], [18.65, 54.35], [18.65, 54.36], [18.64, 54.35]]],
        },
    }
    maintenance = auth_header("mia", ["maintenance"])
    created = await commons.client.post("/sites", json=site, headers=maintenance)
    assert created.status_code == 201, created.text
    site_id = created.json()["id"]
    await commons.client.patch(f"/sites/{site_id}", json={"name": "Plac"}, headers=maintenance)
    project_id = uuid.uuid4()
    project = ProjectCreated(project_id=project_id, version=1, name="Plac", slug="plac")
    await publish_events(commons.settings.nats_url, [project])

    async def project_known() -> bool:
        return (await commons.client.get(f"/projects/{project_id}")).status_code == 200

    await wait_for(project_known, what="commons to know the project")
    stewards = f"/sites/{site_id}/stewards"
    started = {"project_id": str(project_id), "starts_on": dt.date.today().isoformat()}
    stewardship = await commons.client.post(stewards, json=started, headers=maintenance)
    assert stewardship.status_code == 201, stewardship.text
    ended = await commons.client.post(
        f"/stewardships/{stewardship.json()['id']}/end",
        json={"ends_on": (dt.date.today() + dt.timedelta(days=365)).isoformat()},
        headers=maintenance,
    )
    assert ended.json()["version"] == 2
    officer = auth_header("gina", ["grant_officer"])
    call = {
        "title": "Green corners",
        "currency": "EUR",
        "budget": "10000.00",
        "min_award": "100.00",
        "max_award": "1000.00",
        "opens_on": dt.date.today().isoformat(),
        "closes_on": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
    }
    drafted = await grants.client.post("/calls", json=call, headers=officer)
    assert drafted.status_code == 201, drafted.text
    await grants.client.post("/calls", json={**call, "title": "Draft only"}, headers=officer)
    published = await grants.client.post(f"/calls/{drafted.json()['id']}/publish", headers=officer)
    assert published.status_code == 200, published.text
    url = commons.settings.nats_url
    client, js = await connect_admin(url)
    # Everything published (site created and updated, stewardship started and ended; the call),
    # then aged out.
    for stream, count in (("MEENT_COMMONS", 4), ("MEENT_GRANTS", 1)):

        async def all_in(stream: str = stream, count: int = count) -> bool:
            return await stream_message_count(url, stream) == count

        await wait_for(all_in, what=f"{stream} to fill")
        await js.purge_stream(stream)
    await client.close()

    assert republish(commons)["republished"] == {
        "org.meent.commons.site.updated.v1": 1,
        "org.meent.commons.stewardship.changed.v1": 1,
    }
    assert republish(grants)["republished"] == {"org.meent.grants.call.published.v1": 1}
    await wait_for(lambda: _has_messages(url, "MEENT_COMMONS"), what="the site re-announced")
    await wait_for(lambda: _has_messages(url, "MEENT_GRANTS"), what="the call re-announced")

    async def both_commons_events() -> bool:
        return await stream_message_count(url, "MEENT_COMMONS") == 2

    await wait_for(both_commons_events, what="the site and the stewardship re-announced")
    site_event, stewardship_event = [event for _, event in await read_stream(url, "MEENT_COMMONS")]
    assert (site_event.subject, site_event.data["version"], site_event.data["name"]) == (
        site_id,
        2,
        "Plac",
    )
    assert stewardship_event.data == {
        **stewardship_event.data,
        "stewardship_id": stewardship.json()["id"],
        "version": 2,
        "ends_on": ended.json()["ends_on"],
    }
    [(_, call_event)] = await read_stream(url, "MEENT_GRANTS")
    assert call_event.data["version"] == published.json()["version"]


async def _has_messages(url: str, stream: str) -> bool:
    return await stream_message_count(url, stream) > 0
