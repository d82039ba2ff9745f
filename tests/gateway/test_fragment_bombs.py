"""Fragment bombs — a few hundred characters that expand to millions of fields — are refused
within a second, over HTTP and WebSocket, and the gateway keeps answering meanwhile."""

import json
import threading
import time

import httpx
import pytest
from websockets.sync.client import connect

GQL = "application/graphql-response+json"


def chain(levels: int, on: str, root: str, body: str) -> str:
    """`levels` fragments, each spreading the next as `body` says (`NEXT` is its name, `LEVEL` the
    level); the last one asks for `__typename`."""
    fragments = [
        f"fragment F{i} on {on} {{ {body.replace('NEXT', f'F{i + 1}').replace('LEVEL', str(i))} }}"
        for i in range(levels)
    ]
    return " ".join([root, *fragments[:-1], f"fragment F{levels - 1} on {on} {{ __typename }}"])


def spreads(levels: int) -> str:
    """Each fragment spreads the next ten times (7 levels: about 560 characters)."""
    return chain(levels, "Viewer", "{ me { ...F0 } }", " ".join(["...NEXT"] * 10))


BOMBS = {
    "7 levels of spreads": spreads(7),
    "8 levels of spreads": spreads(8),
    "spreads inside inline fragments": chain(
        8, "Viewer", "{ me { ...F0 } }", " ".join(["... on Viewer { ...NEXT ...NEXT }"] * 5)
    ),
    "an alias in every fragment": chain(
        8, "Viewer", "{ me { ...F0 } }", "aLEVEL: sub " + " ".join(["...NEXT"] * 10)
    ),
    "wide fragments": chain(
        7, "Viewer", "{ me { ...F0 } }", "sub name roles scopes isApiKey " + "...NEXT " * 10
    ),
    "fragments with nested lists": chain(
        7, "System", "{ system { ...F0 } }", "services { checks { name } } " + "...NEXT " * 10
    ),
    "introspection fragments": chain(
        8, "__Schema", "{ __schema { ...F0 } }", "description " + "...NEXT " * 10
    ),
}


@pytest.mark.parametrize("query", BOMBS.values(), ids=BOMBS.keys())
def test_a_fragment_bomb_is_refused_within_a_second(running_suite, query):
    started = time.monotonic()
    answer = httpx.post(
        f"{running_suite.url}/graphql", json={"query": query}, headers={"Accept": GQL}, timeout=5
    )
    elapsed = time.monotonic() - started
    assert answer.status_code == 400, answer.text
    assert "data" not in answer.json()
    assert "once its fragments are inlined; the limit is 2000" in answer.text
    assert elapsed < 1, f"refused after {elapsed:.2f} s"


def test_the_gateway_answers_health_checks_while_bombs_arrive(running_suite):
    """Bombs are sent one after another for two seconds; /healthz answers quickly throughout."""
    url, refused, stop = running_suite.url, [], threading.Event()

    def bombard() -> None:
        with httpx.Client(timeout=10) as client:
            while not stop.is_set():
                answer = client.post(f"{url}/graphql", json={"query": spreads(8)})
                refused.append(answer.status_code)

    sender = threading.Thread(target=bombard)
    sender.start()
    slowest = 0.0
    try:
        time.sleep(0.05)  # let the first bomb leave
        deadline = time.monotonic() + 2
        with httpx.Client(timeout=2) as client:
            while time.monotonic() < deadline:
                started = time.monotonic()
                assert client.get(f"{url}/healthz").status_code == 200
                slowest = max(slowest, time.monotonic() - started)
                time.sleep(0.02)
    finally:
        stop.set()
        sender.join(timeout=60)
    assert refused and set(refused) == {400}
    assert slowest < 0.5, f"/healthz took {slowest:.2f} s while bombs arrived"


def test_a_fragment_bomb_over_websocket_is_refused_within_a_second(running_suite):
    url = running_suite.url.replace("http://", "ws://") + "/graphql"
    with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        started = time.monotonic()
        payload = {"query": spreads(8)}
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        message = json.loads(ws.recv(timeout=5))
        elapsed = time.monotonic() - started
    assert message["type"] == "error", message
    assert "once its fragments are inlined" in message["payload"][0]["message"]
    assert elapsed < 1, f"refused after {elapsed:.2f} s"


def test_an_honest_query_with_reused_fragments_still_runs(running_suite):
    query = """
        query Dashboard { me { ...Who } system { ...Health } again: system { ...Health } }
        fragment Who on Viewer { sub name roles }
        fragment Health on System { version services { ...Service } }
        fragment Service on ServiceStatus { name ready checks { name status } }
    """
    answer = running_suite.graphql(query, token=running_suite.token("ana"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert "errors" not in body
    assert body["data"]["me"]["sub"] == "ana"
    assert len(body["data"]["again"]["services"]) == 4
