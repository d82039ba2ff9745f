"""The authorization matrix's rows of grants (issue 10): calls, applications, panels, reviews,
ballots and the ledger. Officers (and admins) manage calls, panels and awards; a project's
coordinators apply for it; the call's panel members review; signed-in citizens vote; people, never
keys, join the reviewer pool."""

import uuid
from typing import Any

from tests.authz.matrix import PEOPLE, Row, _result, in_project, someone_elses_project
from tests.gateway.grants_setup import (
    application_input,
    call_action,
    call_terms,
    draft_application,
    grants_project,
    officer,
    open_call,
    submitted_application,
)

OFFICERS = frozenset({"grant_officer", "admin"})
COORDINATORS = frozenset({"coordinator"})  # of the applying project (an admin is not one)


def a_draft(suite: Any) -> dict[str, Any]:
    answer = suite.graphql(
        "mutation($input: CreateCallInput!) { createCall(input: $input) { ... on FundingCall { id } } }",
        {"input": call_terms()},
        token=officer(suite),
    )
    return {"id": answer.json()["data"]["createCall"]["id"], "input": call_terms()}


def an_open_call(suite: Any) -> dict[str, Any]:
    return {"id": open_call(suite)}


def a_closed_call(suite: Any) -> dict[str, Any]:
    call_id = open_call(suite)
    call_action(suite, "closeCall", call_id)
    return {"id": call_id}


def a_call_and_project(suite: Any) -> dict[str, Any]:
    project = grants_project(suite)
    return {"c": open_call(suite), "p": project.id, "input": application_input()}


def a_draft_application(suite: Any) -> dict[str, Any]:
    project = grants_project(suite)
    call_id = open_call(suite)
    return {
        "id": draft_application(suite, call_id, project),
        "p": project.id,
        "input": application_input("600.00"),
    }


def an_application_to_decide(suite: Any) -> dict[str, Any]:
    project = grants_project(suite)
    call_id = open_call(suite)
    application_id = submitted_application(suite, call_id, project)
    call_action(suite, "closeCall", call_id)
    return {"id": application_id, "c": call_id}


def an_award(suite: Any) -> dict[str, Any]:
    decided = an_application_to_decide(suite)
    answer = suite.graphql(
        "mutation($id: UUID!) { awardApplication(id: $id) { __typename } }",
        {"id": decided["id"]},
        token=officer(suite),
    )
    assert answer.json()["data"]["awardApplication"]["__typename"] == "Application", answer.text
    payment = {"applicationId": decided["id"], "kind": "DISBURSED", "amount": "10.00"}
    return {"c": decided["c"], "input": payment}


def an_application_to_review(suite: Any) -> dict[str, Any]:
    project = grants_project(suite)
    call_id = open_call(suite)
    return {"id": submitted_application(suite, call_id, project), "c": call_id}


def a_vote(suite: Any) -> dict[str, Any]:
    project = grants_project(suite)
    call_id = open_call(suite, mode="VOTE", ballotKind="APPROVAL", ballotMaxChoices=1)
    return {"c": call_id, "a": submitted_application(suite, call_id, project)}


def a_project_to_act_in(suite: Any) -> dict[str, Any]:
    """A project of its own per case, so that its members are new people too."""
    return {"p": someone_elses_project(suite)["id"]}


def a_district_collection(suite: Any) -> dict[str, Any]:
    n = uuid.uuid4().hex[:8]
    x, y = 5.0 + int(n, 16) % 10_000 / 100_000, 52.0
    ring = [[x, y], [x + 0.001, y], [x + 0.001, y + 0.001], [x, y + 0.001], [x, y]]
    area = {
        "type": "Feature",
        "properties": {"name": f"Matrix district {n}"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    return {"fc": {"type": "FeatureCollection", "features": [area]}}


NOT_IN_THE_POOL = {role: "NotFound" for role in PEOPLE}
GRANTS_ROWS = [
    Row(
        "updateCall",
        _result("updateCall(id: $id, input: $input)", "($id: UUID!, $input: CreateCallInput!)"),
        "FundingCall",
        OFFICERS,
        a_draft,
    ),
    Row(
        "closeCall",
        _result("closeCall(id: $id)", "($id: UUID!)"),
        "FundingCall",
        OFFICERS,
        an_open_call,
    ),
    Row(
        "decideCall",
        _result("decideCall(id: $id)", "($id: UUID!)"),
        "FundingCall",
        OFFICERS,
        a_closed_call,
    ),
    Row(
        "createApplication",
        _result(
            "createApplication(callId: $c, projectId: $p, input: $input)",
            "($c: UUID!, $p: UUID!, $input: ApplicationInput!)",
        ),
        "Application",
        COORDINATORS,
        a_call_and_project,
        project=lambda v: v["p"],
    ),
    Row(
        "updateApplication",
        _result(
            "updateApplication(id: $id, input: $input)", "($id: UUID!, $input: ApplicationInput!)"
        ),
        "Application",
        COORDINATORS,
        a_draft_application,
        project=in_project,
    ),
    Row(
        "submitApplication",
        _result("submitApplication(id: $id)", "($id: UUID!)"),
        "Application",
        COORDINATORS,
        a_draft_application,
        project=in_project,
    ),
    Row(
        "withdrawApplication",
        _result("withdrawApplication(id: $id)", "($id: UUID!)"),
        "Application",
        COORDINATORS,
        a_draft_application,
        project=in_project,
    ),
    Row(
        "awardApplication",
        _result("awardApplication(id: $id)", "($id: UUID!)"),
        "Application",
        OFFICERS,
        an_application_to_decide,
    ),
    Row(
        "rejectApplication",
        _result("rejectApplication(id: $id)", "($id: UUID!)"),
        "Application",
        OFFICERS,
        an_application_to_decide,
    ),
    Row(
        "recordPayment",
        _result("recordPayment(callId: $c, input: $input)", "($c: UUID!, $input: PaymentInput!)"),
        "LedgerEntry",
        OFFICERS,
        an_award,
    ),
    Row("joinReviewerPool", _result("joinReviewerPool", ""), "PoolEntry", PEOPLE, lambda suite: {}),
    # New people, none in the pool: each is told so; a key or a visitor is refused.
    Row(
        "leaveReviewerPool",
        _result("leaveReviewerPool", ""),
        "PoolEntry",
        frozenset(),
        a_project_to_act_in,
        project=in_project,
        outcomes=NOT_IN_THE_POOL,
        fresh=True,
    ),
    Row(
        "drawPanel",
        _result("drawPanel(callId: $id)", "($id: UUID!)"),
        "ReviewPanel",
        OFFICERS,
        an_open_call,
    ),
    Row(
        "assignReviewer",
        _result('assignReviewer(callId: $id, personId: "matrix-reviewer")', "($id: UUID!)"),
        "ReviewPanel",
        OFFICERS,
        an_open_call,
    ),
    Row(
        "reviewApplication",
        _result(
            'reviewApplication(id: $id, scores: [{criterion: "Quality", score: 3}])', "($id: UUID!)"
        ),
        "Review",
        frozenset({"reviewer"}),  # only the call's panel
        an_application_to_review,
        call=lambda v: v["c"],
    ),
    Row(
        "castBallot",
        _result("castBallot(callId: $c, choices: [{applicationId: $a}])", "($c: UUID!, $a: UUID!)"),
        "Ballot",
        PEOPLE,  # every signed-in citizen (the call's voter rule: any citizen)
        a_vote,
    ),
    Row(
        "importDistricts",
        _result("importDistricts(featureCollection: $fc)", "($fc: JSON!)"),
        "ImportedDistricts",
        OFFICERS,
        a_district_collection,
    ),
]
