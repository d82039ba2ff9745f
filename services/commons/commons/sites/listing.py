"""`GET /sites`: pages of site features by bbox and kind, optionally with each site's use on a
date (and only the sites with one use).

Every page is bounded twice: by `limit` features and by the vertices its geometries hold in all.
A page that reaches the vertices stops early and says so (`truncated`); clients page on from
`offset + numberReturned`, as `numberMatched` tells them there is more. Uses come from the
materialized occurrences within their horizon (in the same query), and from the schedule engine
beyond it: over the periods of the candidate sites, loaded in one query and at most
`ENGINE_PERIODS_PER_REQUEST` of them, so the work never grows with the sites in the city.
"""

import asyncio
import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, exists, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from commons.schedules import engine, horizon
from commons.schedules.models import PeriodStatus, UsePeriod
from commons.schedules.queries import USE_HOUR, winner_at_local_noon, within_horizon
from commons.schedules.service import as_engine_period
from commons.sites.models import Site
from commons.sites.service import site_feature
from meent_shared.errors import InvalidInput

Bbox = tuple[float, float, float, float]
# The engine works out one period in about 0.05 ms: a request asks it for a quarter second at most.
ENGINE_PERIODS_PER_REQUEST = 5_000
UseOf = dict[uuid.UUID, tuple[str | None, uuid.UUID | None]]  # site: (use, its period)


@dataclass(frozen=True)
class SitesPage:
    features: list[dict[str, Any]]
    matched: int  # over all pages
    truncated: bool  # stopped before `limit` features, at the vertices a page may hold


@dataclass(frozen=True)
class Listing:
    """What a request lists: its filters, its page and how many vertices a page may hold."""

    bbox: Bbox
    kind: str | None
    limit: int
    offset: int
    max_vertices: int

    def filters(self) -> list[ColumnElement[bool]]:
        found = [func.ST_Intersects(Site.geom, func.ST_MakeEnvelope(*self.bbox, 4326))]
        return found + ([col(Site.kind) == self.kind] if self.kind else [])

    def ordered(self, query: Select[Any]) -> Select[Any]:
        """One page in (name, id) order, so pages neither repeat nor skip a site."""
        query = query.where(*self.filters()).order_by(col(Site.name), col(Site.id))
        return query.limit(self.limit).offset(self.offset)


def within_vertices(page: Select[Any], max_vertices: int, *extra: str) -> Select[Any]:
    """`page` (a `Site` and the `extra` columns, in (name, id) order) with each site's GeoJSON, as
    far as the geometries stay within `max_vertices` in all: the first always (one site holds
    at most 100,000). GeoJSON is made only for the rows kept; `page_rows` tells if any were not."""
    rows = page.add_columns(func.ST_NPoints(Site.geom).label("vertices")).subquery("page")
    order = (rows.c.name, rows.c.id)
    counted = select(
        rows,
        func.sum(rows.c.vertices).over(order_by=order).label("running"),
        func.row_number().over(order_by=order).label("position"),
        func.count().over().label("page_rows"),
    ).subquery("counted")
    site = aliased(Site, counted, name="Site")  # rows read `row.Site`, as from a plain query
    return (
        select(site, func.ST_AsGeoJSON(counted.c.geom, 7).label("geojson"), counted.c.page_rows)
        .add_columns(*(counted.c[name] for name in extra))
        .where(or_(counted.c.running <= max_vertices, counted.c.position == 1))
        .order_by(counted.c.name, counted.c.id)
    )


async def page_within_vertices(
    session: AsyncSession, page: Select[Any], max_vertices: int, *extra: str
) -> tuple[list[Any], bool]:
    """The rows `within_vertices` keeps, and whether it left any out."""
    rows = list(await session.execute(within_vertices(page, max_vertices, *extra)))
    return rows, bool(rows) and len(rows) < rows[0].page_rows


async def count_sites(session: AsyncSession, listing: Listing) -> int:
    query = select(func.count()).select_from(Site).where(*listing.filters())
    return int((await session.execute(query)).scalar_one())


async def sites_page(session: AsyncSession, listing: Listing) -> SitesPage:
    """Sites in the bbox (of one kind), without uses."""
    rows, truncated = await page_within_vertices(
        session, listing.ordered(select(Site)), listing.max_vertices
    )
    features = [site_feature(row.Site, row.geojson) for row in rows]
    return SitesPage(features, await count_sites(session, listing), truncated)


async def sites_with_use_page(
    session: AsyncSession, listing: Listing, *, on: dt.date, use: str | None, today: dt.date
) -> SitesPage:
    """Sites with their use at local noon on `on` (only those with `use`, if given)."""
    if within_horizon(on, today):
        return await _by_occurrences(session, listing, on=on, use=use)
    if use is None:
        return await _page_by_engine(session, listing, on=on, today=today)
    return await _matching_by_engine(session, listing, on=on, use=use, today=today)


async def _by_occurrences(
    session: AsyncSession, listing: Listing, *, on: dt.date, use: str | None
) -> SitesPage:
    """Within the horizon: the winning occurrence, joined in the same query."""
    winner = winner_at_local_noon(on)
    with_use = select(Site, winner.c.use, winner.c.period_id).outerjoin(winner, true())
    if use:
        with_use = with_use.where(winner.c.use == use)
    rows, truncated = await page_within_vertices(
        session, listing.ordered(with_use), listing.max_vertices, "use", "period_id"
    )
    features = [_feature(row.Site, row.geojson, row.use, row.period_id) for row in rows]
    if use is None:
        return SitesPage(features, await count_sites(session, listing), truncated)
    matching = select(func.count()).select_from(Site).outerjoin(winner, true())
    matched = await session.scalar(matching.where(*listing.filters(), winner.c.use == use))
    return SitesPage(features, int(matched or 0), truncated)


async def _page_by_engine(
    session: AsyncSession, listing: Listing, *, on: dt.date, today: dt.date
) -> SitesPage:
    """Beyond the horizon, every use: the engine works out the page's sites only."""
    page = listing.ordered(select(col(Site.id)))
    uses = await _uses_by_engine(session, col(Site.id).in_(_ids(page)), on, today)
    return await _features_of(session, listing, page, uses, await count_sites(session, listing))


async def _matching_by_engine(
    session: AsyncSession, listing: Listing, *, on: dt.date, use: str, today: dt.date
) -> SitesPage:
    """Beyond the horizon, one use: only sites with a period of that use can have it then."""
    has_the_use = exists().where(
        col(UsePeriod.site_id) == col(Site.id),
        col(UsePeriod.use) == use,
        col(UsePeriod.status) == PeriodStatus.active,
    )
    candidates = select(col(Site.id)).where(*listing.filters(), has_the_use)
    uses = await _uses_by_engine(session, col(Site.id).in_(_ids(candidates)), on, today)
    matching = [site_id for site_id, (site_use, _) in uses.items() if site_use == use]
    page = (
        select(col(Site.id))
        .where(col(Site.id).in_(matching))
        .order_by(col(Site.name), col(Site.id))
        .limit(listing.limit)
        .offset(listing.offset)
    )
    return await _features_of(session, listing, page, uses, len(matching))


async def _features_of(
    session: AsyncSession, listing: Listing, page: Select[Any], uses: UseOf, matched: int
) -> SitesPage:
    """The features of the page's sites (a query of their ids), with the uses worked out."""
    of_page = select(Site).where(col(Site.id).in_(_ids(page)))
    rows, truncated = await page_within_vertices(
        session, of_page.order_by(col(Site.name), col(Site.id)), listing.max_vertices
    )
    features = [
        _feature(row.Site, row.geojson, *uses.get(row.Site.id, (None, None))) for row in rows
    ]
    return SitesPage(features, matched, truncated)


async def _uses_by_engine(
    session: AsyncSession, of_sites: ColumnElement[bool], on: dt.date, today: dt.date
) -> UseOf:
    """The use at local noon on `on` of each site `of_sites` selects, worked out by the engine
    from all their active periods, loaded in one query: a 422 if they are too many."""
    query = (
        select(UsePeriod, col(Site.timezone))
        .join(Site, col(Site.id) == col(UsePeriod.site_id))
        .where(of_sites, col(UsePeriod.status) == PeriodStatus.active)
        .limit(ENGINE_PERIODS_PER_REQUEST + 1)
    )
    rows = (await session.execute(query)).all()
    if len(rows) > ENGINE_PERIODS_PER_REQUEST:
        days = horizon.materialized_days(today)
        raise InvalidInput(
            f"Too many use periods among these sites to work out their uses on {on} (more than "
            f"{ENGINE_PERIODS_PER_REQUEST}): choose a smaller bbox or limit, or a date from "
            f"{days.first} to {days.end - dt.timedelta(days=1)}",
            code="sites_too_busy",
            loc=["query", "on"],
        )
    periods: dict[uuid.UUID, list[engine.Period]] = defaultdict(list)
    zones: dict[uuid.UUID, ZoneInfo] = {}
    for period, timezone in rows:
        periods[period.site_id].append(as_engine_period(period, period.id))
        zones[period.site_id] = ZoneInfo(timezone)
    # Bounded by the limit above; off the event loop like the tiles' (a quarter second at most).
    return await asyncio.to_thread(_winning_uses, periods, zones, on)


def _winning_uses(
    periods: dict[uuid.UUID, list[engine.Period]], zones: dict[uuid.UUID, ZoneInfo], on: dt.date
) -> UseOf:
    uses: UseOf = {}
    for site_id, zone in zones.items():
        segment = engine.use_at(periods[site_id], zone, dt.datetime.combine(on, USE_HOUR, zone))
        uses[site_id] = (segment.use, segment.period_id) if segment else (None, None)
    return uses


def _ids(query: Select[Any]) -> Any:
    """Site ids as a subquery of their own: not correlated with the `site` of the query around
    them (SQLAlchemy would otherwise read both as one)."""
    return query.correlate(None).scalar_subquery()


def _feature(site: Site, geojson: str, use: str | None, period_id: Any) -> dict[str, Any]:
    return site_feature(site, geojson, use=use, use_period_id=period_id)
