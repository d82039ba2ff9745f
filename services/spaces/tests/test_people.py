"""People: one's own profile, the public view, the export and erasure."""

import pytest

from meent_shared.testing.helpers import sql_value


@pytest.fixture
async def spaces(start_service):
    return await start_service("spaces")


PROFILE = {
    "display_name": "Anna de Vries",
    "language": "nl",
    "name_public": True,
    "contact_email": "anna@example.org",
    "contact_phone": "+31 6 1234 5678",
}


async def test_a_person_edits_their_profile_and_the_public_sees_only_the_name(spaces, auth_header):
    answer = await spaces.client.put("/people/me", json=PROFILE, headers=auth_header("anna"))
    assert answer.status_code == 200, answer.text
    assert answer.json()["contact_email"] == "anna@example.org"
    assert answer.json()["version"] == 2
    public = (await spaces.client.get("/people/anna")).json()
    assert public == {"id": "anna", "display_name": "Anna de Vries", "erased": False}
    hidden = await spaces.client.put(
        "/people/me", json={"name_public": False}, headers=auth_header("anna")
    )
    assert hidden.json()["display_name"] == "Anna de Vries"
    assert (await spaces.client.get("/people/anna")).json()["display_name"] is None
    event = sql_value(
        spaces.database_url,
        "SELECT event->'data' FROM outbox WHERE subject = 'meent.spaces.person.updated'"
        " ORDER BY created_at DESC LIMIT 1",
    )
    assert event["name_public"] is False and "contact_email" not in event


@pytest.mark.parametrize(
    "body",
    [{"language": "de"}, {"contact_email": "not-an-address"}, {"display_name": "   "}],
)
async def test_a_bad_profile_is_refused_and_nothing_changes(spaces, auth_header, body):
    await spaces.client.put("/people/me", json=PROFILE, headers=auth_header("anna"))
    answer = await spaces.client.put("/people/me", json=body, headers=auth_header("anna"))
    assert answer.status_code == 422
    me = (await spaces.client.get("/people/me", headers=auth_header("anna"))).json()
    assert (me["language"], me["contact_email"], me["version"]) == ("nl", "anna@example.org", 2)


async def test_an_unknown_person_is_not_found(spaces):
    assert (await spaces.client.get("/people/nobody")).status_code == 404


async def test_the_export_holds_the_profile_and_every_stint(spaces, auth_header):
    await spaces.client.put("/people/me", json=PROFILE, headers=auth_header("anna"))
    made = await spaces.client.post(
        "/projects", json={"name": "Elisabeth park"}, headers=auth_header("anna")
    )
    export = (await spaces.client.get("/people/me/export", headers=auth_header("anna"))).json()
    assert export["profile"]["contact_phone"] == "+31 6 1234 5678"
    assert [(m["project_name"], m["role"]) for m in export["memberships"]] == [
        ("Elisabeth park", "coordinator")
    ]
    assert export["projects_started"][0]["project_id"] == made.json()["id"]


async def test_erasure_removes_the_name_everywhere_and_keeps_the_history(spaces, auth_header):
    await spaces.client.put("/people/me", json=PROFILE, headers=auth_header("bram"))
    await spaces.client.put("/people/me", json=PROFILE, headers=auth_header("anna"))
    project = (
        await spaces.client.post("/projects", json={"name": "Park"}, headers=auth_header("anna"))
    ).json()
    await spaces.client.post(
        f"/projects/{project['id']}/members", json={}, headers=auth_header("bram")
    )
    # Let the relay publish what there is: published rows naming Bram must go with his name.
    await _published(spaces)
    answer = await spaces.client.post("/people/me/erasure", headers=auth_header("bram"))
    assert answer.status_code == 200, answer.text
    pseudonym = answer.json()["id"]
    assert pseudonym.startswith("erased:")

    history = (
        await spaces.client.get(f"/projects/{project['id']}/members", params={"current": "false"})
    ).json()["data"]
    assert [(m["person_id"], m["display_name"], m["role"]) for m in history] == [
        ("anna", "Anna de Vries", "coordinator"),
        (pseudonym, "erased person", "skill"),
    ]
    assert (await spaces.client.get("/people/bram")).status_code == 404
    # Nowhere in spaces' tables is the subject left, but in the one event that announces it.
    dump = sql_value(
        spaces.database_url,
        "SELECT string_agg(t::text, ' ') FROM (SELECT row_to_json(p)::text t FROM person p"
        " UNION ALL SELECT row_to_json(m)::text FROM membership m"
        " UNION ALL SELECT row_to_json(j)::text FROM project j"
        " UNION ALL SELECT event::text FROM outbox"
        " WHERE subject <> 'meent.spaces.person.erased') x",
    )
    assert '"bram"' not in dump
    assert "anna@example.org" in dump  # Anna's own profile is untouched …
    assert dump.count("anna@example.org") == 1  # … and Bram's copy of it is gone
    erased = sql_value(
        spaces.database_url,
        "SELECT event->'data' FROM outbox WHERE subject = 'meent.spaces.person.erased'",
    )
    assert (erased["person_id"], erased["pseudonym"]) == ("bram", pseudonym)


async def _published(spaces):
    from meent_shared.testing.helpers import wait_for

    async def all_sent() -> bool:
        unsent = "SELECT count(*) FROM outbox WHERE published_at IS NULL"
        return sql_value(spaces.database_url, unsent) == 0

    await wait_for(all_sent, what="the relay to publish spaces' events")


async def test_erasure_ends_the_stints_and_a_last_coordinator_hands_over_first(spaces, auth_header):
    project = (
        await spaces.client.post("/projects", json={"name": "Park"}, headers=auth_header("anna"))
    ).json()
    await spaces.client.post(
        f"/projects/{project['id']}/members", json={}, headers=auth_header("bram")
    )
    refused = await spaces.client.post("/people/me/erasure", headers=auth_header("anna"))
    assert refused.status_code == 409, refused.text
    assert refused.json()["detail"][0]["type"] == "last_coordinator"
    assert (await spaces.client.get("/people/anna")).status_code == 200  # nothing changed

    erased = await spaces.client.post("/people/me/erasure", headers=auth_header("bram"))
    assert erased.status_code == 200, erased.text
    pseudonym = erased.json()["id"]
    current = await spaces.client.get(f"/projects/{project['id']}/members")
    assert [m["person_id"] for m in current.json()["data"]] == ["anna"]
    left = sql_value(
        spaces.database_url,
        "SELECT event->'data' FROM outbox WHERE subject = 'meent.spaces.membership.changed'"
        " AND event->'data'->>'role' IS NULL",
    )
    assert left["person_id"] == pseudonym and left["left_on"] is not None


async def test_a_token_name_with_control_characters_is_cleaned_not_a_500(spaces, auth_header):
    headers = auth_header("ann", name="Ann\x00a\u202e Smit\n")
    answer = await spaces.client.post("/projects", json={"name": "Tuin"}, headers=headers)
    assert answer.status_code == 201, answer.text
    me = (await spaces.client.get("/people/me", headers=headers)).json()
    assert me["display_name"] == "Anna Smit"
