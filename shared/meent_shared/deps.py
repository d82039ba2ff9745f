"""FastAPI dependencies every service uses."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from meent_shared.runtime import ServiceRuntime


def get_runtime(request: Request) -> ServiceRuntime:
    return request.app.state.runtime


async def runtime_dependency(request: Request) -> ServiceRuntime:
    """`get_runtime` as a dependency: async, because FastAPI runs a plain function dependency in
    its thread pool, a thread hop on every request for one attribute read."""
    return request.app.state.runtime


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session per request; routes open the transaction (`async with session.begin()`)."""
    async with get_runtime(request).session_factory() as session:
        yield session


RuntimeDep = Annotated[ServiceRuntime, Depends(runtime_dependency)]
SessionDep = Annotated[AsyncSession, Depends(get_session)]
