"""A verified bearer token is remembered, never past its expiry."""

import asyncio

import pytest

from meent_shared.auth import TokenVerifier, issue_token
from meent_shared.errors import Unauthorized
from meent_shared.settings import ServiceSettings


def _settings() -> ServiceSettings:
    return ServiceSettings(service_name="volunteers", jwt_secret="s" * 32)


async def test_a_remembered_token_is_refused_once_it_expires():
    settings = _settings()
    verifier = TokenVerifier(settings)
    token = issue_token(settings, sub="vera", roles=["citizen"], ttl_seconds=1)
    assert (await verifier.verify(token)).sub == "vera"
    assert (await verifier.verify(token)).sub == "vera"  # remembered
    await asyncio.sleep(1.1)
    with pytest.raises(Unauthorized) as refused:
        await verifier.verify(token)
    assert refused.value.code == "token_expired"


async def test_a_token_signed_with_another_secret_is_refused_after_a_good_one():
    settings = _settings()
    verifier = TokenVerifier(settings)
    good = issue_token(settings, sub="vera")
    forged = issue_token(
        ServiceSettings(service_name="volunteers", jwt_secret="x" * 32), sub="vera"
    )
    assert (await verifier.verify(good)).sub == "vera"
    with pytest.raises(Unauthorized):
        await verifier.verify(forged)
