"""What every service's frame gives operators: health, readiness, metrics, request ids, JSON logs."""

import json
import logging

import pytest

from meent_shared.local.ports import free_port
from meent_shared.logging import JsonFormatter, request_id_var

SERVICES = ["commons", "volunteers", "spaces", "grants"]


@pytest.mark.parametrize("name", SERVICES)
async def test_ready_when_database_and_jetstream_answer(start_service, name):
    service = await start_service(name)
    await service.runtime.link.wait_connected(within=10)
    answer = await service.client.get("/readyz")
    assert answer.status_code == 200
    # Every service publishes: its provisioned stream (and those it consumes) are checked too.
    assert answer.json()["checks"] == {"database": "ok", "nats": "ok", "streams": "ok"}
    assert (await service.client.get("/healthz")).json()["status"] == "ok"


async def test_not_ready_without_nats_but_alive(start_service):
    service = await start_service("spaces", nats_url=f"nats://127.0.0.1:{free_port()}")
    answer = await service.client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["checks"]["nats"].startswith("unavailable")
    assert answer.json()["checks"]["database"] == "ok"
    assert (await service.client.get("/healthz")).status_code == 200


async def test_not_ready_without_its_database(start_service):
    service = await start_service(
        "grants", database_url=f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/none"
    )
    answer = await service.client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["checks"]["database"].startswith("unavailable")


async def test_request_ids_are_echoed_or_made(start_service):
    service = await start_service("commons", run_workers=False)
    given = await service.client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    made = await service.client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})
    assert len(made.headers["x-request-id"]) == 32


async def test_metrics_count_requests_by_route(start_service):
    service = await start_service("spaces", run_workers=False)
    await service.client.get("/projects")
    await service.client.get("/projects/00000000-0000-0000-0000-000000000000")
    text = (await service.client.get("/metrics")).text
    assert 'route="/projects",service="spaces",status="200"' in text
    assert 'route="/projects/{project_id}",service="spaces",status="404"' in text
    assert "meent_http_request_duration_seconds_bucket" in text


async def test_unknown_routes_and_methods_keep_the_error_shape(start_service):
    service = await start_service("volunteers", run_workers=False)
    missing = await service.client.get("/nowhere")
    assert missing.status_code == 404
    assert missing.json()["detail"][0]["type"] == "http_404"
    wrong_method = await service.client.delete("/hours")
    assert wrong_method.status_code == 405
    bad_uuid = await service.client.get("/projects/not-a-uuid")
    assert bad_uuid.status_code == 422


def test_log_lines_are_json_with_the_request_id():
    formatter = JsonFormatter("commons")
    token = request_id_var.set("req-42")
    try:
        record = logging.LogRecord("meent.test", logging.INFO, __file__, 1, "site %s", ("x",), None)
        record.site_id = "s-1"
        line = json.loads(formatter.format(record))
    finally:
        request_id_var.reset(token)
    assert line["msg"] == "site x"
    assert line["request_id"] == "req-42"
    assert line["service"] == "commons"
    assert line["site_id"] == "s-1"
