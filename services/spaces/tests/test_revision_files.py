"""Files on revisions: a save names the attachments its revision carries, or carries its
parent's forward; every revision keeps the files it had; a file of another project, an unknown
one or one named twice is refused and nothing is stored."""

import uuid

import pytest

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


async def upload(space, body: bytes, filename: str, project_id: str | None = None) -> str:
    answer = await space.service.client.post(
        f"/projects/{project_id or space.project_id}/uploads",
        params={"filename": filename},
        content=body,
        headers=space.headers["core"],
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def names(revision: dict) -> list[str]:
    return [a["filename"] for a in revision["attachments"]]


async def test_a_revision_carries_the_files_named_and_the_next_carries_them_forward(space):
    plan_pdf = await upload(space, PDF, "plan.pdf")
    sketch = await upload(space, PNG, "sketch.png")
    document = await space.new_document("# Plan", attachment_ids=[plan_pdf, sketch])
    first = document["current"]
    assert names(first) == ["plan.pdf", "sketch.png"]
    assert first["attachments"][1]["inline"] is True  # a raster image may show in the page
    # A text edit names no files: the parent's come along.
    edit = await space.save(document, first["id"], "# Plan\n\nTrees.")
    assert edit.status_code == 201, edit.text
    assert names(edit.json()) == ["plan.pdf", "sketch.png"]
    # A save that drops one: the new revision has one, the earlier ones keep theirs.
    answer = await space.post(
        f"/documents/{document['id']}/revisions",
        "core",
        {"parent_revision_id": edit.json()["id"], "body": "# Plan v3", "attachment_ids": [sketch]},
    )
    assert answer.status_code == 201, answer.text
    assert names(answer.json()) == ["sketch.png"]
    earlier = await space.service.client.get(f"/revisions/{first['id']}")
    assert names(earlier.json()) == ["plan.pdf", "sketch.png"]
    current = (await space.service.client.get(f"/documents/{document['id']}")).json()["current"]
    assert names(current) == ["sketch.png"]


@pytest.mark.parametrize("case", ["unknown", "another_project", "twice"])
async def test_a_file_not_of_the_project_or_named_twice_is_refused_and_nothing_stored(space, case):
    document = await space.new_document("# Plan")
    parent = document["current"]["id"]
    mine = await upload(space, PDF, "plan.pdf")
    if case == "unknown":
        ids, code = [str(uuid.uuid4())], "attachment_not_found"
    elif case == "twice":
        ids, code = [mine, mine], "attachment_twice"
    else:
        other = await space.service.client.post(
            "/projects", json={"name": "Other park"}, headers=space.headers["core"]
        )
        ids = [await upload(space, PNG, "theirs.png", other.json()["id"])]
        code = "attachment_of_another_project"
    answer = await space.post(
        f"/documents/{document['id']}/revisions",
        "core",
        {"parent_revision_id": parent, "body": "# Plan v2", "attachment_ids": ids},
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["type"] == code
    assert answer.json()["detail"][0]["loc"] == ["body", "attachment_ids"]
    history = (await space.service.client.get(f"/documents/{document['id']}")).json()
    assert history["revision_count"] == 1 and history["current"]["id"] == parent
    assert space.sql("SELECT count(*) FROM revision_attachment") == [(0,)]


async def test_more_files_than_a_revision_carries_are_refused(space):
    document = await space.new_document("# Plan")
    ids = [str(uuid.uuid4()) for _ in range(21)]
    answer = await space.post(
        f"/documents/{document['id']}/revisions",
        "core",
        {"parent_revision_id": document["current"]["id"], "body": "x", "attachment_ids": ids},
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "attachment_ids"]
