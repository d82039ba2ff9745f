"""The authorization matrix: every mutation × every role → allowed or refused.

One row per mutation. `allowed` lists the roles that may run it; every other role must be
refused (NotAuthenticated or NotAuthorized). Each service issue adds the rows of its mutations.
"""

import datetime as dt
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from tests.authz.roles import ROLES

PEOPLE = frozenset({"citizen", "maintenance", "grant_officer", "admin"})


@dataclass(frozen=True)
class Row:
    mutation: str
    document: str
    success: str  # the __typename of an allowed result
    allowed: frozenset[str]
    setup: Callable[[Any], dict[str, Any]]  # prepares what the mutation acts on; returns variables

    def refused(self) -> frozenset[str]:
        return frozenset(ROLES) - self.allowed


def _result(mutation: str, args: str) -> str:
    return f"mutation{args} {{ {mutation} {{ __typename }} }}"


# --- setups: each makes what the mutation needs, owned by someone who is not the role under test


def project_name(suite: Any) -> dict[str, Any]:
    return {"name": f"Matrix project {uuid.uuid4().hex[:8]}"}


def someone_elses_project(suite: Any) -> dict[str, Any]:
    owner = suite.token("matrix-project-owner")
    answer = suite.graphql(
        "mutation($name: String!) { createProject(input: {name: $name}) { ... on Project { id } } }",
        project_name(suite), token=owner,
    )  # fmt: skip
    return {"id": answer.json()["data"]["createProject"]["id"]}


def known_project(suite: Any) -> str:
    """A project volunteers has learnt of (by event), made once per run."""
    if not hasattr(suite, "_matrix_project"):
        project_id = someone_elses_project(suite)["id"]
        deadline = time.monotonic() + 30
        url = f"{suite.suite.url('volunteers')}/projects/{project_id}"
        while httpx.get(url).status_code != 200:
            assert time.monotonic() < deadline, "volunteers never learnt of the project"
            time.sleep(0.1)
        suite._matrix_project = project_id
    return suite._matrix_project  # type: ignore[no-any-return]


def hours_input(suite: Any) -> dict[str, Any]:
    return {"input": {"projectId": known_project(suite), "activity": "mowing", "minutes": 90,
                      "workedOn": dt.date.today().isoformat()}}  # fmt: skip


def someone_elses_hours(suite: Any) -> dict[str, Any]:
    volunteer = suite.token("matrix-volunteer")
    answer = suite.graphql(
        "mutation($input: LogHoursInput!) { logHours(input: $input) { ... on HourEntry { id } } }",
        hours_input(suite), token=volunteer,
    )  # fmt: skip
    return {"id": answer.json()["data"]["logHours"]["id"]}


CALL = {"title": "Matrix call", "budgetCents": 100000, "minAwardCents": 1000,
        "maxAwardCents": 5000, "opensOn": "2027-01-01", "closesOn": "2027-02-01"}  # fmt: skip


def call_input(suite: Any) -> dict[str, Any]:
    return {"input": CALL}


def draft_call(suite: Any) -> dict[str, Any]:
    officer = suite.token("matrix-officer", ["grant_officer"])
    answer = suite.graphql(
        "mutation($input: CreateCallInput!) { createCall(input: $input) { ... on FundingCall { id } } }",
        {"input": CALL}, token=officer,
    )  # fmt: skip
    return {"id": answer.json()["data"]["createCall"]["id"]}


def site_input(suite: Any) -> dict[str, Any]:
    square = [[[18.6466, 54.3507], [18.649, 54.3507], [18.649, 54.352], [18.6466, 54.3507]]]
    return {"input": {"name": "Matrix square", "kind": "square",
                      "geometry": {"type": "Polygon", "coordinates": square}}}  # fmt: skip


def key_name(suite: Any) -> dict[str, Any]:
    return {"name": "matrix key"}


def someone_elses_key(suite: Any) -> dict[str, Any]:
    admin = suite.token("matrix-key-owner", ["admin"])
    answer = suite.graphql(
        'mutation { createApiKey(name: "to revoke") { ... on NewApiKey { key { id } } } }',
        token=admin,
    )
    return {"id": answer.json()["data"]["createApiKey"]["key"]["id"]}


ROWS = [
    Row("createProject", _result("createProject(input: {name: $name})", "($name: String!)"),
        "Project", PEOPLE | {"api_key_write"}, project_name),
    Row("updateProject", _result('updateProject(id: $id, input: {summary: "x"})', "($id: UUID!)"),
        "Project", frozenset({"admin"}), someone_elses_project),
    Row("logHours", _result("logHours(input: $input)", "($input: LogHoursInput!)"), "HourEntry",
        PEOPLE | {"api_key_write"}, hours_input),
    Row("approveHours", _result("approveHours(id: $id)", "($id: UUID!)"), "HourEntry",
        frozenset({"admin"}), someone_elses_hours),
    Row("rejectHours", _result('rejectHours(id: $id, reason: "no")', "($id: UUID!)"), "HourEntry",
        frozenset({"admin"}), someone_elses_hours),
    Row("createCall", _result("createCall(input: $input)", "($input: CreateCallInput!)"),
        "FundingCall", frozenset({"grant_officer", "admin"}), call_input),
    Row("publishCall", _result("publishCall(id: $id)", "($id: UUID!)"), "FundingCall",
        frozenset({"grant_officer", "admin"}), draft_call),
    Row("createSite", _result("createSite(input: $input)", "($input: CreateSiteInput!)"), "Site",
        frozenset({"maintenance", "admin"}), site_input),
    Row("createApiKey", _result("createApiKey(name: $name)", "($name: String!)"), "NewApiKey",
        frozenset({"admin"}), key_name),
    Row("revokeApiKey", _result("revokeApiKey(id: $id)", "($id: UUID!)"), "ApiKey",
        frozenset({"admin"}), someone_elses_key),
]  # fmt: skip
