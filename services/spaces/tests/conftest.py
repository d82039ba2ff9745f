"""Rows the comment, award and feed tests stand on, written straight into spaces's database
(the documents and memberships APIs are other parts of issue 8)."""

import datetime as dt
import uuid
from types import SimpleNamespace

import psycopg
import pytest


def add_project(url: str, *, slug: str | None = None, creator: str = "anna") -> uuid.UUID:
    project_id = uuid.uuid4()
    with psycopg.connect(url, autocommit=True) as db:
        db.execute(
            "INSERT INTO person (id, display_name) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            (creator, creator.title()),
        )
        db.execute(
            "INSERT INTO project (id, name, summary, slug, version, created_by)"
            " VALUES (%s, %s, '', %s, 1, %s)",
            (project_id, "Elisabeth groen", slug or f"p-{project_id.hex[:8]}", creator),
        )
    return project_id


def add_member(
    url: str,
    project_id: uuid.UUID,
    person_id: str,
    role: str,
    *,
    name_public: bool = False,
    joined_on: dt.date | None = None,
) -> uuid.UUID:
    membership_id = uuid.uuid4()
    with psycopg.connect(url, autocommit=True) as db:
        db.execute(
            "INSERT INTO person (id, display_name, name_public) VALUES (%s, %s, %s)"
            " ON CONFLICT (id) DO UPDATE SET name_public = EXCLUDED.name_public",
            (person_id, person_id.title(), name_public),
        )
        db.execute(
            "INSERT INTO membership (id, project_id, person_id, role, joined_on, version)"
            " VALUES (%s, %s, %s, %s, %s, 1)",
            (membership_id, project_id, person_id, role, joined_on or dt.date.today()),
        )
    return membership_id


def add_document(
    url: str, project_id: uuid.UUID, *, author: str = "anna", body: str = "# Plan", title="Plan"
) -> uuid.UUID:
    document_id, revision_id = uuid.uuid4(), uuid.uuid4()
    with psycopg.connect(url, autocommit=True) as db:
        db.execute(
            "INSERT INTO person (id, display_name) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            (author, author.title()),
        )
        db.execute(
            "INSERT INTO document (id, project_id, title, kind) VALUES (%s, %s, %s, 'plan')",
            (document_id, project_id, title),
        )
        db.execute(
            "INSERT INTO revision (id, document_id, body, sha256, author_id, message)"
            " VALUES (%s, %s, %s, 'x', %s, 'first draft')",
            (revision_id, document_id, body, author),
        )
        db.execute(
            "UPDATE document SET current_revision_id = %s WHERE id = %s",
            (revision_id, document_id),
        )
    return document_id


def count(url: str, table: str) -> int:
    with psycopg.connect(url, autocommit=True) as db:
        row = db.execute(f"SELECT count(*) FROM {table}".encode()).fetchone()  # noqa: S608
    assert row is not None
    return int(row[0])


@pytest.fixture
def spaces_rows() -> SimpleNamespace:
    """`spaces_rows.add_project(url)`, `.add_member(...)`, `.add_document(...)`, `.count(...)`."""
    return SimpleNamespace(
        add_project=add_project, add_member=add_member, add_document=add_document, count=count
    )
