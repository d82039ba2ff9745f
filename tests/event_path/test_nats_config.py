"""compose and deploy/ give NATS the same users and permissions as the local and test servers
(the code in meent_shared.events.nats_access), every process its own credentials, and every
service the same stream limits."""

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from meent_shared.events.nats_access import (
    SERVICE_USERS,
    compose_config,
    env_password,
    helm_users,
    local_passwords,
)
from meent_shared.events.streams import PUBLISHING_SERVICES
from meent_shared.local.nats import nats_server_binary
from meent_shared.settings import ServiceSettings

ROOT = Path(__file__).parents[2]
COMPOSE_CONF = ROOT / "infra/compose/nats.conf"


def load(path: str) -> list[dict]:
    return list(yaml.safe_load_all((ROOT / path).read_text()))


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_composes_nats_config_is_the_generated_one_and_valid():
    assert COMPOSE_CONF.read_text() == compose_config(), "run `make nats-config`"
    env = {env_password(user): f"pw-{user}-0123456789" for user in local_passwords()}
    checked = subprocess.run(
        [nats_server_binary(), "-t", "-c", str(COMPOSE_CONF)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert checked.returncode == 0, checked.stderr + checked.stdout


def test_composes_nats_gets_the_users_and_their_passwords(compose):
    nats = compose["nats"]
    assert nats["command"][:2] == ["-c", "/etc/nats/meent.conf"]
    assert "./infra/compose/nats.conf:/etc/nats/meent.conf:ro" in nats["volumes"]
    assert set(nats["environment"]) == {env_password(user) for user in local_passwords()}


@pytest.mark.parametrize("name", SERVICE_USERS)
def test_each_compose_process_connects_as_its_own_user(compose, name):
    environment = compose[name]["environment"]
    assert environment["MEENT_NATS_USER"] == name
    assert environment["MEENT_NATS_PASSWORD"].startswith("${" + env_password(name) + ":-")
    assert environment["MEENT_STREAM_MAX_AGE"] == "${MEENT_STREAM_MAX_AGE:-P30D}"


def test_the_helm_values_grant_the_same_permissions():
    [values] = load("deploy/nats/values.yaml")
    assert values["config"]["merge"]["authorization"]["users"] == helm_users()
    secrets = values["container"]["env"]
    for user in local_passwords():
        assert secrets[env_password(user)]["valueFrom"]["secretKeyRef"] == {
            "name": "meent-nats",
            "key": user,
        }


@pytest.mark.parametrize("name", SERVICE_USERS)
def test_each_deployment_connects_as_its_own_user(name):
    deployment = next(d for d in load(f"deploy/k8s/{name}.yaml") if d["kind"] == "Deployment")
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e for e in container["env"]}
    assert env["MEENT_NATS_USER"]["value"] == name
    assert env["MEENT_NATS_PASSWORD"]["valueFrom"]["secretKeyRef"] == {
        "name": "meent-nats",
        "key": name,
    }


def test_the_deployed_stream_limits_fit_the_nats_volume():
    [config] = load("deploy/k8s/config.yaml")
    settings = ServiceSettings(
        mode="local",
        stream_max_age=config["data"]["MEENT_STREAM_MAX_AGE"],
        stream_max_bytes=config["data"]["MEENT_STREAM_MAX_BYTES"],
    )
    assert settings.stream_max_age.days == 30
    [values] = load("deploy/nats/values.yaml")
    max_size = values["config"]["jetstream"]["fileStore"]["maxSize"]
    assert max_size.endswith("Gi")
    # Every server holds a replica of every stream.
    assert len(PUBLISHING_SERVICES) * settings.stream_max_bytes <= int(max_size[:-2]) * 1024**3
