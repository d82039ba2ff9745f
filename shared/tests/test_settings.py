"""Outside local mode a service refuses placeholder secrets and a missing JWKS URL."""

import pytest
from pydantic import ValidationError

from meent_shared.settings import LOCAL_JWT_SECRET, ServiceSettings, local_nats_password

PRODUCTION = {
    "mode": "production",
    "database_url": "postgresql://db/x",
    "jwks_url": "https://id.example/jwks",
    "jwt_secret": "k" * 40,
    "nats_password": "n" * 24,
}


def test_local_mode_has_working_defaults():
    settings = ServiceSettings(mode="local", service_name="commons")
    assert settings.database_url_or_default.endswith(":55432/meent_commons")
    assert settings.jwt_secret_or_default == LOCAL_JWT_SECRET
    assert settings.nats_user_or_default == "commons"
    assert settings.nats_password_or_default == local_nats_password("commons")


def test_production_without_database_and_jwks_refuses_to_start(monkeypatch):
    monkeypatch.delenv("MEENT_MODE", raising=False)
    with pytest.raises(ValidationError) as refused:
        ServiceSettings(mode="production")
    assert "MEENT_DATABASE_URL is required" in str(refused.value)
    assert "MEENT_JWKS_URL is required" in str(refused.value)


def test_production_refuses_the_local_secret():
    with pytest.raises(ValidationError, match="must not be the local development secret"):
        ServiceSettings(
            mode="production",
            database_url="postgresql://db/x",
            jwks_url="https://id.example/jwks",
            jwt_secret=LOCAL_JWT_SECRET,
            nats_password="n" * 24,
        )


def test_production_needs_a_real_secret():
    for secret, problem in (("", "MEENT_JWT_SECRET is required"), ("short", "at least 32")):
        with pytest.raises(ValidationError, match=problem):
            ServiceSettings(
                mode="production",
                database_url="postgresql://db/x",
                jwks_url="https://id.example/jwks",
                jwt_secret=secret,
                nats_password="n" * 24,
            )


def test_production_with_everything_set_starts():
    settings = ServiceSettings(**PRODUCTION, service_name="volunteers")
    assert settings.jwt_secret_or_default == "k" * 40
    assert (settings.nats_user_or_default, settings.nats_password_or_default) == (
        "volunteers",
        "n" * 24,
    )


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("", "MEENT_NATS_PASSWORD is required"),
        (local_nats_password("volunteers"), "must not be a local development password"),
        ("short", "at least 16 characters"),
    ],
)
def test_production_needs_a_real_nats_password(password, problem):
    with pytest.raises(ValidationError, match=problem):
        ServiceSettings(**{**PRODUCTION, "nats_password": password}, service_name="volunteers")
