"""districts (MultiPolygons, SRID 4326), and commons' sites and stewardships as grants knows them

PostGIS enters grants' database here. `known_site` keeps each site's inside point (GiST-indexed,
so the district rule finds the sites in a district by index); `site_stewardship` is keyed by
commons' stewardship ids. Both fill from commons' events: on an existing deployment, run
`python -m commons.worker republish` after upgrading so grants learns of the sites it missed.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from geoalchemy2 import Geometry

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _geometry(kind: str, nullable: bool) -> Geometry:
    return Geometry(
        geometry_type=kind,
        srid=4326,
        dimension=2,
        spatial_index=False,  # made below, by name
        from_text="ST_GeomFromEWKT",
        name="geometry",
        nullable=nullable,
    )


def upgrade() -> None:
    # Needs a superuser once per database; a managed PostGIS usually has it already.
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.create_geospatial_table(
        "district",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("geom", _geometry("MULTIPOLYGON", nullable=False), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_district")),
        sa.UniqueConstraint("name", name=op.f("uq_district_name")),
    )
    op.create_geospatial_index(
        "idx_district_geom", "district", ["geom"], postgresql_using="gist", postgresql_ops={}
    )
    op.create_geospatial_table(
        "known_site",
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("point", _geometry("POINT", nullable=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_known_site")),
    )
    op.create_geospatial_index(
        "idx_known_site_point", "known_site", ["point"], postgresql_using="gist", postgresql_ops={}
    )
    op.create_table(
        "site_stewardship",
        sa.Column("stewardship_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("stewardship_id", name=op.f("pk_site_stewardship")),
    )
    op.create_index(op.f("ix_site_stewardship_site_id"), "site_stewardship", ["site_id"])
    op.create_index(op.f("ix_site_stewardship_project_id"), "site_stewardship", ["project_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_site_stewardship_project_id"), table_name="site_stewardship")
    op.drop_index(op.f("ix_site_stewardship_site_id"), table_name="site_stewardship")
    op.drop_table("site_stewardship")
    op.drop_geospatial_index(
        "idx_known_site_point",
        table_name="known_site",
        postgresql_using="gist",
        column_name="point",
    )
    op.drop_geospatial_table("known_site")
    op.drop_geospatial_index(
        "idx_district_geom", table_name="district", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("district")
    # PostGIS stays: dropping an extension is an operator's decision.
