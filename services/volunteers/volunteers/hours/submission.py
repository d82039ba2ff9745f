"""A volunteer's `POST /hours`: the hot path of the service, so one statement on asyncpg itself.

`log_hours` (migrations 0007, 0008) checks the facts the rules need (project and site known, not a future
day, a member that day), takes the (person, day) advisory lock, counts the day and inserts the
entry and its outbox row — one round trip. Without an Idempotency-Key the entry goes to the
`SubmissionBatcher`, which runs it on a connection of asyncpg's own pool (`open_pool`), outside
any transaction (its own commit ends the lock) — alone, or with the entries of other requests
that arrived while earlier ones were in the database (`log_hours_batch`, migration 0009). With a
key, it runs inside the session's transaction beside the key (the lock then lasts until that
commit). The rules, their order and their refusals are those of `service` (edits, corrections)
and the CSV import.
"""

import asyncio
import copy
import datetime as dt
import functools
import logging
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from meent_shared.auth import Principal
from meent_shared.db import driver_connect_args
from meent_shared.events.outbox import OutboxJson, outbox_json
from volunteers.hours import events, rules
from volunteers.hours.models import (
    MINUTES_PER_DAY,
    HourActivity,
    HourEntryCreate,
    HourEntryPublic,
    HourSource,
    HourStatus,
)

LOG_HOURS = (
    "SELECT refusal, day_minutes FROM log_hours("
    "$1::uuid, $2::uuid, $3::uuid, $4::text, $5::houractivity, $6::date, $7::int, $8::text, "
    "$9::date, $10::uuid, $11::text, $12::text::jsonb, $13::text::jsonb, $14::int, $15::int)"
)
LOG_HOURS_BATCH = (
    "SELECT ord, refusal, day_minutes FROM log_hours_batch("
    "$1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::date[], $7::int[], "
    "$8::text[], $9::date[], $10::uuid[], $11::text[], $12::text[], $13::text[], $14::int, $15::int)"
)
# A statement that has not answered by then (a half-open connection) fails instead of hanging.
COMMAND_TIMEOUT_SECONDS = 30.0
# Batches in the database at once: while these run, new entries wait and go in the next one
# (a quiet service sends each entry at once, in a batch of one). Two keep a 2-core database busy while the
# service prepares the next; more would only make more, smaller batches.
BATCHES_IN_FLIGHT = 2
MAX_BATCH = 100  # entries per statement: bounds a batch's locks and its time in the database
# Errors the database raises only when nothing committed, so a refused batch's entries may each
# be sent again alone: SQLSTATE classes data (22), integrity (23), PL/pgSQL raise (P0), and the
# rollbacks for serialization, integrity at commit and deadlock (not 40003, "completion unknown").
ROLLED_BACK_CLASSES = frozenset({"22", "23", "P0"})
ROLLED_BACK_STATES = frozenset({"40001", "40002", "40P01"})


def _rolled_back(error: asyncpg.PostgresError) -> bool:
    state = error.sqlstate or ""
    return state[:2] in ROLLED_BACK_CLASSES or state in ROLLED_BACK_STATES


log = logging.getLogger(__name__)


async def open_pool(engine: AsyncEngine, size: int) -> asyncpg.Pool:
    """asyncpg's own pool for `submit_alone`, to the engine's database with the engine's URL
    options: taking a connection from SQLAlchemy's cost more than a tenth of the request.
    Released connections are not reset (asyncpg's reset is a round trip: advisory locks, cursors,
    listeners, settings; an open transaction is still rolled back): they only ever run
    `log_hours` outside a transaction, whose lock ends with its own commit."""
    return await asyncpg.create_pool(
        min_size=1,
        max_size=size,
        reset=_nothing_to_reset,
        command_timeout=COMMAND_TIMEOUT_SECONDS,
        **driver_connect_args(engine),
    )


async def _nothing_to_reset(connection: asyncpg.Connection) -> None:
    return None


Logged = tuple[str | None, int]  # log_hours's refusal (None: logged) and the day's minutes


@dataclass
class _Waiting:
    entry: HourEntryPublic
    event: OutboxJson
    today: dt.date
    logged: "asyncio.Future[Logged]"

    def settle(self, logged: Logged) -> None:
        if not self.logged.done():  # its request may have gone (cancelled) meanwhile
            self.logged.set_result(logged)

    def fail(self, error: BaseException) -> None:
        if not self.logged.done():
            self.logged.set_exception(error)


class SubmissionBatcher:
    """Logs entries outside a transaction, several in one statement when they queue up.

    An entry that finds fewer than `in_flight` statements running goes at once; one that finds
    them all busy waits for the first to end and goes with everyone else waiting then (up to
    `max_batch`). No entry waits for company: batches form only while the database is busy, so
    they cost no latency and save a round trip, a commit and a WAL flush per entry under load.

    A batch never waits for a (person, day) lock (`log_hours_batch` tries each): an entry whose
    lock another transaction holds is logged alone, outside the batches, waiting for its lock as
    a single entry always has — one held lock never holds up other people's entries. When the
    database refuses a batch with an error that proves nothing of it was committed (bad data, a
    constraint, a deadlock: `_rolled_back`), its entries are logged alone, so one entry's failure
    is never another's. Any other failure (a lost connection, a timeout, a shutdown) fails the
    batch's entries as it would have failed each alone: whether it committed is unknown, and
    logging them again could log them twice."""

    def __init__(
        self, pool: asyncpg.Pool, in_flight: int = BATCHES_IN_FLIGHT, max_batch: int = MAX_BATCH
    ):
        self.pool = pool
        self.in_flight = in_flight
        self.max_batch = max_batch
        self._waiting: deque[_Waiting] = deque()
        self._running: set[asyncio.Task[None]] = set()
        # Entries logged alone (their lock was busy, or their batch refused) take the pool's
        # other connections, never the batches' own.
        self._alone: set[asyncio.Task[None]] = set()
        if pool.get_max_size() <= in_flight:
            raise ValueError(f"the pool needs more than {in_flight} connections for its batches")
        self._alone_slots = asyncio.Semaphore(pool.get_max_size() - in_flight)
        self.batches = 0  # batches started, and the entries in them (entries / batches: their size)
        self.entries = 0
        self.alone = 0  # entries sent again alone

    async def log(self, entry: HourEntryPublic, event: OutboxJson, today: dt.date) -> Logged:
        waiting = _Waiting(entry, event, today, asyncio.get_running_loop().create_future())
        self._waiting.append(waiting)
        if len(self._running) < self.in_flight:
            self._start_next()
        return await waiting.logged

    async def drain(self, seconds: float) -> None:
        """Wait for the statements running (at shutdown, before the pool closes); after
        `seconds`, cancel what still runs (their requests are cancelled with them)."""
        try:
            async with asyncio.timeout(seconds):
                while self._running or self._alone:
                    await asyncio.gather(*self._running, *self._alone, return_exceptions=True)
        except TimeoutError:
            log.warning("entries still in the database after %g s at shutdown: cancelled", seconds)
            for task in self._running | self._alone:
                task.cancel()
            await asyncio.gather(*self._running, *self._alone, return_exceptions=True)

    def _start_next(self) -> None:
        batch: list[_Waiting] = []
        while self._waiting and len(batch) < self.max_batch:
            waiting = self._waiting.popleft()
            if not waiting.logged.done():  # its request was cancelled before it went
                batch.append(waiting)
        if not batch:
            return
        self.batches += 1
        self.entries += len(batch)
        task = asyncio.get_running_loop().create_task(self._run(batch))
        self._running.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        if self._waiting and len(self._running) < self.in_flight:
            self._start_next()

    async def _run(self, batch: list[_Waiting]) -> None:
        try:
            rows = await self.pool.fetch(LOG_HOURS_BATCH, *_columns(batch))
        except asyncpg.PostgresError as error:
            if not _rolled_back(error):
                _fail_all(batch, error)
                return
            log.warning("a batch of %d entries was refused (%s): each alone", len(batch), error)
            for waiting in batch:
                self._log_alone_later(waiting)
            return
        except asyncio.CancelledError:  # shutting down: the requests are cancelled too
            for waiting in batch:
                waiting.logged.cancel()
            raise
        except Exception as error:  # every waiting request gets the error it would have alone
            _fail_all(batch, error)
            return
        for ord_, refusal, day_minutes in rows:
            if refusal == "lock_busy":
                self._log_alone_later(batch[ord_ - 1])
            else:
                batch[ord_ - 1].settle((refusal, day_minutes))
        _fail_unanswered(batch, rows)

    def _log_alone_later(self, waiting: _Waiting) -> None:
        if waiting.logged.done():  # its request is gone: it goes no further
            return
        self.alone += 1
        task = asyncio.get_running_loop().create_task(self._log_alone(waiting))
        self._alone.add(task)
        task.add_done_callback(self._alone.discard)

    async def _log_alone(self, waiting: _Waiting) -> None:
        try:
            async with self._alone_slots, self.pool.acquire() as connection:
                if waiting.logged.done():  # its request went while it waited for a connection
                    return
                waiting.settle(
                    await _log_entry(connection, waiting.entry, waiting.event, waiting.today)
                )
        except asyncio.CancelledError:
            waiting.logged.cancel()
            raise
        except Exception as error:
            waiting.fail(error)


def _fail_all(batch: list[_Waiting], error: Exception) -> None:
    # Each request its own copy: one exception raised in many tasks would gather every
    # task's traceback.
    for waiting in batch:
        try:
            own = copy.copy(error)
            own.__cause__ = error
        except Exception:  # an exception that cannot be copied: the same one
            own = error
        waiting.fail(own)


def _fail_unanswered(batch: list[_Waiting], rows: list[Any]) -> None:
    answered = {row[0] for row in rows}
    for place, waiting in enumerate(batch, 1):
        if place not in answered:  # it would wait for ever
            waiting.fail(RuntimeError("log_hours_batch answered no row for an entry"))


def _columns(batch: list[_Waiting]) -> list[Any]:
    entries = [w.entry for w in batch]
    events = [w.event for w in batch]
    return [
        [e.id for e in entries],
        [e.project_id for e in entries],
        [e.site_id for e in entries],
        [e.person_id for e in entries],
        [HourActivity(e.activity).value for e in entries],
        [e.worked_on for e in entries],
        [e.minutes for e in entries],
        [e.note for e in entries],
        [w.today for w in batch],
        [event.id for event in events],
        [event.subject for event in events],
        [event.event for event in events],
        [event.headers for event in events],
        rules.DAY_CAP_LOCK,
        MINUTES_PER_DAY,
    ]


async def submit_alone(
    batcher: SubmissionBatcher, entry_in: HourEntryCreate, person: Principal, today: dt.date
) -> HourEntryPublic:
    """Log the caller's entry outside any transaction (committed when this returns)."""
    return await _log(batcher.log, entry_in, person, today)


async def submit_in(
    session: AsyncSession, entry_in: HourEntryCreate, person: Principal, today: dt.date
) -> HourEntryPublic:
    """Log the caller's entry in the session's transaction, which must have begun (a statement
    run in it): SQLAlchemy sends BEGIN only with its own first statement, so `log_hours` sent
    first on the driver would commit on its own, whatever the transaction did after."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    if driver is None or not driver.is_in_transaction():
        raise RuntimeError("submit_in needs a transaction that has run a statement")
    return await _log(functools.partial(_log_entry, driver), entry_in, person, today)


# How an entry reaches log_hours: the batcher, or one statement on a given connection.
SendEntry = Callable[[HourEntryPublic, OutboxJson, dt.date], Awaitable[Logged]]


async def _log(
    send: SendEntry, entry_in: HourEntryCreate, person: Principal, today: dt.date
) -> HourEntryPublic:
    entry = _new_entry(entry_in, person)
    event = outbox_json(events.hours_submitted(entry))
    refusal, day_minutes = await send(entry, event, today)
    if refusal is not None:
        _raise(refusal, entry, today, day_minutes)
    return entry


async def _log_entry(db: Any, entry: HourEntryPublic, event: OutboxJson, today: dt.date) -> Logged:
    row = await db.fetchrow(
        LOG_HOURS,
        entry.id,
        entry.project_id,
        entry.site_id,
        entry.person_id,
        entry.activity,
        entry.worked_on,
        entry.minutes,
        entry.note,
        today,
        event.id,
        event.subject,
        event.event,
        event.headers,
        rules.DAY_CAP_LOCK,
        MINUTES_PER_DAY,
    )
    return row[0], row[1]


def _raise(refusal: str, entry: HourEntryPublic, today: dt.date, day_minutes: int) -> None:
    if refusal == "unknown_project":
        raise rules.unknown_project(entry.project_id)
    if refusal == "unknown_site":
        raise rules.unknown_site(entry.site_id)
    if refusal == "future_date":
        rules.check_not_future(entry.worked_on, today)
    if refusal == "not_a_member":
        raise rules.not_a_member(entry.worked_on)
    if refusal == "day_over_24_hours":
        rules.raise_over_day(entry.person_id, entry.worked_on, day_minutes, entry.minutes)
    raise AssertionError(f"log_hours refused with {refusal!r}")  # a refusal this code lacks


def _new_entry(entry_in: HourEntryCreate, person: Principal) -> HourEntryPublic:
    # Built, not validated: every field is a validated input's or one of these constants.
    return HourEntryPublic.model_construct(
        id=uuid.uuid4(),
        person_id=person.sub,
        logged_by=person.sub,
        status=HourStatus.submitted,
        source=HourSource.web,
        corrects_entry_id=None,
        version=1,
        decided_by=None,
        reason="",
        **dict(entry_in),
    )
