"""Bad input to every service gets a clear 4xx in the one error shape, never a 500, and stores
nothing."""

import json

import pytest

from meent_shared.testing.helpers import sql_value
from meent_shared.types import FIRST_DAY, LAST_DAY, MAX_OFFSET

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[18.6466, 54.3507], [18.649, 54.3507], [18.649, 54.352], [18.6466, 54.3507]]],
}

A_SITE = {"name": "Plac", "kind": "square", "geometry": SQUARE}
A_CALL = {
    "title": "Groen",
    "budget_cents": 100_000,
    "min_award_cents": 1_000,
    "max_award_cents": 10_000,
    "opens_on": "2030-01-01",
    "closes_on": "2030-03-01",
}
AN_HOUR = {
    "project_id": "{project}",
    "activity": "mowing",
    "worked_on": "2020-05-01",
    "minutes": 60,
}

# service, write endpoint, roles it needs, the table that must stay empty, a body of wrong types
WRITES = [
    (
        "commons",
        "/sites",
        ["maintenance"],
        "site",
        {"name": ["not", "a", "name"], "kind": 7, "geometry": "here"},
    ),
    ("spaces", "/projects", ["citizen"], "project", {"name": {"nested": True}, "summary": 12}),
    (
        "volunteers",
        "/hours",
        ["citizen"],
        "hour_entry",
        {
            "project_id": "not-a-uuid",
            "activity": "mowing",
            "worked_on": "yesterday",
            "minutes": "lots",
        },
    ),
    (
        "grants",
        "/calls",
        ["grant_officer"],
        "funding_call",
        {
            "title": "Groen",
            "budget_cents": "a lot",
            "min_award_cents": 1,
            "max_award_cents": 2,
            "opens_on": "2026-13-45",
            "closes_on": "2026-06-01",
        },
    ),
]


def assert_error_shape(answer, status: int) -> list[dict]:
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert set(body) == {"detail"}
    assert body["detail"], "an error names at least one problem"
    for item in body["detail"]:
        assert isinstance(item["msg"], str) and item["msg"]
        assert isinstance(item["type"], str) and item["type"]
    return body["detail"]


@pytest.fixture(params=WRITES, ids=[w[0] for w in WRITES])
async def write(request, start_service, auth_header):
    name, path, roles, table, wrong_types = request.param
    service = await start_service(name, run_workers=False)
    headers = {**auth_header("tester", roles), "Content-Type": "application/json"}
    yield service, path, headers, table, wrong_types
    assert sql_value(service.database_url, f"SELECT count(*) FROM {table}") == 0, "stored nothing"
    assert sql_value(service.database_url, "SELECT count(*) FROM outbox") == 0, "announced nothing"


async def test_malformed_json_is_a_400(write):
    service, path, headers, _, _ = write
    answer = await service.client.post(path, content=b'{"name": "Plac', headers=headers)
    [item] = assert_error_shape(answer, 400)
    assert item["type"] == "json_invalid"
    assert "Malformed JSON" in item["msg"]


async def test_wrong_types_are_a_422_naming_each_field(write):
    service, path, headers, _, wrong_types = write
    answer = await service.client.post(path, json=wrong_types, headers=headers)
    problems = assert_error_shape(answer, 422)
    named = {item["loc"][-1] for item in problems if item.get("loc")}
    assert named, problems
    assert named <= set(wrong_types) | {"body"}


async def test_a_json_array_instead_of_an_object_is_a_422(write):
    service, path, headers, _, _ = write
    assert_error_shape(await service.client.post(path, content=b"[]", headers=headers), 422)


async def test_an_empty_body_is_a_422(write):
    service, path, headers, _, _ = write
    assert_error_shape(await service.client.post(path, content=b"", headers=headers), 422)


async def test_a_declared_oversized_body_is_a_413(write):
    service, path, headers, _, _ = write
    body = json.dumps({"name": "x" * (service.settings.max_body_bytes + 1)}).encode()
    [item] = assert_error_shape(await service.client.post(path, content=body, headers=headers), 413)
    assert item["type"] == "payload_too_large"


async def test_a_streamed_oversized_body_is_a_413(write):
    """No Content-Length: the limit is counted as the body streams in."""
    service, path, headers, _, _ = write

    async def chunks():
        yield b'{"name": "'
        for _ in range(service.settings.max_body_bytes // 65_536 + 2):
            yield b"x" * 65_536
        yield b'"}'

    [item] = assert_error_shape(
        await service.client.post(path, content=chunks(), headers=headers), 413
    )
    assert item["type"] == "payload_too_large"


async def test_without_a_token_a_write_is_a_401(write):
    service, path, headers, _, _ = write
    answer = await service.client.post(path, json={}, headers={"Content-Type": "application/json"})
    [item] = assert_error_shape(answer, 401)
    assert answer.headers["www-authenticate"] == "Bearer"


async def test_a_forged_token_is_a_401(write):
    service, path, headers, _, _ = write
    forged = {**headers, "Authorization": headers["Authorization"][:-4] + "AAAA"}
    [item] = assert_error_shape(await service.client.post(path, json={}, headers=forged), 401)
    assert item["type"] == "invalid_token"


# --- Pages: an offset beyond what PostgreSQL's OFFSET (a bigint) holds was a 500 -------------

PAGED_LISTS = [("spaces", "/projects"), ("grants", "/calls"), ("commons", "/sites")]


@pytest.mark.parametrize(("name", "path"), PAGED_LISTS, ids=[p[1] for p in PAGED_LISTS])
async def test_an_offset_beyond_any_list_is_a_422_naming_it(start_service, name, path):
    service = await start_service(name, run_workers=False)
    [item] = assert_error_shape(await service.client.get(path, params={"offset": 2**63}), 422)
    assert item["loc"] == ["query", "offset"]
    assert str(MAX_OFFSET) in item["msg"]
    # The largest offset allowed is an empty page, not an error.
    answer = await service.client.get(path, params={"offset": MAX_OFFSET})
    assert answer.status_code == 200, answer.text
    page = answer.json()
    assert (page["data"] if "data" in page else page["features"]) == []


# --- Text: NUL was a 500 from PostgreSQL; other control characters were stored -----------------

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


async def prepare(service, needs: str | None, headers: dict[str, str]) -> dict[str, str]:
    """What a write needs to exist first: a site (commons), a project volunteers knows."""
    if needs == "site":
        answer = await service.client.post("/sites", json=A_SITE, headers=headers)
        assert answer.status_code == 201, answer.text
        return {"site": answer.json()["id"]}
    if needs == "project":
        insert = (
            "INSERT INTO known_project (project_id, name, slug, version) "
            "VALUES (gen_random_uuid(), 'P', 'p', 1) RETURNING project_id::text"
        )
        return {"project": sql_value(service.database_url, insert)}
    return {}


def filled_in(body: dict, names: dict[str, str]) -> dict:
    """The body with its `{placeholders}` replaced."""
    return {k: v.format(**names) if isinstance(v, str) else v for k, v in body.items()}


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


# --- Dates: plans, calls and hours lie within the living city's calendar ------------------------

FAR_DATES = [
    (
        "grants",
        ["grant_officer"],
        "/calls",
        {**A_CALL, "opens_on": "0001-01-01"},
        "opens_on",
        "funding_call",
    ),
    (
        "grants",
        ["grant_officer"],
        "/calls",
        {**A_CALL, "closes_on": "9999-12-31"},
        "closes_on",
        "funding_call",
    ),
    (
        "volunteers",
        ["citizen"],
        "/hours",
        {**AN_HOUR, "worked_on": "0001-01-01"},
        "worked_on",
        "hour_entry",
    ),
]


@pytest.mark.parametrize(
    ("name", "roles", "path", "body", "field", "table"),
    FAR_DATES,
    ids=[f"{d[0]}-{d[4]}" for d in FAR_DATES],
)
async def test_a_date_outside_the_calendar_is_a_422_naming_it(
    start_service, auth_header, name, roles, path, body, field, table
):
    service = await start_service(name, run_workers=False)
    headers = auth_header("tester", roles)
    names = await prepare(service, "project" if name == "volunteers" else None, headers)
    payload = filled_in(body, names)
    answer = await service.client.post(path, json=payload, headers=headers)
    [item] = assert_error_shape(answer, 422)
    assert (item["loc"], item["type"]) == (["body", field], "date_out_of_range")
    assert f"{FIRST_DAY} and {LAST_DAY}" in item["msg"]
    assert sql_value(service.database_url, f"SELECT count(*) FROM {table}") == 0
    assert sql_value(service.database_url, "SELECT count(*) FROM outbox") == 0


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
