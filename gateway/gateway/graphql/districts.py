"""Districts in GraphQL: the areas of the city a funding call may be limited to, as GeoJSON.

Geometry travels as one JSON value (a GeoJSON MultiPolygon), not as nested lists: maps want it
whole, and nested lists of coordinates are slow to resolve. Sizes stay bounded on both ways: the
request's JSON by the gateway's depth and body limits, an import by grants' (features, vertices,
body size), and an answer by grants' vertices per page and the gateway's answer size limit.
"""

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from gateway.graphql.context import Info
from gateway.graphql.errors import Refusal, as_result
from gateway.graphql.pagination import DEFAULT_PAGE_SIZE, Connection, connection, page_window
from gateway.graphql.services import ServiceError


@strawberry.type(description="An area of the city a funding call may be limited to.")
class District:
    id: strawberry.ID = strawberry.field(description="Its UUID, as in grants' REST interface")
    name: str
    geometry: JSON = strawberry.field(description="GeoJSON MultiPolygon (RFC 7946), WGS84")
    version: int


def district_from(data: dict[str, Any]) -> District:
    return District(
        id=strawberry.ID(data["id"]),
        name=data["name"],
        geometry=data["geometry"],
        version=data["version"],
    )


@strawberry.type(description="A feature whose invalid geometry was made valid on import.")
class RepairedDistrict:
    index: int = strawberry.field(description="The feature's place in the collection, from 0")
    name: str
    problem: str = strawberry.field(description="What was wrong with it")


@strawberry.type(description="The districts an import stored: every feature of the file.")
class ImportedDistricts:
    districts: list[District]
    repaired: list[RepairedDistrict]


ImportDistrictsResult = Annotated[
    ImportedDistricts | Refusal, strawberry.union("ImportDistrictsResult")
]


async def district_by_id(info: Info, district_id: uuid.UUID) -> District | None:
    """One district, through this request's loader: calls of one district ask for it once."""
    district: District | None = await info.context.loader("districts", _load_districts(info)).load(
        district_id
    )
    return district


def _load_districts(info: Info) -> Callable[[list[uuid.UUID]], Awaitable[list[District | None]]]:
    async def load(ids: list[uuid.UUID]) -> list[District | None]:
        return list(await asyncio.gather(*(_district(info, i) for i in ids)))

    return load


async def _district(info: Info, district_id: uuid.UUID) -> District | None:
    try:
        return district_from(await info.context.services.get("grants", f"/districts/{district_id}"))
    except ServiceError as error:
        if error.status == 404:
            return None
        raise


@strawberry.type
class DistrictsQuery:
    @strawberry.field(
        description="Districts by name. A page may hold fewer than `first` when their "
        "geometries are large; page on from its end cursor."
    )
    async def districts(
        self, info: Info, first: int = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[District]:
        limit, offset = page_window(first, after, info.context.settings.graphql_max_page_size)
        params = {"limit": limit, "offset": offset}
        page = await info.context.services.get("grants", "/districts", params)
        nodes = [district_from(d) for d in page["data"]]
        return connection(nodes, offset=offset, total=page["count"])

    @strawberry.field(description="One district; null when unknown.")
    async def district(self, info: Info, id: uuid.UUID) -> District | None:
        return await district_by_id(info, id)


@strawberry.type
class DistrictsMutation:
    @strawberry.mutation(
        description="Import districts from a GeoJSON FeatureCollection (grant officers): every "
        "feature, or none — InvalidInput then names each feature that cannot be a district."
    )
    async def import_districts(
        self, info: Info, feature_collection: JSON, name_property: str = "name"
    ) -> ImportDistrictsResult:
        async def post() -> ImportedDistricts:
            data = await info.context.services.post_with_params(
                "grants",
                "/districts/import",
                feature_collection,
                {"name_property": name_property},
                seconds=info.context.settings.import_timeout_seconds,
            )
            return ImportedDistricts(
                districts=[district_from(d) for d in data["data"]],
                repaired=[
                    RepairedDistrict(index=r["index"], name=r["name"], problem=r["problem"])
                    for r in data["repaired"]
                ],
            )

        return await as_result(info, post)
