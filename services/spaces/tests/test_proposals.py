"""A skill member proposes; a writer accepts (or declines); a stale proposal is a conflict."""


async def propose(space, document, base, body, who="skill"):
    return await space.post(
        f"/documents/{document['id']}/proposals",
        who,
        {"base_revision_id": base, "body": body, "message": "a pond"},
    )


async def test_a_writer_accepts_a_skill_members_proposal(space):
    document = await space.new_document("trees")
    base = document["current"]["id"]
    proposed = await propose(space, document, base, "trees and a pond")
    assert proposed.status_code == 201, proposed.text
    proposal = proposed.json()
    refused = await space.post(f"/proposals/{proposal['id']}/accept", "skill", {})
    assert refused.status_code == 403
    accepted = await space.post(f"/proposals/{proposal['id']}/accept", "core", {})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    history = (await space.service.client.get(f"/documents/{document['id']}")).json()
    assert history["current"]["body"] == "trees and a pond"
    assert history["current"]["parent_id"] == base
    assert history["current"]["author"]["name"] == "a member"  # the skill member hides their name
    assert history["proposals"][0]["decided_by"]["name"] == "Core"
    again = await space.post(f"/proposals/{proposal['id']}/decline", "core", {})
    assert again.status_code == 409


async def test_accepting_a_stale_proposal_is_a_conflict_and_keeps_it_open(space):
    document = await space.new_document("trees")
    base = document["current"]["id"]
    proposal = (await propose(space, document, base, "trees and a pond")).json()
    assert (await space.save(document, base, "trees and benches")).status_code == 201
    stale = await space.post(f"/proposals/{proposal['id']}/accept", "coordinator", {})
    assert stale.status_code == 409
    ctx = stale.json()["detail"][0]["ctx"]
    assert ctx["current"]["body"] == "trees and benches"
    assert ctx["submitted"]["body"] == "trees and a pond"
    history = (await space.service.client.get(f"/documents/{document['id']}")).json()
    assert history["proposals"][0]["status"] == "open"
    assert history["revision_count"] == 2


async def test_a_declined_proposal_stays_in_the_history(space):
    document = await space.new_document("trees")
    proposal = (await propose(space, document, document["current"]["id"], "no trees")).json()
    declined = await space.post(f"/proposals/{proposal['id']}/decline", "core", {})
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    history = (await space.service.client.get(f"/documents/{document['id']}")).json()
    assert [p["status"] for p in history["proposals"]] == ["declined"]
    assert history["current"]["body"] == "trees"


async def test_an_outsider_cannot_propose_and_a_foreign_base_is_refused(space):
    document = await space.new_document("trees")
    other = await space.new_document("other")
    outsider = await propose(space, document, document["current"]["id"], "x", who="outsider")
    assert outsider.status_code == 403
    foreign = await propose(space, document, other["current"]["id"], "x")
    assert foreign.status_code == 422
    assert space.sql("SELECT count(*) FROM proposal")[0][0] == 0


async def test_a_history_lists_proposals_without_their_text_and_one_is_read_alone(space):
    document = await space.new_document("# Plan")
    big = "# Plan\n\n" + "More trees.\n" * 50_000  # 600 kB
    proposed = await space.post(
        f"/documents/{document['id']}/proposals",
        "skill",
        {"base_revision_id": document["current"]["id"], "body": big, "message": "trees"},
    )
    assert proposed.status_code == 201, proposed.text
    page = await space.service.client.get(f"/documents/{document['id']}")
    assert len(page.content) < 10_000  # the history stays small, however long a proposal
    [summary] = page.json()["proposals"]
    assert "body" not in summary and summary["message"] == "trees"
    alone = await space.service.client.get(f"/proposals/{summary['id']}")
    assert alone.json()["body"] == big


async def test_open_proposals_are_bounded_per_person(space):
    document = await space.new_document("# Plan")
    base = document["current"]["id"]

    async def propose(n: int):
        body = {"base_revision_id": base, "body": f"# Plan {n}", "message": str(n)}
        return await space.post(f"/documents/{document['id']}/proposals", "skill", body)

    for n in range(5):
        assert (await propose(n)).status_code == 201
    refused = await propose(5)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["type"] == "too_many_proposals"
    history = (await space.service.client.get(f"/documents/{document['id']}")).json()
    assert len(history["proposals"]) == 5  # nothing stored
    # Once a writer decides on one, the member may propose again.
    first = history["proposals"][-1]["id"]
    assert (await space.post(f"/proposals/{first}/decline", "core", {})).status_code == 200
    assert (await propose(6)).status_code == 201
