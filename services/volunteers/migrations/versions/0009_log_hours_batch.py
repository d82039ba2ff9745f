"""log_hours_batch: several volunteers' entries in one statement, each by log_hours

Under load, `POST /hours` requests that arrive while the database is busy with earlier ones are
sent together (`volunteers.hours.submission.SubmissionBatcher`): one round trip, one commit and
one WAL flush for all of them, instead of one each. Each entry goes through `log_hours` itself,
so the rules, their order and their refusals stay in one place.

A batch never waits for a lock: each entry's (person, day) lock is *tried* first, and an entry
whose lock another transaction holds (an edit, a CSV import, an idempotent submission) comes
back `lock_busy`, to be logged alone by the caller — so one held lock delays only the entries
that need it, never the rest of the batch or the batches behind it. The entries run in the order
of their lock keys. A later entry of the same (person, day) in one batch sees the earlier one
(the function's statements see their own transaction's rows), so a batch holding two 13-hour
entries refuses the second, as two requests one after the other would. The locks last until
the batch's commit.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# One row per entry: its 1-based place in the arrays, log_hours's refusal (NULL: logged) or
# `lock_busy` (not tried), and the day's minutes it counted. Arrays of base types (activity, event and headers as text) so
# the driver encodes them without knowing the enum or jsonb.
LOG_HOURS_BATCH = """
CREATE FUNCTION log_hours_batch(
    in_ids uuid[], in_projects uuid[], in_sites uuid[], in_persons text[], in_activities text[],
    in_days date[], in_minutes integer[], in_notes text[], in_todays date[],
    in_event_ids uuid[], in_subjects text[], in_events text[], in_headers text[],
    in_lock_space integer, in_day_cap integer
) RETURNS TABLE (ord integer, refusal text, day_minutes integer)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    i integer;
BEGIN
    FOR i IN
        SELECT n FROM generate_subscripts(in_ids, 1) AS n
        ORDER BY hashtext(in_persons[n] || '|' || to_char(in_days[n], 'YYYY-MM-DD')), n
    LOOP
        ord := i;
        -- log_hours's own lock, tried: log_hours then takes it again (held: no wait).
        IF NOT pg_try_advisory_xact_lock(
            in_lock_space, hashtext(in_persons[i] || '|' || to_char(in_days[i], 'YYYY-MM-DD'))
        ) THEN
            refusal := 'lock_busy';
            day_minutes := 0;
            RETURN NEXT;
            CONTINUE;
        END IF;
        SELECT logged.refusal, logged.day_minutes INTO refusal, day_minutes
        FROM log_hours(
            in_ids[i], in_projects[i], in_sites[i], in_persons[i],
            in_activities[i]::houractivity, in_days[i], in_minutes[i], in_notes[i],
            in_todays[i], in_event_ids[i], in_subjects[i], in_events[i]::jsonb,
            in_headers[i]::jsonb, in_lock_space, in_day_cap
        ) AS logged;
        RETURN NEXT;
    END LOOP;
END
$$
"""


def upgrade() -> None:
    op.execute(LOG_HOURS_BATCH)


def downgrade() -> None:
    op.execute(
        "DROP FUNCTION log_hours_batch(uuid[], uuid[], uuid[], text[], text[], date[], "
        "integer[], text[], date[], uuid[], text[], text[], text[], integer, integer)"
    )
