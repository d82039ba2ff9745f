"""`POST /hours` is a DirectRoute (FastAPI documents it but does not parse it): it must refuse what
a FastAPI route refuses, with the same answers, store nothing, and stay documented."""

import httpx
import pytest
from fastapi import FastAPI

from meent_shared.auth import issue_token
from meent_shared.errors import install_error_handlers
from meent_shared.settings import Mode, ServiceSettings
from volunteers.hours.models import HourEntryCreate


def _fastapi_reference() -> FastAPI:
    """The same body model on an ordinary FastAPI route, with the services' error handlers."""
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/hours", status_code=201)
    async def submit(entry_in: HourEntryCreate) -> dict:
        return {}

    return app


def _bad_bodies(project_id: str) -> dict[str, tuple[bytes, str | None]]:
    good = f'"project_id": "{project_id}", "activity": "gardening", "worked_on": "2026-01-05"'
    return {
        "empty": (b"", "application/json"),
        "not JSON": (b'{"project_id": ', "application/json"),
        "a list": (b"[1, 2]", "application/json"),
        "zero minutes": (f'{{{good}, "minutes": 0}}'.encode(), "application/json"),
        "negative minutes": (f'{{{good}, "minutes": -30}}'.encode(), "application/json"),
        "an unknown activity": (
            f'{{"project_id": "{project_id}", "activity": "napping", "worked_on": "2026-01-05", '
            '"minutes": 30}'.encode(),
            "application/json",
        ),
        "a year 10000 date": (
            f'{{"project_id": "{project_id}", "activity": "gardening", "worked_on": "10000-01-01", '
            '"minutes": 30}'.encode(),
            "application/json",
        ),
        "plain text": (f'{{{good}, "minutes": 30}}'.encode(), "text/plain"),
        "no content type": (f'{{{good}, "minutes": 30}}'.encode(), None),
        "not UTF-8": (f'{{{good}, "minutes": 30, "note": "\xff"}}'.encode("latin-1"), None),
        "a BOM, then not JSON": (b"\xef\xbb\xbf{", "application/json"),
    }


def _same(answer: dict) -> dict:
    """The answer, but for two wordings of one refusal: JSON that does not parse (pydantic's
    words name the line and column, the standard library's do not), and JSON that is not an
    object (validated from JSON or from Python)."""
    for error in answer["detail"]:
        if error["type"] == "json_invalid":
            assert error["msg"].startswith("Malformed JSON body")
            error["msg"] = "Malformed JSON body"
        if error["type"] in ("model_type", "model_attributes_type"):
            error["type"], error["msg"] = "not_an_object", ""
    return answer


async def test_bad_bodies_get_the_answers_a_fastapi_route_gives_and_store_nothing(
    hours_project, auth_header
):
    await hours_project.join(("vera", "skill"))
    client, vera = hours_project.volunteers.client, auth_header("vera")
    reference = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=_fastapi_reference()), base_url="http://reference"
    )
    async with reference:
        for case, (body, content_type) in _bad_bodies(hours_project.project_id).items():
            headers = {**vera, **({"Content-Type": content_type} if content_type else {})}
            ours = await client.post("/hours", content=body, headers=headers)
            theirs = await reference.post("/hours", content=body, headers=headers)
            assert 400 <= ours.status_code < 500, (case, ours.text)
            assert (ours.status_code, _same(ours.json())) == (
                theirs.status_code,
                _same(theirs.json()),
            ), case
    assert await hours_project.entry_count() == 0


async def test_only_a_signed_in_person_or_a_writing_key_logs_hours(hours_project):
    await hours_project.join(("vera", "skill"))
    client, body = hours_project.volunteers.client, hours_project.hours(60)
    settings = ServiceSettings(mode=Mode.local)
    read_only_key = issue_token(settings, sub="key:reader", roles=[])
    another_secret = ServiceSettings(mode=Mode.local, jwt_secret="another secret " * 3)
    forged = issue_token(another_secret, sub="vera")
    refusals = {
        "no token": ({}, 401, "not_authenticated"),
        "another scheme": ({"Authorization": "Basic dmVyYTpwdw=="}, 401, "not_authenticated"),
        "a bearer without a token": ({"Authorization": "Bearer "}, 401, "not_authenticated"),
        "not a token": ({"Authorization": "Bearer not.a.token"}, 401, "invalid_token"),
        "a token signed with another secret": (
            {"Authorization": f"Bearer {forged}"},
            401,
            "invalid_token",
        ),
        "a read-only API key": (
            {"Authorization": f"Bearer {read_only_key}"},
            403,
            "read_only_key",
        ),
    }
    for case, (headers, status, code) in refusals.items():
        answer = await client.post("/hours", json=body, headers=headers)
        assert answer.status_code == status, (case, answer.text)
        assert answer.json()["detail"][0]["type"] == code, case
    assert await hours_project.entry_count() == 0


async def test_the_route_is_documented_as_any_other(hours_project):
    spec = (await hours_project.volunteers.client.get("/openapi.json")).json()
    operation = spec["paths"]["/hours"]["post"]
    body_schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body_schema["$ref"].endswith("/HourEntryCreate")
    assert operation["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/HourEntryPublic"
    )
    assert [p["name"] for p in operation["parameters"]] == ["Idempotency-Key"]
    assert operation["security"] == [{"HTTPBearer": []}]


@pytest.mark.parametrize("content_type", ["application/json", "application/merge-patch+json"])
async def test_json_content_types_are_taken(hours_project, auth_header, content_type):
    await hours_project.join(("vera", "skill"))
    client, vera = hours_project.volunteers.client, auth_header("vera")
    answer = await client.post(
        "/hours",
        content=httpx.Request("POST", "/", json=hours_project.hours(45)).content,
        headers={**vera, "Content-Type": content_type},
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["minutes"] == 45 and answer.headers["content-type"] == "application/json"
    assert await hours_project.entry_count() == 1


async def test_bodies_fastapi_reads_are_read_alike(hours_project, auth_header):
    """A BOM before the JSON, UTF-16, spaces around the bearer token: FastAPI's routes take them."""
    await hours_project.join(("vera", "skill"))
    client, vera = hours_project.volunteers.client, auth_header("vera")
    text = httpx.Request("POST", "/", json=hours_project.hours(20)).content.decode()
    token = vera["Authorization"].removeprefix("Bearer ")
    sent = {
        "a BOM": (b"\xef\xbb\xbf" + text.encode(), vera),
        "UTF-16": (text.encode("utf-16"), vera),
        "two spaces after Bearer": (text.encode(), {"Authorization": f"Bearer  {token} "}),
    }
    for case, (body, headers) in sent.items():
        answer = await client.post(
            "/hours", content=body, headers={**headers, "Content-Type": "application/json"}
        )
        assert answer.status_code == 201, (case, answer.text)
    assert await hours_project.entry_count() == len(sent)
