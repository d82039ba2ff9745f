"""Old event rows are pruned: published outbox rows after a week, unpublished ones never, and
inbox rows only once no stream can still hold their event (so nothing is applied twice)."""

import datetime as dt
import uuid

import psycopg
import pytest
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import create_async_engine

from meent_shared.db import async_url
from meent_shared.events.retention import prune
from meent_shared.events.streams import StreamLimits, ensure_stream
from meent_shared.settings import ServiceSettings
from meent_shared.testing.helpers import connect_admin, sql_value, wait_for
from spaces.db import inbox, outbox


def insert_outbox_rows(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for age, published in (("30 days", True), ("1 day", True), ("30 days", False)):
            conn.execute(
                "INSERT INTO outbox (id, subject, event, created_at, published_at) VALUES "
                "(%s, 'meent.spaces.project.created', '{}', now() - %s::interval, "
                "CASE WHEN %s THEN now() - %s::interval END)",
                (uuid.uuid4(), age, published, age),
            )


def insert_inbox_rows(url: str, *ages_in_days: int) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for days in ages_in_days:
            conn.execute(
                "INSERT INTO inbox (event_id, type, received_at) "
                "VALUES (%s, 'x', now() - make_interval(days => %s))",
                (uuid.uuid4(), days),
            )


def inbox_ages(url: str) -> list[int]:
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT extract(day FROM now() - received_at)::int FROM inbox ORDER BY 1"
        ).fetchall()
    return [row[0] for row in rows]


async def test_published_outbox_rows_go_after_a_week_and_unpublished_ones_stay(make_database):
    url = make_database("spaces")
    insert_outbox_rows(url)
    engine = create_async_engine(async_url(url))
    assert await prune(engine, outbox=outbox, inbox=inbox, inbox_keep=None) == (1, 0)
    await engine.dispose()
    assert sql_value(url, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 1
    assert sql_value(url, "SELECT count(*) FROM outbox") == 2


def test_the_inbox_is_kept_a_day_longer_than_the_streams_keep_messages():
    settings = ServiceSettings(mode="local", stream_max_age="P60D")
    assert settings.inbox_keep == dt.timedelta(days=61)
    assert settings.stream_limits.max_age_seconds == 60 * 86400
    assert ServiceSettings(mode="local").inbox_keep == dt.timedelta(days=31)


def test_an_inbox_retention_shorter_than_the_streams_is_refused():
    with pytest.raises(ValidationError, match="shorter than MEENT_STREAM_MAX_AGE"):
        ServiceSettings(mode="local", stream_max_age="P60D", inbox_retention="P30D")
    with pytest.raises(ValidationError, match="must be positive"):
        ServiceSettings(mode="local", stream_max_age=0)


async def test_inbox_rows_younger_than_the_stream_max_age_stay(start_service):
    """With streams keeping 60 days, a 45-day-old inbox row still guards its event."""
    spaces = await start_service("spaces", stream_max_age="P60D")
    insert_inbox_rows(spaces.database_url, 45, 59, 62, 90)
    await spaces.runtime.prune_event_rows()  # (the hourly job may have had its round already)
    assert inbox_ages(spaces.database_url) == [45, 59]


async def test_a_consumed_stream_that_keeps_messages_longer_keeps_the_inbox_longer(
    start_service, clean_jetstream
):
    """volunteers' stream was set to 90 days (its producer's settings); grants, configured for
    30, keeps its inbox rows for what the stream really holds."""
    client, js = await connect_admin(clean_jetstream)
    await ensure_stream(js, "volunteers", StreamLimits(max_age_seconds=90 * 86400))
    await client.close()
    grants = await start_service("grants")

    async def subscribed() -> bool:
        return grants.runtime.consumers[0].stream_max_age is not None

    await wait_for(subscribed, what="grants to subscribe to volunteers' stream")
    insert_inbox_rows(grants.database_url, 45, 89, 92)
    await grants.runtime.prune_event_rows()
    assert inbox_ages(grants.database_url) == [45, 89]
