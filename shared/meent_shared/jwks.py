"""The identity provider's signing keys (its JWKS), cached so that no request waits on the provider.

- A token whose key is cached verifies from the cache. Once the keys are past most of their age a
  fetch starts in the background; the request that noticed does not wait for it.
- A failed fetch keeps the cached keys, for at most `max_stale_seconds` since the last good one,
  and the next try waits: `retry_seconds`, doubling up to the cache's age. So a provider that is
  down is asked about once per back-off step, not once per request.
- Only a key that is not cached (an unknown `kid`, or no keys yet) makes a request wait, for at most
  `timeout_seconds`, and only when a fetch may start; otherwise it gets its 401 at once.
- However many requests need a fetch at once, there is one fetch, and they all share it.
"""

import asyncio
import logging
import ssl
import time
from collections.abc import Callable
from typing import Any

import certifi
import httpx
import jwt

from meent_shared.errors import Unauthorized
from meent_shared.settings import ServiceSettings

log = logging.getLogger("meent.auth")

# Keys are fetched again in the background once they are this share of the cache's age old.
REFRESH_AHEAD_SHARE = 0.8


class JwksCache:
    def __init__(
        self,
        url: str,
        *,
        cache_seconds: float = 600.0,
        retry_seconds: float = 30.0,
        timeout_seconds: float = 3.0,
        max_stale_seconds: float = 86_400.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.url = url
        self.refresh_after = cache_seconds * REFRESH_AHEAD_SHARE
        self.retry_seconds = retry_seconds
        self.max_backoff = max(retry_seconds, cache_seconds)
        self.timeout_seconds = timeout_seconds
        self.max_stale_seconds = max_stale_seconds
        self._clock = clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None  # of the keys held, by `clock`
        self._next_fetch_at = 0.0  # no fetch starts before this (rate limit and back-off)
        self._failures = 0  # fetches failed in a row
        self._fetch: asyncio.Task[None] | None = None  # the one fetch under way
        self._tls: ssl.SSLContext | None = None  # made once: loading the CA bundle takes a while

    @classmethod
    def for_settings(cls, settings: ServiceSettings) -> "JwksCache":
        return cls(
            settings.jwks_url,
            cache_seconds=settings.jwks_cache_seconds,
            retry_seconds=settings.jwks_retry_seconds,
            timeout_seconds=settings.jwks_timeout_seconds,
            max_stale_seconds=settings.jwks_max_stale_seconds,
        )

    async def key_for(self, kid: str | None) -> Any:
        self._refresh_ahead()
        key = self._cached(kid)
        if key is None:
            await self._wait_for_fetch()
            key = self._cached(kid)
        if key is not None:
            return key
        if self._failures and not self._has_fresh_enough_keys():
            raise Unauthorized(
                "Cannot verify tokens now: the identity provider's key set is unavailable",
                code="invalid_token",
            )
        raise Unauthorized("Token signed with an unknown key", code="invalid_token")

    def _cached(self, kid: str | None) -> Any:
        if not self._has_fresh_enough_keys():
            return None
        if kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        return self._keys.get(kid or "")

    def _has_fresh_enough_keys(self) -> bool:
        if self._fetched_at is None:
            return False
        return self._clock() - self._fetched_at <= self.max_stale_seconds

    def _refresh_ahead(self) -> None:
        """Start a background fetch when the keys are getting old; nobody waits for it."""
        if self._fetched_at is None or self._clock() - self._fetched_at < self.refresh_after:
            return
        if self._may_start_fetch():
            self._start_fetch()

    async def _wait_for_fetch(self) -> None:
        """Join the fetch under way, or start one if allowed, and wait for it."""
        if self._fetch is None:
            if not self._may_start_fetch():
                return
            self._start_fetch()
        assert self._fetch is not None
        # shield: a caller that disconnects does not cancel the others' fetch. The fetch itself is
        # bounded by the timeout, so this wait is too.
        await asyncio.shield(self._fetch)

    def _may_start_fetch(self) -> bool:
        return self._fetch is None and self._clock() >= self._next_fetch_at

    def _start_fetch(self) -> None:
        self._fetch = asyncio.get_running_loop().create_task(self._run_fetch())

    async def _run_fetch(self) -> None:
        try:
            # One bound for the whole fetch (httpx's timeout holds per connect, read, write).
            keys = await asyncio.wait_for(self._download(), self.timeout_seconds)
        except (
            httpx.HTTPError,
            jwt.PyJWKSetError,
            jwt.PyJWKError,
            ValueError,
            TimeoutError,
        ) as exc:
            self._failures += 1
            backoff = min(self.retry_seconds * 2 ** (self._failures - 1), self.max_backoff)
            self._next_fetch_at = self._clock() + backoff
            log.warning(
                "identity provider's key set unavailable; keeping the cached keys",
                extra={"jwks_url": self.url, "error": repr(exc), "retry_in_s": backoff},
            )
        else:
            self._keys = keys
            self._fetched_at = self._clock()
            self._failures = 0
            self._next_fetch_at = self._fetched_at + self.retry_seconds
        finally:
            self._fetch = None

    async def _download(self) -> dict[str, jwt.PyJWK]:
        if self._tls is None:
            self._tls = ssl.create_default_context(cafile=certifi.where())
        async with httpx.AsyncClient(timeout=self.timeout_seconds, verify=self._tls) as client:
            answer = await client.get(self.url)
            answer.raise_for_status()
            body = answer.json()
        return parse_key_set(body)


def parse_key_set(body: object) -> dict[str, jwt.PyJWK]:
    """The keys of a JWKS document by `kid`; anything else a provider may answer (`[]`, `null`, a
    key without its parts) is a ValueError, so it counts as a failed fetch like a timeout does."""
    if not isinstance(body, dict) or not isinstance(body.get("keys"), list):
        raise ValueError("not a JWK Set: a JSON object with a list of keys is expected")
    try:
        jwks = jwt.PyJWKSet.from_dict(body)
    except (KeyError, TypeError, AttributeError) as exc:  # a key missing one of its parts
        raise ValueError(f"malformed key in the JWK Set: {exc!r}") from None
    return {key.key_id or "": key for key in jwks.keys}
