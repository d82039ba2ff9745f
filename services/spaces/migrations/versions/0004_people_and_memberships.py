"""people, memberships and a project's status

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)
        for name in ("created_at", "updated_at")
    ]


def upgrade() -> None:
    status = sa.Enum("idea", "active", "completed", "archived", name="projectstatus")
    status.create(op.get_bind())
    op.add_column("project", sa.Column("status", status, server_default="idea", nullable=False))
    op.create_table(
        "person",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column(
            "language",
            sa.Enum("en", "nl", "pl", "fr", name="language"),
            server_default="en",
            nullable=False,
        ),
        sa.Column("name_public", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("contact_phone", sa.String(length=40), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
    )
    op.create_table(
        "membership",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("person_id", sa.String(length=255), nullable=False),
        sa.Column(
            "role", sa.Enum("coordinator", "core", "skill", name="projectrole"), nullable=False
        ),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership")),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_membership_project_id_project")
        ),
        # Erasure gives the person a pseudonym as id: it follows into every row that names them.
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_membership_person_id_person"),
            onupdate="CASCADE",
        ),
        sa.CheckConstraint("left_on IS NULL OR left_on >= joined_on", name="ck_membership_dates"),
    )
    op.create_index(op.f("ix_membership_project_id"), "membership", ["project_id"])
    op.create_index(op.f("ix_membership_person_id"), "membership", ["person_id"])
    op.create_index(
        "uq_membership_open_stint",
        "membership",
        ["project_id", "person_id"],
        unique=True,
        postgresql_where=sa.text("left_on IS NULL"),
    )


def downgrade() -> None:
    op.drop_table("membership")
    op.drop_table("person")
    op.drop_column("project", "status")
    for name in ("projectrole", "language", "projectstatus"):
        sa.Enum(name=name).drop(op.get_bind())
