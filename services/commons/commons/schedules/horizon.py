"""How far the materialized occurrences answer: ONE bound, for the materializer and every reader.

Maps, lists, tiles and OGC filters read `use_occurrence` for the days `materialized_days(today)`
gives, and ask the engine (the source of truth) for any other day. The materializer writes a year
past that bound, and the daily job rewrites a period's occurrences once they reach less than
`REFRESH_MARGIN` past it — so the bound holds even when the job has not run for a month.
"""

import datetime as dt
from dataclasses import dataclass

from commons.schedules.engine import add_years

MATERIALIZED_PAST = dt.timedelta(days=2 * 366)
TRUSTED_YEARS_AHEAD = 5
WRITTEN_YEARS_AHEAD = TRUSTED_YEARS_AHEAD + 1  # a year's slack: one rewrite a year, not one a day
REFRESH_MARGIN = dt.timedelta(days=31)


@dataclass(frozen=True)
class Days:
    first: dt.date
    end: dt.date  # exclusive

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.first <= day < self.end


def materialized_days(today: dt.date) -> Days:
    """The local days (of any site) for which the materialized occurrences are the answer."""
    return Days(today - MATERIALIZED_PAST, add_years(today, TRUSTED_YEARS_AHEAD))


def written_until(today: dt.date) -> dt.date:
    """How far a period is materialized when it is written today."""
    return add_years(today, WRITTEN_YEARS_AHEAD)


def refresh_before(today: dt.date) -> dt.date:
    """A period materialized only until before this day is rewritten by the daily job."""
    return materialized_days(today).end + REFRESH_MARGIN
