"""Awards against a call's budget, on the real database: under any concurrency the budget is
never over-committed; the ledger shows every commitment, payment and release, also as CSV."""

import asyncio
import csv
import io
from decimal import Decimal

from meent_shared.testing.helpers import read_stream, sql_value, wait_for


async def test_fifty_concurrent_awards_commit_exactly_what_the_budget_covers(
    grants_world,
):
    world = await grants_world()
    grants, officer = world.grants, world.officer
    call = await world.open_call()  # 10,000.00: ten awards of 1,000.00
    projects = await world.announce_projects(50)
    applications = [await world.submitted_application(call["id"], p) for p in projects]
    closed = await grants.client.post(f"/calls/{call['id']}/close", headers=officer)
    assert closed.status_code == 200, closed.text

    answers = await asyncio.gather(
        *(
            grants.client.post(f"/applications/{a['id']}/award", json={}, headers=officer)
            for a in applications
        )
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] * 10 + [409] * 40, [a.text for a in answers if a.status_code >= 500]
    refusals = {a.json()["detail"][0]["type"] for a in answers if a.status_code == 409}
    assert refusals == {"budget_exceeded"}
    ledger = (await grants.client.get(f"/calls/{call['id']}/ledger")).json()
    assert ledger["committed"] == "10000.00"
    assert ledger["remaining"] == "0.00"
    assert [e["kind"] for e in ledger["entries"]] == ["committed"] * 10
    awarded = {a.json()["id"] for a in answers if a.status_code == 200}
    assert {e["application_id"] for e in ledger["entries"]} == awarded
    assert {e["project_name"] for e in ledger["entries"]} <= {p.name for p in projects}
    stored = sql_value(
        grants.database_url, "SELECT sum(amount) FROM ledger_entry WHERE call_id = %s", call["id"]
    )
    assert stored == Decimal("10000.00")

    async def announced() -> bool:
        types = [e.type for _, e in await read_stream(grants.settings.nats_url, "MEENT_GRANTS")]
        return types.count("org.meent.grants.application.awarded.v1") == 10

    await wait_for(announced, what="ten awards announced")
    events = [e for _, e in await read_stream(grants.settings.nats_url, "MEENT_GRANTS")]
    entries = [e for e in events if e.type == "org.meent.grants.ledger.entry_added.v1"]
    assert sorted(e.data["amount_cents"] for e in entries) == [100_000] * 10


async def test_the_database_refuses_a_commitment_past_the_budget_whatever_the_code_does(
    grants_world,
):
    world = await grants_world(run_workers=False)
    grants = world.grants
    call = await world.open_call()
    query = "UPDATE funding_call SET committed = budget + 0.01 WHERE id = %s RETURNING id"
    try:
        sql_value(grants.database_url, query, call["id"])
    except Exception as error:  # psycopg's CheckViolation
        assert "committed_within_budget" in str(error)
    else:
        raise AssertionError("the CHECK let the call's commitments pass its budget")


async def test_payments_and_releases_move_the_totals_and_the_csv_agrees(grants_world, monkeypatch):
    world = await grants_world()
    grants, officer = world.grants, world.officer
    call = await world.open_call()
    [project] = await world.announce_projects(1)
    application = await world.submitted_application(call["id"], project, "800.00")
    await grants.client.post(f"/calls/{call['id']}/close", headers=officer)
    award = await grants.client.post(
        f"/applications/{application['id']}/award", json={"amount": "750.50"}, headers=officer
    )
    assert award.status_code == 200, award.text
    assert award.json()["awarded"] == "750.50"

    async def pay(kind: str, amount: str, note: str = ""):
        body = {"application_id": application["id"], "kind": kind, "amount": amount, "note": note}
        return await grants.client.post(f"/calls/{call['id']}/ledger", json=body, headers=officer)

    assert (await pay("disbursed", "500.00", '=HYPERLINK("http://x")')).status_code == 201
    over = await pay("disbursed", "250.51")  # 250.50 is left
    assert over.status_code == 409 and over.json()["detail"][0]["type"] == "over_award"
    assert (await pay("released", "250.50")).status_code == 201
    ledger = (await grants.client.get(f"/calls/{call['id']}/ledger")).json()
    assert (ledger["committed"], ledger["disbursed"], ledger["remaining"]) == (
        "500.00",
        "500.00",
        "9500.00",
    )
    assert [(e["kind"], e["amount"]) for e in ledger["entries"]] == [
        ("committed", "750.50"),
        ("disbursed", "500.00"),
        ("released", "250.50"),
    ]

    answer = await grants.client.get(f"/exports/ledgers/{call['id']}.csv")
    assert answer.status_code == 200
    assert answer.content.startswith(b"\xef\xbb\xbf") and b"\r\n" in answer.content
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert [(r["kind"], r["amount"], r["project"]) for r in rows] == [
        ("committed", "750.50", project.name),
        ("disbursed", "500.00", project.name),
        ("released", "250.50", project.name),
    ]
    assert rows[1]["note"] == '\'=HYPERLINK("http://x")'  # shown as text, never run
    # Page by page (each on a session of its own), the same file: pages of 2 and 1, of 3 and 0.
    from grants.ledger import csv as ledger_csv

    for size in (2, 3):
        monkeypatch.setattr(ledger_csv, "FETCH_ROWS", size)
        paged = await grants.client.get(f"/exports/ledgers/{call['id']}.csv")
        assert paged.content == answer.content


async def test_an_award_outside_the_calls_bounds_or_before_closing_is_refused(
    grants_world, auth_header
):
    world = await grants_world()
    grants, officer = world.grants, world.officer
    call = await world.open_call()
    [project] = await world.announce_projects(1)
    application = await world.submitted_application(call["id"], project, "500.00")
    path = f"/applications/{application['id']}/award"
    early = await grants.client.post(path, json={}, headers=officer)
    assert early.status_code == 409 and early.json()["detail"][0]["type"] == "call_not_closed"
    await grants.client.post(f"/calls/{call['id']}/close", headers=officer)
    for amount, why in [("500.01", "invalid_input"), ("99.99", "outside_award_bounds")]:
        answer = await grants.client.post(path, json={"amount": amount}, headers=officer)
        assert answer.status_code == 422 and answer.json()["detail"][0]["type"] == why, amount
    citizen = await grants.client.post(path, json={}, headers=auth_header(project.coordinator))
    assert citizen.status_code == 403
    assert sql_value(grants.database_url, "SELECT count(*) FROM ledger_entry") == 0
