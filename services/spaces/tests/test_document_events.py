"""Documents' events: revised and published through the outbox; a republish re-announces each
document at its current state."""

import json

from meent_shared.testing.helpers import spawn_worker


def republish(service) -> dict:
    env = {"MEENT_DATABASE_URL": service.database_url, "MEENT_NATS_URL": service.settings.nats_url}
    worker = spawn_worker(service.name, env, "republish")
    assert worker.process.wait(timeout=120) == 0, worker.log_tail()
    lines = [line for line in worker.log_path.read_text().splitlines() if "republished" in line]
    return json.loads(lines[-1])


async def test_a_republish_announces_every_document_at_its_current_state(space):
    draft = await space.new_document("v1")
    await space.save(draft, draft["current"]["id"], "v2")
    published = await space.new_document("other")
    answer = await space.service.client.put(
        f"/documents/{published['id']}/status",
        json={"status": "published"},
        headers=space.headers["coordinator"],
    )
    assert answer.status_code == 200
    events = space.sql("SELECT event FROM outbox WHERE subject LIKE '%%document%%'")
    revised = [e[0]["data"] for e in events if e[0]["type"].endswith("revised.v1")]
    # Rows in no particular order (no ORDER BY; the relay's updates move them in the heap).
    assert sorted(r["version"] for r in revised if r["document_id"] == draft["id"]) == [1, 2]
    report = republish(space.service)["republished"]
    assert report["org.meent.spaces.document.revised.v1"] == 1
    assert report["org.meent.spaces.document.published.v1"] == 1
