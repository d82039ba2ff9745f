"""The scenarios: what is requested, how often, for how long, and against which baseline.

A scenario whose figure is a ratio names a `baseline`; the two then run in interleaved rounds
(A, B, A, B, …) in the same run, so the machine's noise hits both alike.
To add one: write its `Target` (and a `load_data` hook if it needs data at scale) and append it
to `SCENARIOS`.
"""

import random
from urllib.parse import quote

from meent_shared.local.suite import Suite
from tests.bench.commons_data import CommonsData, commons_data
from tests.bench.grants_scenarios import GRANTS_SCENARIOS
from tests.bench.hours_scenarios import HOURS_SCENARIOS
from tests.bench.scenario_types import (
    BodyFactory,
    DataLoader,
    HeaderFactory,
    Loaded,
    PathFactory,
    Scenario,
    Target,
    constant_json,
    no_body,
)
from tests.bench.spaces_data import SpacesData, spaces_data

__all__ = [
    "SCENARIOS",
    "BodyFactory",
    "DataLoader",
    "HeaderFactory",
    "Loaded",
    "PathFactory",
    "Scenario",
    "Target",
    "baselines_of",
    "no_body",
]

GRAPHQL_HEADERS = {
    "Content-Type": "application/json",
    "Accept": "application/graphql-response+json",
}
SYSTEM_QUERY = "{ system { version services { name ready version } } }"


# --- commons at scale (tests/bench/commons_data.py) ---------------------------------------------


def pick(index: int, size: int) -> int:
    """A pseudo-random choice per request index, the same in every run and for every server."""
    return random.Random(index * 7919 + 17).randrange(size)


def bbox_param(box: tuple[float, float, float, float]) -> str:
    return ",".join(f"{value:.6f}" for value in box)


def commons_loaded(suite: Suite) -> Loaded:
    data = commons_data(suite)
    return Loaded(data=data, facts={"commons data (loaded once, shared)": data.facts})


def bbox_path(index: int, data: CommonsData) -> str:
    box = data.bboxes[pick(index, len(data.bboxes))]
    return f"/sites?bbox={bbox_param(box)}&limit=500"


def use_on_date_path(index: int, data: CommonsData) -> str:
    box = data.bboxes[pick(index, len(data.bboxes))]
    on = data.summer_day.isoformat()
    return f"/sites?bbox={bbox_param(box)}&on={on}&use=recreation&limit=500"


def tile_path(index: int, data: CommonsData) -> str:
    z, x, y = data.tiles[pick(index, len(data.tiles))]
    return f"/tiles/sites/{z}/{x}/{y}.mvt"


def ogc_items_path(index: int, data: CommonsData) -> str:
    box = data.bboxes[pick(index, len(data.bboxes))]
    return f"/ogc/collections/sites/items?bbox={bbox_param(box)}&limit=100"


def pygeoapi_items_path(index: int, data: CommonsData) -> str:
    box = data.bboxes[pick(index, len(data.bboxes))]
    return f"/collections/sites/items?bbox={bbox_param(box)}&limit=100&f=json"


def pygeoapi_loaded(suite: Suite) -> Loaded:
    from tests.bench.pygeoapi_server import start_pygeoapi  # only when the scenario runs

    return start_pygeoapi(suite, commons_data(suite))


GEOJSON = {"Accept": "application/geo+json, application/json"}


# --- spaces at scale (tests/bench/spaces_data.py) -----------------------------------------------


def spaces_loaded(suite: Suite) -> Loaded:
    data = spaces_data(suite)
    return Loaded(data=data, facts={"spaces data (loaded once, shared)": data.facts})


def document_history_path(index: int, data: SpacesData) -> str:
    return f"/documents/{data.history_documents[pick(index, len(data.history_documents))]}"


def diff_path(index: int, data: SpacesData) -> str:
    old, new = data.diff_pair
    return f"/revisions/diff?from={old}&to={new}"


def search_path(index: int, data: SpacesData) -> str:
    q, language = data.queries[pick(index, len(data.queries))]
    return f"/search?q={quote(q)}" + (f"&language={language}" if language else "")


SCENARIOS: dict[str, Scenario] = {
    scenario.name: scenario
    for scenario in [
        Scenario(
            name="gateway_system",
            description="GraphQL `system` query through the gateway (asks every service)",
            target=Target(
                service="gateway",
                method="POST",
                path="/graphql",
                headers=GRAPHQL_HEADERS,
                body=constant_json({"query": SYSTEM_QUERY}),
                check="graphql",
            ),
            baseline="service_healthz",
        ),
        Scenario(
            name="service_healthz",
            description="commons `/healthz`: one service, no database; the floor",
            target=Target(service="commons", method="GET", path="/healthz"),
        ),
        Scenario(
            name="commons_bbox",
            description="commons sites in a bounding box of ~300 sites (GeoJSON, limit 500), "
            "100,000 sites loaded",
            target=Target(
                service="commons",
                method="GET",
                path="/sites?bbox={bbox}&limit=500",
                headers=GEOJSON,
                paths=bbox_path,
                count="geojson_features",
            ),
            rate=20.0,
            load_data=commons_loaded,
            p95_target_ms=50.0,
        ),
        Scenario(
            name="commons_use_on_date",
            description="commons sites used for recreation at local noon on a summer date, in "
            "the same bounding boxes (SQL over the materialized occurrences)",
            target=Target(
                service="commons",
                method="GET",
                path="/sites?bbox={bbox}&on={summer day}&use=recreation&limit=500",
                headers=GEOJSON,
                paths=use_on_date_path,
                count="geojson_features",
            ),
            rate=20.0,
            load_data=commons_loaded,
            p95_target_ms=80.0,
        ),
        Scenario(
            name="commons_tile_z14",
            description="commons vector tiles (MVT) at zoom 14 over the sites, every tile with "
            "sites in it",
            target=Target(
                service="commons",
                method="GET",
                path="/tiles/sites/14/{x}/{y}.mvt",
                paths=tile_path,
            ),
            rate=20.0,
            load_data=commons_loaded,
            p95_target_ms=100.0,
        ),
        Scenario(
            name="ogc_items_vs_pygeoapi",
            description="commons OGC API Features items in a bounding box, limit 100; 8 "
            "clients, closed loop; baseline: pygeoapi on the same table",
            target=Target(
                service="commons",
                method="GET",
                path="/ogc/collections/sites/items?bbox={bbox}&limit=100",
                headers=GEOJSON,
                paths=ogc_items_path,
                count="geojson_features",
            ),
            duration=50.0,
            warmup=3.0,
            rounds=5,
            baseline="pygeoapi_items",
            load_data=commons_loaded,
            concurrency=8,
            ratio_at_least=1.0,
        ),
        Scenario(
            name="pygeoapi_items",
            description="pygeoapi (PostgreSQL provider, Starlette on uvicorn, one process) on "
            "the commons `site` table, same requests; 8 clients, closed loop",
            target=Target(
                service="pygeoapi",
                method="GET",
                path="/collections/sites/items?bbox={bbox}&limit=100&f=json",
                headers=GEOJSON,
                paths=pygeoapi_items_path,
                count="geojson_features",
            ),
            duration=50.0,
            warmup=3.0,
            rounds=5,
            load_data=pygeoapi_loaded,
            concurrency=8,
        ),
        Scenario(
            name="spaces_document_history",
            description="spaces: a document with its current revision and its history (50 "
            "revisions), one of 200 in the project; 10,000 documents loaded",
            target=Target(
                service="spaces", method="GET", path="/documents/{id}", paths=document_history_path
            ),
            rate=20.0,
            load_data=spaces_loaded,
            p95_target_ms=30.0,
        ),
        Scenario(
            name="spaces_diff_2000_lines",
            description="spaces: the diff (unified and HTML) of two 2,000-line revisions with "
            "10 % of the lines changed",
            target=Target(
                service="spaces", method="GET", path="/revisions/diff?from=&to=", paths=diff_path
            ),
            rate=20.0,
            load_data=spaces_loaded,
            p95_target_ms=50.0,
        ),
        Scenario(
            name="spaces_search",
            description="spaces: full-text search over 10,000 documents (en/nl/fr stemmed, "
            "Polish by unaccented trigrams), ranked, with highlighted snippets",
            target=Target(service="spaces", method="GET", path="/search?q=", paths=search_path),
            rate=20.0,
            load_data=spaces_loaded,
            p95_target_ms=50.0,
        ),
    ]
}


def baselines_of(scenarios: list[Scenario]) -> set[str]:
    return {s.baseline for s in scenarios if s.baseline is not None}


# volunteers' hours at scale (tests/bench/hours_data.py, hours_scenarios.py)
SCENARIOS |= {scenario.name: scenario for scenario in HOURS_SCENARIOS}

# grants' calls, rankings, ledgers and awards at scale (tests/bench/grants_data.py, grants_scenarios.py)
SCENARIOS |= {scenario.name: scenario for scenario in GRANTS_SCENARIOS}
