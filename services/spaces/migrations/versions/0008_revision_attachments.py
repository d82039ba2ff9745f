"""the files each revision carries

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "revision_attachment",
        sa.Column("revision_id", sa.UUID(), nullable=False),
        sa.Column("attachment_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "revision_id", "attachment_id", name=op.f("pk_revision_attachment")
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["revision.id"],
            name=op.f("fk_revision_attachment_revision_id_revision"),
        ),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachment.id"],
            name=op.f("fk_revision_attachment_attachment_id_attachment"),
        ),
    )
    op.create_index(
        op.f("ix_revision_attachment_attachment_id"), "revision_attachment", ["attachment_id"]
    )


def downgrade() -> None:
    op.drop_table("revision_attachment")
