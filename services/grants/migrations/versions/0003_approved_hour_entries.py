"""approved hour entries, one row per entry, instead of running sums per project

A running sum doubles when events are applied again (a re-created consumer after its inbox rows
were pruned); rows keyed by volunteers' entry ids do not. The old sums cannot be split back into
entries: after upgrading, run `python -m volunteers.worker republish` (it re-announces every
entry, and grants rebuilds this table from it).

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "approved_hour_entry",
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("worked_on", sa.Date(), nullable=False),
        sa.Column("corrects_entry_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_approved_hour_entry")),
    )
    op.create_index(
        op.f("ix_approved_hour_entry_project_id"),
        "approved_hour_entry",
        ["project_id"],
        unique=False,
    )
    op.drop_table("project_hours")


def downgrade() -> None:
    op.create_table(
        "project_hours",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("approved_minutes", sa.BigInteger(), nullable=False),
        sa.Column("approved_entries", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_project_hours")),
    )
    op.execute(
        "INSERT INTO project_hours (project_id, approved_minutes, approved_entries) "
        "SELECT project_id, sum(minutes), count(*) FROM approved_hour_entry GROUP BY project_id"
    )
    op.drop_index(op.f("ix_approved_hour_entry_project_id"), table_name="approved_hour_entry")
    op.drop_table("approved_hour_entry")
