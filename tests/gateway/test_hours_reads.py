"""Reading hours through GraphQL: a hundred projects' totals in one request to volunteers, the
monthly summary with its in-kind value, one's own entries and the approval queue."""

import base64
import uuid

import httpx

from tests.gateway.hours_setup import city_today, hours_project, volunteers_requests
from tests.gateway.test_hours_graphql import APPROVE, data, log

HUNDRED_TOTALS = (
    """{ projects(first: 100) { nodes { id hoursTotal { minutes entries value } } } }"""
)
SUMMARY = """query($id: UUID!, $by: HoursGroupBy!) { hoursSummary(projectId: $id, groupBy: $by) {
  projectId totalMinutes entries value currency hourlyRate
  groups { key personName minutes entries value } } }"""
MINE = """{ myHours(first: 10) { nodes { id status } pageInfo { hasNextPage endCursor } } }"""
QUEUE = """query($id: UUID) { approvalQueue(projectId: $id) { nodes { id status } } }"""


def test_a_hundred_projects_with_their_totals_are_one_request_to_volunteers(running_suite):
    spaces = running_suite.suite.url("spaces")
    token = running_suite.token(f"hours-many-{uuid.uuid4().hex[:8]}")
    for n in range(100):
        made = httpx.post(
            f"{spaces}/projects",
            json={"name": f"Totals {n:03d} {uuid.uuid4().hex[:6]}"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert made.status_code == 201, made.text
    project = hours_project(running_suite, skill=1)
    entry = log(running_suite, project.members["skill"][0], project.id, minutes=45)
    running_suite.graphql(APPROVE, {"id": entry["id"]}, token=project.coordinator)

    asked_before = volunteers_requests(running_suite, "GET", "/projects/totals")
    all_before = volunteers_requests(running_suite, "GET")
    nodes = data(running_suite.graphql(HUNDRED_TOTALS))["projects"]["nodes"]
    assert len(nodes) == 100
    assert volunteers_requests(running_suite, "GET", "/projects/totals") - asked_before == 1
    assert volunteers_requests(running_suite, "GET") - all_before == 1
    assert all(n["hoursTotal"]["minutes"] >= 0 for n in nodes)

    one = data(
        running_suite.graphql(
            "query($id: UUID!) { project(id: $id) { hoursTotal { minutes entries value } } }",
            {"id": project.id},
        )
    )["project"]
    assert one["hoursTotal"] == {"minutes": 45, "entries": 1, "value": "11.25"}


def test_the_monthly_summary_the_queue_and_ones_own_entries(running_suite):
    project = hours_project(running_suite, skill=1)
    [volunteer] = project.members["skill"]
    approved = log(running_suite, volunteer, project.id, minutes=100)
    waiting = log(running_suite, volunteer, project.id, minutes=20)
    running_suite.graphql(APPROVE, {"id": approved["id"]}, token=project.coordinator)

    summary = data(running_suite.graphql(SUMMARY, {"id": project.id, "by": "MONTH"}))
    month = city_today().strftime("%Y-%m")
    assert summary["hoursSummary"] == {
        "projectId": project.id,
        "totalMinutes": 100,
        "entries": 1,
        "value": "25.00",
        "currency": "EUR",
        "hourlyRate": "15.00",
        "groups": [
            {"key": month, "personName": None, "minutes": 100, "entries": 1, "value": "25.00"}
        ],
    }
    queue = data(running_suite.graphql(QUEUE, {"id": project.id}, token=project.coordinator))
    assert [n["id"] for n in queue["approvalQueue"]["nodes"]] == [waiting["id"]]
    mine = data(running_suite.graphql(MINE, token=volunteer))["myHours"]["nodes"]
    assert {n["id"]: n["status"] for n in mine} == {
        approved["id"]: "APPROVED",
        waiting["id"]: "SUBMITTED",
    }
    assert data(running_suite.graphql(MINE))["myHours"] is None  # anonymous
    unknown = running_suite.graphql(SUMMARY, {"id": str(uuid.uuid4()), "by": "ACTIVITY"})
    assert "errors" not in unknown.json()


def test_a_page_size_outside_the_bounds_is_refused_by_name(running_suite):
    answer = running_suite.graphql("{ hours(first: 101) { nodes { id } } }").json()
    assert answer["errors"][0]["extensions"]["argument"] == "first"
    answer = running_suite.graphql('{ hours(after: "%s") { nodes { id } } }' % ("x" * 201)).json()
    assert answer["errors"][0]["extensions"]["reason"] == "invalid_cursor"


PAGE = """query($p: UUID, $after: String) { hours(projectId: $p, first: 3, after: $after) {
  edges { cursor node { id } } pageInfo { endCursor hasNextPage } } }"""
QUEUE_PAGE = """query($p: UUID, $after: String) { approvalQueue(projectId: $p, first: 3, after: $after) {
  edges { cursor node { id } } pageInfo { endCursor hasNextPage } } }"""


def test_paging_on_from_any_edge_gives_what_follows_it(running_suite):
    project = hours_project(running_suite, skill=1)
    [volunteer] = project.members["skill"]
    for _ in range(3):
        log(running_suite, volunteer, project.id, minutes=20)
    for document, field, token in (
        (PAGE, "hours", volunteer),
        (QUEUE_PAGE, "approvalQueue", project.coordinator),
    ):
        page = data(running_suite.graphql(document, {"p": project.id}, token=token))[field]
        ids = [edge["node"]["id"] for edge in page["edges"]]
        assert len(ids) == 3
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        after_first = {"p": project.id, "after": page["edges"][0]["cursor"]}
        rest = data(running_suite.graphql(document, after_first, token=token))[field]
        assert [edge["node"]["id"] for edge in rest["edges"]] == ids[1:], field
        assert rest["pageInfo"]["hasNextPage"] is False


def test_every_projects_page_of_entries_is_priced_as_a_list_inside_a_list(running_suite):
    """A hundred projects' totals cost about 1,200; their hundred entries each, 11,200: refused
    before volunteers is asked (the limit is 5,000)."""
    before = volunteers_requests(running_suite, "GET")
    query = "{ projects(first: 100) { nodes { id hours(first: 100) { nodes { id } } } } }"
    answer = running_suite.graphql(query).json()
    assert "Query too complex" in answer["errors"][0]["message"], answer
    assert "data" not in answer or answer["data"] is None
    assert volunteers_requests(running_suite, "GET") == before


def test_a_forged_queue_cursor_is_refused_as_bad_input(running_suite):
    """A time at the edge of the calendar once made volunteers fail (an "Unexpected error.")."""
    project = hours_project(running_suite, skill=1)
    text = f"9999-12-31T23:59:59.999999-23:59|{uuid.uuid4()}"
    forged = base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")
    variables = {"p": project.id, "after": forged}
    answer = running_suite.graphql(QUEUE_PAGE, variables, token=project.coordinator).json()
    [error] = answer["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert "cursor" in error["message"], error
