"""Reading a GeoJSON FeatureCollection into district drafts: pure checks, no database.

Real files are messy: names under a property of the source's own (Utrecht's buurten say `NAAM`),
numbers where text was meant, a `crs` member from GeoJSON 2008, holes, rings that cross
themselves, a Point among the areas. Each feature is read on its own and refused with its reason,
so one answer names every feature to fix. A self-intersecting ring within `RepairLimits` is made
valid (`make_valid`) and the repair reported; an area that cannot be made valid is refused.
"""

from dataclasses import dataclass, field
from typing import Any

from pydantic_core import PydanticCustomError

from grants.districts.models import MAX_NAME_LENGTH
from meent_shared.errors import InvalidInput, MeentError, PayloadTooLarge, error_item
from meent_shared.geo import AreaLimits, CheckedArea, RepairLimits, check_area, check_crs
from meent_shared.geo_positions import positions_over
from meent_shared.types import not_blank, single_line

# One import is one transaction and one answer: a city has tens to hundreds of districts.
MAX_IMPORT_FEATURES = 1_000
MAX_IMPORT_VERTICES = 200_000
# Honest areas have about one pair of nearby edges per vertex: this is many times a full file's.
MAX_IMPORT_CLOSE_EDGE_PAIRS = 2_000_000
# make_valid's work grows with the vertices, and faster with the crossings.
MAX_IMPORT_REPAIRED_VERTICES = 50_000
MAX_IMPORT_CROSSINGS = 1_000
AREA_LIMITS = AreaLimits(vertices=50_000)
_FEATURES: list[str | int] = ["body", "features"]


@dataclass(frozen=True)
class DistrictDraft:
    """What one good feature says its district should be."""

    index: int
    name: str
    area: CheckedArea


@dataclass
class ImportBudget:
    """What is left of one import's totals; each area is charged once checked, so the work done
    never passes them by more than one area's limits."""

    close_edge_pairs: int = MAX_IMPORT_CLOSE_EDGE_PAIRS
    repaired_vertices: int = MAX_IMPORT_REPAIRED_VERTICES
    crossings: int = MAX_IMPORT_CROSSINGS

    def charge(self, area: CheckedArea) -> None:
        self.close_edge_pairs -= area.close_edge_pairs
        if self.close_edge_pairs < 0:
            raise PayloadTooLarge(
                "The file's areas are too tangled to check in one import: their edges lie "
                f"across each other's bounding boxes in more than {MAX_IMPORT_CLOSE_EDGE_PAIRS} "
                "pairs (a real boundary has about one per vertex); split the file",
                code="import_too_complex",
                loc=_FEATURES,
            )
        if area.repaired is None:
            return
        self.repaired_vertices -= area.vertices
        self.crossings -= area.crossings
        if self.repaired_vertices < 0 or self.crossings < 0:
            raise PayloadTooLarge(
                f"One import repairs at most {MAX_IMPORT_REPAIRED_VERTICES} vertices and "
                f"{MAX_IMPORT_CROSSINGS} crossings: fix the invalid areas in a GIS tool, or "
                "import them in parts",
                code="too_many_repairs",
                loc=_FEATURES,
            )


def collection_features(body: Any) -> list[Any]:
    """The features of a FeatureCollection, within the import's bounds; a body that is no
    collection, in another CRS or too large is refused as a whole."""
    if not isinstance(body, dict) or body.get("type") != "FeatureCollection":
        found = body.get("type") if isinstance(body, dict) else type(body).__name__
        raise InvalidInput(
            f"The body must be a GeoJSON FeatureCollection (RFC 7946), not {str(found)[:40]!r}",
            code="not_a_feature_collection",
            loc=["body", "type"],
        )
    features = body.get("features")
    if not isinstance(features, list) or not features:
        raise InvalidInput(
            "`features` must be a non-empty list of GeoJSON Features",
            code="no_features",
            loc=_FEATURES,
        )
    if len(features) > MAX_IMPORT_FEATURES:
        raise PayloadTooLarge(
            f"At most {MAX_IMPORT_FEATURES} districts per import, got {len(features)}",
            code="too_many_features",
            loc=_FEATURES,
        )
    # A collection in another CRS (RD New, say) has no usable feature: refuse the file.
    check_crs(body.get("crs"), ["body", "crs"])
    _check_vertex_total(features)
    return features


def _check_vertex_total(features: list[Any]) -> None:
    """Refuse a file of more than MAX_IMPORT_VERTICES positions, counted before any is read."""
    if positions_over(features, MAX_IMPORT_VERTICES):
        raise PayloadTooLarge(
            f"More than {MAX_IMPORT_VERTICES} vertices in all: simplify the areas or "
            "import them in parts",
            code="too_many_vertices",
            loc=_FEATURES,
        )


@dataclass
class _Reading:
    """Drafts and refusals so far, and the first feature of each name."""

    drafts: list[DistrictDraft] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    first_of_name: dict[str, int] = field(default_factory=dict)
    budget: ImportBudget = field(default_factory=ImportBudget)


def read_features(
    features: list[Any], name_property: str
) -> tuple[list[DistrictDraft], list[dict[str, Any]]]:
    """A draft for each good feature, and one error (in the one error shape) for each other."""
    reading = _Reading()
    for index, feature in enumerate(features):
        try:
            draft = _draft(feature, index, name_property, reading)
        except MeentError as refusal:
            loc = refusal.loc or ["body", "features", index]
            reading.errors.append(error_item(f"Feature {index}: {refusal.msg}", refusal.code, loc))
            continue
        reading.budget.charge(draft.area)  # a file over the budget is refused whole (413)
        reading.drafts.append(draft)
    return reading.drafts, reading.errors


def _draft(feature: Any, index: int, name_property: str, reading: _Reading) -> DistrictDraft:
    loc: list[str | int] = ["body", "features", index]
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise InvalidInput('Not a GeoJSON Feature (needs "type": "Feature")', code="not_a_feature")
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        raise InvalidInput(
            f"The feature has no properties, so no name (`{name_property}`)",
            code="missing_name",
            loc=[*loc, "properties"],
        )
    name_loc: list[str | int] = [*loc, "properties", name_property]
    name = _name(properties.get(name_property), name_property, name_loc)
    if (first := reading.first_of_name.setdefault(name, index)) != index:
        raise InvalidInput(
            f"Feature {first} has the same name {name!r}: district names are unique",
            code="duplicate_name",
            loc=name_loc,
        )
    check_crs(feature.get("crs"), [*loc, "crs"])
    geometry = feature.get("geometry")
    if geometry is None:
        raise InvalidInput(
            "The feature has no geometry: a district needs its area",
            code="missing_geometry",
            loc=[*loc, "geometry"],
        )
    area = check_area(geometry, loc=[*loc, "geometry"], limits=AREA_LIMITS, repair=RepairLimits())
    return DistrictDraft(index=index, name=name, area=area)


def _name(value: Any, name_property: str, loc: list[str | int]) -> str:
    """The district's name: text (a number read as text, 113.0 as "113"), one line, not blank."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if value is None:
        raise InvalidInput(
            f"The feature has no name: no `{name_property}` property (choose the property with "
            "name_property)",
            code="missing_name",
            loc=loc,
        )
    if not isinstance(value, str):
        raise InvalidInput(
            f"The name (`{name_property}`) must be text, not {type(value).__name__}",
            code="name_not_text",
            loc=loc,
        )
    name = value.strip()
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(
            f"The name has more than {MAX_NAME_LENGTH} characters", code="name_too_long", loc=loc
        )
    try:
        return not_blank(single_line(name))
    except PydanticCustomError as refusal:
        raise InvalidInput(f"The name: {refusal.message()}", code=refusal.type, loc=loc) from None
