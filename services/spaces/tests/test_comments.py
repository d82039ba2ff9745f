"""Comments and their moderation: hidden comments leave public view and stay in the audit."""

import pytest


@pytest.fixture
async def discussed(start_service, spaces_rows):
    """A project with a coordinator (cora), a skill member (sami) and a plan to comment on."""
    spaces = await start_service("spaces")
    url = spaces.database_url
    project_id = spaces_rows.add_project(url)
    spaces_rows.add_member(url, project_id, "cora", "coordinator", name_public=True)
    spaces_rows.add_member(url, project_id, "sami", "skill")
    document_id = spaces_rows.add_document(url, project_id)
    return spaces, project_id, document_id


async def _comment(spaces, document_id, header, body="Meer bomen langs het pad, graag."):
    answer = await spaces.client.post(
        f"/documents/{document_id}/comments", json={"body": body}, headers=header
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


async def _public_bodies(spaces, document_id):
    answer = await spaces.client.get(f"/documents/{document_id}/comments")
    assert answer.status_code == 200, answer.text
    return [c["body"] for c in answer.json()["data"]]


async def test_a_comment_is_public_with_the_name_its_author_allows(discussed, auth_header):
    spaces, _, document_id = discussed
    await _comment(spaces, document_id, auth_header("cora"), "Akkoord")
    await _comment(spaces, document_id, auth_header("sami"), "<script>alert(1)</script>\nok")
    answer = (await spaces.client.get(f"/documents/{document_id}/comments")).json()
    assert answer["count"] == 2
    assert [c["author_name"] for c in answer["data"]] == ["Cora", "a member"]
    assert answer["data"][1]["body_html"] == "<p>&lt;script&gt;alert(1)&lt;/script&gt;<br>ok</p>"


async def test_a_hidden_comment_is_gone_from_public_view_and_kept_in_the_audit(
    discussed, auth_header
):
    spaces, project_id, document_id = discussed
    kept = await _comment(spaces, document_id, auth_header("sami"), "Goed plan")
    rude = await _comment(spaces, document_id, auth_header("troll"), "Scheldwoorden")
    reported = await spaces.client.post(
        f"/comments/{rude['id']}/reports", json={"reason": "abusive"}
    )
    assert reported.status_code == 201, reported.text
    hidden = await spaces.client.post(
        f"/comments/{rude['id']}/hide", json={"reason": "insults"}, headers=auth_header("cora")
    )
    assert hidden.status_code == 200, hidden.text
    assert await _public_bodies(spaces, document_id) == [kept["body"]]

    audit = await spaces.client.get(
        f"/projects/{project_id}/moderation", headers=auth_header("cora")
    )
    assert audit.status_code == 200, audit.text
    acts = [(e["action"], e["actor_name"], e["reason"]) for e in audit.json()["data"]]
    assert acts == [("hide", "Cora", "insults"), ("report", "anonymous visitor", "abusive")]
    assert {e["comment_body"] for e in audit.json()["data"]} == {"Scheldwoorden"}
    assert all(e["comment_hidden"] for e in audit.json()["data"])

    shown = await spaces.client.post(
        f"/comments/{rude['id']}/unhide", json={"reason": "apologised"}, headers=auth_header("cora")
    )
    assert shown.status_code == 200, shown.text
    assert await _public_bodies(spaces, document_id) == [kept["body"], rude["body"]]


async def test_only_the_projects_coordinators_and_admins_hide(discussed, auth_header, spaces_rows):
    spaces, project_id, document_id = discussed
    other = spaces_rows.add_project(spaces.database_url)
    spaces_rows.add_member(spaces.database_url, other, "olga", "coordinator")
    comment = await _comment(spaces, document_id, auth_header("sami"))
    for who in ("sami", "olga", "stranger"):
        refused = await spaces.client.post(
            f"/comments/{comment['id']}/hide", json={"reason": "no"}, headers=auth_header(who)
        )
        assert refused.status_code == 403, who
    anonymous = await spaces.client.post(f"/comments/{comment['id']}/hide", json={"reason": "x"})
    assert anonymous.status_code == 401
    assert await _public_bodies(spaces, document_id) == [comment["body"]]
    assert spaces_rows.count(spaces.database_url, "comment_moderation") == 0
    for who in ("sami", "stranger"):
        log = await spaces.client.get(
            f"/projects/{project_id}/moderation", headers=auth_header(who)
        )
        assert log.status_code == 403
    admin = await spaces.client.post(
        f"/comments/{comment['id']}/hide",
        json={"reason": "spam"},
        headers=auth_header("root", ["admin"]),
    )
    assert admin.status_code == 200
    assert await _public_bodies(spaces, document_id) == []


@pytest.mark.parametrize(
    "body",
    [{"body": ""}, {"body": "  \n "}, {"body": "x" * 5001}, {"body": "nul\x00"}, {}, {"body": 3}],
)
async def test_a_bad_comment_is_refused_and_nothing_stored(
    discussed, auth_header, spaces_rows, body
):
    spaces, _, document_id = discussed
    answer = await spaces.client.post(
        f"/documents/{document_id}/comments", json=body, headers=auth_header("sami")
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"][0] == "body"
    assert spaces_rows.count(spaces.database_url, "comment") == 0


async def test_comments_on_unknown_documents_and_unsigned_comments_are_refused(
    discussed, auth_header, spaces_rows
):
    spaces, _, document_id = discussed
    unknown = "00000000-0000-0000-0000-000000000000"
    missing = await spaces.client.post(
        f"/documents/{unknown}/comments", json={"body": "hi"}, headers=auth_header("sami")
    )
    assert missing.status_code == 404
    assert (await spaces.client.get(f"/documents/{unknown}/comments")).status_code == 404
    unsigned = await spaces.client.post(f"/documents/{document_id}/comments", json={"body": "hi"})
    assert unsigned.status_code == 401
    odd = await spaces.client.get("/documents/not-a-uuid/comments")
    assert odd.status_code == 422
    assert spaces_rows.count(spaces.database_url, "comment") == 0


@pytest.mark.parametrize("reason", [{}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 501}])
async def test_a_report_needs_a_reason(discussed, auth_header, spaces_rows, reason):
    spaces, _, document_id = discussed
    comment = await _comment(spaces, document_id, auth_header("sami"))
    for header in ({}, auth_header("cora")):
        answer = await spaces.client.post(
            f"/comments/{comment['id']}/reports", json=reason, headers=header
        )
        assert answer.status_code == 422, answer.text
        hide = await spaces.client.post(
            f"/comments/{comment['id']}/hide", json=reason, headers=auth_header("cora")
        )
        assert hide.status_code == 422
    assert spaces_rows.count(spaces.database_url, "comment_moderation") == 0
    assert await _public_bodies(spaces, document_id) == [comment["body"]]


async def test_reports_are_bounded(discussed, auth_header, spaces_rows):
    spaces, _, document_id = discussed
    comment = await _comment(spaces, document_id, auth_header("sami"))
    report = f"/comments/{comment['id']}/reports"
    first = await spaces.client.post(report, json={"reason": "spam"}, headers=auth_header("cora"))
    assert first.status_code == 201
    again = await spaces.client.post(report, json={"reason": "spam"}, headers=auth_header("cora"))
    assert again.status_code == 409
    answers = [
        (await spaces.client.post(report, json={"reason": f"spam {n}"})).status_code
        for n in range(12)
    ]
    assert answers == [201] * 10 + [429] * 2
    assert spaces_rows.count(spaces.database_url, "comment_moderation") == 11


async def test_hiding_twice_is_a_conflict_and_records_once(discussed, auth_header, spaces_rows):
    spaces, _, document_id = discussed
    comment = await _comment(spaces, document_id, auth_header("sami"))
    hide = f"/comments/{comment['id']}/hide"
    assert (
        await spaces.client.post(hide, json={"reason": "a"}, headers=auth_header("cora"))
    ).status_code == 200
    twice = await spaces.client.post(hide, json={"reason": "b"}, headers=auth_header("cora"))
    assert twice.status_code == 409
    assert twice.json()["detail"][0]["type"] == "already_hidden"
    assert spaces_rows.count(spaces.database_url, "comment_moderation") == 1
