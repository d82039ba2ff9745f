"""attachments: content-addressed blobs and the files projects attach

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _created_at() -> sa.Column:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_blob")),
        sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="ck_blob_sha256_hex"),
        sa.CheckConstraint("size >= 0", name="ck_blob_size"),
    )
    op.create_table(
        "attachment",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("blob_sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=255), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_attachment_project_id_project")
        ),
        sa.ForeignKeyConstraint(
            ["blob_sha256"], ["blob.sha256"], name=op.f("fk_attachment_blob_sha256_blob")
        ),
        # Erasure gives the person a pseudonym as id: it follows into every row that names them.
        sa.ForeignKeyConstraint(
            ["uploaded_by"],
            ["person.id"],
            name=op.f("fk_attachment_uploaded_by_person"),
            onupdate="CASCADE",
        ),
    )
    op.create_index(op.f("ix_attachment_project_id"), "attachment", ["project_id"])
    op.create_index(op.f("ix_attachment_blob_sha256"), "attachment", ["blob_sha256"])
    op.create_index(op.f("ix_attachment_uploaded_by"), "attachment", ["uploaded_by"])


def downgrade() -> None:
    op.drop_table("attachment")
    op.drop_table("blob")
