"""Scenario data at scale for the hours scenarios, written straight into volunteers' database by
COPY (not through the API: a million entries through REST would take an hour on two cores):

- 1,000 projects (`known_project`) with Zipf-sized hour logs: 1,000,000 entries in all, the
  largest ~50,000 (the exponent is solved for that); each project has members from spaces'
  events as volunteers keeps them (`project_member`: a coordinator, three core members, the rest
  skill members; one member per 250 entries, 2..200) and their names (`known_person`, every
  other name public);
- entries spread over the last three years, 15..240 minutes, 90 % approved, 6 % submitted, 3 %
  rejected, 1 % withdrawn; each member has a usual activity (80 % of their entries, the rest
  drawn from all seven); one approved entry in 200 has an approved correction of -15 minutes
  (counted in the project's size);
- `hour_rollup` and `hour_project_month` filled from them by INSERT … SELECT, as migrations
  0005 and 0006 do;
- 1,000 extra submitters, skill members of the largest project with no entries yet, for the
  submit scenarios (each request is one of them on one past day, so no day fills up);
- an import project with a coordinator and 100 members, and a 10,000-row CSV naming them (nine
  rows in ten by person id, one by display name) for the import scenario;
- a table like `hour_entry` (`bench_bare_entry`) for the bare asyncpg INSERT baseline.

Then VACUUM ANALYZE and a CHECKPOINT, so neither autovacuum nor a checkpoint lands in a round.
"""

import datetime as dt
import io
import random
import sys
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import psycopg

from meent_shared.auth import issue_token
from meent_shared.local.suite import Suite
from meent_shared.settings import Mode, ServiceSettings

PROJECTS = 1_000
ENTRIES = 1_000_000
LARGEST = 50_000
DAYS = 3 * 365
ENTRIES_PER_MEMBER = 250
SUBMITTERS = 1_000
IMPORT_MEMBERS = 100
IMPORT_ROWS = 10_000
SEED = 9
COPY_CHUNK = 50_000  # rows per write into the COPY stream
ACTIVITIES = [
    "planning",
    "consultation",
    "gardening",
    "maintenance",
    "outreach",
    "administration",
    "other",
]
# (status, share): what a three-year-old hour log looks like.
STATUSES = [("approved", 0.90), ("submitted", 0.06), ("rejected", 0.03), ("withdrawn", 0.01)]
CORRECTED_SHARE = 1 / 200
HABIT_SHARE = 0.8  # a gardener mostly gardens: the share of a member's entries in their activity
NULL = "\\N"  # COPY's text format

ENTRY_COLUMNS = (
    "id, project_id, site_id, person_id, logged_by, activity, worked_on, minutes, note, status, "
    "source, corrects_entry_id, version, decided_by, decided_at, reason, created_at, updated_at"
)
ROLLUP_SQL = (
    "INSERT INTO hour_rollup (project_id, month, activity, person_id, minutes, entries) "
    "SELECT project_id, date_trunc('month', worked_on)::date, activity, person_id, "
    "sum(minutes), count(*) FROM hour_entry WHERE status = 'approved' "
    "GROUP BY 1, 2, 3, 4"
)
PROJECT_MONTH_SQL = (
    "INSERT INTO hour_project_month (project_id, month, activity, minutes, entries) "
    "SELECT project_id, date_trunc('month', worked_on)::date, activity, "
    "sum(minutes), count(*) FROM hour_entry WHERE status = 'approved' "
    "GROUP BY 1, 2, 3"
)
# hour_entry's indexes but its primary key (a constraint's): (name, CREATE INDEX statement).
INDEXES_SQL = (
    "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = 'hour_entry' "
    "AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conname = i.indexname)"
)
BARE_TABLE_SQL = (
    "CREATE TABLE IF NOT EXISTS bench_bare_entry "
    "(LIKE hour_entry INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)"
)


@dataclass
class Member:
    person_id: str
    name: str
    role: str


@dataclass
class Project:
    id: uuid.UUID
    size: int
    members: list[Member] = field(default_factory=list)


@dataclass
class HoursData:
    largest_project: str
    submit_project: str
    submitter_tokens: list[str]  # skill members of the submit project, no entries of their own
    import_project: str
    importer_token: str
    import_csv: bytes
    today: dt.date
    facts: dict[str, Any] = field(default_factory=dict)


def log(message: str) -> None:
    print(f"bench: hours data: {message}", file=sys.stderr, flush=True)


def zipf_sizes(count: int, total: int, largest: int) -> list[int]:
    """`count` sizes ∝ 1/k^s summing to `total`, the exponent s solved so the first is `largest`."""
    low, high = 0.0, 3.0
    for _ in range(60):  # bisection: the first size grows with s
        s = (low + high) / 2
        first = total / sum(k**-s for k in range(1, count + 1))
        low, high = (s, high) if first < largest else (low, s)
    weights = [k**-s for k in range(1, count + 1)]
    scale = total / sum(weights)
    sizes = [max(1, int(w * scale)) for w in weights]
    for k in range(total - sum(sizes)):  # the rounding's remainder, one each to the smallest
        sizes[count - 1 - k % count] += 1
    return sizes


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def make_projects(rng: random.Random) -> list[Project]:
    projects = []
    for number, size in enumerate(zipf_sizes(PROJECTS, ENTRIES, LARGEST)):
        project = Project(_uuid(rng), size)
        for m in range(max(2, min(200, size // ENTRIES_PER_MEMBER))):
            role = "coordinator" if m == 0 else "core" if m <= 3 else "skill"
            project.members.append(Member(f"bench-{number}-{m}", f"Volunteer {number}-{m}", role))
        projects.append(project)
    return projects


def _status(rng: random.Random) -> str:
    draw = rng.random()
    for status, share in STATUSES:
        if draw < share:
            return status
        draw -= share
    return STATUSES[0][0]


def entry_lines(projects: list[Project], today: dt.date, rng: random.Random) -> Any:
    """COPY text lines for every entry (corrections included in a project's size), in chunks."""
    lines: list[str] = []
    for project in projects:
        habits = {m.person_id: rng.choice(ACTIVITIES) for m in project.members}
        written = 0
        while written < project.size:
            member = rng.choice(project.members).person_id
            activity = habits[member] if rng.random() < HABIT_SHARE else rng.choice(ACTIVITIES)
            day = today - dt.timedelta(days=rng.randint(1, DAYS))
            entry, status = _uuid(rng), _status(rng)
            decider = _decider(project, member)
            lines.append(_entry(entry, project, member, activity, day, rng, status, decider))
            written += 1
            if status == "approved" and rng.random() < CORRECTED_SHARE and written < project.size:
                lines.append(_correction(rng, entry, project, member, day, decider))
                written += 1
            if len(lines) >= COPY_CHUNK:
                yield "\n".join(lines) + "\n"
                lines = []
    if lines:
        yield "\n".join(lines) + "\n"


def _decider(project: Project, member: str) -> str:
    coordinator = project.members[0].person_id
    return coordinator if member != coordinator else project.members[1].person_id


def _entry(
    entry: uuid.UUID,
    project: Project,
    member: str,
    activity: str,
    day: dt.date,
    rng: random.Random,
    status: str,
    decider: str,
) -> str:
    decided = status in ("approved", "rejected")
    at = f"{day + dt.timedelta(days=1)} 12:00:00+00"
    reason = "not this project" if status == "rejected" else ""
    return (
        f"{entry}\t{project.id}\t\\N\t{member}\t{member}\t{activity}\t{day}\t"
        f"{rng.randint(1, 16) * 15}\t\t{status}\tweb\t\\N\t1\t"
        f"{decider if decided else NULL}\t{at if decided else NULL}\t{reason}\t"
        f"{day} 18:00:00+00\t{at}"
    )


def _correction(
    rng: random.Random, original: uuid.UUID, project: Project, member: str, day: dt.date, by: str
) -> str:
    at = f"{day + dt.timedelta(days=2)} 12:00:00+00"
    return (
        f"{_uuid(rng)}\t{project.id}\t\\N\t{member}\t{member}\tother\t{day}\t-15\t"
        f"counted twice\tapproved\tcorrection\t{original}\t1\t{by}\t{at}\t\t{at}\t{at}"
    )


def copy_entries(
    conn: psycopg.Connection, projects: list[Project], today: dt.date, rng: random.Random
) -> None:
    """COPY into hour_entry without its secondary indexes, then build them again (several times
    faster than keeping each up to date row by row); one transaction, so a failure leaves the
    schema as the migrations made it."""
    indexes = conn.execute(INDEXES_SQL).fetchall()
    conn.execute("SET maintenance_work_mem = '256MB'")
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    with conn.cursor().copy(f"COPY hour_entry ({ENTRY_COLUMNS}) FROM STDIN") as copy:
        for chunk in entry_lines(projects, today, rng):
            copy.write(chunk)
    for _, definition in indexes:
        conn.execute(definition)
    conn.commit()


def _member_rows(project: Project, members: list[Member], joined: dt.date) -> list[tuple]:
    return [
        (uuid.uuid4(), project.id, m.person_id, m.role, m.role, joined, None, 1) for m in members
    ]


def copy_rows(conn: psycopg.Connection, table: str, columns: str, rows: list[tuple]) -> None:
    with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def insert_people(conn: psycopg.Connection, projects: list[Project], today: dt.date) -> None:
    joined = today - dt.timedelta(days=DAYS + 30)
    copy_rows(
        conn,
        "known_project",
        "project_id, name, slug, version",
        [(p.id, f"Bench project {n}", f"bench-project-{n}", 1) for n, p in enumerate(projects)],
    )
    members = [row for p in projects for row in _member_rows(p, p.members, joined)]
    columns = "membership_id, project_id, person_id, role, last_role, joined_on, left_on, version"
    copy_rows(conn, "project_member", columns, members)
    people = {m.person_id: m for p in projects for m in p.members}
    copy_rows(
        conn,
        "known_person",
        "person_id, display_name, name_public, version",
        [(m.person_id, m.name, n % 2 == 0, 1) for n, m in enumerate(people.values())],
    )


def import_csv(members: list[Member], today: dt.date) -> bytes:
    """IMPORT_ROWS rows over IMPORT_MEMBERS people × 100 past days, 10 minutes each: one import
    adds 10 minutes to a person's day, so a run's imports never reach the day cap."""
    out = io.StringIO()
    out.write("person,date,minutes,activity,note\r\n")
    for row in range(IMPORT_ROWS):
        member = members[row % len(members)]
        day = today - dt.timedelta(days=1 + row // len(members))
        who = member.name if row % 10 == 9 else member.person_id
        out.write(f"{who},{day},10,{ACTIVITIES[row % len(ACTIVITIES)]},sign-in sheet {row}\r\n")
    return out.getvalue().encode()


def token_for(settings: ServiceSettings, person: str) -> str:
    return issue_token(settings, sub=person, name=person, roles=["citizen"], ttl_seconds=6 * 3600)


_loaded: dict[int, HoursData] = {}


def hours_data(suite: Suite) -> HoursData:
    """The data, loaded on the first call of a run and shared by every hours scenario."""
    if id(suite) not in _loaded:
        _loaded[id(suite)] = load(suite)
    return _loaded[id(suite)]


def load(suite: Suite) -> HoursData:
    started = time.monotonic()
    rng = random.Random(SEED)
    settings = ServiceSettings(mode=Mode.local)
    today = settings.today()
    projects = make_projects(rng)
    largest = projects[0]
    submitters = [
        Member(f"bench-submitter-{n}", f"Submitter {n}", "skill") for n in range(SUBMITTERS)
    ]
    importer = Member("bench-importer", "Importer", "coordinator")
    import_members = [
        Member(f"bench-import-{n}", f"Imported {n}", "skill") for n in range(IMPORT_MEMBERS)
    ]
    import_project = Project(_uuid(rng), 0, [importer, *import_members])
    steps: dict[str, float] = {}
    with psycopg.connect(suite.database_url("volunteers")) as conn:
        conn.execute("SET synchronous_commit = off")
        mark = time.monotonic()
        insert_people(conn, [*projects, import_project], today)
        joined = today - dt.timedelta(days=DAYS + 30)
        columns = (
            "membership_id, project_id, person_id, role, last_role, joined_on, left_on, version"
        )
        copy_rows(conn, "project_member", columns, _member_rows(largest, submitters, joined))
        conn.commit()
        steps["people_s"] = time.monotonic() - mark
        mark = time.monotonic()
        copy_entries(conn, projects, today, rng)
        steps["copy_entries_s"] = time.monotonic() - mark
        log(f"{ENTRIES:,} entries copied (and indexed) in {steps['copy_entries_s']:.1f} s")
        mark = time.monotonic()
        conn.execute(ROLLUP_SQL)
        conn.execute(PROJECT_MONTH_SQL)
        conn.execute(BARE_TABLE_SQL)
        conn.commit()
        steps["rollup_s"] = time.monotonic() - mark
    with psycopg.connect(suite.database_url("volunteers"), autocommit=True) as conn:
        mark = time.monotonic()
        conn.execute("VACUUM ANALYZE")
        conn.execute("CHECKPOINT")
        steps["vacuum_analyze_s"] = time.monotonic() - mark
        facts = data_facts(conn, largest.id)
    facts["load steps (s)"] = {key: round(value, 1) for key, value in steps.items()}
    facts["load seconds (COPY, not through REST)"] = round(time.monotonic() - started, 1)
    return HoursData(
        largest_project=str(largest.id),
        submit_project=str(largest.id),
        submitter_tokens=[token_for(settings, m.person_id) for m in submitters],
        import_project=str(import_project.id),
        importer_token=token_for(settings, importer.person_id),
        import_csv=import_csv(import_members, today),
        today=today,
        facts=facts,
    )


def data_facts(conn: psycopg.Connection, largest: uuid.UUID) -> dict[str, Any]:
    def one(sql: str, *args: Any) -> Any:
        found = conn.execute(sql, args).fetchone()
        return found[0] if found else None

    sizes = "SELECT count(*) AS n FROM hour_entry GROUP BY project_id"
    return {
        "hour entries": one("SELECT count(*) FROM hour_entry"),
        "projects with entries": one("SELECT count(DISTINCT project_id) FROM hour_entry"),
        "entries of the largest project": one(
            "SELECT count(*) FROM hour_entry WHERE project_id = %s", largest
        ),
        "median project size (entries)": one(
            f"SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY n) FROM ({sizes}) s"
        ),
        "smallest project size (entries)": one(f"SELECT min(n) FROM ({sizes}) s"),
        "hour_rollup rows": one("SELECT count(*) FROM hour_rollup"),
        "rollup rows of the largest project": one(
            "SELECT count(*) FROM hour_rollup WHERE project_id = %s", largest
        ),
        "hour_project_month rows of the largest project": one(
            "SELECT count(*) FROM hour_project_month WHERE project_id = %s", largest
        ),
        "project_member rows": one("SELECT count(*) FROM project_member"),
        "hour_entry size (MB, with indexes)": round(
            one("SELECT pg_total_relation_size('hour_entry')") / 2**20, 1
        ),
    }
