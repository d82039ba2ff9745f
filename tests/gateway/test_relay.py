"""Relay's conventions: every type with an id is a `Node`, refetched by `node(id:)` with the same
id the other interfaces use; connections have `edges { cursor node }` beside `nodes`, and a
`totalCount` that counts every page."""

import datetime as dt
import time
import uuid

import pytest

from meent_shared.settings import Mode, ServiceSettings

TODAY = dt.date.today()


def box_square(x: float) -> dict:
    """A small square at longitude `x` in the Baltic Sea, where no other test puts sites."""
    ring = [[x, 55.0], [x + 0.001, 55.0], [x + 0.001, 55.001], [x, 55.0]]
    return {"type": "Polygon", "coordinates": [ring]}


def data(answer) -> dict:
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert "errors" not in body, body
    return body["data"]


def made(running_suite, token: str, mutation: str, variables: dict | None = None) -> str:
    [result] = data(running_suite.graphql(mutation, variables, token=token)).values()
    assert "id" in result, result
    return result["id"]


@pytest.fixture(scope="module")
def staff(running_suite) -> str:
    return running_suite.token("relay-staff", ["admin", "maintenance", "grant_officer"])


@pytest.fixture(scope="module")
def one_of_each(running_suite, staff) -> dict[str, str]:
    """A thing of every Node type, made through GraphQL; the type name for each id."""
    volunteer = running_suite.token("relay-volunteer")
    site = made(
        running_suite,
        staff,
        'mutation($g: JSON!) { createSite(input: {name: "Relay", kind: "park", geometry: $g}) '
        "{ ... on Site { id } } }",
        {"g": box_square(19.5)},
    )
    project = made(
        running_suite,
        staff,
        'mutation { createProject(input: {name: "Relay project"}) { ... on Project { id } } }',
    )
    team = made(
        running_suite, staff, 'mutation { createTeam(name: "Relay") { ... on Team { id } } }'
    )
    ids = {
        site: "Site",
        project: "Project",
        team: "Team",
        made(
            running_suite,
            staff,
            "mutation($s: UUID!, $d: Date!) { addUsePeriod(siteId: $s, input: "
            '{use: "recreation", startsOn: $d}) { ... on UsePeriod { id } } }',
            {"s": site, "d": TODAY.isoformat()},
        ): "UsePeriod",
        made(
            running_suite,
            staff,
            "mutation($s: UUID!, $t: UUID!, $d: Date!) { createMaintenanceTask(siteId: $s, "
            'input: {title: "Mow", dueOn: $d, teamId: $t}) { ... on MaintenanceTask { id } } }',
            {"s": site, "t": team, "d": TODAY.isoformat()},
        ): "MaintenanceTask",
        made(
            running_suite,
            staff,
            'mutation($o: Date!, $c: Date!) { createCall(input: {title: "Relay call", '
            "budgetCents: 100000, minAwardCents: 1000, maxAwardCents: 10000, opensOn: $o, "
            "closesOn: $c}) { ... on FundingCall { id } } }",
            {"o": str(TODAY + dt.timedelta(days=30)), "c": str(TODAY + dt.timedelta(days=60))},
        ): "FundingCall",
    }
    key = running_suite.graphql(
        'mutation { createApiKey(name: "Relay app") { ... on NewApiKey { key { id } } } }',
        token=staff,
    )
    ids[data(key)["createApiKey"]["key"]["id"]] = "ApiKey"
    ids[wait_for(lambda: add_stewardship(running_suite, staff, site, project))] = "Stewardship"
    call = open_call(running_suite, staff)
    ids[wait_for(lambda: apply(running_suite, staff, call, project))] = "Application"
    running_suite.graphql(JOIN, {"p": project}, token=volunteer)
    ids[wait_for(lambda: log_hours(running_suite, volunteer, project))] = "HourEntry"
    return ids


def wait_for(attempt, seconds: float = 20) -> str:
    """Projects reach commons and volunteers by event: try until they know it."""
    deadline = time.monotonic() + seconds
    while (found := attempt()) is None:
        assert time.monotonic() < deadline, "the project never arrived"
        time.sleep(0.2)
    return found


def add_stewardship(running_suite, staff: str, site: str, project: str) -> str | None:
    answer = running_suite.graphql(
        "mutation($s: UUID!, $p: UUID!, $d: Date!) { addStewardship(siteId: $s, input: "
        "{projectId: $p, startsOn: $d}) { ... on Stewardship { id } } }",
        {"s": site, "p": project, "d": TODAY.isoformat()},
        token=staff,
    )
    return data(answer)["addStewardship"].get("id")


def open_call(running_suite, staff: str) -> str:
    today = ServiceSettings(mode=Mode.local).today()
    call = made(
        running_suite,
        staff,
        'mutation($o: Date!, $c: Date!) { createCall(input: {title: "Relay open call", '
        'budget: "1000.00", minAward: "10.00", maxAward: "100.00", opensOn: $o, '
        "closesOn: $c}) { ... on FundingCall { id } } }",
        {"o": str(today), "c": str(today + dt.timedelta(days=30))},
    )
    publish = "mutation($c: UUID!) { publishCall(id: $c) { ... on FundingCall { id } } }"
    made(running_suite, staff, publish, {"c": call})
    return call


def apply(running_suite, staff: str, call: str, project: str) -> str | None:
    """A draft application; None until grants knows the project's coordinator (by event)."""
    answer = running_suite.graphql(
        "mutation($c: UUID!, $p: UUID!) { createApplication(callId: $c, projectId: $p, input: "
        '{title: "Relay", requested: "50.00", budgetLines: [{label: "All", amount: "50.00"}]}) '
        "{ ... on Application { id } } }",
        {"c": call, "p": project},
        token=staff,
    )
    return data(answer)["createApplication"].get("id")


JOIN = "mutation($p: UUID!) { joinProject(projectId: $p) { ... on Membership { id } } }"


def log_hours(running_suite, volunteer: str, project: str) -> str | None:
    """None until volunteers knows the project and the volunteer's membership (members log)."""
    answer = running_suite.graphql(
        "mutation($p: UUID!, $d: Date!) { logHours(input: {projectId: $p, activity: GARDENING, "
        "workedOn: $d, minutes: 60}) { ... on HourEntry { id } } }",
        {"p": project, "d": ServiceSettings(mode=Mode.local).today().isoformat()},
        token=volunteer,
    )
    return data(answer)["logHours"].get("id")


NODE = "query($id: ID!) { node(id: $id) { __typename id } }"


def test_every_node_type_is_refetched_by_its_id(running_suite, staff, one_of_each):
    assert len(set(one_of_each.values())) == 10, "one of each type that has an id"
    for id, type_name in one_of_each.items():
        token = running_suite.token("relay-volunteer") if type_name == "HourEntry" else staff
        node = data(running_suite.graphql(NODE, {"id": id}, token=token))["node"]
        assert node == {"__typename": type_name, "id": id}


def test_a_node_is_the_same_thing_as_its_type_gives(running_suite, one_of_each):
    site = next(i for i, t in one_of_each.items() if t == "Site")
    query = (
        "query($id: ID!, $uuid: UUID!) { node(id: $id) { ... on Site { name calendarUrl } } "
        "site(id: $uuid) { name calendarUrl } }"
    )
    both = data(running_suite.graphql(query, {"id": site, "uuid": site}))
    assert both["node"] == both["site"]
    assert both["node"]["calendarUrl"].endswith(f"/calendars/sites/{site}.ics"), "the same id"


def test_an_unknown_id_is_null_and_a_malformed_one_is_refused(running_suite):
    assert data(running_suite.graphql(NODE, {"id": str(uuid.uuid4())})) == {"node": None}
    body = running_suite.graphql(NODE, {"id": "Site:12"}).json()
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == "id"


def test_someone_elses_hours_are_forbidden_and_a_key_is_an_admins(running_suite, one_of_each):
    hours = next(i for i, t in one_of_each.items() if t == "HourEntry")
    key = next(i for i, t in one_of_each.items() if t == "ApiKey")
    other = running_suite.token("relay-other-volunteer")
    [error] = running_suite.graphql(NODE, {"id": hours}, token=other).json()["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert data(running_suite.graphql(NODE, {"id": key}, token=other)) == {"node": None}


@pytest.fixture(scope="module")
def five_sites(running_suite, staff) -> list[str]:
    """Five sites alone in their bbox; two of them a market today."""
    ids = [
        made(
            running_suite,
            staff,
            'mutation($g: JSON!, $n: String!) { createSite(input: {name: $n, kind: "square", '
            "geometry: $g}) { ... on Site { id } } }",
            {"g": box_square(20.0 + i * 0.01), "n": f"Relay square {i}"},
        )
        for i in range(5)
    ]
    for site in ids[:2]:
        made(
            running_suite,
            staff,
            "mutation($s: UUID!, $d: Date!) { addUsePeriod(siteId: $s, input: "
            '{use: "market", startsOn: $d}) { ... on UsePeriod { id } } }',
            {"s": site, "d": TODAY.isoformat()},
        )
    return ids


BBOX = [19.99, 54.99, 20.1, 55.01]


def test_paging_by_edges_cursors_visits_every_site_once(running_suite, five_sites):
    query = (
        "query($bbox: [Float!], $after: String) { sites(bbox: $bbox, first: 2, after: $after) { "
        "totalCount nodes { id } edges { cursor node { id } } "
        "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"
    )
    seen, after, pages = [], None, 0
    while True:
        page = data(running_suite.graphql(query, {"bbox": BBOX, "after": after}))["sites"]
        assert page["totalCount"] == 5
        assert [e["node"] for e in page["edges"]] == page["nodes"]
        info = page["pageInfo"]
        assert info["startCursor"] == page["edges"][0]["cursor"]
        assert info["endCursor"] == page["edges"][-1]["cursor"]
        assert info["hasPreviousPage"] == (pages > 0)
        seen += [n["id"] for n in page["nodes"]]
        pages += 1
        if not info["hasNextPage"]:
            break
        after = page["edges"][-1]["cursor"]
    assert pages == 3
    assert sorted(seen) == sorted(five_sites)


def test_a_page_from_any_edges_cursor_continues_after_it(running_suite, five_sites):
    query = "query($bbox: [Float!], $after: String) { sites(bbox: $bbox, first: 5, after: $after) { edges { cursor node { id } } } }"
    edges = data(running_suite.graphql(query, {"bbox": BBOX}))["sites"]["edges"]
    rest = data(running_suite.graphql(query, {"bbox": BBOX, "after": edges[1]["cursor"]}))
    assert [e["node"]["id"] for e in rest["sites"]["edges"]] == [e["node"]["id"] for e in edges[2:]]


def test_the_total_counts_only_the_sites_with_the_use_asked_for(running_suite, five_sites):
    query = (
        "query($bbox: [Float!], $on: Date!) { all: sites(bbox: $bbox, useOn: $on, first: 1) "
        '{ totalCount } markets: sites(bbox: $bbox, useOn: $on, use: "market", first: 1) '
        "{ totalCount pageInfo { hasNextPage } } }"
    )
    found = data(running_suite.graphql(query, {"bbox": BBOX, "on": TODAY.isoformat()}))
    assert found["all"]["totalCount"] == 5
    assert found["markets"] == {"totalCount": 2, "pageInfo": {"hasNextPage": True}}


@pytest.mark.parametrize("connection", ["projects", "calls"])
def test_the_total_is_every_item_on_every_page(running_suite, staff, connection, one_of_each):
    """Walks every page (the shared suite holds more than one page of projects: the matrix's)."""
    total = data(
        running_suite.graphql(f"{{ {connection}(first: 1) {{ totalCount }} }}", token=staff)
    )
    page = f"""query($after: String) {{ {connection}(first: 100, after: $after) {{
      nodes {{ id }} pageInfo {{ hasNextPage endCursor }} }} }}"""
    seen, after = [], None
    for _ in range(100):
        found = data(running_suite.graphql(page, {"after": after}, token=staff))[connection]
        seen += [node["id"] for node in found["nodes"]]
        if not found["pageInfo"]["hasNextPage"]:
            break
        after = found["pageInfo"]["endCursor"]
    assert total[connection]["totalCount"] == len(set(seen)) >= 1
