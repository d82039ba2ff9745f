"""Old event rows are pruned: published outbox rows after a week, unpublished ones never, and
inbox rows only once no stream can still hold their event (so nothing is applied twice)."""

import asyncio
import datetime as dt
import uuid

import psycopg
import pytest
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import create_async_engine

from grants.config import Settings as GrantsSettings
from grants.main import build_runtime
from meent_shared.db import async_url
from meent_shared.events.retention import prune
from meent_shared.events.streams import StreamLimits, ensure_stream
from meent_shared.local.ports import free_port
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
    with pytest.raises(ValidationError, match="duplicate window"):
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


async def test_the_first_prune_after_a_start_keeps_what_the_stream_still_holds(
    make_database, clean_jetstream
):
    """grants restarts; its inbox holds rows of a previous run. The pruning job's first round
    comes before the consumer has subscribed: it must go by the stream's real age (90 days), not
    by the configured 30 days alone, or a re-created consumer would apply those events again."""
    client, js = await connect_admin(clean_jetstream)
    await ensure_stream(js, "volunteers", StreamLimits(max_age_seconds=90 * 86400))
    await client.close()
    url = make_database("grants")
    insert_inbox_rows(url, 45, 89, 92)
    runtime = build_runtime(
        GrantsSettings(mode="local", database_url=async_url(url), nats_url=clean_jetstream)
    )
    await runtime.start(relay=False)
    try:
        await asyncio.sleep(3)  # the first round runs at once (the next an hour later)
        assert inbox_ages(url) in ([45, 89], [45, 89, 92])
        await runtime.prune_event_rows()
        assert inbox_ages(url) == [45, 89]
    finally:
        await runtime.stop()


async def test_no_inbox_row_goes_while_a_consumed_streams_age_cannot_be_read(make_database):
    """NATS is away: the configured age alone is no proof that the stream dropped an event."""
    url = make_database("grants")
    insert_inbox_rows(url, 45, 92)
    runtime = build_runtime(
        GrantsSettings(
            mode="local", database_url=async_url(url), nats_url=f"nats://127.0.0.1:{free_port()}"
        )
    )
    await runtime.start(relay=False, consumers=False)
    try:
        assert await runtime.prune_event_rows() == (0, 0)
    finally:
        await runtime.stop()
    assert inbox_ages(url) == [45, 92]
