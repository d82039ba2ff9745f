"""Dead letters: what a consumer could not apply, parked with the reason so the stream moves on.
Each service keeps its own, in its own database, like the inbox.

Reasons: `failed` (the handler failed on every delivery JetStream makes), `no_answer` (JetStream
gave up on a message no delivery answered: the consumer died each time), and the rejected ones
(see `admission`): `malformed`, `unknown_type` (e.g. a `.v2` this consumer does not know yet) and
`forged`. A rejected message is kept as it came (body and headers) under an id of its own, derived
from its place in the stream: its event id, if any, is not to be trusted.

An operator fixes the cause (a bug, a missing row, a consumer that now knows the type) and replays
(`python -m <service>.worker replay-dead-letters`): failed events go through the same inbox path as
a delivery, rejected messages go through the consumer's checks again first and stay parked while
still rejected. Forged ones are never replayed unless named with `--id` and `--accept-forged` (an
operator who judged them genuine). An event applied meanwhile, or replayed twice, is found in the
inbox and changes nothing.
"""

import hashlib
import json
import logging
import traceback
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession

from meent_shared.events.admission import Rejection
from meent_shared.events.envelope import CloudEvent

log = logging.getLogger("meent.events.dead_letters")

# Enough of a traceback to find the failing line; the event itself is stored whole.
ERROR_CHARS = 4000
FAILED, NO_ANSWER = "failed", "no_answer"
# Rejected messages' dead-letter ids: the same message parked twice (a redelivery) is one row.
_REJECTED_IDS = uuid.UUID("5b0c6f4e-8a51-4d0e-9d43-0f6c3a3c2e7d")


def dead_letter_table(metadata: MetaData) -> Table:
    return Table(
        "dead_letter",
        metadata,
        # The event's id (failed, no_answer); for a rejected message, see `rejected_id`.
        Column("event_id", UUID(as_uuid=True), primary_key=True),
        Column("reason", String, nullable=False, server_default=FAILED),
        Column("stream", String, nullable=False),
        Column("subject", String, nullable=False),
        Column("type", String),
        # The CloudEvent, when it could be read and stored as JSON.
        Column("event", JSONB),
        # The message as it came, for a rejected one (or an event JSON cannot hold).
        Column("body", LargeBinary),
        Column("headers", JSONB),
        Column("error", Text, nullable=False),
        Column("deliveries", Integer, nullable=False),
        Column("parked_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("replayed_at", DateTime(timezone=True)),
        # Operators and /metrics look at the ones still waiting for a replay.
        Index("ix_dead_letter_waiting", "parked_at", postgresql_where=text("replayed_at IS NULL")),
    )


def describe(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))[-ERROR_CHARS:]


def _text(value: str) -> str:
    """PostgreSQL text cannot hold NUL: what came in a message may."""
    return value.replace("\x00", "\ufffd")


def _storable(event: CloudEvent | None) -> tuple[dict[str, Any] | None, bytes | None]:
    """(event JSON, body): JSONB cannot hold a NUL character either, so such an event is stored
    as its bytes instead."""
    if event is None:
        return None, None
    body = event.model_dump_json()
    if "\\u0000" in body:
        return None, body.encode()
    return json.loads(body), None


def rejected_id(stream: str, sequence: int, body: bytes) -> uuid.UUID:
    digest = hashlib.sha256(body).hexdigest()
    return uuid.uuid5(_REJECTED_IDS, f"{stream}:{sequence}:{digest}")


async def park(
    session: AsyncSession,
    table: Table,
    *,
    event: CloudEvent,
    stream: str,
    subject: str,
    error: str,
    deliveries: int,
    reason: str = FAILED,
) -> None:
    """Record the event as dead, inside the caller's transaction (once per event id)."""
    stored, body = _storable(event)
    values: dict[str, Any] = {
        "event_id": event.id,
        "reason": reason,
        "stream": stream,
        "subject": _text(subject),
        "type": event.type,
        "event": stored,
        "body": body,
        "error": _text(error),
        "deliveries": deliveries,
    }
    statement = insert(table).values(**values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["event_id"],
            set_={"error": values["error"], "deliveries": deliveries, "replayed_at": None},
        )
    )


async def park_rejected(
    session: AsyncSession,
    table: Table,
    *,
    rejection: Rejection,
    stream: str,
    sequence: int,
    subject: str,
    body: bytes,
    headers: Mapping[str, str] | None,
    deliveries: int,
) -> uuid.UUID:
    """Record a rejected message as it came, inside the caller's transaction; returns its
    dead-letter id. Parking the same message again (a redelivery) changes nothing."""
    dead_letter_id = rejected_id(stream, sequence, body)
    event = rejection.event
    values: dict[str, Any] = {
        "event_id": dead_letter_id,
        "reason": rejection.reason,
        "stream": stream,
        "subject": _text(subject),
        "type": _text(event.type) if event is not None else None,
        "event": None,
        "body": body,
        "headers": {_text(k): _text(v) for k, v in (headers or {}).items()},
        "error": _text(rejection.error)[-ERROR_CHARS:],
        "deliveries": deliveries,
    }
    await session.execute(
        insert(table).values(**values).on_conflict_do_nothing(index_elements=["event_id"])
    )
    return dead_letter_id


async def count_waiting(session: AsyncSession, table: Table) -> int:
    query = select(func.count()).select_from(table).where(table.c.replayed_at.is_(None))
    return int(await session.scalar(query) or 0)
