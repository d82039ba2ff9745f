"""one row per occurrence of a period

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Two replicas extending the horizon at once could write an occurrence twice: keep one.
    op.execute(
        "DELETE FROM use_occurrence AS later USING use_occurrence AS earlier "
        "WHERE later.period_id = earlier.period_id AND later.during = earlier.during "
        "AND later.id > earlier.id"
    )
    op.create_unique_constraint(
        op.f("uq_use_occurrence_period_id"), "use_occurrence", ["period_id", "during"]
    )


def downgrade() -> None:
    op.drop_constraint(op.f("uq_use_occurrence_period_id"), "use_occurrence", type_="unique")
