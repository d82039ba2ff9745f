"""The answer of a bulk import: what happened to each feature, and the totals."""

import uuid
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel

# One import is one transaction; beyond this, split the file (the body limit is 16 MiB anyway).
MAX_FEATURES = 10_000


class FeatureStatus(StrEnum):
    created = "created"
    updated = "updated"
    unchanged = "unchanged"
    refused = "refused"


class Reason(BaseModel):
    """Why a feature was refused (or, for a repeated feature, what it repeats)."""

    type: str
    msg: str


class FeatureOutcome(BaseModel):
    index: int
    external_id: str | None
    status: FeatureStatus
    site_id: uuid.UUID | None = None
    reason: Reason | None = None


class ImportReport(BaseModel):
    created: int
    updated: int
    unchanged: int
    refused: int
    features: list[FeatureOutcome]

    @classmethod
    def of(cls, features: list[FeatureOutcome]) -> "ImportReport":
        counts = Counter(feature.status for feature in features)
        return cls(**{status.value: counts[status] for status in FeatureStatus}, features=features)


@dataclass(frozen=True)
class ImportOptions:
    """How to read a file's features: their defaults, and where their names and ids are."""

    kind: str
    timezone: str
    name_property: str | None = None
    id_property: str | None = None
    # Make self-intersecting areas valid (reported per feature) instead of refusing them.
    repair: bool = False
    # Put before every external id, e.g. "utrecht-buurten/": ids are unique only within a source.
    id_prefix: str = ""
