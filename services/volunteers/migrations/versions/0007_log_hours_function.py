"""the day's 24-hour rule as one SQL function, and a volunteer's entry logged in one statement

`hour_counts_towards_the_day(status, minutes)` is the rule's only text: what a day's 24 hours are
checked against (approved minutes, net of corrections, and submitted ones only when they add — a
pending negative correction may still be withdrawn or rejected). Every path that checks the cap
(an entry, an edit, a correction, a CSV import) calls it.

`log_hours(...)` is `POST /hours` in one round trip: the facts the rules need, the (person, day)
advisory lock, the day's minutes, the entry and its outbox row. It is VOLATILE, so under READ
COMMITTED each statement in it takes a new snapshot: the count after the lock sees every entry
committed by whoever held the lock before. Called outside a transaction, the lock lasts until the
statement's own commit; inside one, until the caller's commit.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The first key of pg_advisory_xact_lock(int, int) for a (person, day): rules.DAY_CAP_LOCK.
DAY_CAP_LOCK = 9001

COUNTS_TOWARDS_THE_DAY = """
CREATE FUNCTION hour_counts_towards_the_day(status hourstatus, minutes integer)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN status = 'approved' OR (status = 'submitted' AND minutes > 0)
"""

# The refusal, in the order `rules` checks them: unknown_project, unknown_site, future_date,
# not_a_member, day_over_24_hours (with the minutes already counted); NULL when logged.
LOG_HOURS = f"""
CREATE FUNCTION log_hours(
    entry_id uuid, project uuid, site uuid, person text, entry_activity houractivity,
    day date, entry_minutes integer, entry_note text, today date,
    event_id uuid, event_subject text, event_body jsonb, event_headers jsonb,
    OUT refusal text, OUT day_minutes integer
) LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM known_project WHERE project_id = project) THEN
        refusal := 'unknown_project';
    ELSIF site IS NOT NULL AND NOT EXISTS (SELECT 1 FROM known_site WHERE site_id = site) THEN
        refusal := 'unknown_site';
    ELSIF day > today THEN
        refusal := 'future_date';
    ELSIF NOT EXISTS (
        SELECT 1 FROM project_member m
        WHERE m.project_id = project AND m.person_id = person
          AND m.joined_on <= day AND coalesce(m.left_on, day) >= day
    ) THEN
        refusal := 'not_a_member';
    END IF;
    IF refusal IS NOT NULL THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock({DAY_CAP_LOCK}, hashtext(person || '|' || to_char(day, 'YYYY-MM-DD')));
    SELECT coalesce(sum(e.minutes), 0) INTO day_minutes FROM hour_entry e
    WHERE e.person_id = person AND e.worked_on = day
      AND hour_counts_towards_the_day(e.status, e.minutes);
    IF day_minutes + entry_minutes > 1440 THEN
        refusal := 'day_over_24_hours';
        RETURN;
    END IF;
    INSERT INTO hour_entry (id, project_id, site_id, person_id, logged_by, activity, worked_on,
                            minutes, note, status, source, version, reason)
    VALUES (entry_id, project, site, person, person, entry_activity, day, entry_minutes,
            entry_note, 'submitted', 'web', 1, '');
    INSERT INTO outbox (id, subject, event, headers)
    VALUES (event_id, event_subject, event_body, event_headers);
END
$$
"""


def upgrade() -> None:
    op.execute(COUNTS_TOWARDS_THE_DAY)
    op.execute(LOG_HOURS)


def downgrade() -> None:
    op.execute("DROP FUNCTION log_hours")
    op.execute("DROP FUNCTION hour_counts_towards_the_day")
