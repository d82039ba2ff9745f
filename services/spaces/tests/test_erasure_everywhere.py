"""A person's export holds what they contributed; their erasure takes their name (and subject)
out of every revision, proposal, comment, report and upload, and every revision stays readable."""

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


async def contribute(space) -> tuple[dict, str]:
    """The core member (name public) uploads, writes and revises; the skill member proposes and
    comments; the core member reports the comment."""
    client, headers = space.service.client, space.headers
    upload = await client.post(
        f"/projects/{space.project_id}/uploads",
        params={"filename": "plan.pdf"},
        content=PDF,
        headers=headers["core"],
    )
    assert upload.status_code == 201, upload.text
    document = await space.new_document("# Plan", attachment_ids=[upload.json()["id"]])
    first = document["current"]["id"]
    second = (await space.save(document, first, "# Plan\n\nTrees.")).json()["id"]
    proposal = await space.post(
        f"/documents/{document['id']}/proposals",
        "skill",
        {"base_revision_id": second, "body": "# Plan\n\nMore trees.", "message": "idea"},
    )
    assert proposal.status_code == 201, proposal.text
    comment = await space.post(f"/documents/{document['id']}/comments", "skill", {"body": "Nice"})
    assert comment.status_code == 201, comment.text
    report = await space.post(
        f"/comments/{comment.json()['id']}/reports", "core", {"reason": "testing reports"}
    )
    assert report.status_code in (200, 201), report.text
    return document, second


async def test_the_export_holds_a_persons_contributions(space):
    document, second = await contribute(space)
    core = await space.service.client.get("/people/me/export", headers=space.headers["core"])
    assert core.status_code == 200, core.text
    export = core.json()
    assert [r["revision_id"] for r in export["revisions"]][-1] == second
    assert len(export["revisions"]) == 2
    assert [u["filename"] for u in export["uploads"]] == ["plan.pdf"]
    assert [m["reason"] for m in export["moderation"]] == ["testing reports"]
    skill = (
        await space.service.client.get("/people/me/export", headers=space.headers["skill"])
    ).json()
    assert [c["body"] for c in skill["comments"]] == ["Nice"]
    assert [p["message"] for p in skill["proposals"]] == ["idea"]


async def test_erasure_takes_the_name_from_every_contribution_and_keeps_the_history(space):
    document, second = await contribute(space)
    core_sub = space.sql("SELECT person_id FROM membership WHERE role = 'core'")[0][0]
    before = (await space.service.client.get(f"/documents/{document['id']}")).json()
    assert {r["author"]["name"] for r in before["revisions"]} == {"Core"}

    for who in ("core", "skill"):
        erased = await space.service.client.post("/people/me/erasure", headers=space.headers[who])
        assert erased.status_code == 200, erased.text

    after = (await space.service.client.get(f"/documents/{document['id']}")).json()
    assert after["revision_count"] == 2 and after["current"]["id"] == second
    assert {r["author"]["name"] for r in after["revisions"]} == {"erased person"}
    assert after["current"]["body"] == "# Plan\n\nTrees."  # the history is whole
    assert [a["filename"] for a in after["current"]["attachments"]] == ["plan.pdf"]
    [proposal] = after["proposals"]
    assert proposal["proposed_by"]["name"] == "erased person"
    comments = (await space.service.client.get(f"/documents/{document['id']}/comments")).json()
    assert [(c["body"], c["author_name"]) for c in comments["data"]] == [("Nice", "erased person")]
    # The subject is in no table of spaces any more (only in the event that announced it).
    tables = [
        "person",
        "membership",
        "revision",
        "proposal",
        "comment",
        "comment_moderation",
        "attachment",
        "project",
    ]
    for table in tables:
        [(found,)] = space.sql(
            f"SELECT count(*) FROM {table} t WHERE row_to_json(t)::text LIKE %s",  # noqa: S608
            f'%"{core_sub}"%',
        )
        assert found == 0, table
