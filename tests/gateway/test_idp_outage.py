"""When the identity provider is down or hangs, signed-in people keep working: tokens verify from
the cached keys without waiting on the provider, the provider is not hammered, and the keys it
rotates in come through once it is back. A real JWKS server on a real port, stopped and started."""

import asyncio
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from meent_shared.auth import TokenVerifier
from meent_shared.errors import Unauthorized
from meent_shared.local.ports import free_port
from meent_shared.settings import ServiceSettings

ISSUER = "https://id.example.test/realms/meent"
AUDIENCE = "meent"
# Short ages so that a test outlives them; the defaults are minutes.
TIMINGS = {
    "jwks_cache_seconds": 0.5,
    "jwks_retry_seconds": 0.3,
    "jwks_timeout_seconds": 1.0,
}
QUICK = 0.1  # seconds: an answer from the cache, not from a wait on the provider


class IdentityProvider:
    """A JWKS endpoint on a fixed port that can be stopped, started again, or made to fail."""

    def __init__(self) -> None:
        self.port = free_port()
        self.keys = {"k1": rsa.generate_private_key(public_exponent=65537, key_size=2048)}
        self.stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.fetches = 0
        self.status = 200
        self.body: bytes | None = None  # answered with 200 instead of the key set, when set
        self.delay = 0.0
        self.server: ThreadingHTTPServer | None = None
        self.stuck: socket.socket | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/certs"

    def jwks(self) -> bytes:
        keys = [
            {**jwt.algorithms.RSAAlgorithm.to_jwk(k.public_key(), as_dict=True), "kid": kid}
            for kid, k in self.keys.items()
        ]
        return json.dumps({"keys": keys}).encode()

    def start(self) -> None:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                provider.fetches += 1
                time.sleep(provider.delay)
                body = provider.jwks() if provider.status == 200 else b"{}"
                body = provider.body if provider.body is not None else body
                self.send_response(provider.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        if self.stuck is not None:
            self.stuck.close()
            self.stuck = None

    def hang(self) -> None:
        """Up but stuck: the port accepts connections and never answers."""
        self.stop()
        self.stuck = socket.socket()
        self.stuck.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.stuck.bind(("127.0.0.1", self.port))
        self.stuck.listen(64)

    def token(self, kid: str = "k1") -> str:
        now = int(time.time())
        claims = {"sub": "anna", "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 300}
        key = self.keys.get(kid, self.stranger)  # a key it does not publish (yet)
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


@pytest.fixture
def idp():
    provider = IdentityProvider()
    provider.start()
    yield provider
    provider.stop()


def verifier_for(idp: IdentityProvider, **changes) -> TokenVerifier:
    settings = {"jwks_url": idp.url, "jwt_issuer": ISSUER, "jwt_audience": AUDIENCE, **TIMINGS}
    return TokenVerifier(ServiceSettings(mode="local", **{**settings, **changes}))


async def timed(verifier: TokenVerifier, token: str) -> tuple[float, str]:
    """(seconds taken, the subject or the refusal's message)."""
    started = time.perf_counter()
    try:
        outcome = (await verifier.verify(token)).sub
    except Unauthorized as refused:
        outcome = refused.msg
    return time.perf_counter() - started, outcome


async def test_people_stay_signed_in_while_the_provider_is_down(start_service, idp):
    spaces = await start_service(
        "spaces",
        run_workers=False,
        mode="production",
        jwks_url=idp.url,
        jwt_issuer=ISSUER,
        jwt_audience=AUDIENCE,
        jwt_secret="s3cret-" * 6,
        # A production password: the broker refuses it, and this test needs no events.
        nats_password="not-the-test-servers-" * 2,
        **TIMINGS,
    )
    headers = {"Authorization": f"Bearer {idp.token()}"}
    assert (await spaces.client.post("/projects", json={"name": "a"}, headers=headers)).is_success
    idp.stop()
    await asyncio.sleep(1.2)  # past the keys' cache age, and past a back-off step
    for n in range(5):
        made = await spaces.client.post("/projects", json={"name": f"b{n}"}, headers=headers)
        assert made.status_code == 201, made.text
        await asyncio.sleep(0.2)


async def test_requests_never_wait_on_a_stuck_provider_for_a_cached_key(idp):
    verifier = verifier_for(idp)
    assert (await timed(verifier, idp.token()))[1] == "anna"
    idp.hang()
    await asyncio.sleep(0.6)
    answers = [await timed(verifier, idp.token()) for _ in range(20)]
    answers += await asyncio.gather(*(timed(verifier, idp.token()) for _ in range(50)))
    assert {outcome for _, outcome in answers} == {"anna"}
    assert max(seconds for seconds, _ in answers) < QUICK


async def test_an_unknown_key_is_refused_at_once_after_a_failed_fetch(idp):
    verifier = verifier_for(idp)
    assert (await timed(verifier, idp.token()))[1] == "anna"
    await asyncio.sleep(0.35)  # past the least time between two fetches
    idp.hang()
    unknown = idp.token("k-new")
    waited, outcome = await timed(verifier, unknown)
    assert outcome == "Token signed with an unknown key"
    assert waited < TIMINGS["jwks_timeout_seconds"] + 0.1  # the one wait, bounded
    # The provider just failed: until the back-off has passed nobody waits on it again.
    answers = await asyncio.gather(*(timed(verifier, unknown) for _ in range(20)))
    assert max(seconds for seconds, _ in answers) < QUICK
    assert (await timed(verifier, idp.token()))[1] == "anna"


async def test_concurrent_requests_share_one_fetch(idp):
    idp.delay = 0.3
    verifier = verifier_for(idp)
    answers = await asyncio.gather(*(timed(verifier, idp.token()) for _ in range(30)))
    assert {outcome for _, outcome in answers} == {"anna"}
    assert idp.fetches == 1


async def test_a_failing_provider_is_asked_once_per_back_off_step(idp):
    verifier = verifier_for(idp)
    assert (await timed(verifier, idp.token()))[1] == "anna"
    idp.status = 503
    fetched_before = idp.fetches
    finish = time.monotonic() + 2.0
    while time.monotonic() < finish:  # 200 requests a second, some with keys it does not know
        await asyncio.gather(timed(verifier, idp.token()), timed(verifier, idp.token("k-x")))
        await asyncio.sleep(0.01)
    # Back-off 0.3, 0.5, 0.5 ... s after the keys' 0.4 s: at most 5 tries in 2 s (old code: 60+).
    assert 1 <= idp.fetches - fetched_before <= 5
    assert (await timed(verifier, idp.token()))[1] == "anna"


async def test_keys_rotated_in_while_it_was_down_come_through_when_it_is_back(idp):
    verifier = verifier_for(idp)
    assert (await timed(verifier, idp.token()))[1] == "anna"
    idp.stop()
    await asyncio.sleep(0.6)
    await timed(verifier, idp.token())  # starts a fetch in the background, which fails
    idp.keys["k2"] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    idp.start()

    async def rotated_key_verifies() -> bool:
        return (await timed(verifier, idp.token("k2")))[1] == "anna"

    deadline = time.monotonic() + 3
    while not await rotated_key_verifies():
        assert time.monotonic() < deadline, "the rotated key never came through"
        await asyncio.sleep(0.1)
    assert (await timed(verifier, idp.token("k1")))[1] == "anna"


async def test_cached_keys_are_not_trusted_for_ever(idp):
    verifier = verifier_for(idp, jwks_max_stale_seconds=1.5)
    assert (await timed(verifier, idp.token()))[1] == "anna"
    fetched = time.monotonic()
    idp.stop()
    await asyncio.sleep(fetched + 0.8 - time.monotonic())
    assert (await timed(verifier, idp.token()))[1] == "anna"
    await asyncio.sleep(fetched + 1.8 - time.monotonic())
    outcome = (await timed(verifier, idp.token()))[1]
    assert outcome == "Cannot verify tokens now: the identity provider's key set is unavailable"


@pytest.mark.parametrize(
    "garbage", [b"[]", b"null", b'"x"', b'{"keys": {}}', b'{"keys": [{"kty": "RSA"}]}']
)
async def test_a_provider_answering_garbage_is_a_failed_fetch(idp, garbage):
    """200 with something that is no key set: the cached keys stay, an unknown key is a 401 (not
    a 500), and the provider is asked again only after the back-off."""
    verifier = verifier_for(idp)
    assert (await timed(verifier, idp.token()))[1] == "anna"
    idp.body = garbage
    await asyncio.sleep(0.6)  # past the keys' cache age
    fetched_before = idp.fetches
    for _ in range(20):
        assert (await timed(verifier, idp.token()))[1] == "anna"
        took, outcome = await timed(verifier, idp.token("k-x"))
        assert outcome != "anna" and took < 1.5
    assert 1 <= idp.fetches - fetched_before <= 2
