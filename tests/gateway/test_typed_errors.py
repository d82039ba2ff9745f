"""Bad input in GraphQL gets an answer that says what was wrong: a query field answers null for an
unknown id, or an error with `extensions.code` (BAD_USER_INPUT naming the argument, NOT_FOUND…);
a mutation answers a typed refusal. "Unexpected error." is left for real faults."""

import base64
import json
import uuid

import pytest

UNKNOWN = str(uuid.uuid4())
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[18.6466, 54.3507], [18.649, 54.3507], [18.649, 54.352], [18.6466, 54.3507]]],
}


def only_error(answer) -> dict:
    assert answer.status_code == 200, answer.text
    body = answer.json()
    [error] = body["errors"]
    assert error["message"] != "Unexpected error.", body
    return error


@pytest.fixture(scope="module")
def staff(running_suite) -> str:
    return running_suite.token("typed-errors-staff", ["maintenance", "admin"])


def test_an_unknown_site_is_null(running_suite):
    answer = running_suite.graphql("query($id: UUID!) { site(id: $id) { id } }", {"id": UNKNOWN})
    assert answer.json() == {"data": {"site": None}}


def test_the_timeline_of_an_unknown_site_is_not_found(running_suite):
    query = 'query($id: UUID!) { siteTimeline(siteId: $id, from: "2026-01-01", to: "2026-02-01") { use } }'
    error = only_error(running_suite.graphql(query, {"id": UNKNOWN}))
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert error["path"] == ["siteTimeline"]


@pytest.mark.parametrize(
    ("query", "argument"),
    [
        ("{ sitesGeoJSON(bbox: [], limit: 10) }", "bbox"),
        ("{ sitesGeoJSON(bbox: [18, 54, 19, 55], limit: 0) }", "limit"),
        ("{ sitesGeoJSON(bbox: [], limit: 0) }", "limit"),
        ('{ maintenanceTasks(bbox: [], week: "") { title } }', "bbox"),
        ('{ maintenanceTasks(week: "") { title } }', "week"),
        ('{ maintenanceTasks(from: "2026-02-01", to: "2026-01-01") { title } }', "to"),
        ("{ sites(bbox: [0, 0, 1000, 1]) { totalCount } }", "bbox"),
        ('{ sites(useOn: "9999-12-31") { totalCount } }', "useOn"),
        ("query($first: Int!) { sites(first: $first) { totalCount } }", "first"),
    ],
)
def test_a_refused_argument_is_named(running_suite, query, argument):
    error = only_error(running_suite.graphql(query, {"first": 0} if "$first" in query else None))
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert error["extensions"]["argument"] == argument, error


def cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "after",
    [
        "<garbage>",
        "",
        "é",
        cursor("offset:-1"),
        cursor("offset:99999999999999999999"),
        cursor("offset: 3"),
        cursor("page:3"),
        cursor("offset:٣"),  # a digit, but not an ASCII one
        "A" * 10_000,
    ],
)
@pytest.mark.parametrize("connection", ["calls", "projects", "sites"])
def test_a_cursor_the_api_did_not_give_out_is_refused(running_suite, connection, after):
    query = f"query($after: String) {{ {connection}(after: $after) {{ totalCount }} }}"
    error = only_error(running_suite.graphql(query, {"after": after}))
    assert error["extensions"] == {
        "code": "BAD_USER_INPUT",
        "argument": "after",
        "reason": "invalid_cursor",
    }


def team_members(running_suite, team_id: str) -> list[str]:
    teams = running_suite.graphql("{ teams { id members } }").json()["data"]["teams"]
    return next(t["members"] for t in teams if t["id"] == team_id)


@pytest.mark.parametrize("person", ["a\u0000b", "a\nb", "a\u0001b", "tab\there", "a b?x=1#f", ""])
def test_adding_a_team_member_with_control_characters_is_refused(running_suite, staff, person):
    made = running_suite.graphql(
        'mutation { createTeam(name: "Control") { ... on Team { id } } }', token=staff
    )
    team = made.json()["data"]["createTeam"]["id"]
    answer = running_suite.graphql(
        "mutation($t: UUID!, $p: String!) { addTeamMember(teamId: $t, personId: $p) "
        "{ __typename ... on InvalidInput { fields { field } } } }",
        {"t": team, "p": person},
        token=staff,
    )
    assert answer.status_code == 200, answer.text
    result = answer.json()["data"]["addTeamMember"]
    assert result == {"__typename": "InvalidInput", "fields": [{"field": "personId"}]}
    assert team_members(running_suite, team) == [], "nothing changed"


def test_a_lone_surrogate_in_variables_is_a_typed_refusal(running_suite, staff):
    """JSON may escape half of a UTF-16 pair; no service can be sent it, so it is refused."""
    query = (
        'mutation($g: JSON!, $n: String!) { createSite(input: {name: $n, kind: "park", '
        "geometry: $g}) { __typename ... on UserError { code } } }"
    )
    body = '{"query": %s, "variables": {"g": {"type": "Point"}, "n": "x\\ud800"}}'
    answer = running_suite.http.post(
        f"{running_suite.url}/graphql",
        content=(body % json.dumps(query)).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {staff}"},
    )
    assert answer.status_code == 200, answer.text
    result = answer.json()["data"]["createSite"]
    # Refused by name, by the gateway or by the service it was sent to escaped; never masked.
    assert result["__typename"] == "InvalidInput", result
    assert result["code"] in ("lone_surrogate", "string_unicode"), result


def test_an_import_of_something_else_than_a_feature_collection_is_a_typed_refusal(
    running_suite, staff
):
    query = (
        "mutation($fc: JSON!) { importSites(featureCollection: $fc) { __typename "
        "... on ImportReport { stored refused } ... on UserError { code } } }"
    )
    for value in ["x", 5, [], {"type": "FeatureCollection", "features": "x"}, SQUARE]:
        answer = running_suite.graphql(query, {"fc": value}, token=staff)
        assert answer.status_code == 200, answer.text
        assert "errors" not in answer.json(), (value, answer.text)


def test_a_site_of_a_zone_that_does_not_exist_is_a_typed_refusal(running_suite, staff):
    before = running_suite.graphql("{ sites(first: 100) { totalCount } }").json()
    answer = running_suite.graphql(
        'mutation($g: JSON!) { createSite(input: {name: "Mars", kind: "park", geometry: $g, '
        'timezone: "Mars/Olympus_Mons"}) { __typename ... on InvalidInput { fields { field } } } }',
        {"g": SQUARE},
        token=staff,
    )
    assert answer.json()["data"]["createSite"] == {
        "__typename": "InvalidInput",
        "fields": [{"field": "timezone"}],
    }
    after = running_suite.graphql("{ sites(first: 100) { totalCount } }").json()
    assert after == before, "nothing stored"
