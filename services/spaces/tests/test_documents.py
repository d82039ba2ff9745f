"""Documents on real PostgreSQL: writers create and revise, a stale save gets both texts, bad
parents are refused, everything is public."""

import asyncio


def revision_count(space, document):
    return space.sql("SELECT count(*) FROM revision WHERE document_id = %s", document["id"])[0][0]


async def test_a_core_member_writes_and_anyone_reads_every_revision(space):
    document = await space.new_document("# Plan\n\nTrees.")
    first = document["current"]["id"]
    saved = await space.save(document, first, "# Plan\n\nTrees and a pond.")
    assert saved.status_code == 201, saved.text
    second = saved.json()
    assert second["parent_id"] == first and second["author"]["name"] == "Core"

    public = (await space.service.client.get(f"/documents/{document['id']}")).json()
    assert [r["id"] for r in public["revisions"]] == [second["id"], first]
    assert public["current"]["body"] == "# Plan\n\nTrees and a pond."
    assert public["version"] == 2
    old = await space.service.client.get(f"/revisions/{first}")
    assert old.json()["body"] == "# Plan\n\nTrees."
    listing = await space.service.client.get(f"/projects/{space.project_id}/documents")
    assert listing.json()["count"] == 1


async def test_a_stale_save_gets_both_texts_and_stores_nothing(space):
    document = await space.new_document("v1")
    first = document["current"]["id"]
    assert (await space.save(document, first, "v2 by core")).status_code == 201
    stale = await space.save(document, first, "v2 by coordinator", who="coordinator")
    assert stale.status_code == 409
    item = stale.json()["detail"][0]
    assert item["type"] == "revision_conflict"
    assert item["ctx"]["current"]["body"] == "v2 by core"
    assert item["ctx"]["submitted"] == {
        "parent_revision_id": first,
        "body": "v2 by coordinator",
        "message": "edit",
    }
    assert revision_count(space, document) == 2


async def test_two_concurrent_saves_from_one_parent_have_one_winner(space):
    document = await space.new_document("v1")
    first = document["current"]["id"]
    answers = await asyncio.gather(
        space.save(document, first, "text of core"),
        space.save(document, first, "text of coordinator", who="coordinator"),
    )
    codes = sorted(a.status_code for a in answers)
    assert codes == [201, 409], [a.text for a in answers]
    winner = next(a for a in answers if a.status_code == 201).json()
    loser = next(a for a in answers if a.status_code == 409).json()["detail"][0]["ctx"]
    assert loser["current"]["body"] == winner["body"]
    assert {loser["submitted"]["body"], winner["body"]} == {"text of core", "text of coordinator"}
    assert revision_count(space, document) == 2


async def test_a_parent_from_another_document_or_unknown_is_refused(space):
    document = await space.new_document("one")
    other = await space.new_document("two")
    foreign = await space.save(document, other["current"]["id"], "x")
    assert foreign.status_code == 422
    assert foreign.json()["detail"][0]["type"] == "revision_of_another_document"
    unknown = await space.save(document, "00000000-0000-0000-0000-000000000000", "x")
    assert unknown.status_code == 404
    assert revision_count(space, document) == 1


async def test_a_skill_member_or_outsider_cannot_write(space):
    document = await space.new_document("one")
    for who in ("skill", "outsider"):
        answer = await space.save(document, document["current"]["id"], "mine", who=who)
        assert answer.status_code == 403, who
        created = await space.post(
            f"/projects/{space.project_id}/documents", who, {"title": "Mine", "body": "x"}
        )
        assert created.status_code == 403, who
    assert revision_count(space, document) == 1
    assert space.sql("SELECT count(*) FROM document")[0][0] == 1


async def test_oversized_bodies_and_titles_are_refused(space):
    document = await space.new_document("one")
    limit = space.service.settings.document_body_max_bytes
    big = await space.save(document, document["current"]["id"], "é" * (limit // 2 + 1))
    assert big.status_code == 413 and big.json()["detail"][0]["type"] == "body_too_large"
    long_title = await space.post(
        f"/projects/{space.project_id}/documents", "core", {"title": "t" * 201, "body": "x"}
    )
    assert long_title.status_code == 422
    control = await space.save(document, document["current"]["id"], "bell \x07")
    assert control.status_code == 422
    assert revision_count(space, document) == 1


async def test_publishing_announces_and_status_is_for_writers(space):
    document = await space.new_document("one")
    refused = await space.service.client.put(
        f"/documents/{document['id']}/status",
        json={"status": "published"},
        headers=space.headers["skill"],
    )
    assert refused.status_code == 403
    answer = await space.service.client.put(
        f"/documents/{document['id']}/status",
        json={"status": "published"},
        headers=space.headers["core"],
    )
    assert answer.status_code == 200 and answer.json()["status"] == "published"
    types = [row[0] for row in space.sql("SELECT subject FROM outbox ORDER BY created_at")]
    assert "meent.spaces.document.revised" in types
    assert types[-1] == "meent.spaces.document.published"
