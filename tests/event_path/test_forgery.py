"""An event is applied only when its CloudEvent `type`, `source` and `subject`, the NATS subject
it came on and the stream it came from all agree with the contract, and its producer's relay
published it (JetStream did not copy it in); anything else is parked as forged and counted, never
applied. A stream that is not as provisioned is not consumed at all."""

import asyncio
import datetime as dt
import uuid

import nats
import pytest
from nats.js.api import RePublish, StreamConfig

from meent_shared.events.admission import Rejection, admit
from meent_shared.events.contracts.commons import SiteCreated
from meent_shared.events.contracts.spaces import ProjectCreated, ProjectUpdated
from meent_shared.events.contracts.volunteers import HoursApproved
from meent_shared.events.envelope import CloudEvent
from meent_shared.events.nats_access import inbox_prefix
from meent_shared.events.streams import StreamLimits, ensure_stream, stream_config
from meent_shared.settings import local_nats_password
from meent_shared.testing.helpers import (
    connect_admin,
    metric_value,
    publish_events,
    sql_value,
    stream_message_count,
    wait_for,
)

PARKED_FORGED = "SELECT count(*) FROM dead_letter WHERE reason = 'forged' AND replayed_at IS NULL"


def site_created(site_id: uuid.UUID) -> SiteCreated:
    return SiteCreated(
        site_id=site_id,
        version=1,
        name="Not a site",
        kind="square",
        timezone="Europe/Warsaw",
        area_m2=1.0,
        bbox=(18.6, 54.3, 18.7, 54.4),
        centroid=(18.65, 54.35),
    )


async def test_events_that_do_not_match_their_subject_or_stream_are_never_applied(start_service):
    volunteers = await start_service("volunteers")
    url = volunteers.settings.nats_url
    site_id, project_id = uuid.uuid4(), uuid.uuid4()
    project = ProjectCreated(project_id=project_id, version=1, name="Tuin", slug="tuin")
    updated = ProjectUpdated(project_id=project_id, version=2, name="Tuin", slug="tuin")
    forgeries = [
        # A site smuggled in on spaces' project subject (the type decides the handler).
        ("meent.spaces.project.created", CloudEvent.wrap(site_created(site_id))),
        # A project claiming to come from grants.
        (
            "meent.spaces.project.updated",
            CloudEvent.wrap(project).model_copy(
                update={"source": "/meent/grants", "type": "org.meent.spaces.project.updated.v1"}
            ),
        ),
        # One of spaces' own types on another of its subjects: the type, the source and the
        # stream agree, only the subject check stands in the way.
        ("meent.spaces.project.created", CloudEvent.wrap(updated)),
        # The right type and source, but the envelope names another entity than the payload.
        (
            "meent.spaces.project.created",
            CloudEvent.wrap(project).model_copy(update={"subject": str(uuid.uuid4())}),
        ),
    ]
    client, js = await connect_admin(url)
    for subject, event in forgeries:
        await js.publish(subject, event.model_dump_json().encode())
    await client.close()
    await publish_events(url, [project])  # the genuine one, after the forgeries

    async def genuine_applied() -> bool:
        return (await volunteers.client.get(f"/projects/{project_id}")).status_code == 200

    await wait_for(genuine_applied, what="the genuine project event")
    spaces_consumer = next(
        c for c in volunteers.runtime.consumers if c.producer_service == "spaces"
    )
    assert spaces_consumer.stats.forged == 4
    assert sql_value(volunteers.database_url, PARKED_FORGED) == 4
    assert spaces_consumer.stats.applied == 1
    assert sql_value(volunteers.database_url, "SELECT count(*) FROM known_site") == 0
    assert sql_value(volunteers.database_url, "SELECT name FROM known_project") == "Tuin"
    assert sql_value(volunteers.database_url, "SELECT count(*) FROM inbox") == 1
    metrics = (await volunteers.client.get("/metrics")).text
    labels = {"service": "volunteers", "stream": "MEENT_SPACES", "outcome": "forged"}
    assert metric_value(metrics, "meent_events_consumed_total", **labels) == 4


def hours_approved(project_id: uuid.UUID, minutes: int) -> HoursApproved:
    return HoursApproved(
        entry_id=uuid.uuid4(),
        version=2,
        person_id="mallory",
        project_id=project_id,
        activity="none",
        worked_on=dt.date.today(),
        minutes=minutes,
        approved_by="mallory",
    )


async def test_an_event_jetstream_copied_in_from_another_stream_is_never_applied(
    start_service,
):
    """The review's forgery: spaces' stream republishes `meent.spaces.anything` onto volunteers'
    approved-hours subject (a rule spaces may no longer set, but someone did). The server itself
    puts the copy into MEENT_VOLUNTEERS, where type, subject and stream all look right; the
    headers JetStream adds to a copy give it away."""
    grants = await start_service("grants")
    url = grants.settings.nats_url
    project_id = uuid.uuid4()
    client, js = await connect_admin(url)
    config = stream_config("spaces", StreamLimits())
    config.republish = RePublish(src="meent.spaces.anything", dest=HoursApproved.contract.subject)
    await js.update_stream(config)
    await client.close()
    spaces = await nats.connect(
        url,
        user="spaces",
        password=local_nats_password("spaces"),
        inbox_prefix=inbox_prefix("spaces"),
    )
    fake = CloudEvent.wrap(hours_approved(project_id, 6000))
    await spaces.jetstream().publish("meent.spaces.anything", fake.model_dump_json().encode())
    await spaces.close()
    assert await stream_message_count(url, "MEENT_VOLUNTEERS") == 1  # the copy is in there
    await publish_events(url, [hours_approved(project_id, 30)])  # a genuine one after it

    async def genuine_counted() -> bool:
        answer = await grants.client.get(f"/projects/{project_id}/hours")
        return answer.json()["approved_minutes"] == 30

    await wait_for(genuine_counted, what="the genuine hours in grants")
    assert grants.runtime.consumers[0].stats.forged == 1
    error = "SELECT reason || ': ' || error FROM dead_letter"
    assert sql_value(grants.database_url, error).startswith(
        "forged: copied in by JetStream from 'MEENT_SPACES'"
    )


def republishing(config: StreamConfig) -> None:
    config.republish = RePublish(src="meent.volunteers.>", dest="copies.>")


def wider(config: StreamConfig) -> None:
    config.subjects = ["meent.volunteers.>", "meent.elsewhere.>"]


@pytest.mark.parametrize("change", [republishing, wider])
async def test_a_consumer_refuses_a_stream_that_is_not_as_provisioned(
    clean_jetstream, start_service, change
):
    client, js = await connect_admin(clean_jetstream)
    config = stream_config("volunteers", StreamLimits())
    change(config)
    await js.update_stream(config)
    await client.close()
    project_id = uuid.uuid4()
    await publish_events(clean_jetstream, [hours_approved(project_id, 30)])
    grants = await start_service("grants")

    async def refused() -> bool:
        answer = await grants.client.get("/readyz")
        streams = answer.json()["checks"].get("streams", "")
        return answer.status_code == 503 and streams.startswith("refused: MEENT_VOLUNTEERS")

    await wait_for(refused, what="grants to say it refuses volunteers' stream")
    assert grants.runtime.consumers[0].waiting_for.startswith("refused: MEENT_VOLUNTEERS")
    await asyncio.sleep(1.5)  # time enough to have consumed, had it not refused
    hours = await grants.client.get(f"/projects/{project_id}/hours")
    assert hours.json()["approved_minutes"] == 0
    # The provisioning sets the stream right: grants consumes again.
    client, js = await connect_admin(clean_jetstream)
    assert await ensure_stream(js, "volunteers", StreamLimits()) == "updated"
    await client.close()

    async def counted() -> bool:
        answer = await grants.client.get(f"/projects/{project_id}/hours")
        return answer.json()["approved_minutes"] == 30

    await wait_for(counted, what="grants to consume the stream once set right")
    assert (await grants.client.get("/readyz")).status_code == 200


def message_of(event: CloudEvent) -> bytes:
    return event.model_dump_json().encode()


def test_each_check_refuses_on_its_own():
    """Each forgery below passes every check but one (the envelope tests above are caught by
    two at once, so a missing check would go unnoticed there)."""
    project = ProjectCreated(project_id=uuid.uuid4(), version=1, name="Tuin", slug="tuin")
    genuine = CloudEvent.wrap(project)
    subject = ProjectCreated.contract.subject
    assert admit(subject, message_of(genuine), {"Nats-Msg-Id": "x"}, "spaces") == genuine
    cases = {
        # The stream check alone: a spaces event, on spaces' subject, read from commons' stream
        # (as a redirected delivery, which keeps its subject, would put it there).
        "is not an event of commons": (subject, genuine, None, "commons"),
        # The subject check alone: spaces' project.updated on spaces' project.created subject.
        "travels on meent.spaces.project.updated": (
            subject,
            genuine.model_copy(update={"type": "org.meent.spaces.project.updated.v1"}),
            None,
            "spaces",
        ),
        "comes from /meent/spaces": (
            subject,
            genuine.model_copy(update={"source": "/meent/volunteers"}),
            None,
            "spaces",
        ),
        "is not the project_id of the payload": (
            subject,
            genuine.model_copy(update={"subject": str(uuid.uuid4())}),
            None,
            "spaces",
        ),
        "copied in by JetStream": (subject, genuine, {"Nats-Stream": "MEENT_X"}, "spaces"),
        "(Nats-Stream-Source)": (subject, genuine, {"Nats-Stream-Source": "MEENT_X"}, "spaces"),
    }
    for expected, (on, event, headers, stream_service) in cases.items():
        rejection = admit(on, message_of(event), headers, stream_service)
        assert isinstance(rejection, Rejection), expected
        assert (rejection.reason, expected in rejection.error) == ("forged", True), rejection
