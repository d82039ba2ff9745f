"""how far each period is materialized

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("use_period", sa.Column("materialized_until", sa.Date(), nullable=True))
    # Periods already materialized: let the scheduler's first run measure them again.


def downgrade() -> None:
    op.drop_column("use_period", "materialized_until")
