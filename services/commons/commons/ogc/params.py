"""The query parameters of OGC API – Features, checked: bbox, datetime, limit, f and no others."""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from commons.bbox import parse_bbox
from commons.schedules.engine import add_years
from commons.schedules.service import ANSWERED_YEARS
from meent_shared.errors import InvalidInput

DEFAULT_LIMIT = 10
MAX_LIMIT = 1000
ITEMS_PARAMETERS = frozenset({"bbox", "datetime", "limit", "offset", "f"})

_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
_OPEN = ("..", "")
BBOX_FORMS = "minLon,minLat,maxLon,maxLat (or minLon,minLat,minHeight,maxLon,maxLat,maxHeight)"


@dataclass(frozen=True)
class TimeFilter:
    """A closed interval in UTC; None is an open end. An instant has start == end."""

    start: dt.datetime | None
    end: dt.datetime | None

    @property
    def is_instant(self) -> bool:
        return self.start is not None and self.start == self.end


def parse_ogc_bbox(value: str | None) -> tuple[float, float, float, float]:
    """A WGS84 bbox. A 3D bbox is accepted and its heights ignored: sites have no height, so
    each one stands at every height a client may ask for."""
    if value is not None and value.count(",") == 5:
        parts = value.split(",")
        try:
            heights_ok = float(parts[2]) <= float(parts[5])
        except ValueError:
            heights_ok = False
        value = ",".join(parts[:2] + parts[3:5]) if heights_ok else "invalid"
    try:
        return parse_bbox(value)
    except InvalidInput:
        raise InvalidInput(
            f"bbox must be {BBOX_FORMS} in WGS84 degrees, each minimum at most its maximum",
            code="invalid_bbox",
            loc=["query", "bbox"],
        ) from None


def parse_datetime(value: str | None, today: dt.date) -> TimeFilter | None:
    """An RFC 3339 instant, or an interval `start/end` with `..` (or nothing) for an open end."""
    if value is None:
        return None
    parts = value.split("/")
    if len(parts) == 1:
        instant = _date_time(value, today)
        return TimeFilter(instant, instant)
    if len(parts) != 2:
        raise _bad_datetime(f"{value!r} is neither a date-time nor one interval start/end")
    start, end = (None if part in _OPEN else _date_time(part, today) for part in parts)
    if start is not None and end is not None and end < start:
        raise _bad_datetime(f"the interval {value!r} ends before it starts")
    return TimeFilter(start, end)


def _date_time(text: str, today: dt.date) -> dt.datetime:
    if not _DATE_TIME.fullmatch(text.upper()):
        hint = " (send a '+' in a URL query as %2B)" if " " in text else ""
        raise _bad_datetime(
            f"{text!r} is not an RFC 3339 date-time with a time zone, e.g. "
            f"2026-07-15T12:00:00Z or 2026-07-15T14:00:00+02:00{hint}"
        )
    try:
        value = dt.datetime.fromisoformat(text.upper()).astimezone(dt.UTC)
    except (ValueError, OverflowError) as error:
        raise _bad_datetime(f"{text!r} is not a valid date-time: {error}") from None
    first, last = add_years(today, -ANSWERED_YEARS), add_years(today, ANSWERED_YEARS)
    if not first <= value.date() <= last:
        raise _bad_datetime(f"{text!r} is too far away: give a time between {first} and {last}")
    return value


def _bad_datetime(reason: str) -> InvalidInput:
    return InvalidInput(f"datetime: {reason}", code="invalid_datetime", loc=["query", "datetime"])


def effective_limit(limit: int) -> int:
    """OGC API – Features /req/core/fc-limit-response-1: a limit above the maximum is no error,
    the maximum is used instead."""
    return min(limit, MAX_LIMIT)


def check_format(f: str | None) -> None:
    """`f=json` (or none) is all this API offers; GeoJSON is JSON."""
    if f is not None and f.lower() != "json":
        raise InvalidInput(
            f"f={f!r} is not offered: this API answers in JSON only (use f=json or leave f out)",
            code="unsupported_format",
            loc=["query", "f"],
        )


def check_known(names: Iterable[str], known: frozenset[str]) -> None:
    """OGC API – Features /req/core/query-param-unknown: an unknown parameter is refused, so a
    client never mistakes an ignored filter for an applied one."""
    unknown = sorted(set(names) - known)
    if unknown:
        raise InvalidInput(
            f"Unknown query parameter {unknown[0]!r}; this resource accepts "
            f"{', '.join(sorted(known))}",
            code="unknown_parameter",
            loc=["query", unknown[0]],
        )
