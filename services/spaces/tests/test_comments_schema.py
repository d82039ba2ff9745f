"""The comments migration makes what the models describe; an erasure's pseudonym reaches every
comment and moderation act."""

import psycopg
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from spaces.main import metadata

COMMENT_TABLES = {"comment", "comment_moderation"}


def _tables_of(diff: object) -> set[str]:
    found: set[str] = set()
    for part in diff if isinstance(diff, tuple) else diff[0]:  # type: ignore[index]
        table = getattr(part, "table", part)
        if isinstance(part, str):
            found.add(part)
        elif isinstance(getattr(table, "name", None), str):
            found.add(str(table.name))
    return found


def test_migration_matches_the_comment_models(make_database):
    engine = create_engine(
        make_database("spaces").replace("postgresql://", "postgresql+psycopg://")
    )
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), metadata)
    engine.dispose()
    assert [d for d in diffs if _tables_of(d) & COMMENT_TABLES] == []


def test_an_erased_persons_comments_and_acts_follow_the_pseudonym(make_database, spaces_rows):
    url = make_database("spaces")
    project_id = spaces_rows.add_project(url)
    document_id = spaces_rows.add_document(url, project_id)
    with psycopg.connect(url, autocommit=True) as db:
        db.execute(
            "INSERT INTO comment (id, document_id, author_id, body)"
            " VALUES ('00000000-0000-0000-0000-00000000000c', %s, 'anna', 'hi')",
            (document_id,),
        )
        db.execute(
            "INSERT INTO comment_moderation (id, comment_id, project_id, action, actor_id, reason)"
            " VALUES (gen_random_uuid(), '00000000-0000-0000-0000-00000000000c', %s, 'report',"
            " 'anna', 'why')",
            (project_id,),
        )
        db.execute("UPDATE person SET id = 'erased:1' WHERE id = 'anna'")
        assert db.execute("SELECT author_id FROM comment").fetchone() == ("erased:1",)
        assert db.execute("SELECT actor_id FROM comment_moderation").fetchone() == ("erased:1",)
