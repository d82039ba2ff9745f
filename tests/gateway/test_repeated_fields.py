"""One field asked for a thousand times in one selection set is refused with what was too large
and the limit — not graphql-core's bare "Validation aborted." (its own budget for comparing
fields that share a name, reached well under the gateway's 2,000 selections)."""

import json

from websockets.sync.client import connect

GQL = {"Accept": "application/graphql-response+json"}
LIMIT = 100  # the gateway's default graphql_max_repeated_fields


def repeated(times: int) -> str:
    return "{" + " __typename" * times + " }"


def refusal(times: int) -> str:
    return (
        f'"__typename" is asked for {times} times in one selection set (fragments included); '
        f"the limit is {LIMIT}. The answer has it once however often it is asked for: ask once."
    )


def test_a_field_asked_for_a_thousand_times_is_refused_with_the_limit(running_suite):
    answer = running_suite.graphql(repeated(1000))
    assert answer.status_code == 400, answer.text
    assert answer.json() == {"errors": [{"message": refusal(1000)}]}


def test_repeats_through_fragments_count_too(running_suite):
    query = "{" + " ...F" * 150 + " } fragment F on Query { __typename }"
    answer = running_suite.graphql(query)
    assert answer.status_code == 400, answer.text
    assert answer.json() == {"errors": [{"message": refusal(150)}]}


def test_up_to_the_limit_runs(running_suite):
    answer = running_suite.graphql(repeated(LIMIT))
    assert answer.json() == {"data": {"__typename": "Query"}}


def test_over_websocket_the_refusal_says_the_same(running_suite):
    url = running_suite.url.replace("http://", "ws://") + "/graphql"
    with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        payload = {"query": repeated(1500)}
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        message = json.loads(ws.recv(timeout=10))
    assert message == {"id": "1", "type": "error", "payload": [{"message": refusal(1500)}]}


async def test_graphql_cores_own_abort_says_why_when_the_gateway_lets_it_through(start_service):
    gateway = await start_service("gateway", run_workers=False, graphql_max_repeated_fields=5000)
    answer = await gateway.client.post("/graphql", json={"query": repeated(1000)}, headers=GQL)
    assert answer.status_code == 400, answer.text
    [error] = answer.json()["errors"]
    assert error["message"].startswith("Validation aborted: checking that the document's fields")
    assert "500,000 comparisons at most" in error["message"]
