"""Real faults are masked: the caller sees that something failed, never our internals. A service
that is slow or down is not a fault of that kind (test_service_unavailable.py)."""

from meent_shared.local.ports import free_port

GQL = {"Accept": "application/graphql-response+json"}


async def test_a_service_that_fails_is_a_masked_error_with_the_path(
    start_service, failing_service_url
):
    gateway = await start_service("gateway", run_workers=False, spaces_url=failing_service_url)
    answer = await gateway.client.post(
        "/graphql", json={"query": "{ projects { totalCount } }"}, headers=GQL
    )
    assert answer.status_code == 200  # it ran; one field failed
    body = answer.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error == {
        "message": "Unexpected error.",
        "locations": [{"line": 1, "column": 3}],
        "path": ["projects"],
    }
    assert "127.0.0.1" not in answer.text and "psycopg" not in answer.text


async def test_system_reports_a_missing_service_as_not_ready(start_service):
    nowhere = f"http://127.0.0.1:{free_port()}"
    gateway = await start_service("gateway", run_workers=False, grants_url=nowhere)
    answer = await gateway.client.post(
        "/graphql", json={"query": "{ system { services { name ready } } }"}, headers=GQL
    )
    services = {s["name"]: s["ready"] for s in answer.json()["data"]["system"]["services"]}
    assert services["grants"] is False
