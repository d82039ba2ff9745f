"""Scenario data at scale for the grants scenarios, written straight into grants' database by
COPY (through the API it would take an hour on two cores):

- 1,000 decided calls (budget 100,000.00, two criteria on a 0..5 scale, mode BOTH with an
  approval ballot), each with 50 applications of 50 projects (`known_project`), 5 reviews each,
  100 ballots, 10 awards in its ledger (a commitment each; every other one half disbursed);
- 10 closed calls for the award bursts, each with 50 submitted applications of 1,000.00 and a
  budget of 10,000.00 (ten of them fit).

Then VACUUM ANALYZE and a CHECKPOINT, so neither lands in a round.
"""

import datetime as dt
import json
import random
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import psycopg

from meent_shared.auth import issue_token
from meent_shared.local.suite import Suite
from meent_shared.settings import Mode, ServiceSettings

CALLS = 1_000
APPLICATIONS_PER_CALL = 50
REVIEWS_PER_APPLICATION = 5
BALLOTS_PER_CALL = 100
AWARDS_PER_CALL = 10
AWARD_CALLS = 10
SEED = 10
CRITERIA = [{"name": "Impact", "weight": 2}, {"name": "Feasibility", "weight": 1}]

CALL_COLUMNS = (
    "id, title, description, currency, budget, min_award, max_award, opens_on, closes_on, "
    "mode, vote_weight, criteria, scale_min, scale_max, panel_size, ballot_kind, "
    "ballot_max_choices, voter_rule, status, committed, disbursed, version, created_by, "
    "pool_size"
)
APPLICATION_COLUMNS = (
    "id, call_id, project_id, applicant, title, summary, requested, budget_lines, status, "
    "awarded, disbursed, released, decision_note, version, submitted_at"
)
LEDGER_COLUMNS = "id, call_id, application_id, kind, amount, note, recorded_by"


@dataclass
class GrantsData:
    call_ids: list[str]
    award_application_ids: list[str]  # AWARD_CALLS × 50, call by call
    officer_token: str
    facts: dict[str, Any]


def log(message: str) -> None:
    print(f"bench: {message}", flush=True)


def _copy(conn: psycopg.Connection, table: str, columns: str, rows: Any) -> None:
    with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _call_row(call_id: uuid.UUID, n: int, today: dt.date, status: str, budget: str) -> tuple:
    return (
        call_id,
        f"Bench call {n}",
        "A call of the bench",
        "EUR",
        budget,
        "100.00",
        "1000.00",
        today - dt.timedelta(days=60),
        today - dt.timedelta(days=30),
        "both",
        "0.50",
        json.dumps(CRITERIA),
        0,
        5,
        5,
        "approval",
        3,
        "citizen",
        status,
        "0",
        "0",
        3,
        "bench-officer",
        0,
    )


def load(suite: Suite) -> GrantsData:
    started = time.monotonic()
    rng = random.Random(SEED)
    settings = ServiceSettings(mode=Mode.local)
    today = settings.today()
    submitted_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=40)
    calls, applications, reviews, ballots, ledger, projects = [], [], [], [], [], []
    committed: dict[uuid.UUID, tuple[Decimal, Decimal]] = {}
    call_ids = []
    for n in range(CALLS):
        call_id = uuid.uuid4()
        call_ids.append(str(call_id))
        calls.append(_call_row(call_id, n, today, "decided", "100000.00"))
        ids = []
        for a in range(APPLICATIONS_PER_CALL):
            project_id, application_id = uuid.uuid4(), uuid.uuid4()
            ids.append(application_id)
            projects.append((project_id, f"Bench project {n}-{a}", f"bench-{n}-{a}", 1))
            requested = Decimal(rng.randrange(100, 1001))
            awarded = requested if a < AWARDS_PER_CALL else None
            disbursed = (requested / 2).quantize(Decimal("0.01")) if awarded and a % 2 else 0
            status = "awarded" if awarded else "rejected"
            line = json.dumps([{"label": "Everything", "amount": f"{requested:.2f}"}])
            applications.append(
                (
                    application_id,
                    call_id,
                    project_id,
                    f"bench-coordinator-{n}-{a}",
                    f"Application {a}",
                    "",
                    f"{requested:.2f}",
                    line,
                    status,
                    f"{awarded:.2f}" if awarded else None,
                    f"{disbursed:.2f}",
                    "0",
                    "",
                    2,
                    submitted_at + dt.timedelta(minutes=a),
                )
            )
            for r in range(REVIEWS_PER_APPLICATION):
                scores = {"Impact": rng.randrange(6), "Feasibility": rng.randrange(6)}
                reviews.append(
                    (
                        uuid.uuid4(),
                        call_id,
                        application_id,
                        f"bench-reviewer-{r}",
                        json.dumps(scores),
                        "",
                        1,
                    )
                )
            if awarded:
                ledger.append(
                    (
                        uuid.uuid4(),
                        call_id,
                        application_id,
                        "committed",
                        f"{awarded:.2f}",
                        "",
                        "bench-officer",
                    )
                )
                if disbursed:
                    ledger.append(
                        (
                            uuid.uuid4(),
                            call_id,
                            application_id,
                            "disbursed",
                            f"{disbursed:.2f}",
                            "",
                            "bench-officer",
                        )
                    )
                total, paid = committed.get(call_id, (Decimal(0), Decimal(0)))
                committed[call_id] = (total + awarded, paid + Decimal(disbursed))
        for v in range(BALLOTS_PER_CALL):
            chosen = rng.sample(ids, 3)
            ballots.append((call_id, f"bench-voter-{v}", json.dumps({str(c): 1 for c in chosen})))
    award_ids = []
    for n in range(AWARD_CALLS):
        call_id = uuid.uuid4()
        calls.append(_call_row(call_id, CALLS + n, today, "closed", "10000.00"))
        for a in range(APPLICATIONS_PER_CALL):
            project_id, application_id = uuid.uuid4(), uuid.uuid4()
            award_ids.append(str(application_id))
            projects.append((project_id, f"Award project {n}-{a}", f"award-{n}-{a}", 1))
            line = json.dumps([{"label": "Everything", "amount": "1000.00"}])
            applications.append(
                (
                    application_id,
                    call_id,
                    project_id,
                    f"award-coordinator-{n}-{a}",
                    f"Application {a}",
                    "",
                    "1000.00",
                    line,
                    "submitted",
                    None,
                    "0",
                    "0",
                    "",
                    2,
                    submitted_at,
                )
            )
    with psycopg.connect(suite.database_url("grants")) as conn:
        conn.execute("SET synchronous_commit = off")
        _copy(conn, "known_project", "project_id, name, slug, version", projects)
        _copy(conn, "funding_call", CALL_COLUMNS, calls)
        _copy(conn, "application", APPLICATION_COLUMNS, applications)
        _copy(
            conn,
            "review",
            "id, call_id, application_id, reviewer, scores, comment, version",
            reviews,
        )
        _copy(conn, "ballot", "call_id, voter, choices", ballots)
        _copy(conn, "ledger_entry", LEDGER_COLUMNS, ledger)
        with conn.cursor() as cursor:
            cursor.executemany(
                "UPDATE funding_call SET committed = %s, disbursed = %s WHERE id = %s",
                [(total, paid, call_id) for call_id, (total, paid) in committed.items()],
            )
        conn.commit()
    with psycopg.connect(suite.database_url("grants"), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        conn.execute("CHECKPOINT")
    seconds = round(time.monotonic() - started, 1)
    log(f"grants data: {len(calls)} calls, {len(applications)} applications in {seconds} s")
    facts = {
        "calls": CALLS,
        "applications per call": APPLICATIONS_PER_CALL,
        "reviews per application": REVIEWS_PER_APPLICATION,
        "ballots per call": BALLOTS_PER_CALL,
        "ledger entries": len(ledger),
        "award calls (budget 10,000.00, 50 requests of 1,000.00)": AWARD_CALLS,
        "load seconds (COPY, not through REST)": seconds,
    }
    token = issue_token(settings, sub="bench-officer", roles=["grant_officer"], ttl_seconds=86400)
    return GrantsData(call_ids, award_ids, token, facts)


_loaded: dict[int, GrantsData] = {}


def grants_data(suite: Suite) -> GrantsData:
    """The data, loaded on the first call of a run and shared by every grants scenario."""
    if id(suite) not in _loaded:
        _loaded[id(suite)] = load(suite)
    return _loaded[id(suite)]
