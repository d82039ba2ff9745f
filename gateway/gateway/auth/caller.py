"""Who is calling the gateway, and the token that goes with their requests to the services."""

import time
from collections import defaultdict
from dataclasses import dataclass

from fastapi import Request

from gateway.auth.api_keys import principal_for_key
from gateway.config import GatewaySettings
from meent_shared.auth import Principal, issue_token
from meent_shared.errors import MeentError, Unauthorized
from meent_shared.runtime import ServiceRuntime


class TooManyRequests(MeentError):
    status_code = 429
    code = "rate_limited"


@dataclass
class Caller:
    principal: Principal | None
    upstream_token: str | None  # forwarded to the services, which verify it themselves


class KeyRateLimiter:
    """A token bucket per API key, in this replica's memory (N replicas allow N times the rate)."""

    def __init__(self, per_minute: int):
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.buckets: dict[str, tuple[float, float]] = defaultdict(lambda: (self.capacity, 0.0))

    def take(self, key: str) -> None:
        tokens, last = self.buckets[key]
        now = time.monotonic()
        tokens = min(self.capacity, tokens + (now - last) * self.rate) if last else tokens
        if tokens < 1:
            raise TooManyRequests("Rate limit reached for this API key; slow down")
        self.buckets[key] = (tokens - 1, now)


async def identify(
    request: Request, runtime: ServiceRuntime, settings: GatewaySettings, limiter: KeyRateLimiter
) -> Caller:
    """A bearer token is verified as every service does; an API key is exchanged for a
    short-lived internal token. Bad credentials are a 401, never silently anonymous."""
    if presented := request.headers.get("x-api-key"):
        async with runtime.session_factory() as session:
            principal = await principal_for_key(session=session, presented=presented)
        limiter.take(principal.sub)
        token = issue_token(
            settings,
            sub=principal.sub,
            name=principal.name,
            roles=[],
            scopes=sorted(principal.scopes),
            ttl_seconds=settings.api_key_token_seconds,
        )
        return Caller(principal, token)
    authorization = request.headers.get("authorization", "")
    if not authorization:
        return Caller(None, None)
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("Use Authorization: Bearer <token>", code="invalid_token")
    return Caller(await runtime.verifier.verify(token.strip()), token.strip())
