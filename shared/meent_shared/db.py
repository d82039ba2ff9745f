"""Database helpers: one metadata per service, async engines and sessions."""

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import MetaData, Table, event, exc, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlmodel import SQLModel

# Stable constraint names, so migrations can drop and rename constraints reliably.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def make_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a table model, for statements SQLModel does not express (upserts)."""
    return model.__table__  # type: ignore[attr-defined]


def async_url(url: str) -> str:
    """The asyncpg form of a PostgreSQL URL, whatever driver it names."""
    return make_url(url).set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def driver_connect_args(engine: AsyncEngine) -> dict[str, Any]:
    """`asyncpg.connect` keywords that reach the database `engine` does, from the same URL and
    its query options (`ssl`, …), for a pool of asyncpg's own beside the engine's. Pinned to READ
    COMMITTED, as the engine is: code that counts after taking a lock relies on it."""
    _, options = engine.dialect.create_connect_args(engine.url)
    kwargs = dict(options)
    kwargs.pop("prepared_statement_name_func", None)
    if "prepared_statement_cache_size" in kwargs:  # SQLAlchemy's name for asyncpg's option
        kwargs["statement_cache_size"] = kwargs.pop("prepared_statement_cache_size")
    settings = kwargs.setdefault("server_settings", {})
    settings["default_transaction_isolation"] = "read committed"
    return kwargs


def sync_url(url: str) -> str:
    """The psycopg (v3) form of a PostgreSQL URL, for Alembic and scripts."""
    return make_url(url).set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


# A pooled connection idle for longer than this is pinged before use (one used this recently is
# alive). SQLAlchemy's pool_pre_ping pings on every checkout: three round trips on asyncpg (BEGIN,
# ";", ROLLBACK) before each request's own statements.
PING_AFTER_IDLE_SECONDS = 5.0


def create_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    # READ COMMITTED whatever the database's default: the day-cap check counts in a
    # statement after taking a lock, which sees what the lock's previous holder committed only
    # under READ COMMITTED (REPEATABLE READ would keep the older snapshot).
    engine = create_async_engine(
        async_url(url),
        pool_size=pool_size,
        max_overflow=pool_size,
        isolation_level="READ COMMITTED",
    )
    _ping_idle_connections(engine)
    return engine


def _ping_idle_connections(engine: AsyncEngine) -> None:
    """Replace a pooled connection that died while it sat idle (a database restart, an idle
    timeout) before anyone uses it, as pool_pre_ping does, but only after PING_AFTER_IDLE_SECONDS."""
    pool = engine.sync_engine.pool
    dialect = engine.sync_engine.dialect

    @event.listens_for(pool, "checkin")
    def note_return(dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def ping_if_idle(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        returned_at = record.info.get("returned_at")
        if returned_at is None or time.monotonic() - returned_at < PING_AFTER_IDLE_SECONDS:
            return  # new, or used moments ago
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:
            # The pool discards this connection and checks out another (a new one if need be).
            raise exc.DisconnectionError("pooled connection is gone") from error


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


@asynccontextmanager
async def transaction(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session whose work commits on success and rolls back on any exception."""
    async with factory() as session, session.begin():
        yield session
