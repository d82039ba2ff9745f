"""The documents migration makes what the models describe, and revisions cannot be rewritten."""

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from spaces.main import metadata

DOCUMENT_TABLES = {"document", "revision", "proposal"}


def _table_of(diff: object) -> str | None:
    item = diff[0] if isinstance(diff, list) else diff
    for part in item:  # type: ignore[union-attr]
        if isinstance(part, str) and part in DOCUMENT_TABLES:
            return part  # a column's change names its table
        table = getattr(part, "table", part)  # an index's or a column's table, or a table
        if isinstance(getattr(table, "name", None), str):
            return str(table.name)
    return None


def test_migration_matches_the_document_models(make_database):
    engine = create_engine(
        make_database("spaces").replace("postgresql://", "postgresql+psycopg://")
    )
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), metadata)
    engine.dispose()
    ours = [d for d in diffs if _table_of(d) in DOCUMENT_TABLES]
    assert ours == []


def test_a_revision_body_cannot_be_rewritten(make_database):
    url = make_database("spaces")
    with psycopg.connect(url) as connection:
        connection.execute(
            "INSERT INTO person (id, display_name) VALUES ('anna', 'Anna');"
            "INSERT INTO project (id, name, summary, slug, version, created_by)"
            " VALUES ('00000000-0000-0000-0000-000000000001', 'P', '', 'p', 1, 'anna');"
            "INSERT INTO document (id, project_id, title, kind) VALUES"
            " ('00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001',"
            " 'Plan', 'plan');"
            "INSERT INTO revision (id, document_id, body, sha256, author_id) VALUES"
            " ('00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000002',"
            " 'first', 'x', 'anna')"
        )
        connection.commit()
        with pytest.raises(psycopg.errors.RestrictViolation):
            connection.execute("UPDATE revision SET body = 'rewritten'")
        connection.rollback()
        # An erasure's pseudonym still reaches the revision (ON UPDATE CASCADE).
        connection.execute("UPDATE person SET id = 'erased:1' WHERE id = 'anna'")
        author = connection.execute("SELECT author_id, body FROM revision").fetchone()
        assert author == ("erased:1", "first")
