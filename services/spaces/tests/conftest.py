"""Fixtures of spaces' tests: a project whose members are written straight into its database
(the memberships API is another part of spaces)."""

import uuid
from dataclasses import dataclass
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
            "INSERT INTO membership (id, project_id, person_id, role, joined_on)"
            " VALUES (%s, %s, %s, %s, current_date)",
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
async def space(start_service, auth_header) -> Space:
    """A project with a coordinator, a core and a skill member, and an outsider."""
    return await make_space(await start_service("spaces"), auth_header)
