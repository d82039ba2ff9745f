"""Bulk import of sites from a GeoJSON FeatureCollection, idempotent by external id.

Each feature is stored whole or not at all (a savepoint each); the caller owns the transaction and
decides whether a refused feature rolls back the rest. Sites are written through the sites service,
so every created or updated site records its `site.created` / `site.updated` event as usual.
"""

import logging
import time
from typing import Any

from geoalchemy2.shape import to_shape
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commons.imports.budget import ImportBudget
from commons.imports.features import SiteDraft, draft_site, external_id_of
from commons.imports.models import (
    FeatureOutcome,
    FeatureStatus,
    ImportOptions,
    ImportReport,
    Reason,
)
from commons.sites import service as site_service
from commons.sites.geometry import in_geometry_thread
from commons.sites.models import Site, SiteUpdate
from meent_shared.errors import MeentError
from meent_shared.types import json_problem

log = logging.getLogger("meent.commons.imports")


async def import_features(
    session: AsyncSession, *, features: list[Any], options: ImportOptions
) -> ImportReport:
    """Create, update or leave each feature's site; report what happened to every feature.
    A file above an import's totals (`ImportBudget`) is refused whole, before anything is stored."""
    started = time.perf_counter()
    drafts = await in_geometry_thread(_draft_all, features, options, ImportBudget())
    existing = await _sites_by_external_id(
        session, [d.external_id for d in drafts if isinstance(d, SiteDraft)]
    )
    first_seen: dict[str, tuple[SiteDraft, FeatureOutcome]] = {}
    outcomes: list[FeatureOutcome] = []
    for index, draft in enumerate(drafts):
        if isinstance(draft, FeatureOutcome):
            outcomes.append(draft)
        elif earlier := first_seen.get(draft.external_id):
            outcomes.append(_repeated(index, draft, *earlier))
        else:
            outcome = await _store(session, index, draft, existing.get(draft.external_id))
            first_seen[draft.external_id] = (draft, outcome)
            outcomes.append(outcome)
    report = ImportReport.of(outcomes)
    counts = report.model_dump(exclude={"features"})
    elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
    # `created` is a LogRecord attribute: the counts get a prefix.
    log.info(
        "site import processed",
        extra={**{f"sites_{k}": v for k, v in counts.items()}, "duration_ms": elapsed_ms},
    )
    return report


def _draft_all(
    features: list[Any], options: ImportOptions, budget: ImportBudget
) -> list[SiteDraft | FeatureOutcome]:
    drafts = []
    for index, feature in enumerate(features):
        draft = _draft_or_refusal(index, feature, options)
        if isinstance(draft, SiteDraft):
            budget.charge(draft.area)
        drafts.append(draft)
    return drafts


def _draft_or_refusal(
    index: int, feature: Any, options: ImportOptions
) -> SiteDraft | FeatureOutcome:
    # A lone surrogate is no text: it could be neither stored nor echoed in the report. (NUL and
    # NaN are refused where they land, naming the property.)
    if problem := json_problem(feature, nul=False, nan=False):
        return _refused(
            index, None, "invalid_json_text", f"The feature is not JSON text: {problem}"
        )
    external_id = external_id_of(feature, options)
    try:
        return draft_site(feature, index, external_id, options)
    except MeentError as exc:
        return _refused(index, external_id, exc.code, exc.msg)


async def _sites_by_external_id(session: AsyncSession, external_ids: list[str]) -> dict[str, Site]:
    """The existing sites of the file, in one query, locked until the import commits."""
    if not external_ids:
        return {}
    query = select(Site).where(col(Site.external_id).in_(set(external_ids))).with_for_update()
    return {site.external_id: site for site in await session.scalars(query) if site.external_id}


async def _store(
    session: AsyncSession, index: int, draft: SiteDraft, site: Site | None
) -> FeatureOutcome:
    changes = {} if site is None else _changes(site, draft)
    if site is not None and not changes:
        return _outcome(index, draft, FeatureStatus.unchanged, site)
    try:
        async with session.begin_nested():
            if site is None:
                site = await site_service.create_site(
                    session, site_in=draft.site_in, shape=draft.shape
                )
                return _outcome(index, draft, FeatureStatus.created, site)
            update = SiteUpdate(**changes)
            await site_service.update_site(
                session, site_id=site.id, site_in=update, shape=draft.shape
            )
            return _outcome(index, draft, FeatureStatus.updated, site)
    except MeentError as exc:  # e.g. a concurrent import took the external id first
        return _refused(index, draft.external_id, exc.code, exc.msg)


def _changes(site: Site, draft: SiteDraft) -> dict[str, Any]:
    """The fields in which the site differs from its feature."""
    wanted = draft.site_in
    changes: dict[str, Any] = {}
    if site.name != wanted.name:
        changes["name"] = wanted.name
    if site.kind != wanted.kind:
        changes["kind"] = wanted.kind
    if draft.timezone_given and site.timezone != wanted.timezone:
        changes["timezone"] = wanted.timezone
    if site.attributes != wanted.attributes:
        changes["attributes"] = wanted.attributes
    # Stored as parsed, so an unchanged geometry comes back coordinate for coordinate.
    if not to_shape(site.geom).equals_exact(draft.shape, tolerance=0):
        changes["geometry"] = wanted.geometry
    return changes


def _repeated(
    index: int, draft: SiteDraft, earlier: SiteDraft, earlier_outcome: FeatureOutcome
) -> FeatureOutcome:
    """A file naming the same id twice: a true copy changes nothing; a different one is refused."""
    first = earlier_outcome.index
    if draft.site_in.model_dump() != earlier.site_in.model_dump():
        msg = f"Feature {first} has the same id {draft.external_id!r} but other content"
        return _refused(index, draft.external_id, "duplicate_id", msg)
    if earlier_outcome.status is FeatureStatus.refused:
        msg = f"Repeats feature {first}, which was refused"
        return _refused(index, draft.external_id, "repeated_feature", msg)
    return FeatureOutcome(
        index=index,
        external_id=draft.external_id,
        status=FeatureStatus.unchanged,
        site_id=earlier_outcome.site_id,
        reason=Reason(
            type="repeated_feature", msg=f"Repeats feature {first} (same id and content)"
        ),
    )


def _outcome(index: int, draft: SiteDraft, status: FeatureStatus, site: Site) -> FeatureOutcome:
    repaired = (
        Reason(type="repaired_geometry", msg=f"Made valid on import: {draft.repaired}")
        if draft.repaired
        else None
    )
    return FeatureOutcome(
        index=index,
        external_id=draft.external_id,
        status=status,
        site_id=site.id,
        reason=repaired,
    )


def _refused(index: int, external_id: str | None, code: str, msg: str) -> FeatureOutcome:
    return FeatureOutcome(
        index=index,
        external_id=external_id,
        status=FeatureStatus.refused,
        reason=Reason(type=code, msg=msg),
    )
