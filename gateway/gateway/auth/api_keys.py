"""API keys for third-party apps: read scope by default. A key is exchanged for a short-lived
internal JWT (`sub = key:<id>`), so the services only ever verify JWTs."""

import datetime as dt
import hashlib
import hmac
import re
import secrets
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.auth.models import ApiKey
from meent_shared.auth import Principal
from meent_shared.errors import Forbidden, InvalidInput, NotFound, Unauthorized

KEY_PREFIX = "mk"
SCOPES = ("read", "write")
# Control characters, and halves of UTF-16 pairs: PostgreSQL's text refuses NUL and surrogates,
# and a name shown in a list is one line.
NOT_IN_A_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def format_key(key_id: uuid.UUID, secret: str) -> str:
    return f"{KEY_PREFIX}_{key_id.hex}_{secret}"


async def create_api_key(
    *, session: AsyncSession, name: str, scopes: list[str], by: Principal
) -> tuple[ApiKey, str]:
    """A new key and its secret, which is never stored and never shown again."""
    if not by.has_role("admin"):
        raise Forbidden("Only an admin issues API keys")
    if not name.strip() or len(name) > 200:
        raise InvalidInput("A key needs a name of 1 to 200 characters", loc=["name"])
    if NOT_IN_A_NAME.search(name):
        raise InvalidInput("A key's name is one line of text, no control characters", loc=["name"])
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise InvalidInput(f"Unknown scopes: {', '.join(unknown)}", loc=["scopes"])
    secret = secrets.token_urlsafe(32)
    key = ApiKey(
        name=name.strip(),
        secret_hash=_hash(secret),
        scopes=sorted(set(scopes) or {"read"}),
        created_by=by.sub,
    )
    session.add(key)
    await session.flush()
    return key, format_key(key.id, secret)


async def revoke_api_key(*, session: AsyncSession, key_id: uuid.UUID, by: Principal) -> ApiKey:
    if not by.has_role("admin"):
        raise Forbidden("Only an admin revokes API keys")
    key = await session.get(ApiKey, key_id)
    if key is None:
        raise NotFound(f"No API key {key_id}")
    key.revoked_at = key.revoked_at or dt.datetime.now(dt.UTC)
    await session.flush()
    return key


async def principal_for_key(*, session: AsyncSession, presented: str) -> Principal:
    """The principal a presented key stands for, or 401."""
    parts = presented.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        raise Unauthorized("Malformed API key", code="invalid_api_key")
    try:
        key_id = uuid.UUID(hex=parts[1])
    except ValueError:
        raise Unauthorized("Malformed API key", code="invalid_api_key") from None
    key = await session.get(ApiKey, key_id)
    if key is None or not hmac.compare_digest(key.secret_hash, _hash(parts[2])):
        raise Unauthorized("Unknown API key", code="invalid_api_key")
    if key.revoked_at is not None:
        raise Unauthorized("This API key has been revoked", code="revoked_api_key")
    return Principal(
        sub=f"key:{key.id}", name=key.name, roles=frozenset(), scopes=frozenset(key.scopes)
    )
