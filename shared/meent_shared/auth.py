"""Bearer JWTs: who is asking, and with which global roles and scopes.

Two kinds of token are accepted, told apart by their `alg`:
- asymmetric (RS/PS/ES/EdDSA) tokens from the identity provider, checked against its JWKS URL;
- HS256 tokens signed with the suite's own secret: the local dev issuer's, and the short-lived
  internal tokens the gateway mints for API keys.
Every token needs a valid signature, `exp`, `iss`, `aud` and `sub`; `alg: none` never passes, and an
HS256 token "signed" with a public key fails because the HMAC key is the secret, never a JWKS key.
"""

import time
from dataclasses import dataclass
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from meent_shared.errors import Forbidden, Unauthorized
from meent_shared.jwks import JwksCache
from meent_shared.settings import ServiceSettings

GLOBAL_ROLES = ("citizen", "maintenance", "grant_officer", "admin")
ASYMMETRIC_ALGORITHMS = [
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "EdDSA",
]

# A token's `claims` object (e.g. {"residence": "Gdańsk"}): attributes a call's voter rule may
# ask for. Only short string values are kept, and only so many of them.
MAX_CLAIMS = 20
MAX_CLAIM_LENGTH = 200

# Verified tokens kept in memory (per process), and for how long at most.
VERIFIED_MAX_TOKENS = 10_000
VERIFIED_TTL_SECONDS = 60.0


@dataclass(frozen=True)
class Principal:
    sub: str
    name: str | None
    roles: frozenset[str]
    scopes: frozenset[str]
    # The identity provider's attributes of the person (from the token's `claims` object),
    # as sorted (name, value) pairs: e.g. (("residence", "Gdańsk"),).
    claims: tuple[tuple[str, str], ...] = ()

    def claim(self, name: str) -> str | None:
        return dict(self.claims).get(name)

    @property
    def is_api_key(self) -> bool:
        return self.sub.startswith("key:")

    def has_role(self, *roles: str) -> bool:
        """Whether the person holds any of `roles`; `admin` holds them all."""
        return "admin" in self.roles or any(role in self.roles for role in roles)


class TokenVerifier:
    def __init__(self, settings: ServiceSettings):
        self.settings = settings
        self.secret = settings.jwt_secret_or_default
        self.jwks = JwksCache.for_settings(settings) if settings.jwks_url else None
        # token -> (principal, until when it is taken as verified): a caller's every request
        # sends the same token, and checking its signature is most of an authenticated
        # request's own CPU. Kept until the token's exp, at most VERIFIED_TTL_SECONDS.
        self._verified: dict[str, tuple[Principal, float]] = {}

    async def verify(self, token: str) -> Principal:
        known = self._verified.get(token)
        if known is not None and time.time() < known[1]:
            return known[0]
        principal, exp = await self._verify_signed(token)
        self._remember(token, principal, exp)
        return principal

    def _remember(self, token: str, principal: Principal, exp: float) -> None:
        if len(self._verified) >= VERIFIED_MAX_TOKENS:
            self._verified.pop(next(iter(self._verified)))  # the oldest
        self._verified[token] = (principal, min(exp, time.time() + VERIFIED_TTL_SECONDS))

    async def _verify_signed(self, token: str) -> tuple[Principal, float]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Unauthorized("Malformed bearer token", code="invalid_token") from exc
        alg = header.get("alg")
        if alg == "HS256" and self.secret:
            key: Any = self.secret
        elif alg in ASYMMETRIC_ALGORITHMS and self.jwks is not None:
            key = await self.jwks.key_for(header.get("kid"))
        else:
            raise Unauthorized(f"Token algorithm {alg!r} is not accepted", code="invalid_token")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[alg],
                audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("Token expired", code="token_expired") from exc
        except jwt.PyJWTError as exc:
            raise Unauthorized(f"Invalid token: {exc}", code="invalid_token") from exc
        return principal_from_claims(claims), float(claims["exp"])


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    roles = claims.get("roles") or claims.get("realm_access", {}).get("roles") or []
    scope = claims.get("scope") or ""
    sub = str(claims["sub"])
    # Anyone signed in is a citizen; an API key (`key:<id>`) is not a person.
    implied = [] if sub.startswith("key:") else ["citizen"]
    return Principal(
        sub=sub,
        name=claims.get("name"),
        roles=frozenset(r for r in [*roles, *implied] if isinstance(r, str)),
        scopes=frozenset(scope.split()) if isinstance(scope, str) else frozenset(),
        claims=_string_claims(claims.get("claims")),
    )


def _string_claims(value: Any) -> tuple[tuple[str, str], ...]:
    """The token's `claims` object as (name, value) pairs; anything but short strings ignored."""
    if not isinstance(value, dict):
        return ()
    kept = [
        (name, text)
        for name, text in value.items()
        if isinstance(name, str)
        and isinstance(text, str)
        and len(name) <= MAX_CLAIM_LENGTH
        and len(text) <= MAX_CLAIM_LENGTH
    ]
    return tuple(sorted(kept)[:MAX_CLAIMS])


def issue_token(
    settings: ServiceSettings,
    *,
    sub: str,
    name: str | None = None,
    roles: list[str] | tuple[str, ...] = ("citizen",),
    scopes: list[str] | tuple[str, ...] = (),
    ttl_seconds: int = 3600,
    claims: dict[str, str] | None = None,
) -> str:
    """An HS256 token signed with the suite's secret (dev issuer, internal API-key tokens)."""
    now = int(time.time())
    payload: dict[str, Any] = {
        "sub": sub,
        "name": name,
        "roles": list(roles),
        "scope": " ".join(scopes),
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if claims:
        payload["claims"] = dict(claims)
    return jwt.encode(payload, settings.jwt_secret_or_default, algorithm="HS256")


_bearer = HTTPBearer(auto_error=False)


async def optional_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal | None:
    if credentials is None:
        return None
    verifier: TokenVerifier = request.app.state.runtime.verifier
    return await verifier.verify(credentials.credentials)


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


async def required_principal(
    request: Request,
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    if principal is None:
        raise Unauthorized("Sign in first: this needs a bearer token", code="not_authenticated")
    _check_key_may(request, principal)
    return principal


async def signed_in_principal(request: Request) -> Principal:
    """`required_principal` for a handler FastAPI does not call (`meent_shared.direct`): the
    same bearer token, the same refusals."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()  # as FastAPI's HTTPBearer reads it
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("Sign in first: this needs a bearer token", code="not_authenticated")
    verifier: TokenVerifier = request.app.state.runtime.verifier
    principal = await verifier.verify(token)
    _check_key_may(request, principal)
    return principal


def _check_key_may(request: Request, principal: Principal) -> None:
    # API keys read by default; changing anything needs the `write` scope.
    if (
        principal.is_api_key
        and request.method not in SAFE_METHODS
        and "write" not in principal.scopes
    ):
        raise Forbidden("This API key may only read", code="read_only_key")


def require_role(*roles: str):
    """A dependency that lets through people holding one of `roles` (or admin)."""

    async def dependency(principal: Annotated[Principal, Depends(required_principal)]) -> Principal:
        if not principal.has_role(*roles):
            raise Forbidden(f"Needs one of the roles: {', '.join(roles)}", code="missing_role")
        return principal

    return dependency


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]
CurrentPrincipal = Annotated[Principal, Depends(required_principal)]
