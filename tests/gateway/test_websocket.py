"""GraphQL over WebSocket (graphql-transport-ws) on the same /graphql path."""

import json

from websockets.sync.client import connect


def test_a_query_over_websocket(running_suite):
    url = running_suite.url.replace("http://", "ws://") + "/graphql"
    with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        query = "{ system { services { name ready } } }"
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        message = json.loads(ws.recv(timeout=10))
        assert message["type"] == "next"
        names = {s["name"] for s in message["payload"]["data"]["system"]["services"]}
        assert names == {"commons", "volunteers", "spaces", "grants"}
        assert json.loads(ws.recv(timeout=10))["type"] == "complete"
