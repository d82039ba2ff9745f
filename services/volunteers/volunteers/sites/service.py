"""volunteers' copy of commons' sites, kept by `commons.site.*` events."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from meent_shared.db import table_of
from meent_shared.events.contracts.commons import SiteCreated, SiteUpdated
from meent_shared.events.envelope import CloudEvent
from meent_shared.events.projection import apply_if_newer
from volunteers.sites.models import KnownSite


async def on_site_changed(
    session: AsyncSession, payload: SiteCreated | SiteUpdated, event: CloudEvent
) -> None:
    values = {"site_id": payload.site_id, "name": payload.name, "version": payload.version}
    await apply_if_newer(session, table_of(KnownSite), values)


async def site_is_known(*, session: AsyncSession, site_id: uuid.UUID) -> bool:
    return await session.get(KnownSite, site_id) is not None
