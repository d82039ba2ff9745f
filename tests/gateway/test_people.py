"""People and memberships through the gateway: join, roles, leave, profile, export, erasure."""

import uuid

CREATE = "mutation($n: String!) { createProject(input: {name: $n}) { ... on Project { id } } }"
JOIN = """mutation($p: UUID!) { joinProject(projectId: $p) {
  __typename ... on Membership { id role person { id } } ... on UserError { code } } }"""
LEAVE = """mutation($p: UUID!) { leaveProject(projectId: $p) {
  __typename ... on Membership { leftOn } ... on UserError { code } } }"""
MEMBERS = """query($p: UUID!, $c: Boolean!) { project(id: $p) { status
  members(current: $c) { role leftOn person { id displayName erased } } } }"""


def data(answer, field):
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert "errors" not in body, body
    return body["data"][field]


def test_a_project_space_gains_members_who_leave_and_the_last_coordinator_stays(running_suite):
    suite = running_suite
    anna, bram = (suite.token(f"{n}-{uuid.uuid4().hex[:6]}") for n in ("anna", "bram"))
    project = data(suite.graphql(CREATE, {"n": "Elisabeth"}, token=anna), "createProject")["id"]
    joined = data(suite.graphql(JOIN, {"p": project}, token=bram), "joinProject")
    assert (joined["__typename"], joined["role"]) == ("Membership", "SKILL")
    last = data(suite.graphql(LEAVE, {"p": project}, token=anna), "leaveProject")
    assert last == {"__typename": "Conflict", "code": "last_coordinator"}
    promote = """mutation($p: UUID!, $m: UUID!) { changeMemberRole(projectId: $p,
      membershipId: $m, role: COORDINATOR) { __typename ... on UserError { code } } }"""
    refused = suite.graphql(promote, {"p": project, "m": joined["id"]}, token=bram)
    assert data(refused, "changeMemberRole")["__typename"] == "NotAuthorized"
    done = suite.graphql(promote, {"p": project, "m": joined["id"]}, token=anna)
    assert data(done, "changeMemberRole")["__typename"] == "Membership"
    left = data(suite.graphql(LEAVE, {"p": project}, token=anna), "leaveProject")
    assert left["__typename"] == "Membership" and left["leftOn"]
    now = data(suite.graphql(MEMBERS, {"p": project, "c": True}), "project")
    assert [m["role"] for m in now["members"]] == ["COORDINATOR"]
    history = data(suite.graphql(MEMBERS, {"p": project, "c": False}), "project")
    assert len(history["members"]) == 2 and now["status"] == "IDEA"


def test_a_person_edits_exports_and_erases_themselves(running_suite):
    suite = running_suite
    sub = f"cora-{uuid.uuid4().hex[:6]}"
    cora = suite.token(sub)
    profile = """mutation { updateProfile(input: {displayName: "Cora", namePublic: true,
      language: NL, contactEmail: "cora@example.org"}) { __typename ... on Person { version } } }"""
    assert data(suite.graphql(profile, token=cora), "updateProfile")["__typename"] == "Person"
    me = data(
        suite.graphql("{ me { sub person { displayName contactEmail language } } }", token=cora),
        "me",
    )
    assert me["person"] == {
        "displayName": "Cora",
        "contactEmail": "cora@example.org",
        "language": "NL",
    }
    project = data(suite.graphql(CREATE, {"n": "Moestuin"}, token=cora), "createProject")["id"]
    export = data(suite.graphql("{ myData }", token=cora), "myData")
    assert set(export) == {"spaces", "commons", "volunteers", "grants"}
    assert export["volunteers"]["person_id"] == export["grants"]["person_id"] == sub
    assert export["spaces"]["profile"]["contact_email"] == "cora@example.org"
    assert export["spaces"]["memberships"][0]["project_id"] == project
    assert export["commons"]["person_id"] == sub
    bad = suite.graphql(
        'mutation { updateProfile(input: {contactEmail: "nope"}) { __typename } }', token=cora
    )
    assert data(bad, "updateProfile")["__typename"] == "InvalidInput"
    erase = (
        "mutation { eraseMe { __typename ... on Erased { pseudonym } ... on UserError { code } } }"
    )
    # The project's only coordinator hands it over first.
    refused = data(suite.graphql(erase, token=cora), "eraseMe")
    assert refused == {"__typename": "Conflict", "code": "last_coordinator"}
    admin = suite.token(f"admin-{uuid.uuid4().hex[:6]}", ["admin"])
    joined = data(suite.graphql(JOIN, {"p": project}, token=admin), "joinProject")
    promote = """mutation($p: UUID!, $m: UUID!) { changeMemberRole(projectId: $p,
      membershipId: $m, role: COORDINATOR) { __typename } }"""
    suite.graphql(promote, {"p": project, "m": joined["id"]}, token=admin)
    erased = data(
        suite.graphql(
            "mutation { eraseMe { __typename ... on Erased { pseudonym } } }", token=cora
        ),
        "eraseMe",
    )
    assert erased["pseudonym"].startswith("erased:")
    members = data(suite.graphql(MEMBERS, {"p": project, "c": False}), "project")["members"]
    assert members[0]["person"] == {"id": erased["pseudonym"], "displayName": None, "erased": True}
    anonymous = suite.graphql("mutation { eraseMe { __typename } }")
    assert data(anonymous, "eraseMe")["__typename"] == "NotAuthenticated"
