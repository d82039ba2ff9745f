"""A paper sign-in sheet (CSV) through the public origin, streamed to volunteers with its own
limit: a 50 MB upload is a 413 before volunteers sees it, and stores nothing."""

import socket

import pytest

from tests.gateway.hours_setup import city_today, entries_of, hours_project, volunteers_requests
from tests.gateway.test_uploads_through_the_gateway import read_answer

LIMIT = 5 * 1024 * 1024  # the gateway's and volunteers' default hours-import limit
FIFTY_MB = 50 * 1000 * 1000


@pytest.mark.parametrize("size", [FIFTY_MB, LIMIT + 1], ids=["50 MB", "a byte over the limit"])
def test_a_sheet_over_the_limit_is_a_413_before_volunteers_sees_it(running_suite, size):
    project = hours_project(running_suite, skill=0)
    seen_before = volunteers_requests(running_suite, "POST")
    port = running_suite.suite.ports.http["gateway"]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(
            f"POST /projects/{project.id}/hours/import HTTP/1.1\r\n"
            f"Host: 127.0.0.1\r\nAuthorization: Bearer {project.coordinator}\r\n"
            f"Content-Type: text/csv\r\nContent-Length: {size}\r\n\r\n".encode()
            + b"person,date,minutes,activity\r\n"
        )
        answer = read_answer(connection)
    assert answer.startswith("HTTP/1.1 413"), answer
    assert '"type":"payload_too_large"' in answer
    assert volunteers_requests(running_suite, "POST") == seen_before, "volunteers saw it"
    assert entries_of(running_suite, project.id) == 0


def test_an_undeclared_50_mb_sheet_is_cut_off_and_stores_nothing(running_suite):
    project = hours_project(running_suite, skill=1)
    row = f"{project.coordinator_sub},{city_today().isoformat()},60,gardening\r\n".encode()

    def sheet():  # no Content-Length: counted as it streams, cut off past the limit
        yield b"person,date,minutes,activity\r\n"
        chunk = row * (1024 * 1024 // len(row))
        for _ in range(FIFTY_MB // len(chunk) + 1):
            yield chunk

    answer = running_suite.http.post(
        f"{running_suite.url}/projects/{project.id}/hours/import",
        content=sheet(),
        headers={"Authorization": f"Bearer {project.coordinator}", "Content-Type": "text/csv"},
    )
    assert answer.status_code == 413, answer.text
    assert answer.json()["detail"][0]["type"] == "payload_too_large"
    assert entries_of(running_suite, project.id) == 0


def test_a_sheet_within_the_limit_reaches_volunteers_and_its_answer_comes_back(running_suite):
    project = hours_project(running_suite, skill=1)
    today = city_today().isoformat()
    sheet = (
        f"person,date,minutes,activity,note\r\n{project.coordinator_sub},{today},90,gardening,x\r\n"
    )
    headers = {"Authorization": f"Bearer {project.coordinator}", "Content-Type": "text/csv"}
    url = f"{running_suite.url}/projects/{project.id}/hours/import"

    imported = running_suite.http.post(url, content=sheet.encode(), headers=headers)
    assert imported.status_code == 201, imported.text
    assert imported.json()["created"] == 1
    assert entries_of(running_suite, project.id) == 1

    bad = "person,date,minutes,activity\r\nnobody at all,31-12-2020,90,gardening\r\n"
    refused = running_suite.http.post(url, content=bad.encode(), headers=headers)
    assert refused.status_code == 422, refused.text
    locations = [item["loc"] for item in refused.json()["detail"]]
    assert ["body", 2, "date"] in locations, locations  # the sheet's line 2 (after the header)
    assert entries_of(running_suite, project.id) == 1

    anonymous = running_suite.http.post(url, content=sheet.encode())
    assert anonymous.status_code == 401
    assert entries_of(running_suite, project.id) == 1
