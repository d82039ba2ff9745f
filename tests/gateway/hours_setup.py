"""Projects with members that volunteers knows of (from spaces' events), made through GraphQL, for
the hours tests through the gateway."""

import datetime as dt
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg

from meent_shared.settings import Mode, ServiceSettings

NEW_PROJECT = """mutation($name: String!) {
  createProject(input: {name: $name}) { ... on Project { id } } }"""
JOIN = "mutation($p: UUID!) { joinProject(projectId: $p) { ... on Membership { id } } }"
PROMOTE = """mutation($p: UUID!, $m: UUID!, $r: ProjectRole!) {
  changeMemberRole(projectId: $p, membershipId: $m, role: $r) { __typename } }"""


def city_today() -> dt.date:
    """Today where the volunteers are (MEENT_CITY_TIMEZONE): a later day is refused."""
    return ServiceSettings(mode=Mode.local).today()


@dataclass
class HoursProject:
    id: str
    coordinator: str  # the token of the person who started it (its coordinator)
    coordinator_sub: str
    members: dict[str, list[str]] = field(default_factory=dict)  # role → tokens


def volunteers_sql(running_suite: Any, sql: str, params: dict[str, Any] | None = None) -> list:
    with psycopg.connect(running_suite.suite.database_url("volunteers"), autocommit=True) as db:
        cursor = db.execute(sql, params or {})
        return cursor.fetchall() if cursor.description else []


def wait_until(check: Any, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def hours_project(running_suite: Any, skill: int = 1, core: int = 0) -> HoursProject:
    """A project, its starter (coordinator) and `skill` and `core` members, each a new person,
    once volunteers has learnt of the project and of every membership."""
    sub = f"hours-coordinator-{uuid.uuid4().hex[:8]}"
    token = running_suite.token(sub)
    answer = running_suite.graphql(
        NEW_PROJECT, {"name": f"Hours {uuid.uuid4().hex[:8]}"}, token=token
    ).json()
    project = HoursProject(answer["data"]["createProject"]["id"], token, sub)
    roles = {sub: "coordinator"}
    for role, count in (("skill", skill), ("core", core)):
        for _ in range(count):
            member_sub, member = join(running_suite, project.id, role)
            project.members.setdefault(role, []).append(member)
            roles[member_sub] = role
    url = f"{running_suite.suite.url('volunteers')}/projects/{project.id}"
    wait_until(lambda: httpx.get(url).status_code == 200, "volunteers never learnt the project")
    wait_until(
        lambda: known_members(running_suite, project.id).items() >= roles.items(),
        "volunteers never learnt of every member and their roles",
    )
    return project


def join(running_suite: Any, project_id: str, role: str) -> tuple[str, str]:
    sub = f"hours-{role}-{uuid.uuid4().hex[:8]}"
    token = running_suite.token(sub)
    joined = running_suite.graphql(JOIN, {"p": project_id}, token=token).json()
    if role != "skill":
        admin = running_suite.token("hours-admin", ["admin"])
        variables = {"p": project_id, "m": joined["data"]["joinProject"]["id"], "r": role.upper()}
        promoted = running_suite.graphql(PROMOTE, variables, token=admin).json()
        assert promoted["data"]["changeMemberRole"]["__typename"] == "Membership", promoted
    return sub, token


def known_members(running_suite: Any, project_id: str) -> dict[str, str]:
    """The current members volunteers knows of the project, with their roles."""
    rows = volunteers_sql(
        running_suite,
        "SELECT person_id, role FROM project_member WHERE project_id = %(p)s AND role IS NOT NULL",
        {"p": project_id},
    )
    return {person: role for person, role in rows}


def entries_of(running_suite: Any, project_id: str) -> int:
    rows = volunteers_sql(
        running_suite, "SELECT count(*) FROM hour_entry WHERE project_id = %(p)s", {"p": project_id}
    )
    return int(rows[0][0])


# Routes of the service frame (and of this count itself), not of what a test asks for.
FRAME_ROUTES = ("/metrics", "/healthz", "/readyz")


def volunteers_requests(running_suite: Any, method: str, route: str | None = None) -> float:
    """How many requests volunteers has answered (by its own metrics), of one route or all."""
    text = httpx.get(f"{running_suite.suite.url('volunteers')}/metrics").text
    total = 0.0
    for line in text.splitlines():
        if not line.startswith("meent_http_requests_total{") or f'method="{method}"' not in line:
            continue
        if any(f'route="{frame}"' in line for frame in FRAME_ROUTES):
            continue
        if route is None or f'route="{route}"' in line:
            total += float(line.rsplit(" ", 1)[1])
    return total
