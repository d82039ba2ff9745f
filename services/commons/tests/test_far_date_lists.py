"""Lists of sites for a date beyond the materialized occurrences: the engine works them out from
the candidate sites' periods, loaded in one query and bounded per request, so the answer comes
within a second whatever the city holds (and `/healthz` answers meanwhile)."""

import datetime as dt

import httpx
import pytest

from commons.sites import listing
from meent_shared.testing.helpers import sql_value
from meent_shared.testing.probes import ANSWER_WITHIN, answered_while_healthz_probed

SITES = 1_200
WITH_A_SEASON = 300  # every fourth site is a park in summer, over its all-year parking


def far_summer_day() -> str:
    """15 June, some 75 years on: far beyond the occurrences, within the dates answered."""
    return str(dt.date(dt.date.today().year + 75, 6, 15))


def add_sites_with_periods(database_url: str) -> None:
    """Small squares, each parked on every day since 2020; every fourth a summer park too."""
    sql_value(
        database_url,
        f"""
        WITH sites AS (
            INSERT INTO site (id, name, kind, description, timezone, geom, area_m2, attributes,
                              version)
            SELECT gen_random_uuid(), 'Plac ' || lpad(i::text, 4, '0'), 'square', '',
                   'Europe/Warsaw',
                   ST_Multi(ST_MakeEnvelope(18.6 + (i %% 40) * 0.002, 54.3 + (i / 40) * 0.002,
                                            18.601 + (i %% 40) * 0.002, 54.301 + (i / 40) * 0.002,
                                            4326)),
                   100, '{{}}', 1
            FROM generate_series(1, {SITES}) AS i
            RETURNING id, name
        ), parking AS (
            INSERT INTO use_period (id, site_id, use, priority, starts_on, ends_on, rule, note,
                                    status, version)
            SELECT gen_random_uuid(), id, 'parking', 0, '2020-01-01', '2020-01-01', 'FREQ=DAILY',
                   '', 'active', 1
            FROM sites
            RETURNING 1
        ), seasons AS (
            INSERT INTO use_period (id, site_id, use, priority, starts_on, ends_on, rule, note,
                                    status, version)
            SELECT gen_random_uuid(), id, 'recreation', 10, '2020-06-01', '2020-09-30',
                   'FREQ=YEARLY', '', 'active', 1
            FROM sites WHERE right(name, 4)::int %% 4 = 0
            RETURNING 1
        ) SELECT (SELECT count(*) FROM parking) + (SELECT count(*) FROM seasons)
        """,
    )


@pytest.fixture
def commons_process(start_commons_process):
    commons = start_commons_process()
    add_sites_with_periods(commons.database_url)
    return commons


@pytest.mark.parametrize(
    ("params", "matched", "returned"),
    [
        # Before: 1.3 s with 1,212 sites (one query of periods per site), and more with more sites.
        ({"use": "nothing"}, 0, 0),
        # Before: 2.3 s, and /healthz waited 1.3 s.
        ({"limit": 500}, SITES, 500),
        ({"use": "recreation"}, WITH_A_SEASON, WITH_A_SEASON),
        ({"use": "parking", "limit": 100, "offset": 850}, SITES - WITH_A_SEASON, 50),
    ],
)
async def test_a_list_for_a_far_date_answers_within_a_second(
    commons_process, params, matched, returned
):
    async with httpx.AsyncClient(base_url=commons_process.url, timeout=30) as client:
        request = client.get("/sites", params={"on": far_summer_day(), **params})
        answer, took, latencies = await answered_while_healthz_probed(client, request)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["numberMatched"], len(body["features"])) == (matched, returned)
    uses = {f["properties"]["use"] for f in body["features"]}
    assert uses <= ({params["use"]} if "use" in params else {"parking", "recreation"})
    assert took < ANSWER_WITHIN, f"{params}: {took:.2f} s"
    assert max(latencies) < ANSWER_WITHIN, latencies


@pytest.fixture
async def commons(start_service):
    commons = await start_service("commons", run_workers=False)
    add_sites_with_periods(commons.database_url)
    return commons


async def test_too_many_periods_for_a_far_date_is_a_clear_422(commons, monkeypatch):
    monkeypatch.setattr(listing, "ENGINE_PERIODS_PER_REQUEST", 1_000)  # 1,500 in the city
    answer = await commons.client.get("/sites", params={"on": far_summer_day(), "use": "parking"})
    assert answer.status_code == 422, answer.text
    [item] = answer.json()["detail"]
    assert (item["type"], item["loc"]) == ("sites_too_busy", ["query", "on"])
    assert "smaller bbox or limit, or a date from" in item["msg"]
    # A smaller bbox (squares 1 to 799: 999 periods) is answered.
    smaller = {"on": far_summer_day(), "use": "parking", "bbox": "18.5,54.2,18.7,54.339"}
    answer = await commons.client.get("/sites", params=smaller)
    assert answer.status_code == 200, answer.text
    assert answer.json()["numberMatched"] == 600  # 199 of them are parks in summer
