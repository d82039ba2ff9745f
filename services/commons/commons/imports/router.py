from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from fastapi.responses import JSONResponse

from commons.config import Settings
from commons.deps import CommonsSettings, MaintenanceStaff, SessionDep
from commons.imports import service as import_service
from commons.imports.budget import check_vertex_total
from commons.imports.features import check_time_zone, collection_features
from commons.imports.models import MAX_FEATURES, FeatureStatus, ImportOptions, ImportReport
from meent_shared.errors import error_item
from meent_shared.types import Identifier, SingleLine

router = APIRouter(tags=["import"])

_TRIANGLE = [[[-85.69, 42.92], [-85.68, 42.92], [-85.68, 42.93], [-85.69, 42.92]]]
_EXAMPLE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": "way/316611486",
            "properties": {"name": "Oxford Park"},
            "geometry": {"type": "Polygon", "coordinates": _TRIANGLE},
        },
    ],
}
MAX_VERTICES = Settings.model_fields["max_import_vertices"].default
Collection = Annotated[
    Any,
    Body(
        description="A GeoJSON FeatureCollection (RFC 7946) of Polygons and MultiPolygons in WGS84: "
        f"at most {MAX_FEATURES} features and {MAX_VERTICES} vertices in all "
        "(MEENT_MAX_IMPORT_VERTICES), each area at most 100000 vertices in 1000 rings",
        examples=[_EXAMPLE],
    ),
]
DefaultKind = Annotated[Identifier, Query(max_length=60, description="for features without `kind`")]
DefaultZone = Annotated[
    str, Query(max_length=64, description="IANA time zone for features without `timezone`")
]
AllOrNothing = Annotated[bool, Query(description="if a feature is refused, store nothing (422)")]
IdPrefix = Annotated[
    SingleLine,
    Query(max_length=100, description="put before every external id, e.g. utrecht-buurten/"),
]
Repair = Annotated[
    bool,
    Query(description="make self-intersecting areas valid (make_valid; each repair is reported)"),
]
NameProperty = Annotated[
    SingleLine | None,
    Query(
        min_length=1, max_length=200, description="the name's property (default: name, Name, NAME)"
    ),
]
IdProperty = Annotated[
    SingleLine | None,
    Query(
        min_length=1,
        max_length=200,
        description="the external id's property (default: the feature's id, then id, ID, external_id)",
    ),
]


@router.post(
    "/sites/import",
    response_model=ImportReport,
    summary="Import sites from a GeoJSON FeatureCollection, by external id (maintenance, admin)",
    responses={
        422: {"description": "No usable collection; or, all_or_nothing, a refused feature"},
        413: {
            "description": f"More than {MAX_FEATURES} features or {MAX_VERTICES} vertices "
            "(`too_many_vertices`), areas too tangled to check in one import "
            "(`import_too_complex`), more repairs than one import makes (`too_many_repairs`), "
            "or a body above the size limit: split the file"
        },
    },
)
async def import_sites(
    collection: Collection,
    session: SessionDep,
    editor: MaintenanceStaff,
    settings: CommonsSettings,
    kind: DefaultKind = "park",
    timezone: DefaultZone = "Europe/Amsterdam",
    all_or_nothing: AllOrNothing = False,
    name_property: NameProperty = None,
    id_property: IdProperty = None,
    repair: Repair = False,
    id_prefix: IdPrefix = "",
) -> Any:
    """A feature whose external id is known updates its site if it differs; others create one.

    Each feature is stored whole or refused with its reason; importing a file again changes nothing.
    """
    options = ImportOptions(
        kind=kind,
        timezone=check_time_zone(timezone),
        name_property=name_property,
        id_property=id_property,
        repair=repair,
        id_prefix=id_prefix,
    )
    features = collection_features(collection)
    check_vertex_total(features, settings.max_import_vertices)
    async with session.begin() as transaction:
        report = await import_service.import_features(session, features=features, options=options)
        if not (all_or_nothing and report.refused):
            return report
        await transaction.rollback()
    return _nothing_stored(report)


def _nothing_stored(report: ImportReport) -> JSONResponse:
    """422 in the one error shape, with the report of what the import would have done."""
    for feature in report.features:
        if feature.status is FeatureStatus.created:
            feature.site_id = None  # rolled back: no such site
    total = len(report.features)
    msg = f"{report.refused} of {total} features refused, so nothing was stored (all_or_nothing)"
    detail = [error_item(msg, "features_refused", ["body", "features"])]
    return JSONResponse({"detail": detail, **report.model_dump(mode="json")}, status_code=422)
