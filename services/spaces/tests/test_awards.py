"""grants' awards become one published agreement each in the project's space, on the real NATS
and database: redelivered under the same event id or re-published under a new one."""

import datetime as dt
import uuid

import psycopg
import pytest

from meent_shared.events.contracts.grants import ApplicationAwarded
from meent_shared.events.envelope import CloudEvent
from meent_shared.testing.helpers import connect_admin, read_stream, sql_value, wait_for


def _award(project_id: uuid.UUID, application_id: uuid.UUID, **changes) -> ApplicationAwarded:
    values = {
        "application_id": application_id,
        "call_id": uuid.uuid4(),
        "project_id": project_id,
        "title": "Bomen voor het Elisabethpark",
        "version": 1,
        "amount_cents": 1_250_050,
        "currency": "EUR",
        "call_title": "Groene buurten *2026*",
        "awarded_on": dt.date.today(),
    }
    return ApplicationAwarded(**{**values, **changes})


async def _publish(nats_url: str, event: CloudEvent, msg_id: str) -> None:
    """As grants' relay publishes: a new message id, or the same event again after JetStream's
    de-duplication window (a relay retry long after a failure) under another message id."""
    client, js = await connect_admin(nats_url)
    try:
        subject = event.payload().contract.subject
        await js.publish(subject, event.model_dump_json().encode(), headers={"Nats-Msg-Id": msg_id})
    finally:
        await client.close()


@pytest.fixture
async def spaces(start_service):
    return await start_service("spaces")


def _agreements(url: str, project_id: uuid.UUID) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as db:
        return db.execute(
            "SELECT d.kind, d.status, d.title, r.author_id, r.body, r.award_application_id"
            " FROM document d JOIN revision r ON r.document_id = d.id"
            " WHERE d.project_id = %s AND d.current_revision_id = r.id",
            (project_id,),
        ).fetchall()


async def test_an_award_delivered_three_times_is_one_agreement(spaces, spaces_rows):
    url, nats_url = spaces.database_url, spaces.settings.nats_url
    project_id, application_id = spaces_rows.add_project(url), uuid.uuid4()
    first = CloudEvent.wrap(_award(project_id, application_id))
    republished = CloudEvent.wrap(_award(project_id, application_id))  # a new event id
    assert republished.id != first.id
    await _publish(nats_url, first, str(first.id))
    await _publish(nats_url, republished, str(republished.id))
    await _publish(nats_url, first, f"{first.id}-retried")  # the same event id again
    consumer = spaces.runtime.consumers[0]

    async def all_seen() -> bool:
        return consumer.stats.applied + consumer.stats.duplicates == 3

    await wait_for(all_seen, what="spaces to take all three deliveries")
    assert (consumer.stats.applied, consumer.stats.duplicates, consumer.stats.failed) == (2, 1, 0)
    agreements = _agreements(url, project_id)
    assert len(agreements) == 1
    kind, status, title, author, body, recorded = agreements[0]
    assert (kind, status, author, recorded) == (
        "agreement",
        "published",
        "system:grants",
        application_id,
    )
    assert title == "Grant agreement: Groene buurten *2026*"
    assert "12,500.50 EUR" in body and dt.date.today().isoformat() in body
    assert r"Groene buurten \*2026\*" in body  # the title is text, not emphasis
    assert spaces_rows.count(url, "document") == 1  # the re-publication left no empty document
    assert sql_value(url, "SELECT name_public FROM person WHERE id = 'system:grants'") is True

    async def announced() -> bool:
        types = [e.type for _, e in await read_stream(nats_url, "MEENT_SPACES")]
        return types.count("org.meent.spaces.document.published.v1") == 1

    await wait_for(announced, what="document.published, once")


async def test_two_applications_of_one_project_are_two_agreements(spaces, spaces_rows):
    url, nats_url = spaces.database_url, spaces.settings.nats_url
    project_id = spaces_rows.add_project(url)
    for application_id in (uuid.uuid4(), uuid.uuid4()):
        event = CloudEvent.wrap(_award(project_id, application_id))
        await _publish(nats_url, event, str(event.id))
    consumer = spaces.runtime.consumers[0]

    async def both() -> bool:
        return consumer.stats.applied == 2

    await wait_for(both, what="both awards")
    assert len(_agreements(url, project_id)) == 2


async def test_an_award_for_an_unknown_project_is_parked_not_recorded(spaces, spaces_rows):
    url, nats_url = spaces.database_url, spaces.settings.nats_url
    event = CloudEvent.wrap(_award(uuid.uuid4(), uuid.uuid4()))
    await _publish(nats_url, event, str(event.id))
    consumer = spaces.runtime.consumers[0]

    async def failed() -> bool:
        return consumer.stats.failed >= 1

    await wait_for(failed, what="the handler to refuse the award")
    assert spaces_rows.count(url, "document") == 0
    assert spaces_rows.count(url, "revision") == 0
