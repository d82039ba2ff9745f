"""Size and build time of a site's calendar feed over its span, as uses are added to Coal Square:
`MEENT_MODE=local .venv/bin/python tests/bench/feed_sizes.py`. No database: the feed's builder."""

import datetime as dt
import time
import uuid

from commons.feeds import ical
from commons.schedules.models import UsePeriod
from commons.sites.models import Site

TODAY = dt.date.today()
FIRST_SATURDAY = dt.date(TODAY.year - 3, 1, 1) + dt.timedelta(
    days=(5 - dt.date(TODAY.year - 3, 1, 1).weekday()) % 7
)


def period(use: str, priority: int, **shape: object) -> UsePeriod:
    made = UsePeriod(site_id=uuid.uuid4(), use=use, priority=priority, **shape)
    made.id = uuid.uuid4()
    return made


COAL_SQUARE = [
    period("parking", 0, starts_on=dt.date(2020, 1, 1)),
    period(
        "recreation",
        10,
        starts_on=dt.date(2024, 5, 1),
        ends_on=dt.date(2024, 9, 30),
        rule="FREQ=YEARLY",
    ),
    period(
        "event",
        20,
        starts_on=dt.date(TODAY.year + 1, 7, 11),
        ends_on=dt.date(TODAY.year + 1, 7, 11),
    ),
]
MARKET = period(
    "market",
    30,
    starts_on=FIRST_SATURDAY,
    ends_on=FIRST_SATURDAY,
    rule="FREQ=WEEKLY;BYDAY=SA",
    day_starts_at=dt.time(8),
    day_ends_at=dt.time(14),
)
NIGHTS = period(
    "closed", 40, starts_on=dt.date(2020, 1, 1), day_starts_at=dt.time(23), day_ends_at=dt.time(5)
)


def main() -> None:
    site = Site(
        name="Plac Węglowy", kind="square", timezone="Europe/Warsaw", area_m2=1.0, geom=None
    )
    for label, periods in (
        ("Coal Square", COAL_SQUARE),
        ("+ a Saturday market", [*COAL_SQUARE, MARKET]),
        ("+ closed nights", [*COAL_SQUARE, MARKET, NIGHTS]),
    ):
        started = time.perf_counter()
        body = ical.site_calendar(site, periods, [], today=TODAY).to_ical()
        took = time.perf_counter() - started
        events = body.count(b"BEGIN:VEVENT")
        print(f"{label}: {events} VEVENTs, {len(body) / 1000:.1f} kB, built in {took:.3f} s")


if __name__ == "__main__":
    main()
