"""The error log is for faults: what a caller gets wrong — aliases, tokens, depth, validation, a
refused argument — is logged below error (anyone can send it, and would flood the log), a service
that is slow or down at warning, and a real fault at error with its traceback."""

import json
import logging
import time
import uuid

GQL = {"Accept": "application/graphql-response+json"}
REFUSALS = {
    "aliases": "{ " + " ".join(f"a{i}: __typename" for i in range(20)) + " }",
    "tokens": "{ " + "__typename " * 2100 + "}",
    "depth": "{ sites { nodes { periods { site { periods { site { periods { site { periods "
    "{ site { id } } } } } } } } } } }",
    "validation": "{ noSuchField }",
    "syntax": "{ sites { ",
    "argument": "{ sitesGeoJSON(bbox: [18, 54, 19, 55], limit: 0) }",
    "unknown site": f'{{ siteTimeline(siteId: "{uuid.uuid4()}", from: "2026-01-01", '
    'to: "2026-02-01") { use } }',
}


def log_records(running_suite, request_ids: set[str]) -> list[dict]:
    """The gateway's log lines for these requests, once their access lines are written."""
    path = running_suite.suite.logs / "gateway.log"
    deadline = time.monotonic() + 10
    while True:
        lines = [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]
        records = [r for r in lines if r.get("request_id") in request_ids]
        logged = {r["request_id"] for r in records if r.get("logger") == "meent.access"}
        if logged >= request_ids or time.monotonic() > deadline:
            return records
        time.sleep(0.1)


def test_refused_requests_are_not_logged_as_errors(running_suite):
    request_ids = set()
    for name, query in REFUSALS.items():
        answer = running_suite.graphql(query)
        assert "errors" in answer.json(), (name, answer.text)
        request_ids.add(answer.headers["x-request-id"])
    records = log_records(running_suite, request_ids)
    assert {r["request_id"] for r in records} >= request_ids
    errors = [r for r in records if r["level"] in ("error", "critical")]
    assert errors == []
    refused = [r for r in records if r.get("logger") == "strawberry.execution"]
    assert refused and {r["level"] for r in refused} == {"info"}


class Collected(logging.Handler):
    """The records of one logger (the app's logging set-up replaces the root's handlers)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def test_faults_are_errors_and_an_unavailable_service_a_warning(
    start_service, failing_service_url, down_service_url
):
    gateway = await start_service(
        "gateway", run_workers=False, spaces_url=failing_service_url, commons_url=down_service_url
    )
    collected, logger = Collected(), logging.getLogger("strawberry.execution")
    logger.addHandler(collected)
    try:
        await gateway.client.post("/graphql", json={"query": "{ projects { totalCount } }"})
        await gateway.client.post("/graphql", json={"query": "{ teams { id } }"})
        await gateway.client.post("/graphql", json={"query": "{ noSuchField }"})
    finally:
        logger.removeHandler(collected)
    levels = {
        record.getMessage().split("\n")[0]: (record.levelname, record.exc_info is not None)
        for record in collected.records
    }
    assert levels == {
        "spaces answered 500 to GET /projects": ("ERROR", True),
        "commons cannot be reached (at ['teams'])": ("WARNING", False),
        "refused: Cannot query field 'noSuchField' on type 'Query'.": ("INFO", False),
    }
