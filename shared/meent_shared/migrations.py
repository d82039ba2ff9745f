"""Alembic for every service: the body of each service's `migrations/env.py`, and a programmatic
`upgrade` for the launcher and the test fixtures. Migrations run on psycopg (sync); services on
asyncpg."""

import os
from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.config import Config
from geoalchemy2 import alembic_helpers
from sqlalchemy import MetaData, create_engine, pool

from meent_shared.db import sync_url


def run_migrations(metadata: MetaData, service_name: str) -> None:
    """Run from a service's `migrations/env.py`, online or offline as Alembic asks."""
    url = context.config.get_main_option("sqlalchemy.url") or os.environ.get(
        "MEENT_DATABASE_URL", f"postgresql://postgres@127.0.0.1:55432/meent_{service_name}"
    )
    # GeoAlchemy2's helpers keep autogenerate away from PostGIS's own tables and render geometry.
    options: dict[str, Any] = {
        "target_metadata": metadata,
        "include_object": alembic_helpers.include_object,
        "process_revision_directives": alembic_helpers.writer,
        "render_item": alembic_helpers.render_item,
        "compare_type": True,
    }
    if context.is_offline_mode():
        context.configure(url=sync_url(url), literal_binds=True, **options)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(sync_url(url), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


def alembic_config(service_dir: Path, url: str) -> Config:
    config = Config(str(service_dir / "alembic.ini"))
    config.set_main_option("script_location", str(service_dir / "migrations"))
    config.set_main_option("sqlalchemy.url", sync_url(url))
    return config


def upgrade(service_dir: Path, url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(service_dir, url), revision)
