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

COUNTS_TOWARDS_THE_DAY = """
CREATE FUNCTION hour_counts_towards_the_day(status hourstatus, minutes integer)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN status = 'approved' OR (status = 'submitted' AND minutes > 0)
"""

# The refusal, in the order `rules` checks them: unknown_project, unknown_site, future_date,
# not_a_member, day_over_24_hours (with the minutes already counted); NULL when logged. The lock's
# first key and the day's minutes are the caller's (rules.DAY_CAP_LOCK, MINUTES_PER_DAY), so
# every path locks and caps alike. Parameters are `in_…`: a column of that name cannot shadow one.
LOG_HOURS = """
CREATE FUNCTION log_hours(
    in_id uuid, in_project uuid, in_site uuid, in_person text, in_activity houractivity,
    in_day date, in_minutes integer, in_note text, in_today date,
    in_event_id uuid, in_subject text, in_event jsonb, in_headers jsonb,
    in_lock_space integer, in_day_cap integer,
    OUT refusal text, OUT day_minutes integer
) LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    -- The count below sees the previous lock holder's entry only in READ COMMITTED.
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'log_hours needs READ COMMITTED, not %',
            current_setting('transaction_isolation');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM known_project p WHERE p.project_id = in_project) THEN
        refusal := 'unknown_project';
    ELSIF in_site IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM known_site s WHERE s.site_id = in_site) THEN
        refusal := 'unknown_site';
    ELSIF in_day > in_today THEN
        refusal := 'future_date';
    ELSIF NOT EXISTS (
        SELECT 1 FROM project_member m
        WHERE m.project_id = in_project AND m.person_id = in_person
          AND m.joined_on <= in_day AND coalesce(m.left_on, in_day) >= in_day
    ) THEN
        refusal := 'not_a_member';
    END IF;
    IF refusal IS NOT NULL THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(
        in_lock_space, hashtext(in_person || '|' || to_char(in_day, 'YYYY-MM-DD')));
    SELECT coalesce(sum(e.minutes), 0) INTO day_minutes FROM hour_entry e
    WHERE e.person_id = in_person AND e.worked_on = in_day
      AND hour_counts_towards_the_day(e.status, e.minutes);
    IF day_minutes + in_minutes > in_day_cap THEN
        refusal := 'day_over_24_hours';
        RETURN;
    END IF;
    INSERT INTO hour_entry (id, project_id, site_id, person_id, logged_by, activity, worked_on,
                            minutes, note, status, source, version, reason)
    VALUES (in_id, in_project, in_site, in_person, in_person, in_activity, in_day, in_minutes,
            in_note, 'submitted', 'web', 1, '');
    INSERT INTO outbox (id, subject, event, headers)
    VALUES (in_event_id, in_subject, in_event, in_headers);
END
$$
"""


def upgrade() -> None:
    op.execute(COUNTS_TOWARDS_THE_DAY)
    op.execute(LOG_HOURS)


def downgrade() -> None:
    op.execute("DROP FUNCTION log_hours")
    op.execute("DROP FUNCTION hour_counts_towards_the_day")
