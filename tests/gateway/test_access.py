"""Bearer JWTs against a real JWKS server; the dev issuer only in local mode."""

import base64
import hashlib
import hmac
import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from meent_shared.local.ports import free_port

ISSUER = "https://id.example.test/realms/meent"
AUDIENCE = "meent"
GQL = {"Accept": "application/graphql-response+json"}


@pytest.fixture(scope="module")
def signing_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def jwks_url(signing_key):
    public = jwt.algorithms.RSAAlgorithm.to_jwk(signing_key.public_key(), as_dict=True)
    body = json.dumps({"keys": [{**public, "kid": "k1", "use": "sig", "alg": "RS256"}]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/certs"
    server.shutdown()


def claims(**changes):
    now = int(time.time())
    return {
        "sub": "anna",
        "name": "Anna",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + 300,
        "roles": ["citizen"],
        **changes,
    }


def signed(signing_key, kid="k1", **changes) -> str:
    return jwt.encode(claims(**changes), signing_key, algorithm="RS256", headers={"kid": kid})


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(header: dict, payload: dict, key: bytes | None = None) -> str:
    head = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    if key is None:
        return head + "."
    return head + "." + b64(hmac.new(key, head.encode(), hashlib.sha256).digest())


@pytest.fixture
async def production(start_service, jwks_url):
    """spaces and the gateway as in production: JWKS, issuer, audience, a real secret."""
    settings = {
        "mode": "production",
        "jwks_url": jwks_url,
        "jwt_issuer": ISSUER,
        "jwt_audience": AUDIENCE,
        "jwt_secret": "s3cret-" * 6,
        "nats_password": "not-the-test-servers-" * 2,  # so these run without NATS
        "run_workers": False,
    }
    return await start_service("spaces", **settings), await start_service("gateway", **settings)


async def create_project(spaces, token: str):
    return await spaces.client.post(
        "/projects", json={"name": "Tuin"}, headers={"Authorization": f"Bearer {token}"}
    )


async def test_a_valid_token_from_the_identity_provider_is_accepted(production, signing_key):
    spaces, gateway = production
    token = signed(signing_key)
    assert (await create_project(spaces, token)).status_code == 201
    me = await gateway.client.post(
        "/graphql",
        json={"query": "{ me { sub name roles } }"},
        headers={**GQL, "Authorization": f"Bearer {token}"},
    )
    assert me.json()["data"]["me"] == {"sub": "anna", "name": "Anna", "roles": ["citizen"]}


def forged_tokens(signing_key):
    public_pem = signing_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return {
        "expired": signed(signing_key, exp=int(time.time()) - 10),
        "wrong issuer": signed(signing_key, iss="https://evil.example/realms/meent"),
        "wrong audience": signed(signing_key, aud="someone-else"),
        "alg none": unsigned({"alg": "none", "typ": "JWT"}, claims()),
        "HS256 signed with the RSA public key": unsigned(
            {"alg": "HS256", "typ": "JWT", "kid": "k1"}, claims(), key=public_pem
        ),
        "signed by another key": signed(other_key),
        "no expiry": jwt.encode(
            {k: v for k, v in claims().items() if k != "exp"},
            signing_key,
            algorithm="RS256",
            headers={"kid": "k1"},
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "expired",
        "wrong issuer",
        "wrong audience",
        "alg none",
        "HS256 signed with the RSA public key",
        "signed by another key",
        "no expiry",
    ],
)
async def test_a_bad_token_is_refused_with_401(production, signing_key, case):
    spaces, gateway = production
    token = forged_tokens(signing_key)[case]
    answer = await create_project(spaces, token)
    assert answer.status_code == 401, answer.text
    assert answer.headers["www-authenticate"] == "Bearer"
    through_gateway = await gateway.client.post(
        "/graphql",
        json={"query": "{ me { sub } }"},
        headers={**GQL, "Authorization": f"Bearer {token}"},
    )
    assert through_gateway.status_code == 401


async def test_the_dev_issuer_answers_in_local_mode(start_service):
    gateway = await start_service("gateway", run_workers=False)
    answer = await gateway.client.post(
        "/auth/dev-token", json={"sub": "piotr", "name": "Piotr", "roles": ["maintenance"]}
    )
    assert answer.status_code == 200
    token = answer.json()["access_token"]
    me = await gateway.client.post(
        "/graphql",
        json={"query": "{ me { sub name roles } }"},
        headers={**GQL, "Authorization": f"Bearer {token}"},
    )
    assert me.json()["data"]["me"] == {
        "sub": "piotr",
        "name": "Piotr",
        "roles": ["citizen", "maintenance"],
    }


async def test_the_dev_issuer_refuses_unknown_roles(start_service):
    gateway = await start_service("gateway", run_workers=False)
    answer = await gateway.client.post("/auth/dev-token", json={"sub": "x", "roles": ["king"]})
    assert answer.status_code == 422


async def test_the_dev_issuer_does_not_exist_outside_local_mode(production):
    _, gateway = production
    answer = await gateway.client.post(
        "/auth/dev-token", json={"sub": "mallory", "roles": ["admin"]}
    )
    assert answer.status_code == 404


@pytest.mark.parametrize("app", ["spaces.main", "gateway.main"])
def test_outside_local_mode_a_process_refuses_to_start_without_secrets(app):
    started = subprocess.run(
        [sys.executable, "-c", f"import {app} as m; m.create_app()"],
        env={"MEENT_MODE": "production", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode != 0
    assert "MEENT_JWKS_URL is required" in started.stderr


async def test_an_api_key_is_rate_limited(start_service, auth_header):
    gateway = await start_service("gateway", run_workers=False, api_key_requests_per_minute=3)
    made = await gateway.client.post(
        "/graphql",
        json={
            "query": 'mutation { createApiKey(name: "busy app") { ... on NewApiKey { secret } } }'
        },
        headers={**GQL, **auth_header("root", ["admin"])},
    )
    secret = made.json()["data"]["createApiKey"]["secret"]
    statuses = []
    for _ in range(4):
        answer = await gateway.client.post(
            "/graphql", json={"query": "{ me { sub } }"}, headers={**GQL, "X-API-Key": secret}
        )
        statuses.append(answer.status_code)
    assert statuses == [200, 200, 200, 429]
    assert "Rate limit" in answer.json()["errors"][0]["message"]
