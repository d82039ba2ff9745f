"""Scenario data at scale for the commons scenarios: 100,000 generated sites, a share of them with
use periods, loaded once per run into the suite's commons database.

Sites are irregular star-shaped polygons (12–40 vertices each, so always valid) scattered over
eight cities, each city in its own IANA time zone; `area_m2` comes from PostGIS, geodesically,
like the service computes it. Periods go in by SQL; their occurrences are materialized by the
service's own `commons.schedules.service.materialize` — once per distinct (period fields, time
zone) — and copied in SQL to every other period with the same fields in the same time zone, which
is what `materialize` would write for it (its output depends on nothing else); a few copied
periods are then materialized again by the service, in a transaction rolled back, and must give
the same rows. Everything is generated inside PostgreSQL from a fixed seed, so every run loads
the same shapes.

Then VACUUM ANALYZE and a CHECKPOINT, so neither autovacuum nor a checkpoint lands in a
measurement; and the request lists the scenarios draw from: bounding boxes sized to hold about
`BBOX_SITES` sites each, and z14 tiles with sites in them.
"""

import asyncio
import datetime as dt
import math
import time
from dataclasses import dataclass, field
from typing import Any

import psycopg

from meent_shared.local.suite import Suite

SITES = 100_000
MIN_VERTICES, MAX_VERTICES = 12, 40
SEED = 0.42  # setseed(): the same polygons every run
BBOX_SITES = 300  # sites a bounding box of the request lists holds (within BBOX_TOLERANCE)
BBOX_TOLERANCE = 0.15
BBOXES = 100
TILES = 100
TILE_ZOOM = 14
COPIES_CHECKED = 10


@dataclass(frozen=True)
class City:
    name: str
    lon: float
    lat: float
    timezone: str
    share: float  # of the sites
    radius_m: float  # sites lie within this distance of the centre


CITIES = (
    City("Amsterdam", 4.9041, 52.3676, "Europe/Amsterdam", 0.18, 7_000),
    City("Rotterdam", 4.4777, 51.9244, "Europe/Amsterdam", 0.10, 6_000),
    City("Berlin", 13.4050, 52.5200, "Europe/Berlin", 0.16, 10_000),
    City("Paris", 2.3522, 48.8566, "Europe/Paris", 0.16, 8_000),
    City("Lisbon", -9.1393, 38.7223, "Europe/Lisbon", 0.08, 6_000),
    City("Helsinki", 24.9384, 60.1699, "Europe/Helsinki", 0.08, 6_000),
    City("New York", -73.9712, 40.7831, "America/New_York", 0.14, 10_000),
    City("Montreal", -73.5673, 45.5017, "America/Toronto", 0.10, 7_000),
)

# Site i (1-based) falls in a schedule group by i % 10: 0-2 seasonal (30 %), 3 market (10 %).
SEASONAL = (0, 1, 2)
MARKET = (3,)

SITES_SQL = """
WITH cities(idx, name, lon, lat, tz, share, radius_m) AS (
    SELECT idx, name, lon, lat, tz, share, radius_m FROM unnest(%(names)s::text[], %(lons)s::float8[], %(lats)s::float8[],
                         %(tzs)s::text[], %(shares)s::float8[], %(radii)s::float8[])
        WITH ORDINALITY AS c(name, lon, lat, tz, share, radius_m, idx)
),
bands AS (
    SELECT name, lon, lat, tz, radius_m,
           sum(share) OVER (ORDER BY idx) - share AS lo, sum(share) OVER (ORDER BY idx) AS hi
    FROM cities
),
seeds AS (
    SELECT i, random() AS pick, random() AS dist, random() AS bearing, random() AS size,
           %(min_v)s + floor(random() * (%(max_v)s - %(min_v)s + 1))::int AS n,
           random() AS kind_pick
    FROM generate_series(1, %(sites)s) AS i
),
placed AS (
    SELECT s.*, b.name AS city, b.tz,
           b.lon + (b.radius_m * power(s.dist, 0.75) * cos(2 * pi() * s.bearing))
                   / (111320 * cos(radians(b.lat))) AS cx,
           b.lat + (b.radius_m * power(s.dist, 0.75) * sin(2 * pi() * s.bearing)) / 110574 AS cy,
           15 + 75 * s.size * s.size AS r
    FROM seeds s JOIN bands b ON s.pick >= b.lo AND (s.pick < b.hi OR b.hi >= 0.999999)
),
kinded AS (
    SELECT p.*,
           CASE
               WHEN i %% 10 IN (0, 1, 2) THEN
                   CASE WHEN kind_pick < 0.4 THEN 'square' WHEN kind_pick < 0.7 THEN 'parking'
                        ELSE 'green_area' END
               WHEN i %% 10 = 3 THEN CASE WHEN kind_pick < 0.7 THEN 'square' ELSE 'parking' END
               ELSE CASE WHEN kind_pick < 0.30 THEN 'green_area' WHEN kind_pick < 0.50 THEN 'park'
                         WHEN kind_pick < 0.70 THEN 'garden' WHEN kind_pick < 0.90 THEN 'verge'
                         ELSE 'playground' END
           END AS kind
    FROM placed p
),
shaped AS (
    SELECT k.*, (
        SELECT ST_Multi(ST_MakePolygon(ST_AddPoint(line, ST_StartPoint(line))))
        FROM (
            SELECT ST_MakeLine(array_agg(ST_MakePoint(
                       k.cx + rr * cos(a) / (111320 * cos(radians(k.cy))),
                       k.cy + rr * sin(a) / 110574) ORDER BY v)) AS line
            FROM (
                -- angles stay in order (jitter below half a step): a star-shaped, simple ring
                SELECT v, 2 * pi() * (v + 0.8 * (random() - 0.5)) / k.n AS a,
                       k.r * (0.65 + 0.7 * random()) AS rr
                FROM generate_series(0, k.n - 1) AS v
            ) AS vertices
        ) AS ring
    ) AS geom
    FROM kinded k
)
INSERT INTO site (id, name, kind, description, timezone, geom, area_m2, attributes,
                  external_id, version)
SELECT gen_random_uuid(),
       format('%%s %%s %%s', initcap(replace(kind, '_', ' ')), city, lpad(i::text, 6, '0')),
       kind, '', tz, geom, ST_Area(geom::geography, true),
       jsonb_build_object('source', 'bench', 'city', city, 'vertices', n),
       'bench-' || lpad(i::text, 6, '0'), 1
FROM shaped
"""

PERIODS_SQL = """
WITH numbered AS (
    SELECT id, substring(external_id FROM 7)::int AS i FROM site WHERE external_id LIKE 'bench-%%'
)
INSERT INTO use_period (id, site_id, use, priority, starts_on, ends_on, rule, day_starts_at,
                        day_ends_at, note, status, version, materialized_until)
SELECT gen_random_uuid(), n.id, t.use, t.priority, t.starts_on, t.ends_on, t.rule,
       t.day_starts_at, t.day_ends_at, t.note, 'active', 1,
       (current_date + interval '6 years')::date  -- as materialize() records it
FROM numbered n
JOIN (VALUES
    (0, 'parking', 0, %(parking_from)s::date, NULL::date, NULL, NULL::time, NULL::time,
     'all year: parking'),
    (0, 'recreation', 10, %(summer_from)s::date, %(summer_to)s::date, 'FREQ=YEARLY', NULL, NULL,
     'May to September: recreation'),
    (1, 'market', 20, %(market_from)s::date, %(market_from)s::date, %(market_rule)s,
     '08:00'::time, '14:00'::time, 'weekly market, Saturdays 08:00-14:00')
) AS t(grp, use, priority, starts_on, ends_on, rule, day_starts_at, day_ends_at, note)
  ON t.grp = CASE WHEN n.i %% 10 IN (0, 1, 2) THEN 0 WHEN n.i %% 10 = 3 THEN 1 END
"""

# Everything `materialize` reads of a period and its site; one representative per distinct value.
TEMPLATE_COLUMNS = (
    "use",
    "priority",
    "starts_on",
    "ends_on",
    "rule",
    "day_starts_at",
    "day_ends_at",
)

REPRESENTATIVES_SQL = f"""
SELECT DISTINCT ON ({", ".join(f"p.{c}" for c in TEMPLATE_COLUMNS)}, s.timezone) p.id, s.timezone
FROM use_period p JOIN site s ON s.id = p.site_id
WHERE p.status = 'active'
ORDER BY {", ".join(f"p.{c}" for c in TEMPLATE_COLUMNS)}, s.timezone, p.id
"""

COPY_OCCURRENCES_SQL = f"""
INSERT INTO use_occurrence (period_id, site_id, use, priority, during)
SELECT p.id, p.site_id, o.use, o.priority, o.during
FROM use_period rep
JOIN site rep_site ON rep_site.id = rep.site_id
JOIN use_period p ON {" AND ".join(f"p.{c} IS NOT DISTINCT FROM rep.{c}" for c in TEMPLATE_COLUMNS)}
    AND p.status = rep.status AND p.id <> rep.id
JOIN site s ON s.id = p.site_id AND s.timezone = rep_site.timezone
JOIN use_occurrence o ON o.period_id = rep.id
WHERE rep.id = %(rep)s
"""


@dataclass
class CommonsData:
    """What the commons scenarios draw their requests from, and facts for the report."""

    bboxes: list[tuple[float, float, float, float]]
    tiles: list[tuple[int, int, int]]
    summer_day: dt.date
    facts: dict[str, Any] = field(default_factory=dict)


_loaded: dict[int, CommonsData] = {}


def log(message: str) -> None:
    from tests.bench.runner import log as runner_log  # late: runner imports the scenarios

    runner_log(message)


def commons_data(suite: Suite) -> CommonsData:
    """The data, loaded on first use in this suite (every commons scenario shares it)."""
    if id(suite) not in _loaded:
        _loaded[id(suite)] = load(suite)
    return _loaded[id(suite)]


def first_saturday(year: int) -> dt.date:
    day = dt.date(year, 1, 1)
    return day + dt.timedelta(days=(5 - day.weekday()) % 7)


def period_dates(today: dt.date) -> dict[str, Any]:
    """Seasons that began two years ago (the past horizon holds some), and this year's market:
    52 Saturdays from the year's first."""
    return {
        "parking_from": dt.date(today.year - 2, 1, 1),
        "summer_from": dt.date(today.year - 2, 5, 1),
        "summer_to": dt.date(today.year - 2, 9, 30),
        "market_from": first_saturday(today.year),
        "market_rule": "FREQ=WEEKLY;BYDAY=SA;COUNT=52",
    }


def next_summer_day(today: dt.date) -> dt.date:
    """The next 15 July (a weekday or not: no market site is in the recreation group)."""
    day = dt.date(today.year, 7, 15)
    return day if day > today else dt.date(today.year + 1, 7, 15)


def load(suite: Suite) -> CommonsData:
    url = suite.database_url("commons")
    today = dt.date.today()
    steps: dict[str, float] = {}
    started = time.monotonic()
    with psycopg.connect(url, autocommit=True) as conn:
        existing = conn.execute("SELECT count(*) FROM site").fetchone()
        if existing and existing[0]:
            raise RuntimeError(f"the commons database already holds {existing[0]} sites")
        mark = time.monotonic()
        insert_sites(conn)
        steps["sites_s"] = time.monotonic() - mark
        mark = time.monotonic()
        with conn.transaction():
            conn.execute(PERIODS_SQL, period_dates(today))
        steps["periods_s"] = time.monotonic() - mark
    mark = time.monotonic()
    representatives = asyncio.run(materialize_representatives(url, today))
    steps["materialize_representatives_s"] = time.monotonic() - mark
    with psycopg.connect(url, autocommit=True) as conn:
        mark = time.monotonic()
        with conn.transaction():
            for period_id in representatives:
                conn.execute(COPY_OCCURRENCES_SQL, {"rep": period_id})
        steps["copy_occurrences_s"] = time.monotonic() - mark
    mark = time.monotonic()
    checked = asyncio.run(check_copies(url, today, set(representatives)))
    steps["check_copies_s"] = time.monotonic() - mark
    with psycopg.connect(url, autocommit=True) as conn:
        mark = time.monotonic()
        conn.execute("VACUUM ANALYZE site, use_period, use_occurrence")
        conn.execute("CHECKPOINT")
        steps["vacuum_analyze_checkpoint_s"] = time.monotonic() - mark
        facts = data_facts(conn)
        facts["representatives_materialized_by_service"] = len(representatives)
        facts["copies_checked_against_service"] = checked
        facts["load_steps_s"] = {name: round(seconds, 1) for name, seconds in steps.items()}
        facts["load_s"] = round(time.monotonic() - started, 1)
        log(
            f"commons data: {facts['sites']:,} sites, {facts['occurrences']:,} occurrences "
            f"in {facts['load_s']} s"
        )
        mark = time.monotonic()
        bboxes = sized_bboxes(conn)
        tiles = busy_tiles(conn)
        facts["request_lists_s"] = round(time.monotonic() - mark, 1)
        facts["bbox_sites"] = bbox_counts(conn, bboxes)
        facts["tile_sites"] = tile_counts(conn, tiles)
    summer = next_summer_day(today)
    facts["summer_day"] = summer.isoformat()
    return CommonsData(bboxes=bboxes, tiles=tiles, summer_day=summer, facts=facts)


def insert_sites(conn: psycopg.Connection) -> None:
    with conn.transaction():
        conn.execute("SELECT setseed(%s)", (SEED,))
        conn.execute(
            SITES_SQL,
            {
                "names": [c.name for c in CITIES],
                "lons": [c.lon for c in CITIES],
                "lats": [c.lat for c in CITIES],
                "tzs": [c.timezone for c in CITIES],
                "shares": [c.share for c in CITIES],
                "radii": [c.radius_m for c in CITIES],
                "min_v": MIN_VERTICES,
                "max_v": MAX_VERTICES,
                "sites": SITES,
            },
        )


async def materialize_representatives(url: str, today: dt.date) -> list[Any]:
    """Materialize one period per (period fields, time zone) with the service's own code."""
    from sqlalchemy import select, text  # the service's stack, imported only when loading

    from commons.schedules.models import UsePeriod
    from commons.schedules.service import materialize
    from commons.sites.models import Site
    from meent_shared.db import create_engine, make_session_factory

    engine = create_engine(url, pool_size=1)
    try:
        async with make_session_factory(engine)() as session, session.begin():
            reps = [row.id for row in await session.execute(text(REPRESENTATIVES_SQL))]
            for period_id in reps:
                period = (
                    await session.execute(select(UsePeriod).where(UsePeriod.id == period_id))
                ).scalar_one()
                site = await session.get(Site, period.site_id)
                assert site is not None
                await materialize(session, period, site, today)
    finally:
        await engine.dispose()
    return reps


async def check_copies(url: str, today: dt.date, representatives: set[Any]) -> str:
    """Materialize a few copied periods again with the service's code, in a transaction rolled
    back, and compare with the copied rows; raise if any differs."""
    from sqlalchemy import select, text

    from commons.schedules.models import UseOccurrence, UsePeriod
    from commons.schedules.service import materialize
    from commons.sites.models import Site
    from meent_shared.db import create_engine, make_session_factory, table_of

    occurrences = table_of(UseOccurrence)

    async def rows(session: Any, period_id: Any) -> list[tuple[Any, ...]]:
        query = select(
            occurrences.c.site_id, occurrences.c.use, occurrences.c.priority, occurrences.c.during
        ).where(occurrences.c.period_id == period_id)
        found = await session.execute(query)
        return sorted((tuple(map(str, row)) for row in found), key=lambda row: row[3])

    engine = create_engine(url, pool_size=1)
    checked = 0
    try:
        async with make_session_factory(engine)() as session:
            await session.execute(text("SELECT setseed(0.5)"))
            sample = (
                (
                    await session.execute(
                        text("SELECT id FROM use_period ORDER BY random() LIMIT :n"),
                        {"n": COPIES_CHECKED + len(representatives)},
                    )
                )
                .scalars()
                .all()
            )
            for period_id in [p for p in sample if p not in representatives][:COPIES_CHECKED]:
                period = (
                    await session.execute(select(UsePeriod).where(UsePeriod.id == period_id))
                ).scalar_one()
                site = await session.get(Site, period.site_id)
                assert site is not None
                copied = await rows(session, period_id)
                if not copied:  # every generated period occurs within the horizon
                    raise RuntimeError(f"no occurrences were copied for period {period_id}")
                await materialize(session, period, site, today)
                if await rows(session, period_id) != copied:
                    raise RuntimeError(
                        f"copied occurrences of period {period_id} differ from "
                        "what commons' materialize writes"
                    )
                checked += 1
            await session.rollback()
    finally:
        await engine.dispose()
    return f"{checked} random copied periods re-materialized by the service: identical rows"


def data_facts(conn: psycopg.Connection) -> dict[str, Any]:
    def one(sql: str) -> Any:
        row = conn.execute(sql).fetchone()
        return row[0] if row else None

    vertices = conn.execute(
        "SELECT min(n), max(n), round(avg(n), 1) FROM "
        "(SELECT ST_NPoints(geom) - 1 AS n FROM site) AS v"  # the closing point repeats the first
    ).fetchone()
    assert vertices is not None
    periods = conn.execute(
        "SELECT use, priority, coalesce(rule, '-'), count(*), "
        "(SELECT count(*) FROM use_occurrence o WHERE o.use = p.use) "
        "FROM use_period p GROUP BY use, priority, rule ORDER BY priority"
    ).fetchall()
    return {
        "sites": one("SELECT count(*) FROM site"),
        "invalid_geometries": one("SELECT count(*) FROM site WHERE NOT ST_IsValid(geom)"),
        "vertices_per_polygon": {
            "min": vertices[0],
            "max": vertices[1],
            "mean": float(vertices[2]),
        },
        "area_m2_median": int(
            one("SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY area_m2)) FROM site")
        ),
        "cities": [f"{c.name} ({c.timezone}, {c.share:.0%})" for c in CITIES],
        "kinds": dict(
            conn.execute(
                "SELECT kind, count(*) FROM site GROUP BY kind ORDER BY count(*) DESC"
            ).fetchall()
        ),
        "periods": [
            {
                "use": use,
                "priority": priority,
                "rule": rule,
                "periods": count,
                "occurrences": occurrences,
            }
            for use, priority, rule, count, occurrences in periods
        ],
        "sites_with_periods": one("SELECT count(DISTINCT site_id) FROM use_period"),
        "occurrences": one("SELECT count(*) FROM use_occurrence"),
        "table_sizes_mb": dict(
            conn.execute(
                "SELECT relname, round(pg_total_relation_size(oid) / 1048576.0)::int FROM pg_class "
                "WHERE relname IN ('site', 'use_period', 'use_occurrence') ORDER BY relname"
            ).fetchall()
        ),
    }


def _box(lon: float, lat: float, half_m: float) -> tuple[float, float, float, float]:
    dx, dy = half_m / (111320 * math.cos(math.radians(lat))), half_m / 110574
    return (round(lon - dx, 6), round(lat - dy, 6), round(lon + dx, 6), round(lat + dy, 6))


def _count(conn: psycopg.Connection, box: tuple[float, float, float, float]) -> int:
    row = conn.execute(
        "SELECT count(*) FROM site WHERE ST_Intersects(geom, ST_MakeEnvelope(%s, %s, %s, %s, 4326))",
        box,
    ).fetchone()
    return int(row[0]) if row else 0


def sized_bboxes(conn: psycopg.Connection) -> list[tuple[float, float, float, float]]:
    """Square boxes around random sites, each grown or shrunk until it holds about BBOX_SITES."""
    conn.execute("SELECT setseed(%s)", (SEED,))
    centres = conn.execute(
        "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Centroid(geom) AS c FROM site "
        "ORDER BY random() LIMIT %s) AS picked",
        (BBOXES * 2,),
    ).fetchall()
    boxes = []
    for lon, lat in centres:
        half = 1000.0
        for _ in range(8):
            count = _count(conn, _box(lon, lat, half))
            if abs(count - BBOX_SITES) <= BBOX_TOLERANCE * BBOX_SITES:
                boxes.append(_box(lon, lat, half))
                break
            half *= math.sqrt(BBOX_SITES / max(count, 1)) ** 0.9
        if len(boxes) == BBOXES:
            break
    if len(boxes) < BBOXES // 2:
        raise RuntimeError(f"only {len(boxes)} bounding boxes hold about {BBOX_SITES} sites")
    return boxes


def tile_of(lon: float, lat: float, zoom: int) -> tuple[int, int, int]:
    n = 2**zoom
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return zoom, x, y


def busy_tiles(conn: psycopg.Connection) -> list[tuple[int, int, int]]:
    """Distinct z14 tiles under random sites, so every tile has something to draw."""
    conn.execute("SELECT setseed(%s)", (SEED / 2,))
    centres = conn.execute(
        "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Centroid(geom) AS c FROM site "
        "ORDER BY random() LIMIT %s) AS picked",
        (TILES * 4,),
    ).fetchall()
    tiles = list(dict.fromkeys(tile_of(lon, lat, TILE_ZOOM) for lon, lat in centres))
    return tiles[:TILES]


def _summary(values: list[int]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "count": len(ordered),
        "min": ordered[0],
        "max": ordered[-1],
        "mean": round(sum(ordered) / len(ordered), 1),
    }


def bbox_counts(
    conn: psycopg.Connection, boxes: list[tuple[float, float, float, float]]
) -> dict[str, float]:
    return _summary([_count(conn, box) for box in boxes])


def tile_counts(conn: psycopg.Connection, tiles: list[tuple[int, int, int]]) -> dict[str, float]:
    counts = []
    for z, x, y in tiles:
        row = conn.execute(
            "SELECT count(*) FROM site "
            "WHERE geom && ST_Transform(ST_TileEnvelope(%s, %s, %s), 4326)",
            (z, x, y),
        ).fetchone()
        counts.append(int(row[0]) if row else 0)
    return _summary(counts)
