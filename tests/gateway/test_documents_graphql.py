"""Documents through the gateway on the running suite (real processes): two writers save from one
revision at once — one wins, the other gets RevisionConflict with both texts, nothing is lost;
every revision stays readable and diffable; a stale proposal is a conflict. (Writers here are
admins: memberships come through another part of spaces.)"""

import uuid
from concurrent.futures import ThreadPoolExecutor

SAVE = """mutation($input: SaveRevisionInput!) { saveRevision(input: $input) {
  __typename
  ... on Revision { id body }
  ... on RevisionConflict { code current { id body } submitted { parentRevisionId body } } } }"""
CREATE = """mutation($input: CreateDocumentInput!) { createDocument(input: $input) {
  __typename ... on Document { id current { id } } } }"""
HISTORY = """query($id: UUID!) { document(id: $id) {
  revisionCount revisions { id parentId author { name } } current { body html } } }"""
DIFF = """query($from: UUID!, $to: UUID!) { revisionDiff(from: $from, to: $to) {
  unified html added removed } }"""


def _new_document(suite, token, body):
    project = suite.graphql(
        "mutation($name: String!) { createProject(input: {name: $name}) { ... on Project { id } } }",
        {"name": f"Docs {uuid.uuid4().hex[:8]}"},
        token=token,
    ).json()["data"]["createProject"]["id"]
    variables = {"input": {"projectId": project, "title": "Plan", "body": body}}
    created = suite.graphql(CREATE, variables, token=token).json()["data"]["createDocument"]
    assert created["__typename"] == "Document", created
    return created["id"], created["current"]["id"]


def test_two_writers_at_once_one_wins_the_other_gets_both_texts(running_suite):
    anna = running_suite.token("docs-anna", ["admin"], name="Anna")
    bert = running_suite.token("docs-bert", ["admin"], name="Bert")
    document, first = _new_document(running_suite, anna, "line 1\nline 2")

    def save(token, body):
        variables = {"input": {"documentId": document, "parentRevisionId": first, "body": body}}
        return running_suite.graphql(SAVE, variables, token=token).json()["data"]["saveRevision"]

    with ThreadPoolExecutor(2) as pool:
        results = list(
            pool.map(save, [anna, bert], ["line 1\nline 2 by Anna", "line 1\nline 2 by Bert"])
        )
    kinds = sorted(r["__typename"] for r in results)
    assert kinds == ["Revision", "RevisionConflict"], results
    winner = next(r for r in results if r["__typename"] == "Revision")
    conflict = next(r for r in results if r["__typename"] == "RevisionConflict")
    assert conflict["current"] == {"id": winner["id"], "body": winner["body"]}
    assert conflict["submitted"]["parentRevisionId"] == first
    assert {conflict["submitted"]["body"], winner["body"]} == {
        "line 1\nline 2 by Anna",
        "line 1\nline 2 by Bert",
    }

    history = running_suite.graphql(HISTORY, {"id": document}).json()["data"]["document"]
    assert history["revisionCount"] == 2
    assert [r["id"] for r in history["revisions"]] == [winner["id"], first]
    assert history["current"]["html"].startswith("<p>line 1")
    diff = running_suite.graphql(DIFF, {"from": first, "to": winner["id"]}).json()["data"]
    assert diff["revisionDiff"]["added"] == 1 and diff["revisionDiff"]["removed"] == 1
    assert "<ins class=" in diff["revisionDiff"]["html"]


def test_accepting_a_stale_proposal_answers_revision_conflict(running_suite):
    anna = running_suite.token("docs-anna", ["admin"], name="Anna")
    document, first = _new_document(running_suite, anna, "trees")
    proposal = running_suite.graphql(
        """mutation($input: ProposeRevisionInput!) { proposeRevision(input: $input) {
             ... on Proposal { id } } }""",
        {"input": {"documentId": document, "baseRevisionId": first, "body": "trees, a pond"}},
        token=anna,
    ).json()["data"]["proposeRevision"]["id"]
    moved = {"input": {"documentId": document, "parentRevisionId": first, "body": "benches"}}
    assert (
        running_suite.graphql(SAVE, moved, token=anna).json()["data"]["saveRevision"]["__typename"]
        == "Revision"
    )
    accepted = running_suite.graphql(
        """mutation($id: UUID!) { acceptProposal(id: $id) {
             __typename ... on RevisionConflict { current { body } submitted { body } } } }""",
        {"id": proposal},
        token=anna,
    ).json()["data"]["acceptProposal"]
    assert accepted == {
        "__typename": "RevisionConflict",
        "current": {"body": "benches"},
        "submitted": {"body": "trees, a pond"},
    }
