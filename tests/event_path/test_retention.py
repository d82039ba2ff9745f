"""Old event rows are pruned: published outbox rows after a week, inbox rows after a month;
unpublished outbox rows never."""

import uuid

import psycopg
from sqlalchemy.ext.asyncio import create_async_engine

from meent_shared.db import async_url
from meent_shared.events.retention import prune
from meent_shared.testing.helpers import sql_value
from spaces.db import inbox, outbox


def insert_rows(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for age, published in (("30 days", True), ("1 day", True), ("30 days", False)):
            conn.execute(
                "INSERT INTO outbox (id, subject, event, created_at, published_at) VALUES "
                "(%s, 'meent.spaces.project.created', '{}', now() - %s::interval, "
                "CASE WHEN %s THEN now() - %s::interval END)",
                (uuid.uuid4(), age, published, age),
            )
        for age in ("60 days", "2 days"):
            conn.execute(
                "INSERT INTO inbox (event_id, type, received_at) VALUES (%s, 'x', now() - %s::interval)",
                (uuid.uuid4(), age),
            )


async def test_old_rows_go_and_unpublished_ones_stay(make_database):
    url = make_database("spaces")
    insert_rows(url)
    engine = create_async_engine(async_url(url))
    assert await prune(engine, outbox=outbox, inbox=inbox) == (1, 1)
    await engine.dispose()
    assert sql_value(url, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 1
    assert sql_value(url, "SELECT count(*) FROM outbox") == 2
    assert sql_value(url, "SELECT count(*) FROM inbox") == 1
