"""dead letters keep rejected messages too (malformed, unknown type, forged), with the reason and
the message as it came

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "dead_letter",
        sa.Column("reason", sa.String(), server_default="failed", nullable=False),
    )
    op.add_column("dead_letter", sa.Column("body", sa.LargeBinary(), nullable=True))
    op.add_column(
        "dead_letter",
        sa.Column("headers", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )
    op.alter_column("dead_letter", "type", existing_type=sa.String(), nullable=True)
    op.alter_column(
        "dead_letter",
        "event",
        existing_type=postgresql.JSONB(astext_type=sa.Text()),
        nullable=True,
    )


def downgrade() -> None:
    # Rejected messages have no event to keep: they go with the columns that held them.
    op.execute("DELETE FROM dead_letter WHERE event IS NULL OR type IS NULL")
    op.alter_column(
        "dead_letter",
        "event",
        existing_type=postgresql.JSONB(astext_type=sa.Text()),
        nullable=False,
    )
    op.alter_column("dead_letter", "type", existing_type=sa.String(), nullable=False)
    op.drop_column("dead_letter", "headers")
    op.drop_column("dead_letter", "body")
    op.drop_column("dead_letter", "reason")
