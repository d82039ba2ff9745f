"""The shared validated types: what they refuse, what they keep, and that a refusal renders."""

import datetime as dt
import json

import pytest
from pydantic import BaseModel, Field, ValidationError

from meent_shared.errors import error_item, error_response
from meent_shared.types import (
    MAX_LINE_LENGTH,
    CalendarDate,
    FreeText,
    JsonObject,
    SingleLine,
    WallClockTime,
)


class Form(BaseModel):
    name: SingleLine = Field(default="n", max_length=20)
    note: FreeText = ""
    attributes: JsonObject = Field(default_factory=dict)
    on: CalendarDate = dt.date(2030, 1, 1)
    at: WallClockTime = dt.time(8, 0)


def refused(**fields) -> tuple[str, str]:
    with pytest.raises(ValidationError) as caught:
        Form(**fields)
    [error] = caught.value.errors()
    return error["type"], error["msg"]


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\n", "\x7f", "\x9b", "\u2028"])
def test_a_line_refuses_controls_and_separators_naming_them(bad):
    code, msg = refused(name=f"ab{bad}c")
    assert code == "control_character"
    assert f"U+{ord(bad):04X} at position 2" in msg


def test_free_text_keeps_tabs_and_line_breaks_but_not_other_controls():
    assert Form(note="one\r\n\ttwo").note == "one\r\n\ttwo"
    assert refused(note="one\x0btwo")[0] == "control_character"


class Bare(BaseModel):
    line: SingleLine


def test_a_line_has_a_cap_of_its_own_and_the_field_its_bound():
    assert refused(name="x" * 21)[0] == "string_too_long"
    assert Bare(line="x" * MAX_LINE_LENGTH).line
    with pytest.raises(ValidationError, match="at most 1000 characters"):
        Bare(line="x" * (MAX_LINE_LENGTH + 1))


def test_json_that_jsonb_cannot_hold_is_refused_and_escaped_text_is_kept():
    # A backslash followed by "u0000" is text; only a real NUL is refused.
    assert Form(attributes={"path": "C:\\u0000"}).attributes == {"path": "C:\\u0000"}
    for attributes in ({"a": "\x00"}, {"\x00": 1}, {"a": float("inf")}, {"a": "\udc00"}):
        assert refused(attributes=attributes)[0] == "unstorable_value"


def test_dates_and_times_stay_in_the_living_city():
    assert refused(on=dt.date(1899, 12, 31))[0] == "date_out_of_range"
    assert refused(at="08:00+02:00")[0] == "time_with_offset"


def test_a_refusal_quoting_a_lone_surrogate_still_renders():
    response = error_response(422, [error_item("Not a polygon: 'P\ud800'", "not_an_area")])
    assert json.loads(response.body)["detail"][0]["msg"] == "Not a polygon: 'P\\ud800'"
