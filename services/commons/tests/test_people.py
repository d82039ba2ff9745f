"""A person in commons: their part of the export, and their erasure (spaces' person.erased)."""

import datetime as dt
import uuid

from meent_shared.events.contracts.spaces import MembershipChanged, PersonErased
from meent_shared.testing.helpers import publish_events, sql_value, wait_for

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [
            [18.6466, 54.3507],
            [18.649, 54.3507],
            [18.649, 54.352],
            [18.6466, 54.352],
            [18.6466, 54.3507],
        ]
    ],
}


async def tomek_at_work(commons, auth_header):
    """Tomek is in a team, completed a task and is a member of a stewarding project."""
    staff = auth_header("marek", ["maintenance"])
    site = await commons.client.post(
        "/sites", json={"name": "Plac", "kind": "square", "geometry": SQUARE}, headers=staff
    )
    team = await commons.client.post("/teams", json={"name": "Śródmieście"}, headers=staff)
    team_id = team.json()["id"]
    await commons.client.put(f"/teams/{team_id}/members/tomek", headers=staff)
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    task = await commons.client.post(
        f"/sites/{site.json()['id']}/tasks",
        json={"title": "Empty bins", "due_on": yesterday, "team_id": team_id},
        headers=staff,
    )
    done = await commons.client.post(
        f"/tasks/{task.json()['id']}/complete",
        json={},
        headers=auth_header("tomek", ["maintenance"]),
    )
    assert done.status_code == 200, done.text
    await publish_events(
        commons.settings.nats_url,
        [
            MembershipChanged(
                membership_id=uuid.uuid4(),
                version=1,
                project_id=uuid.uuid4(),
                person_id="tomek",
                role="skill",
                joined_on=dt.date.today(),
            )
        ],
    )

    async def member_known() -> bool:
        query = "SELECT count(*) FROM project_member WHERE person_id = 'tomek'"
        return sql_value(commons.database_url, query) == 1

    await wait_for(member_known, what="commons to learn of Tomek's membership")
    return team_id


async def test_the_export_holds_what_commons_knows_of_the_person(start_service, auth_header):
    commons = await start_service("commons")
    await tomek_at_work(commons, auth_header)
    answer = await commons.client.get("/people/me/export", headers=auth_header("tomek"))
    assert answer.status_code == 200, answer.text
    rows = answer.json()["rows"]
    assert len(rows["team_member.person_id"]) == 1
    assert rows["task_completion.completed_by"][0]["completed_by"] == "tomek"
    assert len(rows["project_member.person_id"]) == 1
    assert rows["use_period.proposed_by"] == []


async def test_an_erased_person_is_pseudonymised_and_the_history_stays(start_service, auth_header):
    commons = await start_service("commons")
    team_id = await tomek_at_work(commons, auth_header)
    pseudonym = f"erased:{uuid.uuid4()}"
    await publish_events(
        commons.settings.nats_url, [PersonErased(person_id="tomek", pseudonym=pseudonym, version=2)]
    )

    async def erased() -> bool:
        query = "SELECT count(*) FROM task_completion WHERE completed_by = %s"
        return sql_value(commons.database_url, query, pseudonym) == 1

    await wait_for(erased, what="commons to honour the erasure")
    [team] = [t for t in (await commons.client.get("/teams")).json() if t["id"] == team_id]
    assert team["members"] == [pseudonym]
    dump = sql_value(
        commons.database_url,
        "SELECT string_agg(t, ' ') FROM (SELECT row_to_json(c)::text t FROM task_completion c"
        " UNION ALL SELECT row_to_json(m)::text FROM team_member m"
        " UNION ALL SELECT row_to_json(p)::text FROM project_member p"
        " UNION ALL SELECT event::text FROM outbox WHERE published_at IS NOT NULL) x",
    )
    assert "tomek" not in dump
    export = (await commons.client.get("/people/me/export", headers=auth_header("tomek"))).json()
    assert all(rows == [] for rows in export["rows"].values())
