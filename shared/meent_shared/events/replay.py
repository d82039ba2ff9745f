"""Replaying dead letters (`python -m <service>.worker replay-dead-letters`), each in its own
transaction, through the inbox: an event applied meanwhile, or replayed twice, changes nothing.

- `failed` and `no_answer` events are applied again; a failure keeps them parked.
- `malformed` and `unknown_type` messages go through the consumer's checks again (`admission`):
  one this version understands (the `.v2` it now knows) is applied; one still rejected stays.
- `forged` messages are never applied by a plain replay: they are reported and stay parked. Only an
  operator who names one (`--id`) and says `--accept-forged` has it applied, as it is.
"""

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from meent_shared.events.admission import FORGED, Rejection, admit
from meent_shared.events.dead_letters import describe
from meent_shared.events.envelope import CloudEvent
from meent_shared.events.inbox import Handler, apply_once
from meent_shared.events.streams import service_of_stream

log = logging.getLogger("meent.events.replay")


@dataclass
class ReplayReport:
    replayed: list[str] = field(default_factory=list)  # applied now
    duplicates: list[str] = field(default_factory=list)  # already in the inbox: no effect
    failed: dict[str, str] = field(default_factory=dict)  # still failing: stays parked
    not_waiting: list[str] = field(default_factory=list)  # unknown id, or replayed before
    # Still rejected by the consumer's checks (or forged, not accepted): stays parked.
    rejected: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ReplayRequest:
    ids: Sequence[uuid.UUID] = ()
    limit: int = 1000
    # Apply the forged messages among `ids` as they are (never without ids).
    accept_forged: bool = False


async def replay(
    session_factory: async_sessionmaker[AsyncSession],
    *,
    dead_letters: Table,
    inbox: Table,
    handlers: dict[str, Handler],
    request: ReplayRequest,
) -> ReplayReport:
    """Replay the given ids, or the oldest `limit` waiting; a success marks the row replayed."""
    report = ReplayReport()
    async with session_factory() as session:
        query = select(dead_letters.c.event_id).where(dead_letters.c.replayed_at.is_(None))
        if request.ids:
            query = query.where(dead_letters.c.event_id.in_(request.ids))
        waiting = list(await session.scalars(query.order_by("parked_at").limit(request.limit)))
    report.not_waiting = [str(i) for i in request.ids if i not in set(waiting)]
    accept_forged = request.accept_forged and bool(request.ids)
    for dead_letter_id in waiting:
        async with session_factory() as session, session.begin():
            replaying = _Replay(session, dead_letters, inbox, handlers, report, accept_forged)
            await replaying.one(dead_letter_id)
    return report


@dataclass
class _Replay:
    session: AsyncSession
    dead_letters: Table
    inbox: Table
    handlers: dict[str, Handler]
    report: ReplayReport
    accept_forged: bool

    async def one(self, dead_letter_id: uuid.UUID) -> None:
        table = self.dead_letters
        row = (
            await self.session.execute(
                select(table)
                .where(table.c.event_id == dead_letter_id, table.c.replayed_at.is_(None))
                .with_for_update(skip_locked=True)  # another replay has it: leave it to that one
            )
        ).first()
        key = str(dead_letter_id)
        if row is None:
            self.report.not_waiting.append(key)
            return
        event = self._event(row)
        if isinstance(event, Rejection):
            self.report.rejected[key] = f"{event.reason}: {event.error}"
            return
        try:
            applied = await apply_once(self.session, self.inbox, self.handlers[event.type], event)
        except Exception as exc:
            log.warning("replay failed", extra={"id": key, "error": repr(exc)})
            self.report.failed[key] = f"{type(exc).__name__}: {exc}"
            await self._mark(dead_letter_id, error=describe(exc))
            return
        (self.report.replayed if applied else self.report.duplicates).append(key)
        await self._mark(dead_letter_id, replayed_at=func.now())

    def _event(self, row: Any) -> CloudEvent | Rejection:
        """The event to apply, or why it stays parked."""
        if row.reason == FORGED:
            if self.accept_forged and row.body is not None:
                return CloudEvent.model_validate_json(row.body)
            return Rejection(FORGED, "never replayed without --id and --accept-forged")
        if row.event is not None and row.headers is None:  # an event that passed the checks
            return CloudEvent.model_validate(row.event)
        # A rejected message (or one stored as bytes): checked again, as a delivery would be.
        producer = service_of_stream(row.stream)
        admitted = admit(row.subject, row.body or b"", row.headers, producer)
        if not isinstance(admitted, Rejection) and admitted.type not in self.handlers:
            return Rejection(row.reason, f"this service has no handler for {admitted.type}")
        return admitted

    async def _mark(self, dead_letter_id: uuid.UUID, **values: Any) -> None:
        table = self.dead_letters
        await self.session.execute(
            update(table).where(table.c.event_id == dead_letter_id).values(**values)
        )
