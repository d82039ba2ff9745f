"""An officer's data in grants: their part of the export, and their erasure (spaces'
person.erased) — the calls they opened stay, their subject goes."""

import uuid

from meent_shared.events.contracts.spaces import PersonErased
from meent_shared.testing.helpers import publish_events, sql_value, wait_for

CALL = {
    "title": "Groen in de buurt",
    "budget": "50000.00",
    "min_award": "500.00",
    "max_award": "5000.00",
    "opens_on": "2027-01-10",
    "closes_on": "2027-03-01",
}


async def test_an_officers_calls_are_exported_and_pseudonymised_on_erasure(
    start_service, auth_header
):
    grants = await start_service("grants")
    officer = auth_header("gina", ["grant_officer"])
    drafted = await grants.client.post("/calls", json=CALL, headers=officer)
    assert drafted.status_code == 201, drafted.text
    export = (await grants.client.get("/people/me/export", headers=officer)).json()
    [call] = export["rows"]["funding_call.created_by"]
    assert call["id"] == drafted.json()["id"]

    pseudonym = f"erased:{uuid.uuid4()}"
    await publish_events(
        grants.settings.nats_url, [PersonErased(person_id="gina", pseudonym=pseudonym, version=2)]
    )

    async def honoured() -> bool:
        query = "SELECT created_by FROM funding_call WHERE id = %s"
        return sql_value(grants.database_url, query, drafted.json()["id"]) == pseudonym

    await wait_for(honoured, what="grants to honour the erasure")
    shown = await grants.client.get(f"/calls/{drafted.json()['id']}", headers=officer)
    assert shown.status_code == 200  # the call stays; a draft, so only to officers
    after = (await grants.client.get("/people/me/export", headers=officer)).json()
    assert after["rows"]["funding_call.created_by"] == []


async def test_an_officers_export_after_a_call_opened_holds_no_draw_seed(grants_world):
    """A published call has a secret seed (bytes): the officer's export answers, without it."""
    world = await grants_world(run_workers=False)
    call = await world.open_call()
    export = await world.grants.client.get("/people/me/export", headers=world.officer)
    assert export.status_code == 200, export.text
    [row] = export.json()["rows"]["funding_call.created_by"]
    assert row["id"] == call["id"] and len(row["seed_commitment"]) == 64
    assert "draw_seed" not in row
