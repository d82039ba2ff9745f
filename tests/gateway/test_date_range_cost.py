"""The cost estimate prices a date-ranged list (a timeline, tasks) by the span it asks for: five
years of timeline on a full page of sites is refused before any service is called, while one
site's five years, and a full page with a month each, run."""

import datetime as dt
import json
import time
import uuid

import pytest

TODAY = dt.date.today()
FIVE_YEARS = {"from": TODAY.isoformat(), "to": (TODAY + dt.timedelta(days=5 * 365)).isoformat()}
A_MONTH = {"from": TODAY.isoformat(), "to": (TODAY + dt.timedelta(days=31)).isoformat()}
PAGE_OF_TIMELINES = (
    "query($from: Date!, $to: Date!) { sites(first: 100) { nodes { id "
    "timeline(from: $from, to: $to) { start end use } } } }"
)


def commons_lines(running_suite, request_id: str) -> list[dict]:
    """What commons logged for a gateway request (the gateway passes its request id on)."""
    time.sleep(0.3)  # past any access line still being written
    path = running_suite.suite.logs / "commons.log"
    lines = [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("request_id") == request_id]


def assert_refused_unrun(running_suite, answer) -> None:
    assert answer.status_code == 400, answer.text
    assert "Query too complex" in answer.text
    assert "data" not in answer.json()
    assert commons_lines(running_suite, answer.headers["x-request-id"]) == []


def test_five_years_of_timeline_on_a_full_page_of_sites_is_refused(running_suite):
    assert_refused_unrun(running_suite, running_suite.graphql(PAGE_OF_TIMELINES, FIVE_YEARS))


def test_the_same_with_literal_dates_and_two_aliases_is_refused(running_suite):
    span = f'from: "{FIVE_YEARS["from"]}", to: "{FIVE_YEARS["to"]}"'
    page = f"sites(first: 100) {{ nodes {{ id timeline({span}) {{ use }} }} }}"
    answer = running_suite.graphql(f"{{ a: {page} b: {page} }}")
    assert_refused_unrun(running_suite, answer)


def test_a_range_not_known_before_it_runs_is_priced_as_the_longest(running_suite):
    answer = running_suite.graphql(PAGE_OF_TIMELINES, {"from": "soon", "to": "later"})
    assert_refused_unrun(running_suite, answer)


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (
            "query($id: UUID!, $from: Date!, $to: Date!) { site(id: $id) { "
            "timeline(from: $from, to: $to) { start end use } } }",
            {"id": str(uuid.uuid4()), **FIVE_YEARS},
        ),
        (
            "query($id: UUID!, $from: Date!, $to: Date!) { "
            "siteTimeline(siteId: $id, from: $from, to: $to) { start end use } }",
            {"id": str(uuid.uuid4()), **FIVE_YEARS},
        ),
        (PAGE_OF_TIMELINES, A_MONTH),
        (
            "query($from: Date!, $to: Date!) { sites(first: 100) { nodes { id "
            "tasks(from: $from, to: $to) { title dueOn } } } }",
            A_MONTH,
        ),
    ],
    ids=["one site's five years", "siteTimeline's five years", "a page, a month each", "tasks"],
)
def test_honest_ranges_run(running_suite, query, variables):
    answer = running_suite.graphql(query, variables)
    assert answer.status_code == 200, answer.text
    assert "Query too complex" not in answer.text
    assert commons_lines(running_suite, answer.headers["x-request-id"]), "commons was not asked"
