"""Calls, projects and applications that grants knows of (its copy of spaces' projects and
memberships comes by event), made through GraphQL, for the grants tests through the gateway."""

import datetime as dt
import uuid
from typing import Any

import psycopg

from tests.gateway.hours_setup import HoursProject, city_today, hours_project, wait_until

CREATE_CALL = """mutation($input: CreateCallInput!) { createCall(input: $input) {
  __typename ... on FundingCall { id } ... on UserError { message } } }"""
CALL_ACTION = """mutation($id: UUID!) {{ {action}(id: $id) {{
  __typename ... on UserError {{ message }} }} }}"""
APPLY = """mutation($c: UUID!, $p: UUID!, $input: ApplicationInput!) {
  createApplication(callId: $c, projectId: $p, input: $input) {
  __typename ... on Application { id } ... on UserError { message } } }"""
SUBMIT = """mutation($id: UUID!) { submitApplication(id: $id) {
  __typename ... on UserError { message } } }"""


def officer(suite: Any) -> str:
    return suite.token("grants-officer", ["grant_officer"])  # type: ignore[no-any-return]


def call_terms(**changes: Any) -> dict[str, Any]:
    today = city_today()
    return {
        "title": f"Call {uuid.uuid4().hex[:6]}",
        "budget": "10000.00",
        "minAward": "100.00",
        "maxAward": "1000.00",
        "opensOn": str(today - dt.timedelta(days=1)),
        "closesOn": str(today + dt.timedelta(days=30)),
        **changes,
    }


def ok(answer: Any, field: str, typename: str) -> dict[str, Any]:
    body = answer.json()
    assert answer.status_code == 200 and not body.get("errors"), body
    result = body["data"][field]
    assert result["__typename"] == typename, result
    return result  # type: ignore[no-any-return]


def call_action(suite: Any, action: str, call_id: str) -> None:
    answer = suite.graphql(CALL_ACTION.format(action=action), {"id": call_id}, token=officer(suite))
    ok(answer, action, "FundingCall")


def open_call(suite: Any, **changes: Any) -> str:
    answer = suite.graphql(CREATE_CALL, {"input": call_terms(**changes)}, token=officer(suite))
    call_id = ok(answer, "createCall", "FundingCall")["id"]
    call_action(suite, "publishCall", call_id)
    return call_id  # type: ignore[no-any-return]


def grants_member_roles(suite: Any, project_id: str) -> dict[str, str]:
    """The current members grants knows of the project, with their roles."""
    with psycopg.connect(suite.suite.database_url("grants"), autocommit=True) as db:
        rows = db.execute(
            "SELECT person_id, role FROM project_member WHERE project_id = %s AND role IS NOT NULL",
            (project_id,),
        ).fetchall()
    return dict(rows)


def wait_for_grants_member(suite: Any, project_id: str, sub: str, role: str) -> None:
    wait_until(
        lambda: grants_member_roles(suite, project_id).get(sub) == role,
        f"grants never learnt that {sub} is {role}",
    )


def grants_project(suite: Any, skill: int = 0) -> HoursProject:
    """A project (its starter coordinates it) once grants knows it and its coordinator."""
    project = hours_project(suite, skill=skill)
    wait_for_grants_member(suite, project.id, project.coordinator_sub, "coordinator")
    return project


def application_input(requested: str = "500.00") -> dict[str, Any]:
    return {
        "title": "Bomen",
        "requested": requested,
        "budgetLines": [{"label": "Trees", "amount": requested}],
    }


def draft_application(suite: Any, call_id: str, project: HoursProject) -> str:
    variables = {"c": call_id, "p": project.id, "input": application_input()}
    answer = suite.graphql(APPLY, variables, token=project.coordinator)
    return ok(answer, "createApplication", "Application")["id"]  # type: ignore[no-any-return]


def submitted_application(suite: Any, call_id: str, project: HoursProject) -> str:
    application_id = draft_application(suite, call_id, project)
    answer = suite.graphql(SUBMIT, {"id": application_id}, token=project.coordinator)
    ok(answer, "submitApplication", "Application")
    return application_id
