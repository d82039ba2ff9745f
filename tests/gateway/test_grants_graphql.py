"""A call's life through the gateway, on the running suite: an officer drafts and opens a call in
decimal money (beyond what an Int of cents holds), a coordinator whose project grants learnt of
from spaces' events applies, the officer closes and awards, and anyone reads the ledger — also
as CSV from the public origin. Refusals come back as their own types."""

import datetime as dt
import uuid

import psycopg

from tests.gateway.hours_setup import city_today, hours_project, join, wait_until

CALL_FIELDS = """id status budget { amount currency } budgetCents minAward { amount } maxAward { amount }
  remaining { amount } committed { amount } criteria { name weight } mode"""
CREATE = f"""mutation($input: CreateCallInput!) {{ createCall(input: $input) {{
  __typename ... on FundingCall {{ {CALL_FIELDS} }}
  ... on InvalidInput {{ message fields {{ field message }} }} ... on UserError {{ message }} }} }}"""
RESULT = """__typename ... on Application { id status requested { amount currency }
  awarded { amount } projectName }
  ... on NotEligible { rule rules message } ... on BudgetExceeded { remaining message }
  ... on CallClosed { message } ... on UserError { code message }"""
APPLY = f"""mutation($c: UUID!, $p: UUID!, $input: ApplicationInput!) {{
  createApplication(callId: $c, projectId: $p, input: $input) {{ {RESULT} }} }}"""
SUBMIT = f"mutation($id: UUID!) {{ submitApplication(id: $id) {{ {RESULT} }} }}"
AWARD = (
    f"mutation($id: UUID!, $a: Decimal) {{ awardApplication(id: $id, amount: $a) {{ {RESULT} }} }}"
)
CALL_PAGE = """query($id: UUID!) { call(id: $id) { title remaining { amount currency }
  applications { totalCount nodes { title status projectName } }
  ledger { committed { amount } remaining { amount } totalCount csvUrl
           entries { kind amount { amount currency } projectName } } } }"""


PAY = """mutation($c: UUID!, $input: PaymentInput!) { recordPayment(callId: $c, input: $input) {
  __typename ... on LedgerEntry { kind amount { amount currency } }
  ... on UserError { code message } } }"""


def pay(call_id: str, application_id: str, kind: str, amount: str) -> dict:
    return {
        "c": call_id,
        "input": {"applicationId": application_id, "kind": kind, "amount": amount},
    }


def data(answer) -> dict:
    body = answer.json()
    assert answer.status_code == 200 and not body.get("errors"), body
    return body["data"]


def open_call_ids(running_suite) -> set[str]:
    """Every open call's id, page by page (a run opens many more than one page)."""
    query = """query($after: String) { calls(status: OPEN, first: 100, after: $after) {
      nodes { id } pageInfo { hasNextPage endCursor } } }"""
    found, after = set(), None
    while True:
        page = data(running_suite.graphql(query, {"after": after}))["calls"]
        found |= {node["id"] for node in page["nodes"]}
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


def open_a_call(running_suite, officer: str) -> dict:
    today = city_today()
    terms = {
        "title": f"Panel {uuid.uuid4().hex[:6]}",
        "budget": "1000.00",
        "minAward": "10.00",
        "maxAward": "500.00",
        "opensOn": str(today),
        "closesOn": str(today + dt.timedelta(days=3)),
        "criteria": [{"name": "Impact", "weight": 1}],
    }
    drafted = data(running_suite.graphql(CREATE, {"input": terms}, token=officer))["createCall"]
    publish = "mutation($id: UUID!) { publishCall(id: $id) { __typename } }"
    data(running_suite.graphql(publish, {"id": drafted["id"]}, token=officer))
    return drafted


def grants_knows(running_suite, project_id: str, members: int) -> None:
    def known() -> bool:
        url = running_suite.suite.database_url("grants")
        with psycopg.connect(url, autocommit=True) as db:
            query = "SELECT count(*) FROM project_member WHERE project_id = %s AND role IS NOT NULL"
            return db.execute(query, (project_id,)).fetchone()[0] >= members

    wait_until(known, "grants never learnt of the project's members")


def test_a_call_in_decimal_money_is_applied_to_awarded_and_its_ledger_public(running_suite):
    officer = running_suite.token(f"officer-{uuid.uuid4().hex[:6]}", ["grant_officer"])
    today = city_today()
    terms = {
        "title": f"Groen {uuid.uuid4().hex[:6]}",
        "budget": "25000000.00",  # 2.5e9 cents: more than GraphQL's Int holds
        "minAward": "100.00",
        "maxAward": "15000000.50",
        "opensOn": str(today - dt.timedelta(days=1)),
        "closesOn": str(today + dt.timedelta(days=30)),
        "minMembers": 2,
        "criteria": [{"name": "Impact", "weight": 2}, {"name": "Feasibility", "weight": 1}],
    }
    drafted = data(running_suite.graphql(CREATE, {"input": terms}, token=officer))["createCall"]
    assert drafted["__typename"] == "FundingCall", drafted
    assert drafted["budget"] == {"amount": "25000000.00", "currency": "EUR"}
    assert drafted["budgetCents"] is None  # past an Int of cents: null, not an error
    assert drafted["remaining"] == {"amount": "25000000.00"}
    assert drafted["criteria"] == [
        {"name": "Impact", "weight": 2},
        {"name": "Feasibility", "weight": 1},
    ]
    call_id = drafted["id"]
    # A draft is the officers' own: not listed, not found, for anyone else.
    assert data(running_suite.graphql(CALL_PAGE, {"id": call_id}))["call"] is None
    published = running_suite.graphql(
        "mutation($id: UUID!) { publishCall(id: $id) { __typename ... on FundingCall { status } } }",
        {"id": call_id},
        token=officer,
    )
    assert data(published)["publishCall"] == {"__typename": "FundingCall", "status": "open"}
    assert call_id in open_call_ids(running_suite)

    project = hours_project(running_suite, skill=0)  # a coordinator alone: one member
    grants_knows(running_suite, project.id, 1)
    application = {
        "title": "Bomen",
        "requested": "12000000.50",
        "budgetLines": [
            {"label": "Trees", "amount": "12000000.00"},
            {"label": "Stakes", "amount": "0.50"},
        ],
    }
    variables = {"c": call_id, "p": project.id, "input": application}
    applied = data(running_suite.graphql(APPLY, variables, token=project.coordinator))
    applied = applied["createApplication"]
    assert applied["__typename"] == "Application", applied
    assert applied["requested"] == {"amount": "12000000.50", "currency": "EUR"}
    refused = data(running_suite.graphql(SUBMIT, {"id": applied["id"]}, token=project.coordinator))
    assert refused["submitApplication"]["__typename"] == "NotEligible"
    assert refused["submitApplication"]["rule"] == "min_members"

    join(running_suite, project.id, "skill")
    grants_knows(running_suite, project.id, 2)
    submitted = data(
        running_suite.graphql(SUBMIT, {"id": applied["id"]}, token=project.coordinator)
    )
    assert submitted["submitApplication"]["status"] == "SUBMITTED", submitted

    closed = running_suite.graphql(
        "mutation($id: UUID!) { closeCall(id: $id) { __typename ... on FundingCall { status } } }",
        {"id": call_id},
        token=officer,
    )
    assert data(closed)["closeCall"]["status"] == "closed"
    too_much = data(
        running_suite.graphql(AWARD, {"id": applied["id"], "a": "12000000.51"}, token=officer)
    )["awardApplication"]
    assert too_much["__typename"] == "InvalidInput", too_much
    awarded = data(running_suite.graphql(AWARD, {"id": applied["id"]}, token=officer))
    assert awarded["awardApplication"]["awarded"] == {"amount": "12000000.50"}

    page = data(running_suite.graphql(CALL_PAGE, {"id": call_id}))["call"]
    assert page["remaining"] == {"amount": "12999999.50", "currency": "EUR"}
    assert page["applications"]["totalCount"] == 1
    ledger = page["ledger"]
    assert ledger["committed"] == {"amount": "12000000.50"}
    assert ledger["entries"] == [
        {
            "kind": "COMMITTED",
            "amount": {"amount": "12000000.50", "currency": "EUR"},
            "projectName": page["applications"]["nodes"][0]["projectName"],
        }
    ]
    assert page["applications"]["nodes"][0]["projectName"].startswith("Hours ")
    csv = running_suite.http.get(ledger["csvUrl"])
    assert csv.status_code == 200, csv.text
    assert "committed,12000000.50,EUR" in csv.text

    # The officer pays part of the award out and releases the rest; no more than is left.
    for kind, amount in (("DISBURSED", "10000000.00"), ("RELEASED", "2000000.50")):
        paid = data(
            running_suite.graphql(PAY, pay(call_id, applied["id"], kind, amount), token=officer)
        )
        assert paid["recordPayment"]["__typename"] == "LedgerEntry", paid
        assert paid["recordPayment"]["amount"] == {"amount": amount, "currency": "EUR"}
    over = data(
        running_suite.graphql(PAY, pay(call_id, applied["id"], "DISBURSED", "0.01"), token=officer)
    )
    assert over["recordPayment"]["__typename"] == "Conflict", over
    assert over["recordPayment"]["code"] == "over_award"
    money = data(running_suite.graphql(CALL_PAGE, {"id": call_id}))["call"]["ledger"]
    assert [e["kind"] for e in money["entries"]] == ["COMMITTED", "DISBURSED", "RELEASED"]
    assert money["committed"] == {"amount": "10000000.00"}  # net of the release
    assert money["remaining"] == {"amount": "15000000.00"}


def test_the_deprecated_cents_fields_still_draft_a_call(running_suite):
    officer = running_suite.token("officer-cents", ["grant_officer"])
    today = city_today()
    terms = {
        "title": "Cents",
        "budgetCents": 100000,
        "minAwardCents": 1000,
        "maxAwardCents": 10000,
        "opensOn": str(today),
        "closesOn": str(today + dt.timedelta(days=3)),
    }
    query = CREATE.replace("mode", "mode budgetCents")
    drafted = data(running_suite.graphql(query, {"input": terms}, token=officer))["createCall"]
    assert drafted["budget"]["amount"] == "1000.00" and drafted["budgetCents"] == 100000
    both = {**terms, "budget": "1000.00"}
    refused = data(running_suite.graphql(CREATE, {"input": both}, token=officer))["createCall"]
    assert refused["__typename"] == "InvalidInput", refused


def test_a_citizen_joins_and_leaves_the_reviewer_pool_and_learns_whether_they_sit_on_a_panel(
    running_suite,
):
    pool_query = "{ myPoolEntry { id joinedAt leftAt } }"
    assert data(running_suite.graphql(pool_query))["myPoolEntry"] is None  # anonymous
    person = f"pool-{uuid.uuid4().hex[:6]}"
    citizen = running_suite.token(person)
    assert data(running_suite.graphql(pool_query, token=citizen))["myPoolEntry"] is None
    join_pool = "mutation { joinReviewerPool { __typename ... on PoolEntry { id } } }"
    joined = data(running_suite.graphql(join_pool, token=citizen))["joinReviewerPool"]
    assert joined["__typename"] == "PoolEntry", joined
    mine = data(running_suite.graphql(pool_query, token=citizen))["myPoolEntry"]
    assert mine["id"] == joined["id"] and mine["leftAt"] is None

    officer = running_suite.token("officer-pool", ["grant_officer"])
    drafted = open_a_call(running_suite, officer)
    sits = "query($id: UUID!) { call(id: $id) { panel { size youSit members { personId } } } }"

    def panel(token: str | None) -> dict:
        return data(running_suite.graphql(sits, {"id": drafted["id"]}, token=token))["call"][
            "panel"
        ]

    assert panel(citizen) == {"size": 0, "youSit": False, "members": []}
    seat = """mutation($c: UUID!, $p: ID!) { assignReviewer(callId: $c, personId: $p) {
      __typename ... on ReviewPanel { size } } }"""
    seated = data(running_suite.graphql(seat, {"c": drafted["id"], "p": person}, token=officer))
    assert seated["assignReviewer"] == {"__typename": "ReviewPanel", "size": 1}
    # The reviewer learns that they sit on it; no one learns who else does before the decision.
    assert panel(citizen) == {"size": 1, "youSit": True, "members": []}
    assert panel(None) == {"size": 1, "youSit": False, "members": []}
    assert panel(officer)["members"] == [{"personId": person}]

    leave_pool = "mutation { leaveReviewerPool { __typename ... on PoolEntry { leftAt } } }"
    left = data(running_suite.graphql(leave_pool, token=citizen))["leaveReviewerPool"]
    assert left["__typename"] == "PoolEntry" and left["leftAt"], left
    assert data(running_suite.graphql(pool_query, token=citizen))["myPoolEntry"] is None
    assert panel(citizen)["youSit"] is True  # a seat already held stays


def test_a_list_of_calls_does_not_fan_out_into_a_ranking_per_call(running_suite):
    """Each call's ranking reads all its applications: asked for a page of calls it would be a
    request to grants per call. It is answered for one call at a time."""
    officer = running_suite.token("officer-fan", ["grant_officer"])
    call = open_a_call(running_suite, officer)
    for field in ("ranking { mode }", "tally { ballots }", "panel { size }", "draw { drawn }"):
        query = f"{{ calls(status: OPEN, first: 100) {{ nodes {{ id {field} }} }} }}"
        body = running_suite.graphql(query).json()
        name = field.split()[0]
        assert {e["message"] for e in body["errors"]} == {
            f"FundingCall.{name} is answered for one call at a time: ask call(id:) for it"
        }
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        one = running_suite.graphql(
            f"query($id: UUID!) {{ call(id: $id) {{ {field} }} }}", {"id": call["id"]}
        )
        assert name in data(one)["call"]  # without an error
