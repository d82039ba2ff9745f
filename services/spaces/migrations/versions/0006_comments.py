"""comments on documents and the audit of their moderation

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


def _created_at() -> sa.Column:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


def _person_fk(column: str, table: str) -> sa.ForeignKeyConstraint:
    # Erasure gives the person a pseudonym as id: it follows into every row that names them.
    return sa.ForeignKeyConstraint(
        [column], ["person.id"], name=f"fk_{table}_{column}_person", onupdate="CASCADE"
    )


def _create_comment() -> None:
    op.create_table(
        "comment",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("document_id", sa.UUID(), nullable=False),
        sa.Column("author_id", sa.String(length=255), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment")),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_comment_document_id_document")
        ),
        _person_fk("author_id", "comment"),
    )
    op.create_index("ix_comment_document_created", "comment", ["document_id", "created_at"])
    op.create_index(op.f("ix_comment_author_id"), "comment", ["author_id"])


def _create_moderation() -> None:
    op.create_table(
        "comment_moderation",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("comment_id", sa.UUID(), nullable=False),
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column(
            "action", sa.Enum("report", "hide", "unhide", name="moderationaction"), nullable=False
        ),
        sa.Column("actor_id", sa.String(length=255), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_moderation")),
        sa.ForeignKeyConstraint(
            ["comment_id"], ["comment.id"], name=op.f("fk_comment_moderation_comment_id_comment")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_comment_moderation_project_id_project")
        ),
        _person_fk("actor_id", "comment_moderation"),
    )
    op.create_index(
        "ix_comment_moderation_project_created", "comment_moderation", ["project_id", "created_at"]
    )
    op.create_index(
        "ix_comment_moderation_comment_created", "comment_moderation", ["comment_id", "created_at"]
    )
    op.create_index(op.f("ix_comment_moderation_actor_id"), "comment_moderation", ["actor_id"])
    op.create_index(
        "uq_comment_moderation_one_report",
        "comment_moderation",
        ["comment_id", "actor_id"],
        unique=True,
        postgresql_where=sa.text("action = 'report' AND actor_id IS NOT NULL"),
    )


def upgrade() -> None:
    _create_comment()
    _create_moderation()


def downgrade() -> None:
    op.drop_table("comment_moderation")
    op.drop_table("comment")
    sa.Enum(name="moderationaction").drop(op.get_bind())
