"""What `python -m commons.worker republish` re-announces: every site and every stewardship, at
their current versions.

Schedule changes, use changes and maintenance tasks are moments, not state: a consumer that needs
a site's uses asks for its timeline.
"""

from collections.abc import AsyncIterator

from geoalchemy2.shape import to_shape
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from commons.sites import events as site_events
from commons.sites.models import Site
from commons.stewardship.models import Stewardship
from commons.stewardship.service import announce
from meent_shared.events.contracts import EventPayload
from meent_shared.events.republish import Announcer, each


async def announce_sites(session: AsyncSession) -> AsyncIterator[EventPayload]:
    async for site in each(session, select(Site).order_by(col(Site.id))):
        yield site_events.current_state(site, to_shape(site.geom))


async def announce_stewardships(session: AsyncSession) -> AsyncIterator[EventPayload]:
    async for stewardship in each(session, select(Stewardship).order_by(col(Stewardship.id))):
        yield announce(stewardship)


ANNOUNCERS: list[Announcer] = [announce_sites, announce_stewardships]
