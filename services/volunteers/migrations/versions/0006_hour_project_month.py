"""approved hours per project, month and activity (hour_rollup without the person), so a
project's monthly and per-activity summaries and its total read a few dozen rows, not thousands

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hour_project_month",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("activity", sa.Enum(name="houractivity", create_type=False), nullable=False),
        sa.Column("minutes", sa.BigInteger(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "project_id", "month", "activity", name=op.f("pk_hour_project_month")
        ),
    )
    # Entries approved before this rollup existed.
    op.execute(
        "INSERT INTO hour_project_month (project_id, month, activity, minutes, entries) "
        "SELECT project_id, date_trunc('month', worked_on)::date, activity, "
        "sum(minutes), count(*) FROM hour_entry WHERE status = 'approved' "
        "GROUP BY 1, 2, 3"
    )


def downgrade() -> None:
    op.drop_table("hour_project_month")
