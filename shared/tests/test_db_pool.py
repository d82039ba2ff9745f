"""The pool checks a connection before use only when it sat idle: a request on a connection used
moments ago sends its own statements and nothing else; one that died while idle is replaced."""

import sqlalchemy
from sqlalchemy import text

from meent_shared import db


async def test_a_connection_used_moments_ago_is_not_pinged(make_database):
    engine = db.create_engine(make_database("volunteers"), pool_size=1)
    sent: list[str] = []
    try:
        async with engine.connect() as connection:  # the pool's one connection, made and returned
            driver = (await connection.get_raw_connection()).driver_connection
            driver.add_query_logger(lambda record: sent.append(record.query))
        for _ in range(3):
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    finally:
        await engine.dispose()
    # Each use: its own transaction (READ COMMITTED, as the engine pins it), and no ping's
    # (BEGIN; ";"; ROLLBACK) before it.
    assert sent.count("BEGIN ISOLATION LEVEL READ COMMITTED;") == 3, sent
    assert ";" not in sent, sent


async def test_a_connection_that_died_while_idle_is_replaced(make_database, monkeypatch):
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)
    url = make_database("volunteers")
    engine = db.create_engine(url, pool_size=1)
    try:
        async with engine.connect() as connection:
            before = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        killer = sqlalchemy.create_engine(db.sync_url(url))
        with killer.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": before})
        killer.dispose()
        async with engine.connect() as connection:  # no error: the dead one is replaced
            after = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()
    finally:
        await engine.dispose()
    assert after != before
