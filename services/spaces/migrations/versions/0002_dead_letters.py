"""dead letters: events whose handler failed on every delivery, parked for a replay

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dead_letter",
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("stream", sa.String(), nullable=False),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("event", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("deliveries", sa.Integer(), nullable=False),
        sa.Column(
            "parked_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("replayed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_dead_letter")),
    )
    op.create_index(
        "ix_dead_letter_waiting",
        "dead_letter",
        ["parked_at"],
        unique=False,
        postgresql_where=sa.text("replayed_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_dead_letter_waiting",
        table_name="dead_letter",
        postgresql_where=sa.text("replayed_at IS NULL"),
    )
    op.drop_table("dead_letter")
