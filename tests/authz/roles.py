"""The roles of the authorization matrix, and how each one signs in against the running suite.

Project roles (member of another project, skill, core, coordinator) are made by really joining a
project through GraphQL: for a row about one project, in that project (a fresh person per case);
for the other rows, in one project of the run. A reviewer is a new person the grant officer
seats on the row's call's panel (or on one call of the run, for rows about no call).
"""

import uuid
from typing import Any

from tests.gateway.grants_setup import officer, open_call, wait_for_grants_member
from tests.gateway.hours_setup import known_members, wait_until

PROJECT_ROLES = ("other_project_member", "skill", "core", "coordinator")

ROLES = (
    "anonymous",
    "citizen",
    "maintenance",
    "grant_officer",
    "admin",
    "api_key_read",
    "api_key_write",
    *PROJECT_ROLES,
    "reviewer",  # a person seated on a call's panel: the row's call, or one call of the run
)

_GLOBAL_ROLE = {
    "citizen": "citizen",
    "maintenance": "maintenance",
    "grant_officer": "grant_officer",
    "admin": "admin",
}

NEW_KEY = """mutation($name: String!, $scopes: [String!]) {
  createApiKey(name: $name, scopes: $scopes) { ... on NewApiKey { secret } } }"""
NEW_PROJECT = """mutation($name: String!) {
  createProject(input: {name: $name}) { ... on Project { id } } }"""
JOIN = "mutation($p: UUID!) { joinProject(projectId: $p) { ... on Membership { id } } }"
PROMOTE = """mutation($p: UUID!, $m: UUID!, $r: ProjectRole!) {
  changeMemberRole(projectId: $p, membershipId: $m, role: $r) { __typename } }"""


def credentials(
    suite: Any,
    role: str,
    project_id: str | None = None,
    *,
    fresh: bool = False,
    call_id: str | None = None,
) -> dict[str, str]:
    """Keyword arguments for `RunningSuite.graphql` that act as `role` (in `project_id`'s
    project, for a project role; on `call_id`'s panel, for a reviewer). `fresh`: a new person,
    for rows that change who they are."""
    if role == "anonymous":
        return {}
    if role == "reviewer":
        return {"token": _reviewer(suite, call_id, fresh)}
    if role in PROJECT_ROLES:
        return {"token": _project_member(suite, role, project_id)}
    if role in _GLOBAL_ROLE:
        sub = f"matrix-{role}-{uuid.uuid4().hex[:8]}" if fresh else f"matrix-{role}"
        return {"token": suite.token(sub, [_GLOBAL_ROLE[role]])}
    scope = role.removeprefix("api_key_")
    return {"api_key": _api_key(suite, scope)}


def new_project(suite: Any, token: str) -> str:
    name = f"Matrix project {uuid.uuid4().hex[:8]}"
    answer = suite.graphql(NEW_PROJECT, {"name": name}, token=token)
    return answer.json()["data"]["createProject"]["id"]  # type: ignore[no-any-return]


def _project_member(suite: Any, role: str, project_id: str | None) -> str:
    if project_id is None:  # a row about no project: one member of each kind per run
        cached = suite.__dict__.setdefault("_matrix_members", {})
        if role not in cached:
            home = suite.__dict__.setdefault(
                "_matrix_home_project", new_project(suite, suite.token("matrix-home-owner"))
            )
            cached[role] = _join_as(suite, role, home)
        return cached[role]  # type: ignore[no-any-return]
    return _join_as(suite, role, project_id)


def _join_as(suite: Any, role: str, project_id: str) -> str:
    """A new person who holds `role` in the project, made through GraphQL."""
    sub = f"matrix-{role}-{uuid.uuid4().hex[:8]}"
    token = suite.token(sub)
    if role == "other_project_member":
        new_project(suite, token)  # coordinates a project of their own, not this one
        return token
    joined = suite.graphql(JOIN, {"p": project_id}, token=token).json()
    membership_id = joined["data"]["joinProject"]["id"]
    if role != "skill":
        admin = suite.token("matrix-admin", ["admin"])
        variables = {"p": project_id, "m": membership_id, "r": role.upper()}
        promoted = suite.graphql(PROMOTE, variables, token=admin).json()
        assert promoted["data"]["changeMemberRole"]["__typename"] == "Membership", promoted
    # volunteers and grants learn memberships by event: rows about hours and applications act
    # on them at once.
    wait_until(
        lambda: known_members(suite, project_id).get(sub) == role,
        f"volunteers never learnt that {sub} is {role}",
    )
    wait_for_grants_member(suite, project_id, sub, role)
    return token


ASSIGN = """mutation($c: UUID!, $p: ID!) { assignReviewer(callId: $c, personId: $p) {
  __typename } }"""


def _reviewer(suite: Any, call_id: str | None, fresh: bool) -> str:
    """A new person the officer seats on the call's panel (for a row about no call: on one
    call of the run, one such person per run unless `fresh`)."""
    if call_id is None and not fresh and "_matrix_reviewer" in suite.__dict__:
        return suite._matrix_reviewer  # type: ignore[no-any-return]
    if call_id is None:
        call_id = suite.__dict__.setdefault("_matrix_panel_call", open_call(suite))
    sub = f"matrix-reviewer-{uuid.uuid4().hex[:8]}"
    seated = suite.graphql(ASSIGN, {"c": call_id, "p": sub}, token=officer(suite)).json()
    assert seated["data"]["assignReviewer"]["__typename"] == "ReviewPanel", seated
    token = suite.token(sub)
    if call_id == suite.__dict__.get("_matrix_panel_call") and not fresh:
        suite._matrix_reviewer = token
    return token  # type: ignore[no-any-return]


def _api_key(suite: Any, scope: str) -> str:
    """One key per scope per run, kept on the suite object."""
    keys = suite.__dict__.setdefault("_matrix_keys", {})
    if scope not in keys:
        admin = suite.token("matrix-key-issuer", ["admin"])
        answer = suite.graphql(NEW_KEY, {"name": f"matrix {scope}", "scopes": [scope]}, token=admin)
        keys[scope] = answer.json()["data"]["createApiKey"]["secret"]
    return keys[scope]
