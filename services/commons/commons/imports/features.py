"""Reading a GeoJSON FeatureCollection into site drafts: pure checks, no database.

Real files are messy (mixed-case properties, numbers as strings, LineStrings among parks); each
feature is read on its own, and one that cannot be a site is refused with the reason.
"""

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from shapely.geometry import MultiPolygon

from commons.imports.models import MAX_FEATURES, ImportOptions
from commons.sites.models import TIME_ZONES, SiteCreate
from meent_shared.errors import InvalidInput, PayloadTooLarge
from meent_shared.geo import (
    CheckedArea,
    GeometryError,
    RepairLimits,
    check_area,
    check_crs,
    to_geojson,
)

NAME_KEYS = ("name", "Name", "NAME")
ID_KEYS = ("id", "ID", "external_id")
MAX_EXTERNAL_ID_LENGTH = 200


@dataclass(frozen=True)
class SiteDraft:
    """What one valid feature says its site should be."""

    site_in: SiteCreate
    area: CheckedArea
    # The query's default time zone is for new sites; only a feature's own one changes a site.
    timezone_given: bool

    @property
    def shape(self) -> MultiPolygon:
        return self.area.shape

    @property
    def repaired(self) -> str | None:
        """What was wrong with a geometry the import repaired (only when asked to repair)."""
        return self.area.repaired

    @property
    def external_id(self) -> str:
        assert self.site_in.external_id is not None
        return self.site_in.external_id


def check_time_zone(timezone: str) -> str:
    if timezone not in TIME_ZONES:
        raise InvalidInput(
            f"Unknown IANA time zone {timezone!r}",
            code="unknown_time_zone",
            loc=["query", "timezone"],
        )
    return timezone


def collection_features(body: Any) -> list[Any]:
    """The features of a FeatureCollection; a body that is none is refused as a whole."""
    if not isinstance(body, dict) or body.get("type") != "FeatureCollection":
        found = body.get("type") if isinstance(body, dict) else type(body).__name__
        raise InvalidInput(
            f"The body must be a GeoJSON FeatureCollection (RFC 7946), not {str(found)[:40]!r}",
            code="not_a_feature_collection",
            loc=["body", "type"],
        )
    features = body.get("features")
    if not isinstance(features, list):
        raise InvalidInput(
            "`features` must be a list of GeoJSON Features",
            code="features_not_a_list",
            loc=["body", "features"],
        )
    if len(features) > MAX_FEATURES:
        raise PayloadTooLarge(
            f"At most {MAX_FEATURES} features per import, got {len(features)}: split the file",
            code="too_many_features",
            loc=["body", "features"],
        )
    # A collection in another CRS has no usable feature at all: refuse the file, not each feature.
    check_crs(body.get("crs"), ["body", "crs"])
    return features


def external_id_of(feature: Any, options: ImportOptions) -> str | None:
    """The feature's `id`, else an id property (or the one `options.id_property` names)."""
    if not isinstance(feature, dict):
        return None
    properties = feature.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    if options.id_property:
        candidates = [properties.get(options.id_property)]
    else:
        candidates = [feature.get("id"), *(properties.get(key) for key in ID_KEYS)]
    found = next((text for value in candidates if (text := _id_text(value))), None)
    # Ids are only unique within their source: a prefix keeps two numbered files apart.
    return f"{options.id_prefix}{found}" if found is not None else None


def _id_text(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 113.0 in a shapefile export is the id 113
    return str(value).strip() or None


def draft_site(
    feature: Any, index: int, external_id: str | None, options: ImportOptions
) -> SiteDraft:
    """The site a feature describes; raises an `InvalidInput` naming why it cannot be one."""
    loc: list[str | int] = ["body", "features", index]
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise InvalidInput('Not a GeoJSON Feature (needs "type": "Feature")', code="not_a_feature")
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        raise InvalidInput("`properties` must be an object or null", code="invalid_properties")
    if external_id is None:
        raise InvalidInput(
            "The feature needs an id (its `id`, or an `id` or `external_id` property): "
            "without one, importing the file again would duplicate the site",
            code="missing_id",
        )
    if len(external_id) > MAX_EXTERNAL_ID_LENGTH:
        raise InvalidInput(
            f"The id is longer than {MAX_EXTERNAL_ID_LENGTH} characters", code="id_too_long"
        )
    check_crs(feature.get("crs"), [*loc, "crs"])
    geometry = feature.get("geometry")
    if geometry is None:
        raise GeometryError(
            "The feature has no geometry: a site needs its area", code="missing_geometry"
        )
    repair = RepairLimits() if options.repair else None
    area = check_area(geometry, loc=[*loc, "geometry"], repair=repair)
    if area.repaired is not None:
        geometry = to_geojson(area.shape)
    name_key, name = _name_of(properties, options.name_property, external_id)
    kind = _own_text(properties, "kind")
    timezone = _own_text(properties, "timezone")
    consumed = {name_key, "kind" if kind else None, "timezone" if timezone else None}
    try:
        site_in = SiteCreate(
            name=name,
            kind=kind or options.kind,
            timezone=timezone or options.timezone,
            external_id=external_id,
            geometry=geometry,
            attributes={k: v for k, v in properties.items() if k not in consumed},
        )
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"])
        raise InvalidInput(f"{field}: {error['msg']}", code=error["type"]) from None
    return SiteDraft(site_in=site_in, area=area, timezone_given=timezone is not None)


def _name_of(
    properties: dict[str, Any], name_property: str | None, external_id: str
) -> tuple[str | None, str]:
    """The property holding the name and the name; the id when no property has one."""
    for key in (name_property,) if name_property else NAME_KEYS:
        value = properties.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str) and value.strip():
            return key, value.strip()
    return None, external_id


def _own_text(properties: dict[str, Any], key: str) -> str | None:
    value = properties.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None
