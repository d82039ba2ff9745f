"""Bad input to every service gets a clear 4xx in the one error shape, never a 500, and stores
nothing."""

import json

import pytest

from meent_shared.testing.helpers import sql_value

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[18.6466, 54.3507], [18.649, 54.3507], [18.649, 54.352], [18.6466, 54.3507]]],
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
            "activity": "mowing",
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
            "budget_cents": "a lot",
            "min_award_cents": 1,
            "max_award_cents": 2,
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
