"""What one import may ask of the geometry checks in all.

Each feature is held to the limits of one area (`meent_shared.geo.AreaLimits`, and `RepairLimits`
when asked to repair); the file is held to these totals, so the work of an import is bounded by its
size and these numbers whatever its features hold. A file above them is refused whole (413): split
it, and import the parts one after the other.
"""

from dataclasses import dataclass
from typing import Any

from meent_shared.errors import PayloadTooLarge
from meent_shared.geo import CheckedArea
from meent_shared.geo_positions import positions_over

# Honest areas have about one pair of nearby edges per vertex: this is ten times a full file's.
MAX_IMPORT_CLOSE_EDGE_PAIRS = 5_000_000
# make_valid's work grows with the vertices and faster with the crossings.
MAX_IMPORT_REPAIRED_VERTICES = 100_000
MAX_IMPORT_CROSSINGS = 1_000
_LOC: list[str | int] = ["body", "features"]


def check_vertex_total(features: list[Any], limit: int) -> None:
    """Refuse a file with more than `limit` positions in all, counted before any is read."""
    if positions_over(features, limit):
        raise PayloadTooLarge(
            f"More than {limit} vertices in all: one import takes at most {limit} "
            "(MEENT_MAX_IMPORT_VERTICES); split the file",
            code="too_many_vertices",
            loc=_LOC,
        )


@dataclass
class ImportBudget:
    """What is left of one import's totals; each checked area is charged as it is checked, so
    the work done never passes them by more than one area's limits."""

    close_edge_pairs: int = MAX_IMPORT_CLOSE_EDGE_PAIRS
    repaired_vertices: int = MAX_IMPORT_REPAIRED_VERTICES
    crossings: int = MAX_IMPORT_CROSSINGS

    def charge(self, area: CheckedArea) -> None:
        self.close_edge_pairs -= area.close_edge_pairs
        if self.close_edge_pairs < 0:
            raise PayloadTooLarge(
                "The file's areas are too tangled to check in one import: their edges lie across "
                f"each other's bounding boxes in more than {MAX_IMPORT_CLOSE_EDGE_PAIRS} pairs "
                "(a real boundary has about one per vertex); split the file",
                code="import_too_complex",
                loc=_LOC,
            )
        if area.repaired is None:
            return
        self.repaired_vertices -= area.vertices
        self.crossings -= area.crossings
        if self.repaired_vertices < 0 or self.crossings < 0:
            raise PayloadTooLarge(
                f"One import repairs at most {MAX_IMPORT_REPAIRED_VERTICES} vertices and "
                f"{MAX_IMPORT_CROSSINGS} crossings: import the rest in another request",
                code="too_many_repairs",
                loc=_LOC,
            )
