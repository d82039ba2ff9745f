"""`Idempotency-Key` for submissions (POST /hours, POST /hours/{id}/corrections).

A phone in a park retries; the retry must not log the hours twice. The key is scoped to the caller
and kept 24 h. In the submission's own transaction: a try-lock on (caller, key) — a request already
holding it means "in flight" (409) — then the stored answer if there is one (same body: replayed;
another body: 422), else the work, then the key is stored with its entry. A refusal rolls back the
transaction, key included: only successful answers are kept.
"""

import asyncio
import contextlib
import datetime as dt
import hashlib
import json
import logging
import re
import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import Response
from sqlalchemy import delete, func, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from meent_shared.errors import Conflict, InvalidInput
from volunteers.hours.models import HourEntryPublic, IdempotencyKey
from volunteers.hours.rules import IDEMPOTENCY_LOCK

log = logging.getLogger("meent.volunteers.idempotency")

KEEP = dt.timedelta(hours=24)
HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
_KEY = re.compile(r"^[\x20-\x7e]{1,255}$")


@dataclass(frozen=True)
class Claim:
    """A caller's key for one request: its body's hash, and the entry a previous try created."""

    person_id: str
    key: str
    request_hash: str
    replay_entry_id: uuid.UUID | None = None
    replay_status: int | None = None


def checked_key(key: str) -> str:
    if not _KEY.match(key):
        raise InvalidInput(
            f"{HEADER} must be 1 to 255 printable ASCII characters",
            code="bad_idempotency_key",
            loc=["header", HEADER],
        )
    return key


def request_hash(operation: str, body: dict[str, Any]) -> str:
    """SHA-256 of the operation and its body, canonical (sorted keys): a key reused for another
    request is recognised whatever the JSON's key order or spacing."""
    canonical = json.dumps([operation, body], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


async def claim(
    session: AsyncSession, person_id: str, key: str, operation: str, body: dict[str, Any]
) -> Claim:
    """Hold (caller, key) for this transaction and say whether it was answered before."""
    checked_key(key)
    digest = request_hash(operation, body)
    locked = await session.execute(
        text("SELECT pg_try_advisory_xact_lock(:space, hashtext(:person || '|' || :key))"),
        {"space": IDEMPOTENCY_LOCK, "person": person_id, "key": key},
    )
    if not locked.scalar_one():
        raise Conflict(
            "A request with this Idempotency-Key is still being answered; retry shortly",
            code="idempotency_key_in_flight",
        )
    await _forget_expired(session, person_id, key)
    stored = await session.get(IdempotencyKey, (person_id, key))
    if stored is None:
        return Claim(person_id, key, digest)
    if stored.request_hash != digest:
        raise InvalidInput(
            f"This {HEADER} was used for another request; use a new key",
            code="idempotency_key_reused",
            loc=["header", HEADER],
        )
    return Claim(person_id, key, digest, stored.entry_id, stored.status_code)


async def _forget_expired(session: AsyncSession, person_id: str, key: str) -> None:
    await session.execute(
        delete(IdempotencyKey).where(
            col(IdempotencyKey.person_id) == person_id,
            col(IdempotencyKey.key) == key,
            col(IdempotencyKey.created_at) < func.now() - KEEP,
        )
    )


def replayed(entry: HourEntryPublic, claimed: Claim, response: Response) -> HourEntryPublic:
    """`entry` as the answer to a replay: the first try's status, and the replay header."""
    response.status_code = claimed.replay_status or 201
    response.headers[REPLAYED_HEADER] = "true"
    return entry


async def remember(
    session: AsyncSession, claimed: Claim, status_code: int, entry_id: uuid.UUID
) -> None:
    """Store the successful answer, in the transaction that produced it."""
    session.add(
        IdempotencyKey(
            person_id=claimed.person_id,
            key=claimed.key,
            request_hash=claimed.request_hash,
            status_code=status_code,
            entry_id=entry_id,
        )
    )
    await session.flush()


async def forget_expired_keys(session: AsyncSession) -> int:
    """Delete every key older than 24 h (besides the lazy deletion on each use)."""
    result = await session.execute(
        delete(IdempotencyKey).where(col(IdempotencyKey.created_at) < func.now() - KEEP)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# Keys expire after a day; deleting them hourly keeps the table near one day's submissions.
FORGET_EVERY_SECONDS = 3600.0


async def forget_expired_keys_periodically(
    session_factory: async_sessionmaker[AsyncSession],
    stop: asyncio.Event,
    every_seconds: float = FORGET_EVERY_SECONDS,
) -> None:
    """`forget_expired_keys` now and then every `every_seconds` until told to stop (a job of the
    runtime's workers, beside the event pruning)."""
    while not stop.is_set():
        try:
            async with session_factory() as session, session.begin():
                forgotten = await forget_expired_keys(session)
            if forgotten:
                log.info("forgot expired idempotency keys", extra={"keys": forgotten})
        except Exception as exc:  # database away: try at the next round
            log.warning("forgetting idempotency keys failed", extra={"error": repr(exc)})
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_seconds)
