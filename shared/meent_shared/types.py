"""Validated types shared by the services' models and query parameters.

Whatever a client sends is checked here, before it reaches PostgreSQL, so a bad value is a 422
that names the field and what is wrong with it, never a 500 from the database: text without the
characters a text column refuses (NUL) or a reader trips over (other control characters), JSON that
a jsonb column can store, dates within the living city's range, pages within what OFFSET can hold.

Lengths stay on each field's `Field(max_length=...)`, which also sizes its column; the text types
add only a hard cap of their own, as a validator (a second `max_length` constraint in the type would
silently replace the field's). SQLModel's `Field(regex=...)` is ignored by the installed version, so
patterns are declared with pydantic's `StringConstraints` (a test in each service checks them).
"""

import datetime as dt
import json
import re
from typing import Annotated, Any

from fastapi import Query
from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

# Lower-case words with underscores: kinds of site, uses, roles of things.
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
# URL-friendly names: lower-case words joined by single hyphens.
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
# ISO 4217 currency codes.
CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
# Who someone is, as the identity provider names them (a token's `sub`): OpenID Connect allows at
# most 255 ASCII characters; these are the printable ones, without spaces.
PersonId = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=r"^[!-~]+$")]

# --- Text -----------------------------------------------------------------------------------

MAX_LINE_LENGTH = 1_000
MAX_TEXT_LENGTH = 20_000
# C0 and C1 controls and DEL; lone UTF-16 surrogates (JSON's "\ud800" parses into one, and no
# UTF-8 text can hold it); line and paragraph separators, which break a line like a newline does.
_NOT_IN_A_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# Free text keeps tab, line feed and carriage return.
_NOT_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _refuse(found: re.Match[str], what: str) -> PydanticCustomError:
    code = ord(found.group())
    kind = (
        "a lone surrogate"
        if 0xD800 <= code <= 0xDFFF
        else "a line separator"
        if code in (0x2028, 0x2029)
        else "a control character"
    )
    return PydanticCustomError(
        "control_character",
        "{what} must not contain {kind}: {character} at position {position}",
        {"what": what, "kind": kind, "character": f"U+{code:04X}", "position": found.start()},
    )


def single_line(value: str) -> str:
    """Names, titles, ids: one line of printable text."""
    if len(value) > MAX_LINE_LENGTH:
        raise PydanticCustomError(
            "string_too_long", "A line has at most {max} characters", {"max": MAX_LINE_LENGTH}
        )
    if found := _NOT_IN_A_LINE.search(value):
        raise _refuse(found, "A single line of text")
    return value


def free_text(value: str) -> str:
    """Descriptions and notes: lines of printable text (tabs and line breaks allowed)."""
    if len(value) > MAX_TEXT_LENGTH:
        raise PydanticCustomError(
            "string_too_long", "A text has at most {max} characters", {"max": MAX_TEXT_LENGTH}
        )
    if found := _NOT_IN_TEXT.search(value):
        raise _refuse(found, "Text")
    return value


# The same rules in the OpenAPI document, so clients (and fuzzers) see them.
SingleLine = Annotated[
    str,
    AfterValidator(single_line),
    Field(json_schema_extra={"pattern": r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$"}),
]
FreeText = Annotated[
    str,
    AfterValidator(free_text),
    Field(
        json_schema_extra={"pattern": r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$"}
    ),
]

# White space as JSON Schema's (ECMAScript's) `\s` has it, beyond the controls a line refuses.
# (Regular-expression text, read alike by Python and by JSON Schema's validators.)
_BLANKS = r" \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff"
_LINE_CHARACTERS = r"\u0000-\u001f\u007f-\u009f\u2028\u2029"
_ONLY_BLANKS = re.compile(f"[{_BLANKS}]*")


def not_blank(value: str) -> str:
    """Names and titles: something to read, not only spaces."""
    if _ONLY_BLANKS.fullmatch(value):
        raise PydanticCustomError("blank_text", "A name or title must not be blank")
    return value


# A name or title: one line of printable text with something besides white space in it.
NonBlankLine = Annotated[
    str,
    AfterValidator(single_line),
    AfterValidator(not_blank),
    Field(
        json_schema_extra={
            "pattern": f"^[^{_LINE_CHARACTERS}]*[^{_LINE_CHARACTERS}{_BLANKS}]"
            f"[^{_LINE_CHARACTERS}]*$"
        }
    ),
]

# --- JSON -----------------------------------------------------------------------------------

MAX_JSON_DEPTH = 32
# JSON writes NUL as \u0000; an escaped backslash before "u0000" is text, not a NUL.
_ESCAPED_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")


def json_problem(value: Any, *, nul: bool = True, nan: bool = True) -> str | None:
    """What keeps `value` out of a jsonb column (or out of JSON), if anything: a lone surrogate,
    and unless told otherwise a NUL character or NaN/Infinity (Python's JSON parser lets them in).
    Encoding it is the check, at C speed: a geometry of 100,000 vertices takes milliseconds."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=not nan, check_circular=False)
        text.encode("utf-8")
    except ValueError as error:  # UnicodeEncodeError is a ValueError too
        if isinstance(error, UnicodeEncodeError):
            return "a string holds a lone UTF-16 surrogate, which is not text (RFC 7493)"
        return "a number is NaN or Infinity, which JSON does not have"
    except RecursionError:
        return f"it nests deeper than {MAX_JSON_DEPTH} levels"
    if nul and _ESCAPED_NUL.search(text):
        return "a string holds a NUL character (U+0000)"
    return None


def _depth(value: Any) -> int:
    """How deeply objects and arrays nest in `value`, counted without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth + 1)
            if deepest > MAX_JSON_DEPTH:
                break
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


def storable_json(value: Any) -> Any:
    """JSON a jsonb column can hold: no NUL in strings or keys, finite numbers, bounded depth."""
    problem = json_problem(value)
    if problem is None and _depth(value) > MAX_JSON_DEPTH:
        problem = f"it nests deeper than {MAX_JSON_DEPTH} levels"
    if problem:
        raise PydanticCustomError(
            "unstorable_value", "Not storable: {problem}", {"problem": problem}
        )
    return value


def json_text(value: Any) -> Any:
    """JSON whose strings are all text and whose numbers are finite, read by the service itself
    (a geometry) rather than stored as it is."""
    if problem := json_problem(value, nul=False):
        raise PydanticCustomError(
            "invalid_json_text", "Not JSON text: {problem}", {"problem": problem}
        )
    return value


# Free-form objects stored as jsonb, e.g. a site's attributes.
JsonObject = Annotated[dict[str, Any], AfterValidator(storable_json)]
# Objects the service reads before storing what it makes of them, e.g. a GeoJSON geometry.
JsonTextObject = Annotated[dict[str, Any], AfterValidator(json_text)]

# --- Dates ----------------------------------------------------------------------------------

# Plans, hours and calls are for the living city: a date far outside this is a typing error, and
# the arithmetic of a date near the ends of Python's calendar (year 1 or 9999) overflows.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2200, 12, 31)


def within_calendar(value: dt.date) -> dt.date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise PydanticCustomError(
            "date_out_of_range",
            "The date must lie between {first} and {last}",
            {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
        )
    return value


CalendarDate = Annotated[dt.date, AfterValidator(within_calendar)]


def wall_clock(value: dt.time) -> dt.time:
    if value.tzinfo is not None:
        raise PydanticCustomError(
            "time_with_offset",
            "A time of day is read in the site's time zone: give it without a UTC offset",
        )
    return value


# A time of day on the local clock ("08:00" at the market, whatever the season's offset).
WallClockTime = Annotated[dt.time, AfterValidator(wall_clock)]

# --- Pages ----------------------------------------------------------------------------------

MAX_PAGE_LIMIT = 500
# Far beyond any collection, and within PostgreSQL's integers: OFFSET is a bigint, and a larger
# number fails in the database instead of at the door.
MAX_OFFSET = 2**31 - 1

PageLimit = Annotated[
    int, Query(ge=1, le=MAX_PAGE_LIMIT, description=f"How many, at most {MAX_PAGE_LIMIT}")
]
PageOffset = Annotated[
    int, Query(ge=0, le=MAX_OFFSET, description="How many to skip (from 0, in the list's order)")
]
