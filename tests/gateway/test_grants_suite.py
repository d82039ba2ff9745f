"""grants on the running suite, through the gateway: 200 citizens voting at once (retrying on
the suite's 503 + Retry-After) leave 200 ballots; an award reaches the project's space as one
agreement; a person's export holds their grants records and their erasure keeps the ledger."""

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import psycopg

from tests.gateway.grants_setup import (
    call_action,
    grants_project,
    officer,
    ok,
    open_call,
    submitted_application,
)
from tests.gateway.hours_setup import wait_until

BALLOT = """mutation($c: UUID!, $a: UUID!) { castBallot(callId: $c, choices: [{applicationId: $a}])
  { __typename ... on UserError { message } } }"""
AWARD = "mutation($id: UUID!) { awardApplication(id: $id) { __typename } }"
LEDGER = "query($id: UUID!) { call(id: $id) { ledger { committed { amount } totalCount } } }"


def grants_sql(suite, query: str, *params):
    with psycopg.connect(suite.suite.database_url("grants"), autocommit=True) as db:
        return db.execute(query, params).fetchall()


def vote(url: str, token: str, variables: dict, deadline: float) -> str:
    """One ballot, sent again after the Retry-After whenever the suite sheds load."""
    with httpx.Client(timeout=30) as client:
        while True:
            answer = client.post(
                f"{url}/graphql",
                json={"query": BALLOT, "variables": variables},
                headers={"Authorization": f"Bearer {token}"},
            )
            if answer.status_code == 503 and time.monotonic() < deadline:
                time.sleep(float(answer.headers.get("Retry-After", "1")))
                continue
            assert answer.status_code == 200, answer.text
            return answer.json()["data"]["castBallot"]["__typename"]  # type: ignore[no-any-return]


def test_two_hundred_citizens_vote_at_once_and_every_ballot_counts_once(running_suite):
    project = grants_project(running_suite)
    call_id = open_call(running_suite, mode="VOTE", ballotKind="APPROVAL", ballotMaxChoices=1)
    application_id = submitted_application(running_suite, call_id, project)
    tokens = [running_suite.token(f"voter-{n}-{uuid.uuid4().hex[:6]}") for n in range(200)]
    variables = {"c": call_id, "a": application_id}
    deadline = time.monotonic() + 60
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(lambda t: vote(running_suite.url, t, variables, deadline), tokens))
    assert results == ["Ballot"] * 200
    [(ballots,)] = grants_sql(
        running_suite, "SELECT count(*) FROM ballot WHERE call_id = %s", call_id
    )
    assert ballots == 200
    call_action(running_suite, "closeCall", call_id)
    tally = running_suite.graphql(
        "query($id: UUID!) { call(id: $id) { tally { ballots lines { applicationId points } } } }",
        {"id": call_id},
    ).json()["data"]["call"]["tally"]
    assert tally == {"ballots": 200, "lines": [{"applicationId": application_id, "points": 200}]}


def test_an_award_reaches_the_projects_space_as_one_agreement(running_suite):
    project = grants_project(running_suite)
    call_id = open_call(running_suite)
    application_id = submitted_application(running_suite, call_id, project)
    call_action(running_suite, "closeCall", call_id)
    awarded = running_suite.graphql(AWARD, {"id": application_id}, token=officer(running_suite))
    ok(awarded, "awardApplication", "Application")
    documents = "query($id: UUID!) { project(id: $id) { documents { title kind status } } }"

    def agreements() -> list:
        answer = running_suite.graphql(documents, {"id": project.id}).json()
        return [d for d in answer["data"]["project"]["documents"] if d["kind"] == "agreement"]

    wait_until(lambda: len(agreements()) >= 1, "the award never reached the project's space")
    time.sleep(1)  # a redelivery would have come by now
    [agreement] = agreements()
    assert agreement["status"] == "published" and agreement["title"].startswith("Grant agreement")


def test_a_persons_grants_records_are_exported_and_erased_the_ledger_unchanged(running_suite):
    project = grants_project(running_suite)
    call_id = open_call(
        running_suite, mode="BOTH", voteWeight="0.5", ballotKind="APPROVAL", ballotMaxChoices=1
    )
    coordinator = project.coordinator
    pool = running_suite.graphql("mutation { joinReviewerPool { __typename } }", token=coordinator)
    ok(pool, "joinReviewerPool", "PoolEntry")
    application_id = submitted_application(running_suite, call_id, project)
    voted = running_suite.graphql(BALLOT, {"c": call_id, "a": application_id}, token=coordinator)
    ok(voted, "castBallot", "Ballot")
    export = running_suite.graphql("{ myData }", token=coordinator).json()["data"]["myData"]
    rows = export["grants"]["rows"]
    assert [a["id"] for a in rows["application.applicant"]] == [application_id]
    assert len(rows["pool_entry.person_id"]) == 1
    assert [b["call_id"] for b in rows["ballot.voter"]] == [call_id]
    call_action(running_suite, "closeCall", call_id)
    ok(
        running_suite.graphql(AWARD, {"id": application_id}, token=officer(running_suite)),
        "awardApplication",
        "Application",
    )
    before = running_suite.graphql(LEDGER, {"id": call_id}).json()["data"]["call"]["ledger"]

    # Another coordinator takes over the project, then the first erases themselves.
    admin = running_suite.token(f"admin-{uuid.uuid4().hex[:6]}", ["admin"])
    joined = running_suite.graphql(
        "mutation($p: UUID!) { joinProject(projectId: $p) { ... on Membership { id } } }",
        {"p": project.id},
        token=admin,
    ).json()["data"]["joinProject"]
    running_suite.graphql(
        """mutation($p: UUID!, $m: UUID!) { changeMemberRole(projectId: $p, membershipId: $m,
        role: COORDINATOR) { __typename } }""",
        {"p": project.id, "m": joined["id"]},
        token=admin,
    )
    erased = running_suite.graphql(
        "mutation { eraseMe { __typename ... on Erased { pseudonym } } }", token=coordinator
    ).json()["data"]["eraseMe"]
    assert erased["__typename"] == "Erased", erased
    sub = project.coordinator_sub

    def pseudonymised() -> bool:
        [(applicant,)] = grants_sql(
            running_suite, "SELECT applicant FROM application WHERE id = %s", application_id
        )
        return applicant == erased["pseudonym"]

    wait_until(pseudonymised, "grants never pseudonymised the applicant")
    for table, column in (
        ("pool_entry", "person_id"),
        ("ballot", "voter"),
        ("project_member", "person_id"),
    ):
        left = grants_sql(running_suite, f"SELECT count(*) FROM {table} WHERE {column} = %s", sub)
        assert left == [(0,)], table
    after = running_suite.graphql(LEDGER, {"id": call_id}).json()["data"]["call"]["ledger"]
    assert after == before  # the money trail stays whole


def test_a_criterion_or_an_application_given_twice_is_refused_not_dropped(running_suite):
    project = grants_project(running_suite)
    call_id = open_call(running_suite, mode="VOTE", ballotKind="APPROVAL", ballotMaxChoices=2)
    application_id = submitted_application(running_suite, call_id, project)
    twice = """mutation($c: UUID!, $a: UUID!) { castBallot(callId: $c, choices:
      [{applicationId: $a}, {applicationId: $a}]) { __typename ... on InvalidInput {
      fields { field message } } } }"""
    voter = running_suite.token(f"twice-{uuid.uuid4().hex[:6]}")
    answer = running_suite.graphql(twice, {"c": call_id, "a": application_id}, token=voter)
    refused = answer.json()["data"]["castBallot"]
    assert refused["__typename"] == "InvalidInput", refused
    assert refused["fields"][0]["field"] == "choices"
    assert grants_sql(running_suite, "SELECT count(*) FROM ballot WHERE call_id = %s", call_id) == [
        (0,)
    ]
