"""Attachments on a real database and folder: who may upload, what is accepted (the type from
the bytes), the limit, content addressing, and how downloads are served."""

import hashlib
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from spaces.attachments.models import Attachment, Blob

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


@pytest.fixture
def attachments_dir(tmp_path) -> Path:
    return tmp_path / "attachments"


@pytest.fixture
async def spaces(start_service, attachments_dir):
    return await start_service(
        "spaces", attachments_dir=str(attachments_dir), upload_max_bytes=4096
    )


async def make_project(spaces, auth_header, members: dict[str, str]) -> str:
    """A project with members by sub -> role (one open stint each)."""
    answer = await spaces.client.post(
        "/projects", json={"name": f"Park {uuid.uuid4().hex[:6]}"}, headers=auth_header("founder")
    )
    project_id = answer.json()["id"]
    async with spaces.runtime.session_factory() as session, session.begin():
        for sub, role in members.items():
            await session.execute(
                text(
                    "INSERT INTO person (id, display_name) VALUES (:sub, :sub) ON CONFLICT DO NOTHING"
                ),
                {"sub": sub},
            )
            await session.execute(
                text(
                    "INSERT INTO membership (id, project_id, person_id, role, joined_on) "
                    "VALUES (:id, :project, :sub, :role, current_date)"
                ),
                {"id": uuid.uuid4(), "project": project_id, "sub": sub, "role": role},
            )
    return project_id


@pytest.fixture
async def project(spaces, auth_header) -> str:
    return await make_project(spaces, auth_header, {"kees": "core", "sanne": "skill"})


async def upload(spaces, auth_header, project, body, filename, sub="kees", **kwargs):
    return await spaces.client.post(
        f"/projects/{project}/uploads",
        params={"filename": filename},
        content=body,
        headers=auth_header(sub),
        **kwargs,
    )


async def stored(spaces, attachments_dir: Path) -> tuple[int, int, list[Path]]:
    async with spaces.runtime.session_factory() as session:
        attachments = await session.scalar(select(func.count()).select_from(Attachment))
        blobs = await session.scalar(select(func.count()).select_from(Blob))
    return attachments or 0, blobs or 0, files_in(attachments_dir)


def files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


async def test_a_writer_uploads_and_anyone_downloads_with_safe_headers(
    spaces, auth_header, project
):
    answer = await upload(spaces, auth_header, project, PNG, "map.png")
    assert answer.status_code == 201, answer.text
    attachment = answer.json()
    assert attachment["media_type"] == "image/png"
    assert attachment["size"] == len(PNG)
    assert attachment["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert attachment["inline"] is True

    meta = await spaces.client.get(f"/attachments/{attachment['id']}")
    assert meta.json()["filename"] == "map.png"
    content = await spaces.client.get(f"/attachments/{attachment['id']}/content")
    assert content.status_code == 200
    assert content.content == PNG
    assert content.headers["content-type"] == "image/png"
    assert content.headers["content-disposition"].startswith("inline;")
    assert content.headers["x-content-type-options"] == "nosniff"
    assert content.headers["content-security-policy"] == "sandbox"
    assert content.headers["etag"] == f'"{attachment["sha256"]}"'
    again = await spaces.client.get(
        f"/attachments/{attachment['id']}/content",
        headers={"If-None-Match": content.headers["etag"]},
    )
    assert again.status_code == 304 and again.content == b""


async def test_documents_and_text_download_as_attachments(spaces, auth_header, project):
    cases = [
        (PDF, "budget.pdf", "application/pdf"),
        (
            "# Plan\n\nBomen langs de gracht, ĳs en Węglowego.\n".encode(),
            "plan.md",
            "text/markdown",
        ),
        (b"tree,count\noak,12\n", "trees.csv", "text/csv"),
        (b"minutes of the meeting\n", "minutes.txt", "text/plain"),
    ]
    for body, filename, media_type in cases:
        answer = await upload(spaces, auth_header, project, body, filename)
        assert answer.status_code == 201, answer.text
        assert answer.json()["media_type"] == media_type
        assert answer.json()["inline"] is False
        content = await spaces.client.get(f"/attachments/{answer.json()['id']}/content")
        assert content.content == body
        assert content.headers["content-type"].split(";")[0] == media_type
        assert content.headers["content-disposition"] == (
            f"attachment; filename=\"{filename}\"; filename*=UTF-8''{filename}"
        )


async def test_the_same_bytes_twice_are_two_attachments_over_one_stored_blob(
    spaces, auth_header, project, attachments_dir
):
    first = await upload(spaces, auth_header, project, PNG, "map.png")
    second = await upload(spaces, auth_header, project, PNG, "same-map.png")
    assert first.json()["id"] != second.json()["id"]
    assert first.json()["sha256"] == second.json()["sha256"]
    sha256 = first.json()["sha256"]
    assert await stored(spaces, attachments_dir) == (
        2,
        1,
        [attachments_dir / sha256[:2] / sha256[2:4] / sha256],
    )


@pytest.mark.parametrize("sub", ["sanne", "outsider"], ids=["skill member", "outsider"])
async def test_only_the_projects_writers_may_upload(
    spaces, auth_header, project, attachments_dir, sub
):
    answer = await upload(spaces, auth_header, project, PNG, "map.png", sub=sub)
    assert answer.status_code == 403
    assert answer.json()["detail"][0]["type"] == "not_a_member"
    assert await stored(spaces, attachments_dir) == (0, 0, [])
    async with spaces.runtime.session_factory() as session:
        assert await session.scalar(text("SELECT count(*) FROM person WHERE id = 'outsider'")) == 0


async def test_signing_in_is_needed_to_upload(spaces, project, attachments_dir):
    answer = await spaces.client.post(
        f"/projects/{project}/uploads", params={"filename": "map.png"}, content=PNG
    )
    assert answer.status_code == 401
    assert await stored(spaces, attachments_dir) == (0, 0, [])


async def test_a_file_over_the_limit_is_refused_and_nothing_is_stored(
    spaces, auth_header, project, attachments_dir
):
    declared = await upload(spaces, auth_header, project, b"a" * 5000, "big.txt")
    assert declared.status_code == 413
    assert declared.json()["detail"][0]["type"] == "payload_too_large"

    async def chunks():  # no Content-Length: counted as it streams in
        for _ in range(10):
            yield b"b" * 1000

    streamed = await upload(spaces, auth_header, project, chunks(), "big.txt")
    assert streamed.status_code == 413
    assert await stored(spaces, attachments_dir) == (0, 0, [])


async def test_the_upload_path_has_its_own_limit_above_the_body_limit(
    start_service, auth_header, tmp_path
):
    # Every other request keeps MEENT_MAX_BODY_BYTES; an upload may carry MEENT_UPLOAD_MAX_BYTES.
    spaces = await start_service(
        "spaces", attachments_dir=str(tmp_path), upload_max_bytes=100, max_body_bytes=50
    )
    project = await make_project(spaces, auth_header, {"kees": "core"})
    answer = await upload(spaces, auth_header, project, b"c" * 101, "c.txt")
    assert answer.status_code == 413
    ok = await upload(spaces, auth_header, project, b"c" * 100, "c.txt")
    assert ok.status_code == 201, ok.text


@pytest.mark.parametrize(
    ("body", "filename", "code"),
    [
        (HTML, "photo.png", "disguised_media_type"),
        (HTML, "page.html", "unsupported_media_type"),
        (b"just text\n", "photo.png", "disguised_media_type"),
        (PNG, "notes.txt", "disguised_media_type"),
        (PDF, "map.png", "disguised_media_type"),
        (b"\xff\xfe\x00n\x00o\x00t utf-8", "notes.txt", "disguised_media_type"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "tool.exe", "unsupported_media_type"),
        (b'<?xml version="1.0"?><note>hi</note>', "note.txt", "disguised_media_type"),
    ],
    ids=["html as png", "html", "text as png", "png as txt", "pdf as png", "utf-16", "exe", "xml"],
)
async def test_disallowed_or_disguised_types_are_refused(
    spaces, auth_header, project, attachments_dir, body, filename, code
):
    answer = await upload(spaces, auth_header, project, body, filename)
    assert answer.status_code == 415, answer.text
    assert answer.json()["detail"][0]["type"] == code
    assert await stored(spaces, attachments_dir) == (0, 0, [])


async def test_an_empty_file_is_refused(spaces, auth_header, project, attachments_dir):
    answer = await upload(spaces, auth_header, project, b"", "empty.txt")
    assert answer.status_code == 422
    assert await stored(spaces, attachments_dir) == (0, 0, [])


async def test_svg_is_stored_as_a_download_only_type(spaces, auth_header, project):
    answer = await upload(spaces, auth_header, project, SVG, "drawing.svg")
    assert answer.status_code == 201, answer.text
    assert answer.json()["media_type"] == "image/svg+xml"
    assert answer.json()["inline"] is False
    content = await spaces.client.get(f"/attachments/{answer.json()['id']}/content")
    assert content.headers["content-disposition"].startswith("attachment;")
    assert content.headers["content-security-policy"] == "sandbox"


async def test_file_names_lose_folders_and_control_characters(spaces, auth_header, project):
    given = "../../etc/<b>x</b>\u202e\x07 plan\u00a0 2026.md"
    answer = await upload(spaces, auth_header, project, b"# plan\n", given)
    assert answer.status_code == 201, answer.text
    assert answer.json()["filename"] == "b> plan 2026.md"  # "</b>" holds a "/"
    long_name = "a" * 400 + ".md"
    answer = await upload(spaces, auth_header, project, b"# plan\n", long_name)
    assert answer.json()["filename"] == "a" * 252 + ".md"
    content = await spaces.client.get(f"/attachments/{answer.json()['id']}/content")
    assert "\n" not in content.headers["content-disposition"]
    odd = await upload(spaces, auth_header, project, b"x\n", 'ünï "quote";.txt')
    disposition = (await spaces.client.get(f"/attachments/{odd.json()['id']}/content")).headers[
        "content-disposition"
    ]
    assert disposition == (
        'attachment; filename="_n_ _quote__.txt"; '
        "filename*=UTF-8''%C3%BCn%C3%AF%20%22quote%22%3B.txt"
    )


async def test_unknown_ids_are_404(spaces, auth_header):
    unknown = uuid.uuid4()
    assert (await spaces.client.get(f"/attachments/{unknown}")).status_code == 404
    assert (await spaces.client.get(f"/attachments/{unknown}/content")).status_code == 404
    answer = await upload(spaces, auth_header, unknown, PNG, "map.png")
    assert answer.status_code == 404
