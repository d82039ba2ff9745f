"""docker-compose.yml cannot run here (no Docker daemon), so it is checked for what the suite
needs: every service, port, database and setting, health checks, and migrations first."""

from pathlib import Path

import pytest
import yaml

from meent_shared.settings import REQUIRED_IN_PRODUCTION, SERVICE_PORTS

ROOT = Path(__file__).parents[1]
SERVICES = ["commons", "volunteers", "spaces", "grants"]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_postgis_and_jetstream_images_with_health_checks(compose):
    assert compose["postgres"]["image"].startswith("postgis/postgis:15")
    assert compose["nats"]["image"].startswith("nats:")
    assert "-js" in compose["nats"]["command"]
    assert "healthcheck" in compose["postgres"]
    assert "js-enabled-only" in " ".join(compose["nats"]["healthcheck"]["test"])


def test_every_service_database_is_created():
    init_sql = (ROOT / "infra/compose/init-databases.sql").read_text()
    for name in [*SERVICES, "gateway"]:
        assert f"CREATE DATABASE meent_{name};" in init_sql


@pytest.mark.parametrize("name", [*SERVICES, "gateway"])
def test_service_port_matches_the_local_contract(compose, name):
    port = SERVICE_PORTS[name]
    assert compose[name]["ports"] == [f"{port}:{port}"]
    dockerfile = ROOT / compose[name]["build"]["dockerfile"]
    assert f'--port", "{port}"' in dockerfile.read_text()


@pytest.mark.parametrize("name", SERVICES)
def test_service_has_every_setting_it_needs_and_its_own_database(compose, name):
    environment = compose[name]["environment"]
    for setting in REQUIRED_IN_PRODUCTION:
        assert f"MEENT_{setting.upper()}" in environment, setting
    assert environment["MEENT_DATABASE_URL"].endswith(f"@postgres:5432/meent_{name}")
    assert environment["MEENT_NATS_URL"] == "nats://nats:4222"


@pytest.mark.parametrize("name", SERVICES)
def test_migrations_run_before_the_service(compose, name):
    migrate = compose[f"{name}-migrate"]
    assert migrate["command"] == ["alembic", "upgrade", "head"]
    assert (
        migrate["environment"]["MEENT_DATABASE_URL"]
        == (compose[name]["environment"]["MEENT_DATABASE_URL"])
    )
    depends = compose[name]["depends_on"]
    assert depends[f"{name}-migrate"] == {"condition": "service_completed_successfully"}
    assert depends["postgres"] == {"condition": "service_healthy"}
    assert depends["nats"] == {"condition": "service_healthy"}
    assert f"{SERVICE_PORTS[name]}/readyz" in " ".join(compose[name]["healthcheck"]["test"])


def test_gateway_reaches_every_service_by_name(compose):
    environment = compose["gateway"]["environment"]
    for name in SERVICES:
        assert environment[f"MEENT_{name.upper()}_URL"] == f"http://{name}:{SERVICE_PORTS[name]}"
        assert compose["gateway"]["depends_on"][name] == {"condition": "service_healthy"}


def test_spaces_keeps_attachments_in_the_object_store(compose):
    store = compose["objectstore"]
    assert store["image"].startswith("chrislusf/seaweedfs:")
    assert "-s3" in store["command"] and "-s3.port=8333" in store["command"]
    assert "healthcheck" in store
    spaces = compose["spaces"]
    environment = spaces["environment"]
    assert environment["MEENT_STORAGE_BACKEND"] == "s3"
    assert environment["MEENT_S3_ENDPOINT_URL"] == "http://objectstore:8333"
    for setting in ("BUCKET", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY"):
        assert environment[f"MEENT_S3_{setting}"], setting
    assert spaces["depends_on"]["objectstore"] == {"condition": "service_healthy"}
