"""the reviewer pool, each call's frozen pool and panel, reviews, ballots; the draw's seed and
commitments on the call

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _moment(name: str, nullable: bool = False) -> sa.Column:
    default = None if nullable else sa.text("now()")
    return sa.Column(name, sa.DateTime(timezone=True), server_default=default, nullable=nullable)


def upgrade() -> None:
    op.add_column("funding_call", sa.Column("draw_seed", sa.LargeBinary(), nullable=True))
    op.add_column("funding_call", sa.Column("seed_commitment", sa.String(), nullable=True))
    op.add_column("funding_call", sa.Column("pool_commitment", sa.String(), nullable=True))
    op.add_column(
        "funding_call", sa.Column("pool_size", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column("funding_call", _moment("drawn_at", nullable=True))
    op.create_table(
        "pool_entry",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.String(), nullable=False),
        _moment("joined_at"),
        _moment("left_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_entry")),
    )
    op.create_index(op.f("ix_pool_entry_person_id"), "pool_entry", ["person_id"])
    op.create_index(
        "uq_pool_entry_person_standing",
        "pool_entry",
        ["person_id"],
        unique=True,
        postgresql_where=sa.text("left_at IS NULL"),
    )
    op.create_table(
        "call_pool_entry",
        sa.Column("call_id", sa.Uuid(), nullable=False),
        sa.Column("pool_entry_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["funding_call.id"], name=op.f("fk_call_pool_entry_call_id_funding_call")
        ),
        sa.ForeignKeyConstraint(
            ["pool_entry_id"],
            ["pool_entry.id"],
            name=op.f("fk_call_pool_entry_pool_entry_id_pool_entry"),
        ),
        sa.PrimaryKeyConstraint("call_id", "pool_entry_id", name=op.f("pk_call_pool_entry")),
    )
    op.create_table(
        "panel_member",
        sa.Column("call_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.String(), nullable=False),
        sa.Column("pool_entry_id", sa.Uuid(), nullable=True),
        sa.Column("place", sa.Integer(), nullable=True),
        sa.Column("seat", sa.Enum("drawn", "assigned", name="panelseat"), nullable=False),
        _moment("seated_at"),
        sa.ForeignKeyConstraint(
            ["call_id"], ["funding_call.id"], name=op.f("fk_panel_member_call_id_funding_call")
        ),
        sa.ForeignKeyConstraint(
            ["pool_entry_id"],
            ["pool_entry.id"],
            name=op.f("fk_panel_member_pool_entry_id_pool_entry"),
        ),
        sa.PrimaryKeyConstraint("call_id", "person_id", name=op.f("pk_panel_member")),
    )
    op.create_table(
        "review",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("call_id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("reviewer", sa.String(), nullable=False),
        sa.Column("scores", postgresql.JSONB(), nullable=False),
        sa.Column("comment", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        _moment("reviewed_at"),
        sa.ForeignKeyConstraint(
            ["call_id"], ["funding_call.id"], name=op.f("fk_review_call_id_funding_call")
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_review_application_id_application"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review")),
        sa.UniqueConstraint("application_id", "reviewer", name="one_per_reviewer"),
    )
    op.create_index(op.f("ix_review_call_id"), "review", ["call_id"])
    op.create_index(op.f("ix_review_application_id"), "review", ["application_id"])
    op.create_table(
        "ballot",
        sa.Column("call_id", sa.Uuid(), nullable=False),
        sa.Column("voter", sa.String(), nullable=False),
        sa.Column("choices", postgresql.JSONB(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        _moment("cast_at"),
        sa.ForeignKeyConstraint(
            ["call_id"], ["funding_call.id"], name=op.f("fk_ballot_call_id_funding_call")
        ),
        sa.PrimaryKeyConstraint("call_id", "voter", name=op.f("pk_ballot")),
    )


def downgrade() -> None:
    op.drop_table("ballot")
    op.drop_table("review")
    op.drop_table("panel_member")
    sa.Enum(name="panelseat").drop(op.get_bind())
    op.drop_table("call_pool_entry")
    op.drop_table("pool_entry")
    for column in ("drawn_at", "pool_size", "pool_commitment", "seed_commitment", "draw_seed"):
        op.drop_column("funding_call", column)
