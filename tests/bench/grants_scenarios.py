"""The grants scenarios (issue 10), on the data of `grants_data.py`; `scenarios.py` registers them.

- `grants_call_page`: the page of a call as the web client asks for it through the gateway — the
  call, its ranking (50 applications, 250 reviews, 100 ballots) and its ledger — at 20 requests/s,
  each request another of the 1,000 calls.
- `grants_award_burst`: 50 awards at once on one call whose budget covers ten, through the
  gateway (50 requests in 50 ms, open loop): every one answered (an award or `BudgetExceeded`)
  within 2 s of being sent.
"""

import json
import random

from meent_shared.local.suite import Suite
from tests.bench.grants_data import APPLICATIONS_PER_CALL, GrantsData, grants_data
from tests.bench.scenario_types import Loaded, Scenario, Target

GRAPHQL_HEADERS = {
    "Content-Type": "application/json",
    "Accept": "application/graphql-response+json",
}
CALL_PAGE = """query($id: UUID!) { call(id: $id) { title description status
  budget { amount currency } remaining { amount currency } criteria { name weight }
  ranking { tieRule applications { position projectName title requested { amount } score
    panel vote reviews votes } }
  ledger { committed { amount } disbursed { amount } remaining { amount } totalCount
    entries { kind amount { amount currency } projectName recordedAt } } } }"""
AWARD = """mutation($id: UUID!) { awardApplication(id: $id) { __typename
  ... on Application { awarded { amount } } ... on BudgetExceeded { remaining } } }"""


def grants_loaded(suite: Suite) -> Loaded:
    data = grants_data(suite)
    return Loaded(data=data, facts={"grants data (loaded once, shared)": data.facts})


def call_page_body(index: int, data: GrantsData) -> bytes:
    call_id = data.call_ids[random.Random(index * 7919 + 17).randrange(len(data.call_ids))]
    return json.dumps({"query": CALL_PAGE, "variables": {"id": call_id}}).encode()


def award_body(index: int, data: GrantsData) -> bytes:
    application_id = data.award_application_ids[index % len(data.award_application_ids)]
    return json.dumps({"query": AWARD, "variables": {"id": application_id}}).encode()


def officer(index: int, data: GrantsData) -> dict[str, str]:
    return {"Authorization": f"Bearer {data.officer_token}"}


GRANTS_SCENARIOS: list[Scenario] = [
    Scenario(
        name="grants_call_page",
        description="gateway: a call's page (the call, its ranking of 50 applications with 250 "
        "reviews and 100 ballots, its ledger) of 1,000 calls",
        target=Target(
            service="gateway",
            method="POST",
            path="/graphql",
            headers=GRAPHQL_HEADERS,
            body=call_page_body,
            check="graphql",
        ),
        rate=20.0,
        load_data=grants_loaded,
        p95_target_ms=40.0,
    ),
    Scenario(
        name="grants_award_burst",
        description=f"gateway: {APPLICATIONS_PER_CALL} awards at once on one call whose budget "
        "covers 10 (open loop, 1,000 requests/s)",
        target=Target(
            service="gateway",
            method="POST",
            path="/graphql",
            headers=GRAPHQL_HEADERS,
            body=award_body,
            headers_for=officer,
            check="graphql",
        ),
        rate=1000.0,
        duration=APPLICATIONS_PER_CALL / 1000.0,
        warmup=0.0,
        load_data=grants_loaded,
        max_target_ms=2000.0,
    ),
]
