import datetime as dt
import uuid
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from gateway.graphql.commons.types import (
    Site,
    TaskOccurrence,
    Team,
    UseSegment,
    occurrence_from,
    segment_from,
    site_from,
    team_from,
)
from gateway.graphql.context import Info
from gateway.graphql.errors import bad_user_input
from gateway.graphql.pagination import DEFAULT_PAGE_SIZE, Connection, connection, page_window
from gateway.graphql.services import ServiceError

# The most sites commons lists at once.
MAX_SITES_LISTED = 5000


def _bbox(bbox: list[float] | None) -> str | None:
    if bbox is None:
        return None
    if len(bbox) != 4:
        message = "bbox is [minLon, minLat, maxLon, maxLat]: four numbers"
        raise bad_user_input("bbox", message, "invalid_bbox")
    return ",".join(str(v) for v in bbox)


# GraphQL arguments named like the REST query parameters (`from` is a Python keyword).
From = Annotated[dt.date, strawberry.argument(name="from")]
To = Annotated[dt.date, strawberry.argument(name="to")]


@strawberry.type
class CommonsQuery:
    @strawberry.field(description="Sites in a bbox, of a kind, with their use on a date.")
    async def sites(
        self,
        info: Info,
        bbox: list[float] | None = None,
        kind: str | None = None,
        use_on: dt.date | None = None,
        use: str | None = None,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[Site]:
        limit, offset = page_window(first, after, info.context.settings.graphql_max_page_size)
        params: dict[str, Any] = {
            "limit": limit,
            "offset": offset,
            "bbox": _bbox(bbox),
            "kind": kind,
            "use": use,
            "on": use_on.isoformat() if use_on else None,
        }
        page = await info.context.services.get(
            "commons",
            "/sites",
            {k: v for k, v in params.items() if v is not None},
            arguments={"on": "useOn"},
        )
        nodes = [site_from(f) for f in page["features"]]
        return connection(nodes, offset=offset, total=page["numberMatched"])

    @strawberry.field
    async def site(self, info: Info, id: uuid.UUID) -> Site | None:
        try:
            return site_from(await info.context.services.get("commons", f"/sites/{id}"))
        except ServiceError as error:
            if error.status == 404:
                return None
            raise

    @strawberry.field(
        description="A site's winning uses from `from` (inclusive) to `to` (exclusive), local "
        "midnights; at most 5 years."
    )
    async def site_timeline(
        self, info: Info, site_id: uuid.UUID, start: From, end: To
    ) -> list[UseSegment]:
        data = await info.context.services.get(
            "commons",
            f"/sites/{site_id}/timeline",
            {"from": start.isoformat(), "to": end.isoformat()},
        )
        return [segment_from(s) for s in data["segments"]]

    @strawberry.field(
        name="sitesGeoJSON",
        description="Sites in a bbox as one GeoJSON FeatureCollection, each with its use on the "
        "date: one JSON value for maps (large nested lists are slow to resolve). At most "
        f"{MAX_SITES_LISTED} sites; `truncated` says there may be more (use the tiles then).",
    )
    async def sites_geo_json(
        self, info: Info, bbox: list[float], date: dt.date | None = None, limit: int = 2000
    ) -> JSON:
        if not 1 <= limit <= MAX_SITES_LISTED:
            message = f"limit must be between 1 and {MAX_SITES_LISTED}"
            raise bad_user_input("limit", message, "limit_out_of_range")
        # One more than the limit tells the map whether it got everything (else: use tiles).
        asked = min(limit + 1, MAX_SITES_LISTED)
        params = {"bbox": _bbox(bbox), "on": (date or dt.date.today()).isoformat(), "limit": asked}
        collection = await info.context.services.get(
            "commons", "/sites", params, arguments={"on": "date", "limit": "limit"}
        )
        features = collection["features"]
        collection["truncated"] = len(features) > limit or len(features) == MAX_SITES_LISTED
        collection["features"] = features[:limit]
        return collection

    @strawberry.field(
        description="Maintenance due, by team, site or bbox, in an ISO week or a range."
    )
    async def maintenance_tasks(
        self,
        info: Info,
        team_id: uuid.UUID | None = None,
        site_id: uuid.UUID | None = None,
        bbox: list[float] | None = None,
        week: str | None = None,
        start: Annotated[dt.date | None, strawberry.argument(name="from")] = None,
        end: Annotated[dt.date | None, strawberry.argument(name="to")] = None,
    ) -> list[TaskOccurrence]:
        params = {
            "team_id": team_id,
            "site_id": site_id,
            "bbox": _bbox(bbox),
            "week": week,
            "from": start,
            "to": end,
        }
        query = {k: str(v) for k, v in params.items() if v is not None}
        return [
            occurrence_from(o)
            for o in await info.context.services.get("commons", "/tasks/due", query)
        ]

    @strawberry.field(description="City maintenance teams.")
    async def teams(self, info: Info) -> list[Team]:
        return [team_from(t) for t in await info.context.services.get("commons", "/teams")]
