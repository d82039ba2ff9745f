"""Bad input to every service gets a clear 4xx in the one error shape, never a 500, and stores
nothing."""

import json

import pytest

from meent_shared.testing.helpers import sql_value
from meent_shared.types import FIRST_DAY, LAST_DAY, MAX_OFFSET

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[18.6466, 54.3507], [18.649, 54.3507], [18.649, 54.352], [18.6466, 54.3507]]],
}

A_SITE = {"name": "Plac", "kind": "square", "geometry": SQUARE}
A_CALL = {
    "title": "Groen",
    "budget": "1000.00",
    "min_award": "10.00",
    "max_award": "100.00",
    "opens_on": "2030-01-01",
    "closes_on": "2030-03-01",
}
AN_HOUR = {
    "project_id": "{project}",
    "activity": "gardening",
    "worked_on": "2020-05-01",
    "minutes": 60,
}

# service, write endpoint, roles it needs, the table that must stay empty, a body of wrong types
WRITES = [
    (
        "commons",
        "/sites",
        ["maintenance"],
        "site",
        {"name": ["not", "a", "name"], "kind": 7, "geometry": "here"},
    ),
    ("spaces", "/projects", ["citizen"], "project", {"name": {"nested": True}, "summary": 12}),
    (
        "volunteers",
        "/hours",
        ["citizen"],
        "hour_entry",
        {
            "project_id": "not-a-uuid",
            "activity": "gardening",
            "worked_on": "yesterday",
            "minutes": "lots",
        },
    ),
    (
        "grants",
        "/calls",
        ["grant_officer"],
        "funding_call",
        {
            "title": "Groen",
            "budget": "a lot",
            "min_award": "0.01",
            "max_award": "0.02",
            "opens_on": "2026-13-45",
            "closes_on": "2026-06-01",
        },
    ),
]


def assert_error_shape(answer, status: int) -> list[dict]:
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert set(body) == {"detail"}
    assert body["detail"], "an error names at least one problem"
    for item in body["detail"]:
        assert isinstance(item["msg"], str) and item["msg"]
        assert isinstance(item["type"], str) and item["type"]
    return body["detail"]


@pytest.fixture(params=WRITES, ids=[w[0] for w in WRITES])
async def write(request, start_service, auth_header):
    name, path, roles, table, wrong_types = request.param
    service = await start_service(name, run_workers=False)
    headers = {**auth_header("tester", roles), "Content-Type": "application/json"}
    yield service, path, headers, table, wrong_types
    assert sql_value(service.database_url, f"SELECT count(*) FROM {table}") == 0, "stored nothing"
    assert sql_value(service.database_url, "SELECT count(*) FROM outbox") == 0, "announced nothing"


async def test_malformed_json_is_a_400(write):
    service, path, headers, _, _ = write
    answer = await service.client.post(path, content=b'{"name": "Plac', headers=headers)
    [item] = assert_error_shape(answer, 400)
    assert item["type"] == "json_invalid"
    assert "Malformed JSON" in item["msg"]


async def test_wrong_types_are_a_422_naming_each_field(write):
    service, path, headers, _, wrong_types = write
    answer = await service.client.post(path, json=wrong_types, headers=headers)
    problems = assert_error_shape(answer, 422)
    named = {item["loc"][-1] for item in problems if item.get("loc")}
    assert named, problems
    assert named <= set(wrong_types) | {"body"}


async def test_a_json_array_instead_of_an_object_is_a_422(write):
    service, path, headers, _, _ = write
    assert_error_shape(await service.client.post(path, content=b"[]", headers=headers), 422)


async def test_an_empty_body_is_a_422(write):
    service, path, headers, _, _ = write
    assert_error_shape(await service.client.post(path, content=b"", headers=headers), 422)


async def test_a_declared_oversized_body_is_a_413(write):
    service, path, headers, _, _ = write
    body = json.dumps({"name": "x" * (service.settings.max_body_bytes + 1)}).encode()
    [item] = assert_error_shape(await service.client.post(path, content=body, headers=headers), 413)
    assert item["type"] == "payload_too_large"


async def test_a_streamed_oversized_body_is_a_413(write):
    """No Content-Length: the limit is counted as the body streams in."""
    service, path, headers, _, _ = write

    async def chunks():
        yield b'{"name": "'
        for _ in range(service.settings.max_body_bytes // 65_536 + 2):
            yield b"x" * 65_536
        yield b'"}'

    [item] = assert_error_shape(
        await service.client.post(path, content=chunks(), headers=headers), 413
    )
    assert item["type"] == "payload_too_large"


async def test_without_a_token_a_write_is_a_401(write):
    service, path, headers, _, _ = write
    answer = await service.client.post(path, json={}, headers={"Content-Type": "application/json"})
    [item] = assert_error_shape(answer, 401)
    assert answer.headers["www-authenticate"] == "Bearer"


async def test_a_forged_token_is_a_401(write):
    service, path, headers, _, _ = write
    forged = {**headers, "Authorization": headers["Authorization"][:-4] + "AAAA"}
    [item] = assert_error_shape(await service.client.post(path, json={}, headers=forged), 401)
    assert item["type"] == "invalid_token"


# --- Pages: an offset beyond what PostgreSQL's OFFSET (a bigint) holds was a 500 -------------

PAGED_LISTS = [("spaces", "/projects"), ("grants", "/calls"), ("commons", "/sites")]


@pytest.mark.parametrize(("name", "path"), PAGED_LISTS, ids=[p[1] for p in PAGED_LISTS])
async def test_an_offset_beyond_any_list_is_a_422_naming_it(start_service, name, path):
    service = await start_service(name, run_workers=False)
    [item] = assert_error_shape(await service.client.get(path, params={"offset": 2**63}), 422)
    assert item["loc"] == ["query", "offset"]
    assert str(MAX_OFFSET) in item["msg"]
    # The largest offset allowed is an empty page, not an error.
    answer = await service.client.get(path, params={"offset": MAX_OFFSET})
    assert answer.status_code == 200, answer.text
    page = answer.json()
    assert (page["data"] if "data" in page else page["features"]) == []


# --- What a write needs first, for the tests below and in test_bad_text.py ---------------


async def prepare(service, needs: str | None, headers: dict[str, str]) -> dict[str, str]:
    """What a write needs to exist first: a site (commons), a project volunteers knows."""
    if needs == "site":
        answer = await service.client.post("/sites", json=A_SITE, headers=headers)
        assert answer.status_code == 201, answer.text
        return {"site": answer.json()["id"]}
    if needs == "project":
        insert = (
            "INSERT INTO known_project (project_id, name, slug, version) "
            "VALUES (gen_random_uuid(), 'P', 'p', 1) RETURNING project_id::text"
        )
        return {"project": sql_value(service.database_url, insert)}
    return {}


def filled_in(body: dict, names: dict[str, str]) -> dict:
    """The body with its `{placeholders}` replaced."""
    return {k: v.format(**names) if isinstance(v, str) else v for k, v in body.items()}


# --- Dates: plans, calls and hours lie within the living city's calendar ------------------------

FAR_DATES = [
    (
        "grants",
        ["grant_officer"],
        "/calls",
        {**A_CALL, "opens_on": "0001-01-01"},
        "opens_on",
        "funding_call",
    ),
    (
        "grants",
        ["grant_officer"],
        "/calls",
        {**A_CALL, "closes_on": "9999-12-31"},
        "closes_on",
        "funding_call",
    ),
    (
        "volunteers",
        ["citizen"],
        "/hours",
        {**AN_HOUR, "worked_on": "0001-01-01"},
        "worked_on",
        "hour_entry",
    ),
]


@pytest.mark.parametrize(
    ("name", "roles", "path", "body", "field", "table"),
    FAR_DATES,
    ids=[f"{d[0]}-{d[4]}" for d in FAR_DATES],
)
async def test_a_date_outside_the_calendar_is_a_422_naming_it(
    start_service, auth_header, name, roles, path, body, field, table
):
    service = await start_service(name, run_workers=False)
    headers = auth_header("tester", roles)
    names = await prepare(service, "project" if name == "volunteers" else None, headers)
    payload = filled_in(body, names)
    answer = await service.client.post(path, json=payload, headers=headers)
    [item] = assert_error_shape(answer, 422)
    assert (item["loc"], item["type"]) == (["body", field], "date_out_of_range")
    assert f"{FIRST_DAY} and {LAST_DAY}" in item["msg"]
    assert sql_value(service.database_url, f"SELECT count(*) FROM {table}") == 0
    assert sql_value(service.database_url, "SELECT count(*) FROM outbox") == 0
