"""Streams are provisioned by operators, bounded by age and size: the provisioning creates them
(and brings an existing one in line, messages kept); a service waits, not ready, until its
stream exists, and never changes a stream itself."""

import json
import os
import subprocess
import sys
import uuid

import pytest
from nats.js.api import RePublish, StreamConfig
from pydantic import ValidationError

from meent_shared.events.contracts.spaces import ProjectCreated
from meent_shared.events.provision import ProvisionSettings
from meent_shared.events.streams import (
    DUPLICATE_WINDOW_SECONDS,
    StreamLimits,
    ensure_stream,
    stream_name,
)
from meent_shared.settings import ServiceSettings
from meent_shared.testing.helpers import (
    connect_admin,
    publish_events,
    sql_value,
    stream_message_count,
    wait_for,
)

WEEK = 7 * 86400.0
STREAMS = ["MEENT_COMMONS", "MEENT_VOLUNTEERS", "MEENT_SPACES", "MEENT_GRANTS"]


async def stream_config(nats_url: str, name: str) -> StreamConfig | None:
    client, js = await connect_admin(nats_url)
    try:
        return (await js.stream_info(name)).config
    except Exception:
        return None
    finally:
        await client.close()


async def delete_streams(nats_url: str) -> None:
    client, js = await connect_admin(nats_url)
    for name in STREAMS:
        await js.delete_stream(name)
    await client.close()


def run_provision(nats_url: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "meent_shared.events.provision", "--wait", "5"],
        env={**os.environ, "MEENT_MODE": "local", "MEENT_NATS_URL": nats_url, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def provisioned(result: subprocess.CompletedProcess[str]) -> dict:
    assert result.returncode == 0, result.stderr + result.stdout
    return json.loads(result.stdout.strip().splitlines()[-1])["provisioned"]


async def test_the_provisioning_creates_every_stream_bounded(clean_jetstream):
    await delete_streams(clean_jetstream)
    done = run_provision(
        clean_jetstream, MEENT_STREAM_MAX_AGE="P7D", MEENT_STREAM_MAX_BYTES="10000000"
    )
    assert provisioned(done) == {name: "created" for name in STREAMS}
    for service in ("commons", "volunteers", "spaces", "grants"):
        config = await stream_config(clean_jetstream, stream_name(service))
        assert (config.max_age, config.max_bytes) == (WEEK, 10_000_000)
        assert config.subjects == [f"meent.{service}.>"]
        assert config.duplicate_window == DUPLICATE_WINDOW_SECONDS
    # Run again: nothing to do.
    assert set(
        provisioned(
            run_provision(
                clean_jetstream, MEENT_STREAM_MAX_AGE="P7D", MEENT_STREAM_MAX_BYTES="10000000"
            )
        ).values()
    ) == {"unchanged"}


async def test_the_provisioning_sets_a_stream_right_and_keeps_its_messages(clean_jetstream):
    """An unbounded MEENT_SPACES that republishes into volunteers' subjects (someone's doing)."""
    client, js = await connect_admin(clean_jetstream)
    await js.delete_stream("MEENT_SPACES")
    await js.add_stream(
        StreamConfig(
            name="MEENT_SPACES",
            subjects=["meent.spaces.>"],
            republish=RePublish(src="meent.spaces.>", dest="meent.volunteers.copied.>"),
        )
    )
    await client.close()
    project = ProjectCreated(project_id=uuid.uuid4(), version=1, name="Tuin", slug="tuin")
    await publish_events(clean_jetstream, [project])
    done = run_provision(clean_jetstream, MEENT_STREAM_MAX_AGE="P7D")
    assert provisioned(done)["MEENT_SPACES"] == "updated"
    config = await stream_config(clean_jetstream, "MEENT_SPACES")
    assert (config.max_age, config.republish) == (WEEK, None)
    assert await stream_message_count(clean_jetstream, "MEENT_SPACES") == 1


def test_the_provisioning_refuses_to_run_in_production_without_the_admins_password():
    for password, problem in (("", "is required"), ("meent-local-nats-admin", "local")):
        with pytest.raises(ValidationError, match=problem):
            ProvisionSettings(mode="production", nats_admin_password=password)
    ProvisionSettings(mode="production", nats_admin_password="a" * 24)


async def test_a_service_waits_for_its_stream_and_says_so(
    clean_jetstream, start_service, auth_header
):
    await delete_streams(clean_jetstream)
    spaces = await start_service("spaces")
    await spaces.runtime.link.wait_connected(within=10)
    answer = await spaces.client.get("/readyz")
    assert answer.status_code == 503
    assert "waiting: MEENT_SPACES does not exist" in answer.json()["checks"]["streams"]
    created = await spaces.client.post("/projects", json={"name": "Tuin"}, headers=auth_header())
    assert created.status_code == 201  # kept in the outbox meanwhile
    assert await stream_config(clean_jetstream, "MEENT_SPACES") is None  # not made by spaces
    provisioned(run_provision(clean_jetstream))

    async def published() -> bool:
        return await stream_message_count(clean_jetstream, "MEENT_SPACES") == 2

    await wait_for(published, what="the waiting events (project, membership) to be published")
    answer = await spaces.client.get("/readyz")
    assert (answer.status_code, answer.json()["checks"]["streams"]) == (200, "ok")
    unpublished = "SELECT count(*) FROM outbox WHERE published_at IS NULL"

    async def marked() -> bool:  # the relay marks its rows once JetStream has acked them all
        return sql_value(spaces.database_url, unpublished) == 0

    await wait_for(marked, what="the relay to mark the published rows")
    assert await stream_message_count(clean_jetstream, "MEENT_SPACES") == 2


async def test_a_consumer_leaves_the_producers_stream_as_it_is(clean_jetstream, start_service):
    client, js = await connect_admin(clean_jetstream)
    await js.delete_stream("MEENT_SPACES")
    await js.add_stream(
        StreamConfig(name="MEENT_SPACES", subjects=["meent.spaces.>"], max_age=3 * WEEK)
    )
    await client.close()
    volunteers = await start_service("volunteers", stream_max_age="P7D")

    async def subscribed() -> bool:
        return any(c.stream_max_age is not None for c in volunteers.runtime.consumers)

    await wait_for(subscribed, what="volunteers to subscribe to spaces' stream")
    config = await stream_config(clean_jetstream, "MEENT_SPACES")
    assert (config.max_age, config.max_bytes) == (3 * WEEK, -1)


async def test_a_max_age_shorter_than_the_duplicate_window_is_refused(clean_jetstream):
    """NATS itself refuses such a stream (10052): the settings refuse it before it gets there."""
    short = DUPLICATE_WINDOW_SECONDS - 1
    client, js = await connect_admin(clean_jetstream)
    try:
        await js.delete_stream("MEENT_SPACES")
        with pytest.raises(Exception, match="10052"):
            await ensure_stream(js, "spaces", StreamLimits(max_age_seconds=short))
        assert await ensure_stream(js, "spaces", StreamLimits(max_age_seconds=short + 1))
    finally:
        await client.close()
    for settings in (ServiceSettings, ProvisionSettings):
        with pytest.raises(ValidationError, match="duplicate window"):
            settings(mode="local", stream_max_age=f"PT{short:.0f}S")
    assert ServiceSettings(mode="local", stream_max_age="PT600S").stream_max_age.seconds == 600
