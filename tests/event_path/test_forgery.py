"""An event is applied only when its CloudEvent `type`, `source` and `subject`, the NATS subject
it came on and the stream it came from all agree with the contract; anything else is terminated
and counted, never applied."""

import uuid

from meent_shared.events.contracts.commons import SiteCreated
from meent_shared.events.contracts.spaces import ProjectCreated
from meent_shared.events.envelope import CloudEvent
from meent_shared.events.streams import StreamLimits, ensure_stream
from meent_shared.testing.helpers import (
    connect_admin,
    metric_value,
    publish_events,
    sql_value,
    wait_for,
)


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
    forgeries = {
        # A site smuggled in on spaces' project subject (the type decides the handler).
        "meent.spaces.project.created": CloudEvent.wrap(site_created(site_id)),
        # A project claiming to come from grants.
        "meent.spaces.project.updated": CloudEvent.wrap(project).model_copy(
            update={"source": "/meent/grants", "type": "org.meent.spaces.project.updated.v1"}
        ),
    }
    # The right type and source, but the envelope names another entity than the payload.
    wrong_subject = CloudEvent.wrap(project).model_copy(update={"subject": str(uuid.uuid4())})
    client, js = await connect_admin(url)
    await ensure_stream(js, "spaces", StreamLimits())
    for subject, event in [*forgeries.items(), ("meent.spaces.project.created", wrong_subject)]:
        await js.publish(subject, event.model_dump_json().encode())
    await client.close()
    await publish_events(url, [project])  # the genuine one, after the forgeries

    async def genuine_applied() -> bool:
        return (await volunteers.client.get(f"/projects/{project_id}")).status_code == 200

    await wait_for(genuine_applied, what="the genuine project event")
    spaces_consumer = next(
        c for c in volunteers.runtime.consumers if c.producer_service == "spaces"
    )
    assert spaces_consumer.stats.forged == 3
    assert spaces_consumer.stats.applied == 1
    assert sql_value(volunteers.database_url, "SELECT count(*) FROM known_site") == 0
    assert sql_value(volunteers.database_url, "SELECT name FROM known_project") == "Tuin"
    assert sql_value(volunteers.database_url, "SELECT count(*) FROM inbox") == 1
    metrics = (await volunteers.client.get("/metrics")).text
    labels = {"service": "volunteers", "stream": "MEENT_SPACES", "outcome": "forged"}
    assert metric_value(metrics, "meent_events_consumed_total", **labels) == 3
