"""calls in Decimal money with their terms (mode, criteria, scale, ballot, voter and eligibility
rules) and running totals; applications; the ledger; grants' copy of spaces' projects and
memberships

Amounts move from integer cents to numeric(14, 2) (exact, and beyond GraphQL's 32-bit Int). The
running `committed` total is checked against the budget by the database itself.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(14, 2)
CALL_MODE = postgresql.ENUM("panel", "vote", "both", name="callmode", create_type=False)
BALLOT_KIND = postgresql.ENUM(
    "points", "approval", "knapsack", name="ballotkind", create_type=False
)
VOTER_RULE = postgresql.ENUM("citizen", "claim", name="voterrule", create_type=False)


def upgrade() -> None:
    op.execute("ALTER TYPE callstatus ADD VALUE IF NOT EXISTS 'decided'")
    for enum in (CALL_MODE, BALLOT_KIND, VOTER_RULE):
        enum.create(op.get_bind(), checkfirst=False)
    for name in ("budget", "min_award", "max_award"):
        op.add_column("funding_call", sa.Column(name, MONEY, nullable=True))
        op.execute(f"UPDATE funding_call SET {name} = {name}_cents / 100.0")
        op.alter_column("funding_call", name, nullable=False)
        op.drop_column("funding_call", f"{name}_cents")
    columns = [
        sa.Column("mode", CALL_MODE, nullable=False, server_default="panel"),
        sa.Column("vote_weight", sa.Numeric(3, 2), nullable=False, server_default="0"),
        sa.Column(
            "criteria",
            postgresql.JSONB(),
            nullable=False,
            server_default=sa.text("""'[{"name": "Quality", "weight": 1}]'::jsonb"""),
        ),
        sa.Column("scale_min", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("scale_max", sa.Integer(), nullable=False, server_default="5"),
        sa.Column("panel_size", sa.Integer(), nullable=False, server_default="3"),
        sa.Column("ballot_kind", BALLOT_KIND, nullable=True),
        sa.Column("ballot_points", sa.Integer(), nullable=True),
        sa.Column("ballot_max_choices", sa.Integer(), nullable=True),
        sa.Column("voter_rule", VOTER_RULE, nullable=False, server_default="citizen"),
        sa.Column("voter_claim", sa.String(length=64), nullable=True),
        sa.Column("voter_claim_value", sa.String(length=200), nullable=True),
        sa.Column("min_members", sa.Integer(), nullable=True),
        sa.Column("min_hours", sa.Integer(), nullable=True),
        sa.Column("district_id", sa.Uuid(), nullable=True),
        sa.Column("committed", MONEY, nullable=False, server_default="0"),
        sa.Column("disbursed", MONEY, nullable=False, server_default="0"),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
    ]
    for column in columns:
        op.add_column("funding_call", column)
    op.create_check_constraint(
        "committed_within_budget", "funding_call", "committed >= 0 AND committed <= budget"
    )
    op.create_check_constraint(
        "disbursed_committed", "funding_call", "disbursed >= 0 AND disbursed <= committed"
    )
    op.create_check_constraint(
        "award_bounds", "funding_call", "min_award <= max_award AND max_award <= budget"
    )
    op.create_check_constraint("closes_after_opening", "funding_call", "closes_on > opens_on")

    op.create_table(
        "known_project",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("slug", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_known_project")),
    )
    op.create_table(
        "project_member",
        sa.Column("membership_id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=True),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("membership_id", name=op.f("pk_project_member")),
    )
    op.create_index(
        "ix_project_member_project_person", "project_member", ["project_id", "person_id"]
    )
    op.create_index(op.f("ix_project_member_person_id"), "project_member", ["person_id"])

    op.create_table(
        "application",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.String(length=10000), nullable=False),
        sa.Column("requested", MONEY, nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("call_id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("applicant", sa.String(), nullable=False),
        sa.Column("budget_lines", postgresql.JSONB(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft", "submitted", "withdrawn", "awarded", "rejected", name="applicationstatus"
            ),
            nullable=False,
        ),
        sa.Column("awarded", MONEY, nullable=True),
        sa.Column("disbursed", MONEY, nullable=False),
        sa.Column("released", MONEY, nullable=False),
        sa.Column("decision_note", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "disbursed >= 0 AND released >= 0 AND disbursed + released <= coalesce(awarded, 0)",
            name=op.f("ck_application_spent_within_award"),
        ),
        sa.ForeignKeyConstraint(
            ["call_id"], ["funding_call.id"], name=op.f("fk_application_call_id_funding_call")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application")),
    )
    op.create_index(op.f("ix_application_call_id"), "application", ["call_id"])
    op.create_index(op.f("ix_application_project_id"), "application", ["project_id"])
    op.create_index(
        "uq_application_call_project_live",
        "application",
        ["call_id", "project_id"],
        unique=True,
        postgresql_where=sa.text("status <> 'withdrawn'"),
    )

    op.create_table(
        "ledger_entry",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("call_id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum("committed", "disbursed", "released", name="ledgerkind"),
            nullable=False,
        ),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_ledger_entry_amount_positive")),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_ledger_entry_application_id_application"),
        ),
        sa.ForeignKeyConstraint(
            ["call_id"], ["funding_call.id"], name=op.f("fk_ledger_entry_call_id_funding_call")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entry")),
        sa.UniqueConstraint("seq", name=op.f("uq_ledger_entry_seq")),
    )
    op.create_index(op.f("ix_ledger_entry_call_id"), "ledger_entry", ["call_id"])
    op.create_index(op.f("ix_ledger_entry_application_id"), "ledger_entry", ["application_id"])


def downgrade() -> None:
    op.drop_table("ledger_entry")
    op.drop_table("application")
    op.drop_table("project_member")
    op.drop_table("known_project")
    sa.Enum(name="ledgerkind").drop(op.get_bind())
    sa.Enum(name="applicationstatus").drop(op.get_bind())
    for name in (
        "committed_within_budget",
        "disbursed_committed",
        "award_bounds",
        "closes_after_opening",
    ):
        op.drop_constraint(f"ck_funding_call_{name}", "funding_call", type_="check")
    for column in (
        "mode",
        "vote_weight",
        "criteria",
        "scale_min",
        "scale_max",
        "panel_size",
        "ballot_kind",
        "ballot_points",
        "ballot_max_choices",
        "voter_rule",
        "voter_claim",
        "voter_claim_value",
        "min_members",
        "min_hours",
        "district_id",
        "committed",
        "disbursed",
        "closed_at",
        "decided_at",
    ):
        op.drop_column("funding_call", column)
    for name in ("budget", "min_award", "max_award"):
        op.add_column("funding_call", sa.Column(f"{name}_cents", sa.BigInteger(), nullable=True))
        op.execute(f"UPDATE funding_call SET {name}_cents = round({name} * 100)")
        op.alter_column("funding_call", f"{name}_cents", nullable=False)
        op.drop_column("funding_call", name)
    for enum in (CALL_MODE, BALLOT_KIND, VOTER_RULE):
        enum.drop(op.get_bind())
    # PostgreSQL cannot drop an enum value: 'decided' stays in callstatus, unused.
