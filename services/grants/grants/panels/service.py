"""The reviewer pool, its freezing at a call's opening, the draw, and who sits on a panel."""

import datetime as dt
import uuid

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from grants.calls.models import CallStatus
from grants.calls.service import get_call, lock_call
from grants.panels import draw
from grants.panels.freeze import frozen_pool
from grants.panels.models import (
    DrawPublic,
    PanelMember,
    PanelMemberPublic,
    PanelPublic,
    PanelSeat,
    PoolEntry,
)
from meent_shared.auth import Principal
from meent_shared.errors import Conflict, Forbidden, InvalidInput, NotFound

# The advisory-lock key pool joins take (any constant no call's key is likely to be: a clash
# would only make a join wait for a close).
POOL_JOIN_LOCK = 0x6D65656E74706F6F  # "meentpoo"


def _require_person(person: Principal) -> None:
    if person.is_api_key:
        raise Forbidden("Reviewers are people: an API key has no place in the pool")


async def join_pool(session: AsyncSession, person: Principal, most: int) -> PoolEntry:
    """The person's standing entry (a new one, with a new random id, if they had none), while
    fewer than `most` people stand in the pool: every call's frozen pool, and its published
    draw, is at most that long."""
    _require_person(person)
    standing = await standing_entry(session, person.sub)
    if standing is not None:
        return standing
    # Joins one at a time (they are rare), so the count below holds until this one is in.
    await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": POOL_JOIN_LOCK})
    standing_count = select(func.count()).where(col(PoolEntry.left_at).is_(None))
    if (await session.scalar(standing_count) or 0) >= most:
        raise Conflict(
            f"The reviewer pool is full ({most} people): try again when someone leaves",
            code="pool_full",
        )
    entry = PoolEntry(person_id=person.sub)
    session.add(entry)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:  # joined at the same moment in another request
        standing = await standing_entry(session, person.sub)
        assert standing is not None
        return standing
    await session.refresh(entry)
    return entry


async def leave_pool(session: AsyncSession, person: Principal) -> PoolEntry:
    """Leaving ends the entry for calls yet to open; a call that froze it keeps it."""
    _require_person(person)
    standing = await standing_entry(session, person.sub)
    if standing is None:
        raise NotFound("You are not in the reviewer pool")
    standing.left_at = dt.datetime.now(dt.UTC)
    await session.flush()
    return standing


async def standing_entry(session: AsyncSession, person_id: str) -> PoolEntry | None:
    query = select(PoolEntry).where(
        col(PoolEntry.person_id) == person_id, col(PoolEntry.left_at).is_(None)
    )
    return (await session.scalars(query)).first()


async def draw_panel(session: AsyncSession, call_id: uuid.UUID) -> list[PanelMember]:
    """The call's panel by lot, once: the first `panel_size` of the frozen pool ranked by the
    seed. People the officer assigned before keep their seats beside the drawn ones."""
    call = await lock_call(session, call_id)
    if call.status not in (CallStatus.open, CallStatus.closed):
        raise Conflict(
            f"A panel is drawn for an open or closed call, not a {call.status.value} one"
        )
    drawn = await session.scalar(
        select(func.count()).where(
            col(PanelMember.call_id) == call_id, col(PanelMember.place).is_not(None)
        )
    )
    if drawn or call.drawn_at is not None:
        raise Conflict("The panel is drawn already: the draw happens once", code="drawn_already")
    if call.draw_seed is None:  # a call opened before draws existed
        raise Conflict("This call has no draw seed: seat its panel by assignment", code="no_seed")
    call.drawn_at = dt.datetime.now(dt.UTC)
    chosen = draw.draw(call.draw_seed, await frozen_pool(session, call_id), call.panel_size)
    people = dict(
        (
            await session.execute(
                select(col(PoolEntry.id), col(PoolEntry.person_id)).where(
                    col(PoolEntry.id).in_(chosen)
                )
            )
        ).all()
    )
    seated = await panel_members(session, call_id)
    already = {m.person_id for m in seated}
    members = []
    for place, entry_id in enumerate(chosen, start=1):
        person = people[entry_id]
        if person in already:
            # Assigned by the officer before the draw and drawn too: one seat, which now holds
            # its place in the draw (the published draw stays the top `panel_size` of the rank).
            seat = next(m for m in seated if m.person_id == person)
            seat.pool_entry_id, seat.place = entry_id, place
            continue
        member = PanelMember(
            call_id=call_id,
            person_id=person,
            pool_entry_id=entry_id,
            place=place,
            seat=PanelSeat.drawn,
        )
        session.add(member)
        members.append(member)
    await session.flush()
    return members


async def assign_member(
    session: AsyncSession, call_id: uuid.UUID, person_id: str, most: int
) -> PanelMember:
    """Seat a person by hand; `most`: the seats a panel may reach so (drawn ones count)."""
    call = await lock_call(session, call_id)
    if call.status not in (CallStatus.open, CallStatus.closed):
        raise Conflict(f"A panel is set for an open or closed call, not a {call.status.value} one")
    if person_id.startswith("key:"):
        raise InvalidInput(
            "An API key is not a person: it cannot sit on a panel", loc=["body", "person_id"]
        )
    if await session.get(PanelMember, (call_id, person_id)) is not None:
        raise Conflict("They sit on the panel already", code="on_the_panel")
    seats = select(func.count()).select_from(PanelMember).where(col(PanelMember.call_id) == call_id)
    if (await session.scalar(seats) or 0) >= most:
        raise Conflict(f"The panel is full: at most {most} seats", code="panel_full")
    member = PanelMember(call_id=call_id, person_id=person_id, seat=PanelSeat.assigned)
    session.add(member)
    await session.flush()
    return member


async def panel_members(session: AsyncSession, call_id: uuid.UUID) -> list[PanelMember]:
    query = (
        select(PanelMember)
        .where(col(PanelMember.call_id) == call_id)
        .order_by(col(PanelMember.place).nulls_last(), col(PanelMember.person_id))
    )
    return list((await session.scalars(query)).all())


async def is_panel_member(session: AsyncSession, call_id: uuid.UUID, person_id: str) -> bool:
    return await session.get(PanelMember, (call_id, person_id)) is not None


async def panel_of(
    session: AsyncSession, call_id: uuid.UUID, viewer: Principal | None
) -> PanelPublic:
    """Officers see who sits on the panel; everyone else only how many, until the decision,
    and then their pool-entry ids and places (never their subjects)."""
    call = await get_call(session=session, call_id=call_id, viewer=viewer)
    members = await panel_members(session, call_id)
    officer = viewer is not None and viewer.has_role("grant_officer")
    shown = [
        PanelMemberPublic(
            person_id=m.person_id if officer else None,
            pool_entry_id=m.pool_entry_id,
            place=m.place,
            seat=m.seat,
        )
        for m in members
    ]
    if not officer and call.status is not CallStatus.decided:
        shown = []
    you_sit = viewer is not None and any(m.person_id == viewer.sub for m in members)
    return PanelPublic(call_id=call_id, size=len(members), members=shown, you_sit=you_sit)


async def draw_of(
    session: AsyncSession, call_id: uuid.UUID, viewer: Principal | None = None
) -> DrawPublic:
    call = await get_call(session=session, call_id=call_id, viewer=viewer)
    members = await panel_members(session, call_id)
    placed = sorted((m for m in members if m.place is not None), key=lambda m: m.place or 0)
    drawn_entries = [m.pool_entry_id for m in placed]
    public = DrawPublic(
        call_id=call.id,
        seed_commitment=call.seed_commitment,
        pool_commitment=call.pool_commitment,
        pool_size=call.pool_size,
        panel_size=call.panel_size,
        drawn=call.drawn_at is not None,
    )
    if call.status is CallStatus.decided and call.draw_seed is not None:
        public.seed = call.draw_seed.hex()
        public.pool = sorted(await frozen_pool(session, call_id), key=str)
        public.drawn_entries = [e for e in drawn_entries if e is not None]
    return public
