"""Text every service refuses: control characters (NUL was a 500 from PostgreSQL, the others were
stored), in bodies and, through the gateway, in a team member's id."""

import pytest

from meent_shared.testing.helpers import sql_value
from tests.test_bad_input import A_CALL, A_SITE, AN_HOUR, assert_error_shape, filled_in, prepare

# service, roles, what must exist first, path, body with the bad text in one field, its table
TEXT_WRITES = [
    ("commons", ["maintenance"], None, "/sites", {**A_SITE, "name": "{bad}"}, "site"),
    ("commons", ["maintenance"], None, "/sites", {**A_SITE, "description": "{bad}"}, "site"),
    ("commons", ["maintenance"], None, "/sites", {**A_SITE, "external_id": "{bad}"}, "site"),
    ("commons", ["maintenance"], None, "/teams", {"name": "{bad}"}, "team"),
    ("commons", ["maintenance"], None, "/teams", {"name": "T", "description": "{bad}"}, "team"),
    (
        "commons",
        ["maintenance"],
        "site",
        "/sites/{site}/tasks",
        {"title": "{bad}", "due_on": "2030-05-01"},
        "maintenance_task",
    ),
    (
        "commons",
        ["maintenance"],
        "site",
        "/sites/{site}/periods",
        {"use": "market", "starts_on": "2030-05-01", "note": "{bad}"},
        "use_period",
    ),
    ("spaces", ["citizen"], None, "/projects", {"name": "{bad}"}, "project"),
    ("spaces", ["citizen"], None, "/projects", {"name": "P", "summary": "{bad}"}, "project"),
    ("grants", ["grant_officer"], None, "/calls", {**A_CALL, "title": "{bad}"}, "funding_call"),
    (
        "grants",
        ["grant_officer"],
        None,
        "/calls",
        {**A_CALL, "description": "{bad}"},
        "funding_call",
    ),
    (
        "volunteers",
        ["citizen"],
        "project",
        "/hours",
        {**AN_HOUR, "activity": "{bad}"},
        "hour_entry",
    ),
    ("volunteers", ["citizen"], "project", "/hours", {**AN_HOUR, "note": "{bad}"}, "hour_entry"),
]
# NUL broke the request; the others were stored, to surprise whoever shows or exports them.
BAD_TEXT = {"nul": "a\u0000b", "bell": "a\u0007b", "escape": "\u001b[2J", "c1": "a\u0085b"}


@pytest.mark.parametrize("bad", BAD_TEXT.values(), ids=BAD_TEXT.keys())
@pytest.mark.parametrize(
    ("name", "roles", "needs", "path", "body", "table"),
    TEXT_WRITES,
    ids=[f"{w[0]}{w[3]}-{next(k for k, v in w[4].items() if v == '{bad}')}" for w in TEXT_WRITES],
)
async def test_control_characters_in_text_are_a_422_naming_the_field(
    start_service, auth_header, name, roles, needs, path, body, table, bad
):
    service = await start_service(name, run_workers=False)
    headers = auth_header("tester", roles)
    names = await prepare(service, needs, headers)
    before = sql_value(service.database_url, f"SELECT count(*) FROM {table}")
    outbox = sql_value(service.database_url, "SELECT count(*) FROM outbox")
    payload = filled_in(body, {**names, "bad": bad})
    answer = await service.client.post(path.format(**names), json=payload, headers=headers)
    [item] = assert_error_shape(answer, 422)
    field = next(k for k, v in body.items() if v == "{bad}")
    assert item["loc"] == ["body", field]
    assert item["type"] == "control_character"
    assert "U+" in item["msg"]
    assert sql_value(service.database_url, f"SELECT count(*) FROM {table}") == before
    assert sql_value(service.database_url, "SELECT count(*) FROM outbox") == outbox


async def test_free_text_keeps_its_tabs_and_line_breaks(start_service, auth_header):
    spaces = await start_service("spaces", run_workers=False)
    summary = "First line\n\tindented\r\nlast"
    answer = await spaces.client.post(
        "/projects", json={"name": "Lines", "summary": summary}, headers=auth_header("t")
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["summary"] == summary
    # ... but a name is one line.
    answer = await spaces.client.post(
        "/projects", json={"name": "Two\nlines"}, headers=auth_header("t")
    )
    [item] = assert_error_shape(answer, 422)
    assert item["loc"] == ["body", "name"]


def test_the_dev_issuer_refuses_a_name_with_control_characters(running_suite):
    answer = running_suite.http.post(
        f"{running_suite.url}/auth/dev-token", json={"sub": "anna", "name": "Anna\u0000"}
    )
    [item] = assert_error_shape(answer, 422)
    assert (item["loc"], item["type"]) == (["body", "name"], "control_character")


def add_team_member(running_suite, person: str) -> tuple[dict, list[str]]:
    """addTeamMember through GraphQL: its result, and the team's members as commons has them."""
    token = running_suite.token("marek", ["maintenance"])
    created = running_suite.graphql(
        'mutation { createTeam(name: "Groen") { ... on Team { id } } }', token=token
    )
    team = created.json()["data"]["createTeam"]["id"]
    answer = running_suite.graphql(
        """mutation($team: UUID!, $person: String!) {
             addTeamMember(teamId: $team, personId: $person) {
               __typename ... on UserError { code } ... on Team { members } } }""",
        {"team": team, "person": person},
        token=token,
    )
    teams = running_suite.http.get(f"{running_suite.suite.url('commons')}/teams").json()
    return answer.json()["data"]["addTeamMember"], next(t for t in teams if t["id"] == team)[
        "members"
    ]


@pytest.mark.parametrize("person", ["anna\u0000", "anna\u0007"])
def test_a_team_member_named_with_controls_is_refused_as_input(running_suite, person):
    """The person id once went raw into commons' URL: a control character broke the URL
    ("Unexpected error.")."""
    result, members = add_team_member(running_suite, person)
    assert result == {"__typename": "InvalidInput", "code": "string_pattern_mismatch"}
    assert members == []


@pytest.mark.parametrize("person", ["anna?role=admin", "anna#x"])
def test_a_team_member_id_with_url_syntax_is_the_member_it_names(running_suite, person):
    """... and "?" or "#" changed the request: "anna?role=admin" added "anna"."""
    result, members = add_team_member(running_suite, person)
    assert result == {"__typename": "Team", "members": [person]}
    assert members == [person]


def test_a_team_member_id_with_a_slash_adds_no_one_else(running_suite):
    """ "x/../anna" added "anna"; commons' path has no room for a slash, so it is no one."""
    result, members = add_team_member(running_suite, "x/../anna")
    assert result["__typename"] == "NotFound"
    assert members == []
