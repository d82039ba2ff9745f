"""The per-request GraphQL context: who asks, the service clients on their behalf, and DataLoaders
(created per request: a module-level loader would cache across requests and people)."""

from typing import Any

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext
from strawberry.types import Info as StrawberryInfo

from gateway.config import GatewaySettings
from gateway.graphql.services import ServiceClients
from meent_shared.auth import Principal


class Context(BaseContext):
    """Strawberry's BaseContext, so the same context also serves GraphQL over WebSocket."""

    def __init__(
        self,
        *,
        request: Request,
        settings: GatewaySettings,
        services: ServiceClients,
        principal: Principal | None,
        session_factory: async_sessionmaker[AsyncSession],
        status_cache: Any = None,
    ):
        super().__init__()
        self.request = request
        self.settings = settings
        self.services = services
        self.principal = principal
        self.session_factory = session_factory
        self.status_cache = status_cache  # the process's StatusCache, shared by all requests
        self._loaders: dict[str, DataLoader[Any, Any]] = {}

    def loader(
        self, name: str, load: Any, max_batch_size: int | None = None
    ) -> DataLoader[Any, Any]:
        """This request's loader called `name`, made on first use; `max_batch_size`: the most
        keys the service takes in one request."""
        if name not in self._loaders:
            self._loaders[name] = DataLoader(load_fn=load, max_batch_size=max_batch_size)
        return self._loaders[name]


Info = StrawberryInfo[Context, None]
