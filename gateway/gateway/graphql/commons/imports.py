"""Bulk import of sites through the public origin (GIS teams send their GeoJSON files here)."""

from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from gateway.graphql.commons.mutations import call
from gateway.graphql.commons.types import InvalidGeometry
from gateway.graphql.context import Info
from gateway.graphql.errors import Refusal
from gateway.graphql.services import ServiceError


@strawberry.type
class ImportReason:
    type: str
    msg: str


@strawberry.type(description="What happened to one feature of the file.")
class ImportedFeature:
    index: int
    external_id: str | None
    status: str = strawberry.field(description="created, updated, unchanged or refused")
    site_id: strawberry.ID | None
    reason: ImportReason | None


@strawberry.type(
    description="The per-feature report of an import; `stored` is false when "
    "allOrNothing refused the whole file."
)
class ImportReport:
    stored: bool
    created: int
    updated: int
    unchanged: int
    refused: int
    features: list[ImportedFeature]


def report_from(data: dict[str, Any], stored: bool) -> ImportReport:
    features = [
        ImportedFeature(
            index=f["index"],
            external_id=f.get("external_id"),
            status=f["status"],
            site_id=strawberry.ID(f["site_id"]) if f.get("site_id") else None,
            reason=ImportReason(type=f["reason"]["type"], msg=f["reason"]["msg"])
            if f.get("reason")
            else None,
        )
        for f in data["features"]
    ]
    return ImportReport(
        stored=stored,
        created=data["created"],
        updated=data["updated"],
        unchanged=data["unchanged"],
        refused=data["refused"],
        features=features,
    )


# InvalidGeometry: a file in another CRS is refused as a whole.
ImportResult = Annotated[ImportReport | InvalidGeometry | Refusal, strawberry.union("ImportResult")]


@strawberry.type
class CommonsImportMutation:
    @strawberry.mutation(
        description="Import sites from a GeoJSON FeatureCollection, idempotent by "
        "external id (maintenance, admin)."
    )
    async def import_sites(
        self,
        info: Info,
        feature_collection: JSON,
        kind: str = "park",
        timezone: str = "Europe/Amsterdam",
        all_or_nothing: bool = False,
        repair: bool = False,
        id_prefix: str = "",
    ) -> ImportResult:
        params = {
            "kind": kind,
            "timezone": timezone,
            "all_or_nothing": str(all_or_nothing).lower(),
            "repair": str(repair).lower(),
            "id_prefix": id_prefix,
        }

        async def run() -> ImportReport:
            services = info.context.services
            try:
                data = await services.post_with_params(
                    "commons",
                    "/sites/import",
                    feature_collection,
                    params,
                    seconds=info.context.settings.import_timeout_seconds,
                )
            except ServiceError as error:
                if error.code == "features_refused" and isinstance(error.body, dict):
                    return report_from(error.body, stored=False)
                raise
            return report_from(data, stored=True)

        return await call(info, run)
