"""Every process is its own NATS user: a service may publish only on its own subjects and use only
its own stream and durable consumers; the gateway only reads; no one connects without a password."""

import asyncio
import uuid

import httpx
import nats
import pytest
from nats.js.api import AckPolicy, ConsumerConfig, RePublish, StreamConfig

from meent_shared.events.contracts.spaces import ProjectCreated
from meent_shared.events.contracts.volunteers import HoursApproved
from meent_shared.events.envelope import CloudEvent
from meent_shared.events.nats_access import inbox_prefix
from meent_shared.events.streams import StreamLimits, stream_config
from meent_shared.settings import local_nats_password
from meent_shared.testing.helpers import (
    connect_admin,
    publish_events,
    sql_value,
    stream_message_count,
    wait_for,
)


class Connection:
    """A connection as one service's user, keeping the permission errors the server sends."""

    def __init__(self, url: str, user: str):
        self.url = url
        self.user = user
        self.errors: list[str] = []
        self.client: nats.NATS | None = None

    async def __aenter__(self) -> "Connection":
        async def keep(exc: Exception) -> None:
            self.errors.append(str(exc).lower())

        self.client = await nats.connect(
            self.url,
            user=self.user,
            password=local_nats_password(self.user),
            inbox_prefix=inbox_prefix(self.user),
            error_cb=keep,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.client is not None
        await self.client.close()

    @property
    def js(self):
        assert self.client is not None
        return self.client.jetstream(timeout=1)

    async def refused(self, attempt) -> bool:
        """Whether the attempt got no answer and the server reported a permissions violation."""
        before = len(self.errors)
        with pytest.raises(TimeoutError):  # no answer: the server drops the request
            await attempt
        await asyncio.sleep(0.1)
        return any("permissions violation" in e for e in self.errors[before:])


@pytest.fixture
def as_user(clean_jetstream):
    return lambda user: Connection(clean_jetstream, user)


def approval() -> HoursApproved:
    return HoursApproved(
        entry_id=uuid.uuid4(),
        version=2,
        person_id="vera",
        project_id=uuid.uuid4(),
        activity="gardening",
        worked_on="2026-05-02",
        minutes=60,
        approved_by="ada",
    )


async def test_volunteers_user_is_refused_on_grants_subjects(as_user, clean_jetstream):
    async with as_user("volunteers") as volunteers:
        # Its own subjects: allowed.
        event = CloudEvent.wrap(approval())
        ack = await volunteers.js.publish(
            event.payload().contract.subject, event.model_dump_json().encode()
        )
        assert ack.stream == "MEENT_VOLUNTEERS"
        # grants' subjects, stream and durable consumers: refused.
        body = b'{"type": "org.meent.grants.call.published.v1"}'
        assert await volunteers.refused(volunteers.js.publish("meent.grants.call.published", body))
        # A core publish is refused as well (no JetStream ack to wait for).
        await volunteers.client.publish("meent.grants.ledger.entry_added", body)
        await volunteers.client.flush()
        await asyncio.sleep(0.2)
        assert any("meent.grants.ledger.entry_added" in e for e in volunteers.errors)
        assert await volunteers.refused(volunteers.js.purge_stream("MEENT_GRANTS"))
        steal = ConsumerConfig(durable_name="grants", ack_policy=AckPolicy.EXPLICIT)
        assert await volunteers.refused(volunteers.js.add_consumer("MEENT_VOLUNTEERS", steal))
    assert await stream_message_count(clean_jetstream, "MEENT_GRANTS") == 0
    assert await stream_message_count(clean_jetstream, "MEENT_VOLUNTEERS") == 1


async def test_a_forged_type_on_a_services_own_subject_is_terminated(as_user, start_service):
    """volunteers may publish on its own subjects, but not grants' events through them."""
    grants = await start_service("grants")
    forged = CloudEvent.wrap(approval()).model_copy(
        update={"type": "org.meent.grants.application.awarded.v1", "source": "/meent/grants"}
    )
    async with as_user("volunteers") as volunteers:
        await volunteers.js.publish(
            "meent.volunteers.hours.approved", forged.model_dump_json().encode()
        )
    await publish_events(grants.settings.nats_url, [approval()])
    consumer = grants.runtime.consumers[0]

    async def both_seen() -> bool:
        return consumer.stats.forged + consumer.stats.applied == 2

    await wait_for(both_seen, what="the forged and the genuine event")
    assert (consumer.stats.forged, consumer.stats.applied) == (1, 1)
    parked = "SELECT reason || ' ' || type FROM dead_letter"
    assert (
        sql_value(grants.database_url, parked) == "forged org.meent.grants.application.awarded.v1"
    )


async def test_a_service_user_can_create_change_or_drop_no_stream(as_user, clean_jetstream):
    """A RePublish rule, sources or wider subjects would have the server itself put messages into
    another service's stream, where no publish permission applies: only operators set streams."""
    client, admin = await connect_admin(clean_jetstream)
    await admin.delete_stream("MEENT_GRANTS")  # not provisioned yet: anyone's for the taking?
    await client.close()
    await publish_events(
        clean_jetstream,
        [ProjectCreated(project_id=uuid.uuid4(), version=1, name="Tuin", slug="tuin")],
    )
    republishing = stream_config("spaces", StreamLimits())
    republishing.republish = RePublish(
        src="meent.spaces.anything", dest="meent.volunteers.hours.approved"
    )
    wider = stream_config("spaces", StreamLimits())
    wider.subjects = ["meent.spaces.>", "meent.volunteers.>"]
    hijack = stream_config("grants", StreamLimits())
    hijack.subjects = ["meent.grants.>", "meent.commons.>"]
    async with as_user("spaces") as spaces:
        assert await spaces.refused(spaces.js.update_stream(republishing))
        assert await spaces.refused(spaces.js.update_stream(wider))
        assert await spaces.refused(spaces.js.add_stream(hijack))
        assert await spaces.refused(
            spaces.js.add_stream(StreamConfig(name="SIDE", subjects=["meent.spaces.side.>"]))
        )
        assert await spaces.refused(spaces.js.purge_stream("MEENT_SPACES"))
        assert await spaces.refused(spaces.js.delete_stream("MEENT_SPACES"))
        # Nor a consumer of its own stream: a pull request's reply subject would have the server
        # deliver what spaces published to any subject spaces chose.
        own = ConsumerConfig(durable_name="spaces", ack_policy=AckPolicy.EXPLICIT)
        assert await spaces.refused(spaces.js.add_consumer("MEENT_SPACES", own))
    client, admin = await connect_admin(clean_jetstream)
    try:
        info = await admin.stream_info("MEENT_SPACES")
        assert (info.config.subjects, info.config.republish) == (["meent.spaces.>"], None)
        assert info.state.messages == 1
        assert info.state.consumer_count == 0
        names = sorted(stream.config.name for stream in await admin.streams_info())
        assert names == ["MEENT_COMMONS", "MEENT_SPACES", "MEENT_VOLUNTEERS"]
    finally:
        await client.close()


async def test_the_gateway_reads_streams_but_publishes_nothing(as_user, clean_jetstream):
    project = ProjectCreated(project_id=uuid.uuid4(), version=1, name="Tuin", slug="tuin")
    await publish_events(clean_jetstream, [project])
    async with as_user("gateway") as gateway:
        subscription = await gateway.js.subscribe("meent.spaces.>", ordered_consumer=True)
        message = await subscription.next_msg(timeout=5)
        assert CloudEvent.model_validate_json(message.data).subject == str(project.project_id)
        await subscription.unsubscribe()
        body = CloudEvent.wrap(project).model_dump_json().encode()
        assert await gateway.refused(gateway.js.publish("meent.spaces.project.created", body))
        durable = ConsumerConfig(durable_name="volunteers", ack_policy=AckPolicy.EXPLICIT)
        assert await gateway.refused(gateway.js.add_consumer("MEENT_SPACES", durable))
        assert await gateway.refused(gateway.js.delete_stream("MEENT_SPACES"))
    assert await stream_message_count(clean_jetstream, "MEENT_SPACES") == 1


async def test_a_connection_without_the_right_password_is_refused(clean_jetstream):
    for credentials in ({}, {"user": "volunteers", "password": "guess"}):
        with pytest.raises(nats.errors.Error):
            await nats.connect(
                clean_jetstream, allow_reconnect=False, connect_timeout=2, **credentials
            )


async def test_each_service_connects_as_its_own_user(start_service, nats_server):
    monitor = getattr(getattr(nats_server, "server", None), "monitor_url", None)
    if monitor is None:
        pytest.skip("the container's monitoring port is not published")
    await start_service("volunteers")
    await start_service("gateway", run_workers=False)

    async def users() -> dict[str, str]:
        async with httpx.AsyncClient(timeout=5) as http:
            connz = (await http.get(f"{monitor}/connz?auth=true")).json()
        return {c.get("name", ""): c.get("authorized_user", "") for c in connz["connections"]}

    async def both_connected() -> bool:
        return {"volunteers", "gateway"} <= set(await users())

    await wait_for(both_connected, what="volunteers and the gateway to connect")
    found = await users()
    assert (found["volunteers"], found["gateway"]) == ("volunteers", "gateway")
