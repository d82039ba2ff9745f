"""Comments through GraphQL: add, read, report without an account, hide (typed results)."""

import uuid

import psycopg

COMMENTS = """query($id: UUID!) { documentComments(documentId: $id) {
  totalCount nodes { id authorName body bodyHtml } } }"""
ADD = """mutation($id: UUID!, $body: String!) { addComment(documentId: $id, body: $body) {
  __typename ... on Comment { id } ... on InvalidInput { fields { field } } } }"""
REPORT = """mutation($id: UUID!, $reason: String!) { reportComment(commentId: $id, reason: $reason) {
  __typename ... on UserError { code } } }"""
HIDE = """mutation($id: UUID!) { hideComment(commentId: $id, reason: "insults") {
  __typename ... on ModerationEntry { action reason commentHidden } } }"""


def _document(running_suite) -> str:
    answer = running_suite.graphql(
        "mutation($name: String!) { createProject(input: {name: $name}) { ... on Project { id } } }",
        {"name": f"Comments {uuid.uuid4().hex[:8]}"},
        token=running_suite.token("comments-owner"),
    )
    project_id = answer.json()["data"]["createProject"]["id"]
    document_id = str(uuid.uuid4())
    with psycopg.connect(running_suite.suite.database_url("spaces"), autocommit=True) as db:
        db.execute(
            "INSERT INTO document (id, project_id, title, kind) VALUES (%s, %s, 'Plan', 'plan')",
            (document_id, project_id),
        )
    return document_id


def test_a_comment_hidden_through_graphql_leaves_the_public_list(running_suite):
    document_id = _document(running_suite)
    token = running_suite.token("comments-sami")
    added = running_suite.graphql(ADD, {"id": document_id, "body": "<b>hi</b>"}, token=token)
    comment_id = added.json()["data"]["addComment"]["id"]
    listed = running_suite.graphql(COMMENTS, {"id": document_id}).json()["data"]
    assert listed["documentComments"]["totalCount"] == 1
    assert listed["documentComments"]["nodes"][0]["bodyHtml"] == "<p>&lt;b&gt;hi&lt;/b&gt;</p>"
    reported = running_suite.graphql(REPORT, {"id": comment_id, "reason": "rude"})
    assert reported.json()["data"]["reportComment"]["__typename"] == "CommentReported"
    refused = running_suite.graphql(HIDE, {"id": comment_id}, token=token)
    assert refused.json()["data"]["hideComment"]["__typename"] == "NotAuthorized"
    admin = running_suite.token("comments-admin", ["admin"])
    hidden = running_suite.graphql(HIDE, {"id": comment_id}, token=admin).json()["data"]
    assert hidden["hideComment"] == {
        "__typename": "ModerationEntry",
        "action": "hide",
        "reason": "insults",
        "commentHidden": True,
    }
    listed = running_suite.graphql(COMMENTS, {"id": document_id}).json()["data"]
    assert listed["documentComments"] == {"totalCount": 0, "nodes": []}


def test_bad_comments_and_floods_of_reports_are_typed_refusals(running_suite):
    document_id = _document(running_suite)
    token = running_suite.token("comments-sami")
    blank = running_suite.graphql(ADD, {"id": document_id, "body": "  "}, token=token)
    assert blank.json()["data"]["addComment"] == {
        "__typename": "InvalidInput",
        "fields": [{"field": "body"}],
    }
    added = running_suite.graphql(ADD, {"id": document_id, "body": "ok"}, token=token)
    comment_id = added.json()["data"]["addComment"]["id"]
    answers = [
        running_suite.graphql(REPORT, {"id": comment_id, "reason": "spam"}).json()["data"]
        for _ in range(11)
    ]
    assert answers[-1]["reportComment"] == {
        "__typename": "TooManyReports",
        "code": "too_many_reports",
    }
    listed = running_suite.graphql(COMMENTS, {"id": document_id}).json()["data"]
    assert listed["documentComments"]["totalCount"] == 1


def test_an_unknown_documents_comments_are_null(running_suite):
    answer = running_suite.graphql(COMMENTS, {"id": str(uuid.uuid4())}).json()
    assert answer == {"data": {"documentComments": None}}
