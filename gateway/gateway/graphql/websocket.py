"""GraphQL over WebSocket (graphql-transport-ws) through Strawberry's router, with each message's
JSON nesting bounded as over HTTP: a message nested too deep closes the connection with 4400
(the protocol's code for a message the server cannot process) and a reason that says why —
instead of a RecursionError that drops the connection without a close frame."""

from collections.abc import AsyncGenerator
from typing import Any

from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.fastapi import GraphQLRouter

from gateway.graphql.bounded_json import TooDeeplyNested, load_json

INVALID_MESSAGE = 4400


class BoundedWebSocketAdapter(ASGIWebSocketAdapter):
    async def iter_json(self, *, ignore_parsing_errors: bool = False) -> AsyncGenerator[object]:
        try:
            async for message in super().iter_json(ignore_parsing_errors=ignore_parsing_errors):
                yield message
        except TooDeeplyNested as refused:
            await self.close(INVALID_MESSAGE, str(refused))


class BoundedGraphQLRouter(GraphQLRouter[Any, None]):
    websocket_adapter_class = BoundedWebSocketAdapter

    def __init__(self, *args: Any, max_json_depth: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.max_json_depth = max_json_depth

    def decode_json(self, data: str | bytes) -> object:
        return load_json(data, self.max_json_depth, "The message")
