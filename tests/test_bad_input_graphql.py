"""Bad input through the gateway: what GraphQL answered with "Unexpected error." (the gateway
could not even send it on) is a typed refusal naming what was wrong, and stores nothing."""

import json

import pytest

from tests.test_bad_input import assert_error_shape

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[18.6466, 54.3507], [18.649, 54.3507], [18.649, 54.352], [18.6466, 54.3507]]],
}
IMPORT = """mutation($c: JSON!) { importSites(featureCollection: $c) {
  __typename ... on ImportReport { created features { status reason { type } } }
  ... on UserError { code } } }"""


def raw_graphql(running_suite, query: str, variables_json: str, token: str):
    """A GraphQL request with its variables written out by hand: JSON that Python's encoder would
    not write (a lone surrogate escape, 1e400) but a client may send."""
    body = f'{{"query": {json.dumps(query)}, "variables": {variables_json}}}'
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    return running_suite.http.post(f"{running_suite.url}/graphql", content=body, headers=headers)


def feature(id_json: str, properties_json: str = '{"name": "Park"}') -> str:
    return (
        f'{{"type": "Feature", "id": {id_json}, "properties": {properties_json}, '
        f'"geometry": {json.dumps(SQUARE)}}}'
    )


def site_count(running_suite) -> int:
    sites = running_suite.http.get(f"{running_suite.suite.url('commons')}/sites?limit=5000")
    return len(sites.json()["features"])


@pytest.mark.parametrize(
    ("features", "reason"),
    [
        ([feature('"\\ud800x"')], "invalid_json_text"),
        ([feature('"big-acreage"', '{"name": "P", "acreage": 1e400}')], "unstorable_value"),
    ],
    ids=["lone-surrogate-id", "number-beyond-float"],
)
def test_an_imported_feature_the_gateway_could_not_send_is_refused_in_the_report(
    running_suite, features, reason
):
    token = running_suite.token("marek", ["maintenance"])
    variables = f'{{"c": {{"type": "FeatureCollection", "features": [{", ".join(features)}]}}}}'
    before = site_count(running_suite)
    answer = raw_graphql(running_suite, IMPORT, variables, token).json()
    assert answer["data"]["importSites"] == {
        "__typename": "ImportReport",
        "created": 0,
        "features": [{"status": "refused", "reason": {"type": reason}}],
    }, answer
    assert site_count(running_suite) == before


def test_an_import_in_another_crs_is_an_invalid_geometry(running_suite):
    token = running_suite.token("marek", ["maintenance"])
    collection = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
        "features": [],
    }
    answer = running_suite.graphql(IMPORT, {"c": collection}, token=token).json()
    assert answer["data"]["importSites"] == {
        "__typename": "InvalidGeometry",
        "code": "unsupported_crs",
    }


def test_a_site_named_with_a_lone_surrogate_is_refused_as_input(running_suite):
    token = running_suite.token("marek", ["maintenance"])
    query = """mutation($i: CreateSiteInput!) { createSite(input: $i) {
                 __typename ... on UserError { code } } }"""
    variables = (
        f'{{"i": {{"name": "Park \\udc00", "kind": "park", "geometry": {json.dumps(SQUARE)}}}}}'
    )
    before = site_count(running_suite)
    answer = raw_graphql(running_suite, query, variables, token).json()
    assert answer["data"]["createSite"] == {"__typename": "InvalidInput", "code": "string_unicode"}
    assert site_count(running_suite) == before


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
