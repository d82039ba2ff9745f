"""commons in GraphQL: sites (schedules, maintenance and the map come with commons' issue)."""

import uuid
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from gateway.graphql.context import Info
from gateway.graphql.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotAuthorized,
    NotFound,
    not_authenticated,
    user_error,
)
from gateway.graphql.services import ServiceError


@strawberry.type(description="A place citizens steward: a green area, a square, a garden.")
class Site:
    id: strawberry.ID
    name: str
    kind: str
    description: str
    timezone: str
    area_m2: float
    external_id: str | None
    version: int
    geometry: JSON = strawberry.field(description="GeoJSON MultiPolygon (RFC 7946)")


def site_from(feature: dict[str, Any]) -> Site:
    properties = feature["properties"]
    return Site(
        id=strawberry.ID(feature["id"]),
        name=properties["name"],
        kind=properties["kind"],
        description=properties["description"],
        timezone=properties["timezone"],
        area_m2=properties["area_m2"],
        external_id=properties["external_id"],
        version=properties["version"],
        geometry=feature["geometry"],
    )


@strawberry.input
class CreateSiteInput:
    name: str
    kind: str
    geometry: JSON
    timezone: str = "Europe/Amsterdam"
    description: str = ""
    external_id: str | None = None


SiteResult = Annotated[
    Site | InvalidInput | NotAuthenticated | NotAuthorized | NotFound | Conflict,
    strawberry.union("SiteResult"),
]


@strawberry.type
class CommonsQuery:
    @strawberry.field
    async def site(self, info: Info, id: uuid.UUID) -> Site | None:
        try:
            return site_from(await info.context.services.get("commons", f"/sites/{id}"))
        except ServiceError as error:
            if error.status == 404:
                return None
            raise


@strawberry.type
class CommonsMutation:
    @strawberry.mutation(description="Add a site (maintenance, admin).")
    async def create_site(self, info: Info, input: CreateSiteInput) -> SiteResult:
        if info.context.principal is None:
            return not_authenticated()
        body = {k: v for k, v in vars(input).items() if v is not None}
        try:
            return site_from(await info.context.services.post("commons", "/sites", body))
        except ServiceError as error:
            return user_error(error)  # type: ignore[return-value]
