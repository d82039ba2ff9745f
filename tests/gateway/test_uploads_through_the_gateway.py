"""Uploads and downloads of attachments through the gateway, against the running suite: the
upload streams to spaces and returns an id, downloads keep their safety headers, an oversize
upload is a 413 that stores nothing, and the gateway keeps answering during a slow huge upload."""

import hashlib
import socket
import threading
import time
import uuid

import httpx
import psycopg
import pytest

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + uuid.uuid4().bytes * 64
LIMIT = 20 * 1024 * 1024  # the gateway's and spaces' default MEENT_UPLOAD_MAX_BYTES


def spaces_sql(running_suite, sql: str, params: dict | None = None):
    with psycopg.connect(running_suite.suite.database_url("spaces"), autocommit=True) as db:
        cursor = db.execute(sql, params or {})
        return cursor.fetchall() if cursor.description else []


@pytest.fixture
def writer_project(running_suite) -> tuple[str, str]:
    """A project and the bearer token of its coordinator (who started it)."""
    sub = f"core-{uuid.uuid4().hex[:8]}"
    token = running_suite.token(sub)
    answer = running_suite.http.post(
        f"{running_suite.suite.url('spaces')}/projects",
        json={"name": f"Park {uuid.uuid4().hex[:8]}"},
        headers={"Authorization": f"Bearer {token}"},
    )
    project_id = answer.json()["id"]  # its starter coordinates it: a writer
    return project_id, token


def attachments_of(running_suite, project_id: str) -> int:
    rows = spaces_sql(
        running_suite, "SELECT count(*) FROM attachment WHERE project_id = %(p)s", {"p": project_id}
    )
    return rows[0][0]


def stored_files(running_suite) -> set[str]:
    folder = running_suite.suite.var_dir / "attachments"
    return {p.name for p in folder.rglob("*") if p.is_file()}


def test_an_upload_through_the_gateway_returns_an_id_and_downloads_safely(
    running_suite, writer_project
):
    project_id, token = writer_project
    answer = running_suite.http.post(
        f"{running_suite.url}/projects/{project_id}/uploads",
        params={"filename": "kaart van het park.png"},
        content=PNG,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "image/png"},
    )
    assert answer.status_code == 201, answer.text
    attachment = answer.json()
    assert attachment["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert attachment["sha256"] in stored_files(running_suite)

    meta = running_suite.http.get(f"{running_suite.url}/attachments/{attachment['id']}")
    assert meta.json()["filename"] == "kaart van het park.png"
    content = running_suite.http.get(f"{running_suite.url}/attachments/{attachment['id']}/content")
    assert content.status_code == 200
    assert content.content == PNG
    assert content.headers["content-type"] == "image/png"
    assert content.headers["content-disposition"] == (
        "inline; filename=\"kaart van het park.png\"; filename*=UTF-8''kaart%20van%20het%20park.png"
    )
    assert content.headers["x-content-type-options"] == "nosniff"
    assert content.headers["content-security-policy"] == "sandbox"
    assert content.headers["etag"] == f'"{attachment["sha256"]}"'


def test_an_upload_without_a_token_is_refused(running_suite, writer_project):
    project_id, _ = writer_project
    answer = running_suite.http.post(
        f"{running_suite.url}/projects/{project_id}/uploads",
        params={"filename": "map.png"},
        content=PNG,
    )
    assert answer.status_code == 401
    assert attachments_of(running_suite, project_id) == 0


def read_answer(connection: socket.socket) -> str:
    """One HTTP answer, headers and body (which may come in a later segment)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            return data.decode()
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        (
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
    return (head + b"\r\n\r\n" + body).decode()


def test_an_oversize_upload_is_a_413_and_nothing_is_stored(running_suite, writer_project):
    project_id, token = writer_project
    before = stored_files(running_suite)
    url = f"{running_suite.url}/projects/{project_id}/uploads"
    headers = {"Authorization": f"Bearer {token}"}
    # Refused on the declared length alone: the headers are sent, not one byte of the body.
    port = running_suite.suite.ports.http["gateway"]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(
            f"POST /projects/{project_id}/uploads?filename=huge.txt HTTP/1.1\r\n"
            f"Host: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Length: {LIMIT + 1}\r\n\r\n".encode()
        )
        declared = read_answer(connection)
    assert declared.startswith("HTTP/1.1 413"), declared
    assert '"type":"payload_too_large"' in declared

    def chunks():  # no Content-Length: counted as it streams
        for _ in range(LIMIT // (1024 * 1024) + 2):
            yield b"a" * (1024 * 1024)

    streamed = running_suite.http.post(
        url, params={"filename": "huge.txt"}, headers=headers, content=chunks()
    )
    assert streamed.status_code == 413
    assert streamed.json()["detail"][0]["type"] == "payload_too_large"
    assert attachments_of(running_suite, project_id) == 0
    assert stored_files(running_suite) == before


def test_the_gateway_answers_while_a_slow_huge_upload_is_in_flight(running_suite, writer_project):
    project_id, token = writer_project
    sent = threading.Event()
    outcome: dict[str, int] = {}

    def slow_chunks():
        for _ in range(40):  # 40 × 256 KiB over ~4 s
            yield b"b" * (256 * 1024)
            sent.set()
            time.sleep(0.1)

    def upload() -> None:
        with httpx.Client(timeout=60) as client:
            answer = client.post(
                f"{running_suite.url}/projects/{project_id}/uploads",
                params={"filename": "slow.txt"},
                headers={"Authorization": f"Bearer {token}"},
                content=slow_chunks(),
            )
            outcome["status"] = answer.status_code

    uploading = threading.Thread(target=upload)
    uploading.start()
    assert sent.wait(10)
    started = time.monotonic()
    health = running_suite.http.get(f"{running_suite.url}/healthz")
    took = time.monotonic() - started
    assert uploading.is_alive(), "the upload should still be streaming"
    uploading.join(60)
    assert health.status_code == 200
    assert took < 1.0, f"/healthz took {took:.2f} s during an upload"
    assert outcome["status"] == 201


ATTACHMENT = """query($id: UUID!) { attachment(id: $id) {
  id projectId filename mediaType size sha256 inline url } }"""


def test_graphql_describes_an_uploaded_attachment_with_an_absolute_url(
    running_suite, writer_project
):
    project_id, token = writer_project
    uploaded = running_suite.http.post(
        f"{running_suite.url}/projects/{project_id}/uploads",
        params={"filename": "plan.md"},
        content=b"# Plan\n",
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    answer = running_suite.graphql(ATTACHMENT, {"id": uploaded["id"]})
    attachment = answer.json()["data"]["attachment"]
    assert attachment == {
        "id": uploaded["id"],
        "projectId": project_id,
        "filename": "plan.md",
        "mediaType": "text/markdown",
        "size": 7,
        "sha256": hashlib.sha256(b"# Plan\n").hexdigest(),
        "inline": False,
        "url": f"{running_suite.url}/attachments/{uploaded['id']}/content",
    }
    assert running_suite.http.get(attachment["url"]).content == b"# Plan\n"
    missing = running_suite.graphql(ATTACHMENT, {"id": str(uuid.uuid4())})
    assert missing.json()["data"]["attachment"] is None
