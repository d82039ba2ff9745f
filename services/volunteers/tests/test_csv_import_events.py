"""A sheet's hours.submitted events, written to the outbox by one SQL statement, are the events
`record_event` writes for the same entries, and the relay publishes them like any other."""

import datetime as dt
import uuid

from sqlalchemy import select

from meent_shared.events.contracts.commons import SiteCreated
from meent_shared.events.outbox import record_event
from meent_shared.testing.helpers import read_stream, wait_for
from volunteers.db import outbox
from volunteers.hours import events
from volunteers.hours.models import HourEntry

SITE = uuid.uuid4()


async def _announce_site(world) -> None:
    site = SiteCreated(
        site_id=SITE,
        version=1,
        name="Elisabeth",
        kind="green_area",
        timezone="Europe/Amsterdam",
        area_m2=12_000.0,
        bbox=(5.39, 52.15, 5.40, 52.16),
        centroid=(5.395, 52.155),
    )
    await world.publish([site])
    await world.wait_rows("known_site", 1)


def _utc(text: str) -> dt.datetime:
    assert text.endswith("Z")  # as pydantic writes a UTC time
    return dt.datetime.fromisoformat(text)


async def _outbox_row(session, entry_id: str):
    query = select(outbox).where(outbox.c.event["data"]["entry_id"].astext == entry_id)
    return (await session.execute(query)).one()


async def test_a_sheets_events_are_the_ones_record_event_writes(hours_world, make_sheet):
    world = await hours_world()
    await world.add_members("skill", ["vera"], world.service.settings.today() - dt.timedelta(30))
    await _announce_site(world)
    day = (world.service.settings.today() - dt.timedelta(days=2)).isoformat()
    rows = [
        {"person": "vera", "date": day, "minutes": 95, "activity": "outreach", "site_id": SITE},
        {"person": "vera", "date": day, "minutes": 5, "activity": "other", "site_id": ""},
    ]
    imported = await world.import_sheet(make_sheet(rows), by="coordinator-1")
    assert imported.status_code == 201, imported.text
    entry_ids = imported.json()["entry_ids"]

    async with world.service.runtime.session_factory() as session:
        for entry_id in entry_ids:
            bulk = await _outbox_row(session, entry_id)
            entry = await session.get(HourEntry, uuid.UUID(entry_id))
            assert entry is not None
            async with session.begin_nested() as single:  # what one entry's event would be
                await session.execute(outbox.delete().where(outbox.c.id == bulk.id))
                event = await record_event(session, outbox, events.hours_submitted(entry))
                one = (await session.execute(select(outbox).where(outbox.c.id == event.id))).one()
                await single.rollback()
            assert bulk.event["id"] == str(bulk.id)  # the relay's Nats-Msg-Id
            assert (bulk.subject, bulk.headers) == (one.subject, one.headers)
            same_but_ids = {"id", "time"}
            assert {k: v for k, v in bulk.event.items() if k not in same_but_ids} == {
                k: v for k, v in one.event.items() if k not in same_but_ids
            }
            assert sorted(bulk.event) == sorted(one.event)
            written, recorded = (_utc(e.event["time"]) for e in (bulk, one))
            assert abs(written - recorded) < dt.timedelta(minutes=1)

    url = world.service.settings.nats_url
    ids_by_entry = {}

    async def published() -> bool:
        for headers, event in await read_stream(url, "MEENT_VOLUNTEERS"):
            if event.type.endswith("hours.submitted.v1"):
                ids_by_entry[event.subject] = (headers["Nats-Msg-Id"], str(event.id))
        return set(entry_ids) <= set(ids_by_entry)

    await wait_for(published, what="the sheet's events on the stream")
    for entry_id in entry_ids:
        message_id, event_id = ids_by_entry[entry_id]
        assert message_id == event_id
