"""What the grants browser tests share: an officer, projects grants knows of (its copy of spaces'
projects and memberships comes by event), the reviewer pool, and a call decided through the
public GraphQL API for the pages that only read one."""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from tests.browser.spaces_people import ok
from tests.conftest import RunningSuite
from tests.gateway.grants_setup import grants_member_roles, grants_project
from tests.gateway.hours_setup import city_today, join, wait_until

CREATE_CALL = """mutation($input: CreateCallInput!) { createCall(input: $input) {
  __typename ... on FundingCall { id } ... on UserError { message } } }"""
CALL_ACTION = """mutation($id: UUID!) {{ {action}(id: $id) {{
  __typename ... on UserError {{ message }} }} }}"""
APPLY = """mutation($c: UUID!, $p: UUID!, $input: ApplicationInput!) {
  createApplication(callId: $c, projectId: $p, input: $input) {
  __typename ... on Application { id } ... on UserError { message } } }"""
APPLICATION_ACTION = """mutation($id: UUID!) {{ {action}(id: $id) {{
  __typename ... on UserError {{ message }} }} }}"""
AWARD = """mutation($id: UUID!, $amount: Decimal) { awardApplication(id: $id, amount: $amount) {
  __typename ... on UserError { message } } }"""
PAYMENT = """mutation($c: UUID!, $input: PaymentInput!) { recordPayment(callId: $c, input: $input) {
  __typename ... on UserError { message } } }"""
JOIN_POOL = "mutation { joinReviewerPool { __typename ... on UserError { message } } }"
PROJECT_NAME = "query($id: UUID!) { project(id: $id) { name } }"


@dataclass
class GrantsProject:
    id: str
    name: str
    coordinator: str  # the token of its coordinator (who started it)
    coordinator_sub: str


def officer(suite: RunningSuite, tag: str) -> str:
    return suite.token(f"officer-{tag}", ["citizen", "grant_officer"], name="Olga Officer")


def applying_project(suite: RunningSuite, members: int = 1) -> GrantsProject:
    """A project of `members` people (its coordinator first), once grants knows each of them."""
    project = grants_project(suite)
    name = ok(suite, PROJECT_NAME, {"id": project.id}, project.coordinator)["project"]["name"]
    made = GrantsProject(project.id, name, project.coordinator, project.coordinator_sub)
    for _ in range(members - 1):
        add_member(suite, made)
    return made


def add_member(suite: RunningSuite, project: GrantsProject) -> str:
    """A new skill member of the project, once grants knows of them; their sub."""
    sub, _ = join(suite, project.id, "skill")
    wait_until(
        lambda: sub in grants_member_roles(suite, project.id),
        f"grants never learnt that {sub} joined the project",
    )
    return sub


def join_pool(suite: RunningSuite, token: str) -> None:
    result = ok(suite, JOIN_POOL, {}, token)["joinReviewerPool"]
    assert result["__typename"] == "PoolEntry", result


def call_action(suite: RunningSuite, token: str, action: str, call_id: str) -> None:
    result = ok(suite, CALL_ACTION.format(action=action), {"id": call_id}, token)[action]
    assert result["__typename"] == "FundingCall", result


def submitted(suite: RunningSuite, call_id: str, project: GrantsProject, requested: str) -> str:
    """A submitted application of one budget line; its id."""
    application = {
        "title": f"Benches for {project.name}",
        "requested": requested,
        "budgetLines": [{"label": "Benches", "amount": requested}],
    }
    variables = {"c": call_id, "p": project.id, "input": application}
    created = ok(suite, APPLY, variables, project.coordinator)["createApplication"]
    assert created["__typename"] == "Application", created
    action = APPLICATION_ACTION.format(action="submitApplication")
    result = ok(suite, action, {"id": created["id"]}, project.coordinator)["submitApplication"]
    assert result["__typename"] == "Application", result
    return created["id"]  # type: ignore[no-any-return]


@dataclass
class DecidedCall:
    id: str
    title: str


def decided_call(suite: RunningSuite, tag: str, awards: list[str], paid: str) -> DecidedCall:
    """A panel call decided through the API: one project's application awarded per amount in
    `awards` (each its request), and `paid` paid out of the first award."""
    token = officer(suite, tag)
    today = city_today()
    terms: dict[str, Any] = {
        "title": f"Ledger call {tag}",
        "budget": "20000.00",
        "minAward": "100.00",
        "maxAward": "15000.00",
        "opensOn": str(today - dt.timedelta(days=1)),
        "closesOn": str(today + dt.timedelta(days=30)),
    }
    created = ok(suite, CREATE_CALL, {"input": terms}, token)["createCall"]
    assert created["__typename"] == "FundingCall", created
    call_id = created["id"]
    call_action(suite, token, "publishCall", call_id)
    applications = [submitted(suite, call_id, applying_project(suite), amount) for amount in awards]
    call_action(suite, token, "closeCall", call_id)
    for application_id in applications:
        result = ok(suite, AWARD, {"id": application_id}, token)["awardApplication"]
        assert result["__typename"] == "Application", result
    payment = {"applicationId": applications[0], "kind": "DISBURSED", "amount": paid}
    result = ok(suite, PAYMENT, {"c": call_id, "input": payment}, token)["recordPayment"]
    assert result["__typename"] == "LedgerEntry", result
    call_action(suite, token, "decideCall", call_id)
    return DecidedCall(call_id, terms["title"])


def new_tag() -> str:
    return uuid.uuid4().hex[:8]
