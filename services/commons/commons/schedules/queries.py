"""Map queries over many sites: which use each site has on a date, answered in SQL from the
materialized occurrences within their horizon (lists and tiles build on these; beyond it the
engine answers: `commons.sites.listing`, `commons.tiles.queries`)."""

import datetime as dt

from sqlalchemy import DateTime, func, literal, select

from commons.schedules import horizon
from commons.schedules.models import UseOccurrence
from commons.sites.models import Site
from meent_shared.db import table_of

# "The use on a date" is the use at local noon: one answer per site and day, for maps and lists.
USE_HOUR = dt.time(12)


def within_horizon(on: dt.date, today: dt.date) -> bool:
    return on in horizon.materialized_days(today)


def winner_at_local_noon(on: dt.date):
    occurrences = table_of(UseOccurrence)
    noon = literal(dt.datetime.combine(on, USE_HOUR), DateTime(timezone=False))
    instant = func.timezone(Site.timezone, noon)
    return (
        select(occurrences.c.use, occurrences.c.period_id)
        .where(occurrences.c.site_id == Site.id, occurrences.c.during.op("@>")(instant))
        # The engine's order (engine.winner_order): highest priority, then the lowest period id.
        .order_by(occurrences.c.priority.desc(), occurrences.c.period_id)
        .limit(1)
        .lateral("winner")
    )
