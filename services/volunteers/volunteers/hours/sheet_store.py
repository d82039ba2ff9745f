"""A checked sign-in sheet against the database: who its people are, whether each was a member
of the project that day and within the 24-hour day, and then every entry stored at once.

Fast path: one statement stores all entries (arrays through `unnest`, so 20,000 rows are one
statement with a handful of parameters) and writes their `hours.submitted` events to the outbox.
"""

import json
import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from meent_shared.auth import Principal
from meent_shared.db import table_of
from meent_shared.errors import Forbidden
from meent_shared.events.contracts.volunteers import HoursSubmitted
from meent_shared.events.envelope import CloudEvent
from meent_shared.events.outbox import event_headers
from volunteers.hours.csv_import import RowErrors, SheetRow
from volunteers.hours.models import MINUTES_PER_DAY, HourEntry
from volunteers.hours.rules import DAY_CAP_LOCK, counts_towards_the_day
from volunteers.members.models import KnownPerson, ProjectMember
from volunteers.sites.models import KnownSite

members = table_of(ProjectMember)
people = table_of(KnownPerson)
entries = table_of(HourEntry)
sites = table_of(KnownSite)


async def check_importer(session: AsyncSession, project_id: uuid.UUID, by: Principal) -> None:
    """A sheet is imported by one of the project's current coordinators (or an admin)."""
    if by.has_role("admin"):
        return
    query = select(members.c.membership_id).where(
        members.c.project_id == project_id,
        members.c.person_id == by.sub,
        members.c.role == "coordinator",
    )
    if (await session.execute(query.limit(1))).first() is None:
        raise Forbidden(
            "A sheet is imported by a coordinator of the project", code="not_a_coordinator"
        )


async def resolve_people(
    session: AsyncSession, project_id: uuid.UUID, rows: Sequence[SheetRow], errors: RowErrors
) -> None:
    """Set each row's person_id: a member's id, or the display name of exactly one member; and
    check they were a member on the row's date."""
    query = (
        select(members.c.person_id, members.c.joined_on, members.c.left_on, people.c.display_name)
        .select_from(members.outerjoin(people, people.c.person_id == members.c.person_id))
        .where(members.c.project_id == project_id)
    )
    stints, named = defaultdict(list), defaultdict(set)
    for person_id, joined_on, left_on, name in (await session.execute(query)).all():
        stints[person_id].append((joined_on, left_on))
        if name:
            named[name].add(person_id)
    for row in rows:
        candidates = {row.person} if row.person in stints else named.get(row.person, set())
        if len(candidates) != 1:
            code = "ambiguous_person" if candidates else "unknown_person"
            why = f"{len(candidates)} members are" if candidates else "no member of the project is"
            errors.add(row.row, "person", code, f"{why} called {row.person!r}: use their person id")
            continue
        row.person_id = next(iter(candidates))
        if not any(
            joined <= row.worked_on <= (left or row.worked_on)
            for joined, left in stints[row.person_id]
        ):
            errors.add(
                row.row,
                "date",
                "not_a_member_that_day",
                f"{row.person} was not a member of the project on {row.worked_on}",
            )


async def check_sites(session: AsyncSession, rows: Sequence[SheetRow], errors: RowErrors) -> None:
    named = {row.site_id for row in rows if row.site_id is not None}
    if not named:
        return
    query = select(sites.c.site_id).where(sites.c.site_id.in_(list(named)))
    known = set((await session.execute(query)).scalars())
    for row in rows:
        if row.site_id is not None and row.site_id not in known:
            errors.add(row.row, "site_id", "unknown_site", f"No site {row.site_id} is known")


async def check_day_caps(
    session: AsyncSession, rows: Sequence[SheetRow], errors: RowErrors
) -> None:
    """Each person's minutes per day — already logged plus the sheet's — stay within 24 h.

    Takes the same (person, day) advisory locks as a single entry does (`rules.check_day_cap`),
    in one statement and in a fixed order, so concurrent imports and entries never deadlock."""
    pairs = sorted({(row.person_id, row.worked_on) for row in rows})
    persons, days = [p for p, _ in pairs], [d for _, d in pairs]
    await session.execute(
        text(
            "SELECT pg_advisory_xact_lock(:space, k) FROM (SELECT DISTINCT "
            "hashtext(p || '|' || to_char(d, 'YYYY-MM-DD')) AS k "
            "FROM unnest(CAST(:persons AS text[]), CAST(:days AS date[])) AS t(p, d) ORDER BY k) AS keys"
        ),
        {"space": DAY_CAP_LOCK, "persons": persons, "days": days},
    )
    logged_query = (
        select(entries.c.person_id, entries.c.worked_on, func.sum(entries.c.minutes))
        .where(
            counts_towards_the_day(),
            entries.c.person_id.in_(set(persons)),
            entries.c.worked_on.in_(set(days)),
        )
        .group_by(entries.c.person_id, entries.c.worked_on)
    )
    day_minutes = {(p, d): int(m) for p, d, m in (await session.execute(logged_query)).all()}
    for row in rows:
        key = (row.person_id, row.worked_on)
        day_minutes[key] = day_minutes.get(key, 0) + row.minutes
        if day_minutes[key] > MINUTES_PER_DAY:
            errors.add(
                row.row,
                "minutes",
                "day_over_24_hours",
                f"{row.person} would have {day_minutes[key]} minutes on {row.worked_on}; "
                f"a day has {MINUTES_PER_DAY}",
            )


# The entries, and in the same statement their hours.submitted events into the outbox: each
# CloudEvent is built by PostgreSQL from the stored row (`jsonb_build_object`), exactly as
# `record_event` would build it (`events.hours_submitted` wrapped in a `CloudEvent`), instead of
# 20,000 pydantic models in Python. The envelope's constant fields (specversion, source, type,
# time, datacontenttype) come from one CloudEvent serialised by pydantic (`_envelope`), so their
# format is the model's; the event id is the outbox row's id, the relay's Nats-Msg-Id.
STORE_ROWS = text(
    "WITH stored AS (INSERT INTO hour_entry (id, project_id, site_id, person_id, logged_by, "
    "activity, worked_on, minutes, note, status, source, version, reason) "
    "SELECT id, CAST(:project_id AS uuid), site_id, person_id, CAST(:logged_by AS text), "
    "activity, worked_on, minutes, note, 'submitted', 'imported', 1, '' "
    "FROM unnest(CAST(:ids AS uuid[]), CAST(:site_ids AS uuid[]), CAST(:person_ids AS text[]), "
    "CAST(:activities AS houractivity[]), CAST(:days AS date[]), CAST(:minutes AS integer[]), "
    "CAST(:notes AS text[])) AS t(id, site_id, person_id, activity, worked_on, minutes, note) "
    "RETURNING id, version, person_id, project_id, site_id, activity, worked_on, minutes, "
    "corrects_entry_id), "
    "events AS MATERIALIZED (SELECT gen_random_uuid() AS event_id, * FROM stored) "
    "INSERT INTO outbox (id, subject, event, headers) "
    "SELECT event_id, :subject, CAST(:envelope AS jsonb) || jsonb_build_object("
    "'id', event_id::text, 'subject', id::text, 'data', jsonb_build_object("
    "'version', version, 'entry_id', id::text, 'person_id', person_id, "
    "'project_id', project_id::text, 'site_id', site_id::text, 'activity', activity::text, "
    "'worked_on', to_char(worked_on, 'YYYY-MM-DD'), 'minutes', minutes, "
    "'corrects_entry_id', corrects_entry_id::text)), CAST(:headers AS jsonb) FROM events"
)


def _envelope() -> str:
    """The fields every hours.submitted CloudEvent of this sheet shares, as pydantic writes them
    (one `time` for the sheet: its entries are stored in one statement)."""
    contract = HoursSubmitted.contract
    event = CloudEvent(
        source=f"/meent/{contract.service}", type=contract.event_type, subject="", data={}
    )
    shared = event.model_dump(mode="json", exclude={"id", "subject", "data"})
    return json.dumps(shared)


async def store_rows(
    session: AsyncSession, project_id: uuid.UUID, rows: Sequence[SheetRow], by: Principal
) -> list[uuid.UUID]:
    """Every row as a submitted, imported entry logged by `by`, and its hours.submitted event."""
    ids = [uuid.uuid4() for _ in rows]
    headers = event_headers()
    await session.execute(
        STORE_ROWS,
        {
            "project_id": project_id,
            "logged_by": by.sub,
            "ids": ids,
            "site_ids": [row.site_id for row in rows],
            "person_ids": [row.person_id for row in rows],
            "activities": [row.activity.value for row in rows],
            "days": [row.worked_on for row in rows],
            "minutes": [row.minutes for row in rows],
            "notes": [row.note for row in rows],
            "subject": HoursSubmitted.contract.subject,
            "envelope": _envelope(),
            "headers": json.dumps(headers),
        },
    )
    return ids
