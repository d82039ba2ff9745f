"""The gateway in front of the running suite: one origin for GraphQL, keys and open interfaces."""

import time

SYSTEM = "{ system { version services { name ready version checks { name status } } } }"


def test_system_reports_every_service_ready(running_suite):
    answer = running_suite.graphql(SYSTEM)
    assert answer.status_code == 200
    services = {s["name"]: s for s in answer.json()["data"]["system"]["services"]}
    assert set(services) == {"commons", "volunteers", "spaces", "grants"}
    for status in services.values():
        assert status["ready"] is True
        assert {c["name"]: c["status"] for c in status["checks"]} == {
            "database": "ok",
            "nats": "ok",
            "streams": "ok",
        }


def test_a_project_created_through_graphql_is_readable_and_counts_hours(running_suite):
    token = running_suite.token("anna")
    created = running_suite.graphql(
        """mutation($input: CreateProjectInput!) {
             createProject(input: $input) {
               __typename ... on Project { id name slug } ... on UserError { message } } }""",
        {"input": {"name": "Elisabeth groen"}},
        token=token,
    ).json()["data"]["createProject"]
    assert created["__typename"] == "Project", created
    page = running_suite.graphql(
        "{ projects(first: 50) { totalCount nodes { id approvedHours } } }"
    )
    nodes = {n["id"]: n for n in page.json()["data"]["projects"]["nodes"]}
    assert nodes[created["id"]]["approvedHours"] == 0.0


def test_typed_errors_come_back_as_results(running_suite):
    query = """mutation { createProject(input: {name: ""}) {
                 __typename ... on InvalidInput { message fields { field message } } } }"""
    anonymous = running_suite.graphql(query).json()["data"]["createProject"]
    assert anonymous["__typename"] == "NotAuthenticated"
    invalid = running_suite.graphql(query, token=running_suite.token("anna"))
    result = invalid.json()["data"]["createProject"]
    assert result["__typename"] == "InvalidInput"
    assert result["fields"][0]["field"] == "name"


def test_pages_follow_cursors(running_suite):
    token = running_suite.token("pager")
    for n in range(3):
        running_suite.graphql(
            "mutation($n: String!) { createProject(input: {name: $n}) { __typename } }",
            {"n": f"Page test {n}"},
            token=token,
        )
    query = "query($after: String) { projects(first: 2, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } totalCount } }"
    seen: list[str] = []
    after = None
    while True:
        page = running_suite.graphql(query, {"after": after}).json()["data"]["projects"]
        seen += [n["id"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == page["totalCount"] >= 3


def test_the_gateway_forwards_open_interfaces(running_suite):
    answer = running_suite.http.get(
        f"{running_suite.url}/exports/sites", params={"bbox": "0,0,1,1"}
    )
    assert answer.status_code == 200
    assert answer.json() == {
        "type": "FeatureCollection",
        "numberMatched": 0,
        "numberReturned": 0,
        "truncated": False,
        "features": [],
    }
    bad = running_suite.http.get(f"{running_suite.url}/exports/sites", params={"bbox": "x"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["query", "bbox"]


API_KEY = """mutation($name: String!, $scopes: [String!]) { createApiKey(name: $name, scopes: $scopes) {
  __typename ... on NewApiKey { secret key { id scopes } } ... on UserError { message } } }"""
CREATE_PROJECT = 'mutation { createProject(input: {name: "By key"}) { __typename } }'


def test_an_api_key_reads_but_does_not_write_without_the_write_scope(running_suite):
    admin = running_suite.token("root", ["admin"])
    made = running_suite.graphql(API_KEY, {"name": "Civic app"}, token=admin).json()
    secret = made["data"]["createApiKey"]["secret"]
    me = running_suite.graphql("{ me { sub isApiKey scopes } }", api_key=secret).json()
    assert me["data"]["me"]["isApiKey"] is True
    assert me["data"]["me"]["scopes"] == ["read"]
    assert (
        running_suite.graphql("{ projects(first: 1) { totalCount } }", api_key=secret).status_code
        == 200
    )
    refused = running_suite.graphql(CREATE_PROJECT, api_key=secret).json()
    assert refused["data"]["createProject"]["__typename"] == "NotAuthorized"


def test_a_revoked_or_unknown_key_is_401(running_suite):
    admin = running_suite.token("root", ["admin"])
    made = running_suite.graphql(API_KEY, {"name": "Old app"}, token=admin).json()["data"]
    key_id, secret = made["createApiKey"]["key"]["id"], made["createApiKey"]["secret"]
    revoke = (
        "mutation($id: UUID!) { revokeApiKey(id: $id) { __typename ... on ApiKey { revoked } } }"
    )
    assert running_suite.graphql(revoke, {"id": key_id}, token=admin).json()["data"][
        "revokeApiKey"
    ]["revoked"]
    assert running_suite.graphql("{ me { sub } }", api_key=secret).status_code == 401
    assert running_suite.graphql("{ me { sub } }", api_key="mk_00_nothing").status_code == 401


def test_only_admins_issue_keys(running_suite):
    citizen = running_suite.token("someone")
    made = running_suite.graphql(API_KEY, {"name": "Mine"}, token=citizen).json()
    assert made["data"]["createApiKey"]["__typename"] == "NotAuthorized"


def test_the_dev_token_and_web_client_share_the_origin(running_suite):
    page = running_suite.http.get(f"{running_suite.url}/some/client/route")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    started = time.monotonic()
    assert running_suite.token("quick")
    assert time.monotonic() - started < 5


def test_pages_carry_a_content_security_policy(running_suite):
    page = running_suite.http.get(f"{running_suite.url}/map")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert '<meta name="meent-tile-url" content="" />' in page.text  # no base map by default


async def test_a_configured_base_map_is_written_into_the_page_and_allowed(start_service):
    gateway = await start_service(
        "gateway",
        run_workers=False,
        map_tile_url="https://tiles.example.org/{z}/{x}/{y}.png",
        map_tile_attribution="© OpenStreetMap contributors",
    )
    page = await gateway.client.get("/map")
    assert 'content="https://tiles.example.org/{z}/{x}/{y}.png"' in page.text
    assert "&lt;" not in page.text.split("meent-tile-attribution")[1][:80]
    assert (
        "img-src 'self' data: https://tiles.example.org" in page.headers["content-security-policy"]
    )


def test_system_status_is_shared_for_a_second(running_suite):
    """A dashboard polled by many costs the services one look per second, not one per poll."""

    def readyz_answered() -> float:
        metrics = running_suite.http.get(f"{running_suite.suite.url('commons')}/metrics").text
        lines = [
            line
            for line in metrics.splitlines()
            if line.startswith("meent_http_requests_total") and 'route="/readyz"' in line
        ]
        return sum(float(line.rsplit(" ", 1)[1]) for line in lines)

    time.sleep(1.1)  # whatever an earlier test looked at has gone stale
    before = readyz_answered()
    for _ in range(5):
        assert running_suite.graphql(SYSTEM).status_code == 200
    assert readyz_answered() - before == 1
