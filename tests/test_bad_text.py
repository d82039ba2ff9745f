"""Text every service refuses: control characters (NUL was a 500 from PostgreSQL, the others were
stored)."""

import pytest

from meent_shared.testing.helpers import sql_value
from tests.test_bad_input import A_CALL, A_SITE, AN_HOUR, assert_error_shape, filled_in, prepare

# service, roles, what must exist first, path, body with the bad text in one field, its table
TEXT_WRITES = [
    ("commons", ["maintenance"], None, "/sites", {**A_SITE, "name": "{bad}"}, "site"),
    ("commons", ["maintenance"], None, "/sites", {**A_SITE, "description": "{bad}"}, "site"),
    ("commons", ["maintenance"], None, "/sites", {**A_SITE, "external_id": "{bad}"}, "site"),
    ("commons", ["maintenance"], None, "/teams", {"name": "{bad}"}, "team"),
    ("commons", ["maintenance"], None, "/teams", {"name": "T", "description": "{bad}"}, "team"),
    (
        "commons",
        ["maintenance"],
        "site",
        "/sites/{site}/tasks",
        {"title": "{bad}", "due_on": "2030-05-01"},
        "maintenance_task",
    ),
    (
        "commons",
        ["maintenance"],
        "site",
        "/sites/{site}/periods",
        {"use": "market", "starts_on": "2030-05-01", "note": "{bad}"},
        "use_period",
    ),
    ("spaces", ["citizen"], None, "/projects", {"name": "{bad}"}, "project"),
    ("spaces", ["citizen"], None, "/projects", {"name": "P", "summary": "{bad}"}, "project"),
    ("grants", ["grant_officer"], None, "/calls", {**A_CALL, "title": "{bad}"}, "funding_call"),
    (
        "grants",
        ["grant_officer"],
        None,
        "/calls",
        {**A_CALL, "description": "{bad}"},
        "funding_call",
    ),
    # (An hour's activity is one of a fixed list now: a bad one is an `enum` error, see test_hours.)
    ("volunteers", ["citizen"], "project", "/hours", {**AN_HOUR, "note": "{bad}"}, "hour_entry"),
]
# NUL broke the request; the others were stored, to surprise whoever shows or exports them.
BAD_TEXT = {"nul": "a\u0000b", "bell": "a\u0007b", "escape": "\u001b[2J", "c1": "a\u0085b"}


@pytest.mark.parametrize("bad", BAD_TEXT.values(), ids=BAD_TEXT.keys())
@pytest.mark.parametrize(
    ("name", "roles", "needs", "path", "body", "table"),
    TEXT_WRITES,
    ids=[f"{w[0]}{w[3]}-{next(k for k, v in w[4].items() if v == '{bad}')}" for w in TEXT_WRITES],
)
async def test_control_characters_in_text_are_a_422_naming_the_field(
    start_service, auth_header, name, roles, needs, path, body, table, bad
):
    service = await start_service(name, run_workers=False)
    headers = auth_header("tester", roles)
    names = await prepare(service, needs, headers)
    before = sql_value(service.database_url, f"SELECT count(*) FROM {table}")
    outbox = sql_value(service.database_url, "SELECT count(*) FROM outbox")
    payload = filled_in(body, {**names, "bad": bad})
    answer = await service.client.post(path.format(**names), json=payload, headers=headers)
    [item] = assert_error_shape(answer, 422)
    field = next(k for k, v in body.items() if v == "{bad}")
    assert item["loc"] == ["body", field]
    assert item["type"] == "control_character"
    assert "U+" in item["msg"]
    assert sql_value(service.database_url, f"SELECT count(*) FROM {table}") == before
    assert sql_value(service.database_url, "SELECT count(*) FROM outbox") == outbox


async def test_free_text_keeps_its_tabs_and_line_breaks(start_service, auth_header):
    spaces = await start_service("spaces", run_workers=False)
    summary = "First line\n\tindented\r\nlast"
    answer = await spaces.client.post(
        "/projects", json={"name": "Lines", "summary": summary}, headers=auth_header("t")
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["summary"] == summary
    # ... but a name is one line.
    answer = await spaces.client.post(
        "/projects", json={"name": "Two\nlines"}, headers=auth_header("t")
    )
    [item] = assert_error_shape(answer, 422)
    assert item["loc"] == ["body", "name"]
