"""schedules, stewardship, maintenance

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "known_project",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_known_project")),
    )
    op.create_table(
        "project_member",
        sa.Column("membership_id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("membership_id", name=op.f("pk_project_member")),
    )
    op.create_index(
        op.f("ix_project_member_person_id"), "project_member", ["person_id"], unique=False
    )
    op.create_index(
        op.f("ix_project_member_project_id"), "project_member", ["project_id"], unique=False
    )
    op.create_table(
        "team",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team")),
    )
    op.create_table(
        "maintenance_task",
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("rule", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("heavy", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.Enum("open", "cancelled", name="taskstatus"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["site.id"],
            name=op.f("fk_maintenance_task_site_id_site"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maintenance_task")),
    )
    op.create_index(
        op.f("ix_maintenance_task_site_id"), "maintenance_task", ["site_id"], unique=False
    )
    op.create_table(
        "site_schedule",
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("use_version", sa.Integer(), nullable=False),
        sa.Column("current_use", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_site_schedule_site_id_site"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_site_schedule")),
    )
    op.create_table(
        "stewardship",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_stewardship_site_id_site"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stewardship")),
    )
    op.create_index(op.f("ix_stewardship_project_id"), "stewardship", ["project_id"], unique=False)
    op.create_index(op.f("ix_stewardship_site_id"), "stewardship", ["site_id"], unique=False)
    op.create_table(
        "team_member",
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_team_member_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("team_id", "person_id", name=op.f("pk_team_member")),
    )
    op.create_table(
        "use_period",
        sa.Column("use", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("rule", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("day_starts_at", sa.Time(), nullable=True),
        sa.Column("day_ends_at", sa.Time(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.Enum("active", "proposed", name="periodstatus"), nullable=False),
        sa.Column("proposed_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_use_period_site_id_site"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_use_period")),
    )
    op.create_index(op.f("ix_use_period_site_id"), "use_period", ["site_id"], unique=False)
    op.create_table(
        "task_completion",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("task_id", sa.Uuid(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("completed_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "completed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["maintenance_task.id"],
            name=op.f("fk_task_completion_task_id_maintenance_task"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_completion")),
        sa.UniqueConstraint("task_id", "due_on", name=op.f("uq_task_completion_task_id")),
    )
    op.create_table(
        "use_occurrence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("use", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("during", postgresql.TSTZRANGE(), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["use_period.id"],
            name=op.f("fk_use_occurrence_period_id_use_period"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_use_occurrence")),
    )
    op.create_index(
        "ix_use_occurrence_during",
        "use_occurrence",
        ["during"],
        unique=False,
        postgresql_using="gist",
    )
    op.create_index(
        op.f("ix_use_occurrence_period_id"), "use_occurrence", ["period_id"], unique=False
    )
    op.create_index(op.f("ix_use_occurrence_site_id"), "use_occurrence", ["site_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_use_occurrence_site_id"), table_name="use_occurrence")
    op.drop_index(op.f("ix_use_occurrence_period_id"), table_name="use_occurrence")
    op.drop_index("ix_use_occurrence_during", table_name="use_occurrence", postgresql_using="gist")
    op.drop_table("use_occurrence")
    op.drop_table("task_completion")
    op.drop_index(op.f("ix_use_period_site_id"), table_name="use_period")
    op.drop_table("use_period")
    op.drop_table("team_member")
    op.drop_index(op.f("ix_stewardship_site_id"), table_name="stewardship")
    op.drop_index(op.f("ix_stewardship_project_id"), table_name="stewardship")
    op.drop_table("stewardship")
    op.drop_table("site_schedule")
    op.drop_index(op.f("ix_maintenance_task_site_id"), table_name="maintenance_task")
    op.drop_table("maintenance_task")
    op.drop_table("team")
    op.drop_index(op.f("ix_project_member_project_id"), table_name="project_member")
    op.drop_index(op.f("ix_project_member_person_id"), table_name="project_member")
    op.drop_table("project_member")
    op.drop_table("known_project")
