"""hour tracking: fixed activities, withdrawal, corrections, who logged an entry, rollups,
idempotency keys, and spaces' memberships and people as volunteers knows them

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVITIES = (
    "planning",
    "consultation",
    "gardening",
    "maintenance",
    "outreach",
    "administration",
    "other",
)


def upgrade() -> None:
    op.execute("ALTER TYPE hourstatus ADD VALUE IF NOT EXISTS 'withdrawn'")
    activity = sa.Enum(*ACTIVITIES, name="houractivity")
    activity.create(op.get_bind())
    # Entries logged before the activities were fixed keep theirs where it is one, else "other".
    listed = ", ".join(f"'{name}'" for name in ACTIVITIES)
    op.execute(
        "ALTER TABLE hour_entry ALTER COLUMN activity TYPE houractivity USING "
        f"(CASE WHEN activity IN ({listed}) THEN activity ELSE 'other' END)::houractivity"
    )
    source = sa.Enum("web", "correction", "imported", name="hoursource")
    source.create(op.get_bind())
    op.add_column(
        "hour_entry",
        sa.Column("source", source, nullable=False, server_default="web"),
    )
    op.alter_column("hour_entry", "source", server_default=None)
    op.add_column("hour_entry", sa.Column("logged_by", sqlmodel.AutoString(), nullable=True))
    op.execute("UPDATE hour_entry SET logged_by = person_id")
    op.alter_column("hour_entry", "logged_by", nullable=False)
    op.add_column("hour_entry", sa.Column("corrects_entry_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(
        op.f("fk_hour_entry_corrects_entry_id_hour_entry"),
        "hour_entry",
        "hour_entry",
        ["corrects_entry_id"],
        ["id"],
    )
    op.create_index(op.f("ix_hour_entry_corrects_entry_id"), "hour_entry", ["corrects_entry_id"])
    op.add_column("hour_entry", sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "hour_entry",
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
    )
    op.execute("UPDATE hour_entry SET minutes = LEAST(GREATEST(minutes, 1), 1440)")
    op.create_check_constraint(
        op.f("ck_hour_entry_minutes_in_range"),
        "hour_entry",
        "(corrects_entry_id IS NULL AND minutes BETWEEN 1 AND 1440)"
        " OR (corrects_entry_id IS NOT NULL AND minutes <> 0 AND minutes BETWEEN -1440 AND 1440)",
    )
    op.create_index("ix_hour_entry_project_day", "hour_entry", ["project_id", "worked_on"])
    op.create_index("ix_hour_entry_person_day", "hour_entry", ["person_id", "worked_on"])
    op.create_index(
        "ix_hour_entry_submitted",
        "hour_entry",
        ["project_id", "created_at"],
        postgresql_where=sa.text("status = 'submitted'"),
    )

    op.create_table(
        "hour_rollup",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("activity", sa.Enum(name="houractivity", create_type=False), nullable=False),
        sa.Column("person_id", sqlmodel.AutoString(), nullable=False),
        sa.Column("minutes", sa.BigInteger(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "project_id", "month", "activity", "person_id", name=op.f("pk_hour_rollup")
        ),
    )
    # Entries approved before the rollups existed.
    op.execute(
        "INSERT INTO hour_rollup (project_id, month, activity, person_id, minutes, entries) "
        "SELECT project_id, date_trunc('month', worked_on)::date, activity, person_id, "
        "sum(minutes), count(*) FROM hour_entry WHERE status = 'approved' "
        "GROUP BY 1, 2, 3, 4"
    )

    op.create_table(
        "idempotency_key",
        sa.Column("person_id", sqlmodel.AutoString(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("request_hash", sqlmodel.AutoString(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["hour_entry.id"], name=op.f("fk_idempotency_key_entry_id_hour_entry")
        ),
        sa.PrimaryKeyConstraint("person_id", "key", name=op.f("pk_idempotency_key")),
    )
    op.create_index(op.f("ix_idempotency_key_created_at"), "idempotency_key", ["created_at"])

    op.create_table(
        "project_member",
        sa.Column("membership_id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sqlmodel.AutoString(), nullable=False),
        sa.Column("role", sqlmodel.AutoString(), nullable=True),
        sa.Column("last_role", sqlmodel.AutoString(), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("membership_id", name=op.f("pk_project_member")),
    )
    op.create_index(op.f("ix_project_member_person_id"), "project_member", ["person_id"])
    op.create_index(
        "ix_project_member_project_person", "project_member", ["project_id", "person_id"]
    )

    op.create_table(
        "known_person",
        sa.Column("person_id", sqlmodel.AutoString(), nullable=False),
        sa.Column("display_name", sqlmodel.AutoString(), nullable=False),
        sa.Column("name_public", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_known_person")),
    )


def downgrade() -> None:
    op.drop_table("known_person")
    op.drop_table("project_member")
    op.drop_table("idempotency_key")
    op.drop_table("hour_rollup")
    op.drop_constraint(op.f("ck_hour_entry_minutes_in_range"), "hour_entry", type_="check")
    for index in (
        "ix_hour_entry_submitted",
        "ix_hour_entry_person_day",
        "ix_hour_entry_project_day",
    ):
        op.drop_index(index, table_name="hour_entry")
    op.drop_index(op.f("ix_hour_entry_corrects_entry_id"), table_name="hour_entry")
    for column in ("updated_at", "decided_at", "corrects_entry_id", "logged_by", "source"):
        op.drop_column("hour_entry", column)
    op.execute(
        "ALTER TABLE hour_entry ALTER COLUMN activity TYPE varchar(100) USING activity::text"
    )
    op.execute("DROP TYPE houractivity")
    op.execute("DROP TYPE hoursource")
