"""occurrences by site and time

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # btree_gist lets one GiST index cover the uuid and the range: the map's "use of each site at
    # noon" becomes one index scan instead of a scan of everything active at that instant.
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.create_index(
        "ix_use_occurrence_site_during",
        "use_occurrence",
        ["site_id", "during"],
        unique=False,
        postgresql_using="gist",
    )


def downgrade() -> None:
    op.drop_index(
        "ix_use_occurrence_site_during", table_name="use_occurrence", postgresql_using="gist"
    )
