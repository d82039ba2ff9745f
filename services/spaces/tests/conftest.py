"""Fixtures of spaces' tests: a project whose members are written straight into its database
(`space`), and rows the comment, award and feed tests stand on (`spaces_rows`)."""

import datetime as dt
import uuid
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import psycopg
import pytest


@dataclass
class Space:
    service: Any
    project_id: str
    headers: dict[str, dict[str, str]]

    async def post(self, path: str, who: str, body: dict[str, Any]) -> Any:
        return await self.service.client.post(path, json=body, headers=self.headers[who])

    async def new_document(self, body: str = "first", **fields: Any) -> dict[str, Any]:
        answer = await self.post(
            f"/projects/{self.project_id}/documents",
            "core",
            {"title": "Park plan", "kind": "plan", "body": body, **fields},
        )
        assert answer.status_code == 201, answer.text
        return answer.json()

    async def save(self, document: dict[str, Any], parent: str, body: str, who: str = "core"):
        return await self.post(
            f"/documents/{document['id']}/revisions",
            who,
            {"parent_revision_id": parent, "body": body, "message": "edit"},
        )

    def sql(self, query: str, *params: Any) -> Any:
        with psycopg.connect(self.service.database_url) as connection:
            return connection.execute(query, params).fetchall()


def add_member(database_url: str, project_id: str, sub: str, role: str, name: str) -> None:
    with psycopg.connect(database_url) as connection:
        connection.execute(
            "INSERT INTO person (id, display_name, name_public) VALUES (%s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            (sub, name, role != "skill"),
        )
        connection.execute(
            # The project's starter already coordinates it (spaces makes that stint).
            "INSERT INTO membership (id, project_id, person_id, role, joined_on)"
            " VALUES (%s, %s, %s, %s, current_date) ON CONFLICT DO NOTHING",
            (uuid.uuid4(), project_id, sub, role),
        )


async def make_space(service: Any, auth_header: Any) -> Space:
    tag = uuid.uuid4().hex[:6]
    subs = {role: f"{role}-{tag}" for role in ("coordinator", "core", "skill", "outsider")}
    headers = {role: auth_header(sub) for role, sub in subs.items()}
    answer = await service.client.post(
        "/projects", json={"name": f"Elisabeth {tag}"}, headers=headers["coordinator"]
    )
    assert answer.status_code == 201, answer.text
    project_id = answer.json()["id"]
    for role in ("coordinator", "core", "skill"):
        add_member(service.database_url, project_id, subs[role], role, role.title())
    return Space(service, project_id, headers)


@pytest.fixture
async def space(start_service, auth_header, tmp_path) -> Space:
    """A project with a coordinator, a core and a skill member, and an outsider (uploads in a
    folder of the test's own)."""
    service = await start_service("spaces", attachments_dir=str(tmp_path / "attachments"))
    return await make_space(service, auth_header)


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


def add_member_row(
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
        add_project=add_project, add_member=add_member_row, add_document=add_document, count=count
    )
