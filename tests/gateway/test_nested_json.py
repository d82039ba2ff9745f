"""JSON nested absurdly deep is refused with a 400 that says so (a 4400 close over WebSocket),
before it is parsed: not a 500, not a dropped connection, and the gateway keeps answering."""

import json

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

GQL = {"Accept": "application/graphql-response+json"}
LIMIT = 64  # the gateway's default graphql_max_json_depth


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def test_a_deeply_nested_post_body_is_400_and_says_why(running_suite):
    body = '{"query":"{__typename}","variables":{"a":' + nested(100_000) + "}}"
    answer = running_suite.http.post(
        f"{running_suite.url}/graphql",
        content=body,
        headers={**GQL, "Content-Type": "application/json"},
    )
    assert answer.status_code == 400, answer.text
    [error] = answer.json()["errors"]
    assert error["message"] == (
        f"The body nests arrays and objects deeper than {LIMIT} levels, the limit"
    )


def test_deeply_nested_variables_over_get_are_400_and_say_why(running_suite):
    query = "%7B__typename%7D"
    variables = "%5B" * 3000 + "%5D" * 3000
    answer = running_suite.http.get(
        f"{running_suite.url}/graphql?query={query}&variables={variables}", headers=GQL
    )
    assert answer.status_code == 400, answer.text
    [error] = answer.json()["errors"]
    assert error["message"] == (
        f"variables nests arrays and objects deeper than {LIMIT} levels, the limit"
    )


def test_nesting_just_over_the_limit_is_refused_and_at_the_limit_runs(running_suite):
    def ask(levels: int):
        # The body itself and `variables` are two levels; the value makes up the rest.
        body = '{"query":"{__typename}","variables":{"a":' + nested(levels - 2) + "}}"
        return running_suite.http.post(
            f"{running_suite.url}/graphql",
            content=body,
            headers={**GQL, "Content-Type": "application/json"},
        )

    assert ask(LIMIT).status_code == 200
    assert ask(LIMIT + 1).status_code == 400
    # Brackets inside strings are text, not nesting.
    text = json.dumps({"query": "{__typename}", "variables": {"a": "[" * 10_000}})
    answer = running_suite.http.post(
        f"{running_suite.url}/graphql",
        content=text,
        headers={**GQL, "Content-Type": "application/json"},
    )
    assert answer.status_code == 200, answer.text


def test_a_deeply_nested_websocket_message_closes_with_4400_and_a_reason(running_suite):
    url = running_suite.url.replace("http://", "ws://") + "/graphql"
    with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        payload = '{"query":"{__typename}","variables":{"a":' + nested(100_000) + "}}"
        ws.send('{"id":"1","type":"subscribe","payload":' + payload + "}")
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd is not None, "closed without a close frame"
    assert closed.value.rcvd.code == 4400
    assert closed.value.rcvd.reason == (
        f"The message nests arrays and objects deeper than {LIMIT} levels, the limit"
    )
    # The gateway is fine: the next request is answered.
    assert running_suite.graphql("{ __typename }").json() == {"data": {"__typename": "Query"}}
