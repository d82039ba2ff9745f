"""Far-away dates and hostile task rules in maintenance, against the real commons process: each is
refused with a 422 naming the parameter within a second, stores nothing, and `/healthz` keeps
answering while it is in flight. The largest honest questions — a year of daily work a century
ahead, the feed of a busy site — are answered within a second too."""

import datetime as dt
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from meent_shared.testing.helpers import sql_value
from tests.conftest import RunningSuite

ANSWER_WITHIN = 1.0  # seconds, for the hostile request and for each /healthz meanwhile
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[18.64, 54.35], [18.65, 54.35], [18.65, 54.36], [18.64, 54.36], [18.64, 54.35]]
    ],
}

HONEST_PERIODS = (
    {"use": "parking", "priority": 0, "starts_on": "2020-01-01"},
    {
        "use": "recreation",
        "priority": 10,
        "starts_on": "2024-05-01",
        "ends_on": "2024-09-30",
        "rule": "FREQ=YEARLY",
    },
)
BUSY_PERIODS = (
    {
        "use": "market",
        "priority": 30,
        "starts_on": "2024-01-06",
        "ends_on": "2024-01-06",
        "rule": "FREQ=WEEKLY;BYDAY=SA",
        "day_starts_at": "08:00",
        "day_ends_at": "14:00",
    },
    {
        "use": "closed",
        "priority": 40,
        "starts_on": "2020-01-01",
        "day_starts_at": "23:00",
        "day_ends_at": "05:00",
    },
)


@dataclass
class Commons:
    url: str
    database_url: str
    staff: dict[str, str]
    site_id: str
    task_id: str

    def stored(self) -> tuple[Any, ...]:
        """What a refusal must leave as it was: tasks, completions, the task's version."""
        return (
            sql_value(self.database_url, "SELECT count(*) FROM maintenance_task"),
            sql_value(self.database_url, "SELECT count(*) FROM task_completion"),
            sql_value(
                self.database_url,
                "SELECT version FROM maintenance_task WHERE id = %s",
                self.task_id,
            ),
        )


@pytest.fixture(scope="module")
def commons(running_suite: RunningSuite) -> Iterator[Commons]:
    """A square with parking and a summer park, and the costliest honest task: daily since 1900,
    heavy (so each due day is checked against the site's use)."""
    url = running_suite.suite.url("commons")
    staff = {"Authorization": f"Bearer {running_suite.token('far-dates', ['maintenance'])}"}
    with httpx.Client(base_url=url, headers=staff, timeout=30) as http:
        site = http.post(
            "/sites",
            json={"name": f"Far {uuid.uuid4().hex[:6]}", "kind": "square", "geometry": SQUARE},
        )
        assert site.status_code == 201, site.text
        site_id = site.json()["id"]
        for period in HONEST_PERIODS:
            assert http.post(f"/sites/{site_id}/periods", json=period).status_code == 201
        team = http.post("/teams", json={"name": "Far dates"}).json()["id"]
        http.put(f"/teams/{team}/members/far-dates")
        task = http.post(
            f"/sites/{site_id}/tasks",
            json={
                "title": "Sweep",
                "due_on": "1900-01-01",
                "rule": "FREQ=DAILY",
                "heavy": True,
                "team_id": team,
            },
        )
        assert task.status_code == 201, task.text
    yield Commons(
        url, running_suite.suite.database_url("commons"), staff, site_id, task.json()["id"]
    )


def answered_while_healthy(
    commons: Commons, method: str, path: str, **kwargs: Any
) -> httpx.Response:
    """Send one request; while it is in flight, `/healthz` must answer each time within a second,
    and the request itself must be answered within a second."""
    with ThreadPoolExecutor(max_workers=1) as pool, httpx.Client(base_url=commons.url) as probe:
        started = time.monotonic()
        pending = pool.submit(
            httpx.request,
            method,
            f"{commons.url}{path}",
            headers=commons.staff,
            timeout=30,
            **kwargs,
        )
        while True:  # the first probe leaves right behind the request
            try:
                health = probe.get("/healthz", timeout=ANSWER_WITHIN)
            except httpx.TimeoutException:
                raise AssertionError(
                    f"/healthz did not answer while {path} was in flight"
                ) from None
            assert health.status_code == 200
            if pending.done():
                break
            time.sleep(0.05)
        answer = pending.result()
    took = time.monotonic() - started
    assert took < ANSWER_WITHIN, f"{method} {path}: {took:.2f} s"
    return answer


def refused(answer: httpx.Response, loc: list[str]) -> None:
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["detail"]
    assert error["loc"] == loc, error
    # The message names the parameter, or the range every date of the API must lie in.
    assert loc[-1] in error["msg"] or error["type"] == "date_out_of_range", error


def years_away(years: int) -> str:
    today = dt.date.today()
    return (today + dt.timedelta(days=round(365.25 * years))).isoformat()


@pytest.mark.parametrize(
    ("query", "loc"),
    [
        ({"week": "9999-W52"}, ["query", "week"]),  # the week's Sunday is in year 10000
        ({"week": "0001-W01"}, ["query", "week"]),  # its Monday is in year 0
        ({"week": "2026-W54"}, ["query", "week"]),
        ({"week": "2026-W1x"}, ["query", "week"]),
        ({"from": "9999-12-31"}, ["query", "from"]),  # a week on from it is in year 10000
        ({"from": "1026-01-01", "to": "1026-12-31"}, ["query", "from"]),
        ({"from": "1026-01-01", "to": "2026-01-01"}, ["query", "from"]),  # a thousand years
        ({"to": "9999-12-31"}, ["query", "to"]),
        ({"from": years_away(-99), "to": years_away(99)}, ["query", "to"]),  # too long a range
    ],
    ids=lambda value: str(value),
)
def test_far_away_due_dates_are_refused_while_commons_answers(commons, query, loc):
    before = commons.stored()
    answer = answered_while_healthy(commons, "GET", "/tasks/due", params=query)
    refused(answer, loc)
    assert commons.stored() == before


@pytest.mark.parametrize("due_on", ["9999-12-31", "0001-01-01", years_away(101)])
def test_completing_a_far_away_occurrence_is_refused_and_stores_nothing(commons, due_on):
    before = commons.stored()
    path = f"/tasks/{commons.task_id}/complete"
    answer = answered_while_healthy(commons, "POST", path, json={"due_on": due_on})
    refused(answer, ["body", "due_on"])
    assert commons.stored() == before


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=YEARLY;INTERVAL=0",
        "FREQ=DAILY;INTERVAL=-1",
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;BYSETPOS=7",
        "FREQ=DAILY;COUNT=1000000000",
        "FREQ=WEEKLY;INTERVAL=99999999",
    ],
)
def test_a_hostile_task_rule_is_refused_while_commons_answers(commons, rule):
    """Task rules are read by the schedules' RRULE reader, so bounded as periods' are."""
    before = commons.stored()
    body = {"title": "Hostile", "due_on": "2026-05-01", "rule": rule}
    answer = answered_while_healthy(commons, "POST", f"/sites/{commons.site_id}/tasks", json=body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"] == ["body", "rule"]
    assert commons.stored() == before


@pytest.mark.parametrize("due_on", ["9999-12-31", "0001-01-01"])
def test_a_task_due_far_away_is_refused_while_commons_answers(commons, due_on):
    before = commons.stored()
    body = {"title": "Far away", "due_on": due_on}
    answer = answered_while_healthy(commons, "POST", f"/sites/{commons.site_id}/tasks", json=body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"] == ["body", "due_on"]
    assert commons.stored() == before


def test_the_widest_honest_questions_are_answered_within_a_second(commons):
    """A year of daily heavy work a century ahead, and completing it there: the bounds allow
    them, and they cost no more than a second."""
    last = dt.date.fromisoformat(years_away(99))
    first = last - dt.timedelta(days=365)
    span = {"from": first.isoformat(), "to": last.isoformat()}
    due = answered_while_healthy(commons, "GET", "/tasks/due", params=span)
    assert due.status_code == 200, due.text
    assert len(due.json()) == 366
    assert {o["clashes_with_use"] for o in due.json()} == {"recreation", None}
    before = commons.stored()
    done = answered_while_healthy(
        commons, "POST", f"/tasks/{commons.task_id}/complete", json={"due_on": last.isoformat()}
    )
    assert done.status_code == 200, done.text
    assert done.json()["done"] is True and done.json()["due_on"] == last.isoformat()
    assert commons.stored()[1:] == (before[1] + 1, before[2] + 1)
    # Without a date: the oldest open occurrence, 1 January 1900, found without listing the rest.
    oldest = answered_while_healthy(commons, "POST", f"/tasks/{commons.task_id}/complete", json={})
    assert oldest.status_code == 200, oldest.text
    assert oldest.json()["due_on"] == "1900-01-01"


def test_a_busy_sites_feed_is_answered_within_a_second(commons, running_suite):
    """Parking, a summer park, a Saturday market and closed nights: thousands of timeline
    segments over the feed's years, built and sent while the process keeps answering."""
    with httpx.Client(base_url=commons.url, headers=commons.staff, timeout=30) as http:
        site = http.post(
            "/sites",
            json={"name": f"Busy {uuid.uuid4().hex[:6]}", "kind": "square", "geometry": SQUARE},
        )
        assert site.status_code == 201, site.text
        for period in (*HONEST_PERIODS, *BUSY_PERIODS):
            added = http.post(f"/sites/{site.json()['id']}/periods", json=period)
            assert added.status_code == 201, added.text
    path = f"/calendars/sites/{site.json()['id']}.ics"
    feed = answered_while_healthy(commons, "GET", path)
    assert feed.status_code == 200 and feed.text.startswith("BEGIN:VCALENDAR")
    assert feed.text.count("BEGIN:VEVENT") < 300 and len(feed.content) < 200_000
    through_gateway = running_suite.http.get(f"{running_suite.url}{path}")
    assert through_gateway.status_code == 200 and through_gateway.content == feed.content
