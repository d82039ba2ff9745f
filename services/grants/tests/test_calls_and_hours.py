"""Funding calls, and the approved volunteer hours grants counts for eligibility."""

import datetime as dt
import uuid

from meent_shared.events.contracts.volunteers import HoursApproved
from meent_shared.testing.helpers import publish_events, read_stream, wait_for

CALL = {
    "title": "Groen in de buurt 2027",
    "budget": "50000.00",
    "min_award": "500.00",
    "max_award": "5000.00",
    "opens_on": "2027-01-10",
    "closes_on": "2027-03-01",
}


async def test_a_grant_officer_drafts_and_publishes_a_call(start_service, auth_header):
    grants = await start_service("grants")
    officer = auth_header("gina", ["grant_officer"])
    drafted = await grants.client.post("/calls", json=CALL, headers=officer)
    assert drafted.status_code == 201, drafted.text
    assert drafted.json()["status"] == "draft"
    call_id = drafted.json()["id"]
    published = await grants.client.post(f"/calls/{call_id}/publish", headers=officer)
    assert published.json()["status"] == "open"
    public = await grants.client.get("/calls")
    assert public.json()["count"] == 1

    async def announced() -> bool:
        return len(await read_stream(grants.settings.nats_url, "MEENT_GRANTS")) == 1

    await wait_for(announced, what="call.published")
    [(_, event)] = await read_stream(grants.settings.nats_url, "MEENT_GRANTS")
    assert event.type == "org.meent.grants.call.published.v1"
    assert event.data["budget_cents"] == 5_000_000


async def test_only_grant_officers_draft_calls(start_service, auth_header):
    grants = await start_service("grants", run_workers=False)
    answer = await grants.client.post("/calls", json=CALL, headers=auth_header("citizen-1"))
    assert answer.status_code == 403


async def test_inconsistent_amounts_and_dates_are_refused(start_service, auth_header):
    grants = await start_service("grants", run_workers=False)
    officer = auth_header("gina", ["grant_officer"])
    for change in (
        {"closes_on": "2027-01-01"},
        {"max_award": "60000.00"},
        {"min_award": "6000.00"},
    ):
        answer = await grants.client.post("/calls", json={**CALL, **change}, headers=officer)
        assert answer.status_code == 422, change


async def test_approved_hours_add_up_per_project(start_service):
    grants = await start_service("grants")
    project_id = uuid.uuid4()
    approvals = [
        HoursApproved(
            entry_id=uuid.uuid4(),
            version=2,
            person_id=f"p{n}",
            project_id=project_id,
            activity="weeding",
            worked_on=dt.date(2026, 5, n + 1),
            minutes=minutes,
            approved_by="coordinator",
        )
        for n, minutes in enumerate([120, 90, -30])  # the last one is a correction
    ]
    await publish_events(grants.settings.nats_url, approvals)

    async def counted() -> bool:
        answer = await grants.client.get(f"/projects/{project_id}/hours")
        return answer.json()["approved_entries"] == 3

    await wait_for(counted, what="three approvals counted")
    answer = (await grants.client.get(f"/projects/{project_id}/hours")).json()
    assert answer["approved_minutes"] == 180
    assert answer["approved_hours"] == 3.0


async def test_a_currency_must_be_an_iso_code(start_service, auth_header):
    grants = await start_service("grants", run_workers=False)
    answer = await grants.client.post(
        "/calls", json={**CALL, "currency": "eur"}, headers=auth_header("gina", ["grant_officer"])
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "currency"]
