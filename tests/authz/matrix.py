"""The authorization matrix: every mutation × every role → allowed or refused.

One row per mutation. `allowed` lists the roles that may run it; every other role must be
refused (NotAuthenticated or NotAuthorized). Each service issue adds the rows of its mutations.
"""

import datetime as dt
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from meent_shared.settings import Mode, ServiceSettings
from tests.authz.roles import JOIN, PROJECT_ROLES, ROLES, credentials

# Everyone signed in as a person (a member of some project is a citizen too).
PEOPLE = frozenset({"citizen", "maintenance", "grant_officer", "admin", *PROJECT_ROLES, "reviewer"})


def no_project(variables: dict[str, Any]) -> str | None:
    return None


def no_call(variables: dict[str, Any]) -> str | None:
    return None


@dataclass(frozen=True)
class Row:
    mutation: str
    document: str
    success: str  # the __typename of an allowed result
    allowed: frozenset[str]
    setup: Callable[[Any], dict[str, Any]]  # prepares what the mutation acts on; returns variables
    # The project the project roles are held in, from the variables (None: a project of the run).
    project: Callable[[dict[str, Any]], str | None] = no_project
    # Roles whose answer is neither success nor a refusal (already a member: Conflict).
    outcomes: dict[str, str] = field(default_factory=dict)
    fresh: bool = False  # a new person per case (the mutation changes who they are)
    # The call whose panel the reviewer sits on, from the variables (None: a call of the run).
    call: Callable[[dict[str, Any]], str | None] = no_call

    def refused(self) -> frozenset[str]:
        return frozenset(ROLES) - self.allowed


def _result(mutation: str, args: str) -> str:
    """The mutation asking only for its result's type."""
    return f"mutation{args} {{ {mutation} {{ __typename }} }}"


# --- setups: each makes what the mutation needs, owned by someone who is not the role under test


def project_name(suite: Any) -> dict[str, Any]:
    return {"name": f"Matrix project {uuid.uuid4().hex[:8]}"}


def someone_elses_project(suite: Any) -> dict[str, Any]:
    owner = suite.token("matrix-project-owner")
    answer = suite.graphql(
        "mutation($name: String!) { createProject(input: {name: $name}) { ... on Project { id } } }",
        project_name(suite),
        token=owner,
    )
    return {"id": answer.json()["data"]["createProject"]["id"]}


def known_project(suite: Any) -> str:
    """A project volunteers has learnt of (by event), made once per run."""
    if not hasattr(suite, "_matrix_project"):
        project_id = someone_elses_project(suite)["id"]
        deadline = time.monotonic() + 30
        url = f"{suite.suite.url('volunteers')}/projects/{project_id}"
        while httpx.get(url).status_code != 200:
            assert time.monotonic() < deadline, "volunteers never learnt of the project"
            time.sleep(0.1)
        suite._matrix_project = project_id
    return suite._matrix_project  # type: ignore[no-any-return]


def hours_input(suite: Any) -> dict[str, Any]:
    return {
        "input": {
            "projectId": known_project(suite),
            "activity": "GARDENING",
            "minutes": 90,
            "workedOn": ServiceSettings(mode=Mode.local).today().isoformat(),  # the city's
        }
    }


def someone_elses_hours(suite: Any) -> dict[str, Any]:
    """Five minutes a member of the known project logged (members on the day log hours; a few
    minutes, so every case's entry fits in their day)."""
    volunteer = suite.token("matrix-volunteer")
    if not hasattr(suite, "_matrix_volunteer_joined"):
        suite.graphql(JOIN, {"p": known_project(suite)}, token=volunteer)
        suite._matrix_volunteer_joined = True
    variables = hours_input(suite)
    variables["input"]["minutes"] = 5
    deadline = time.monotonic() + 30
    while True:  # until volunteers has learnt of the membership (spaces' event)
        answer = suite.graphql(
            "mutation($input: LogHoursInput!) { logHours(input: $input) "
            "{ __typename ... on HourEntry { id } } }",
            variables,
            token=volunteer,
        )
        logged = answer.json()["data"]["logHours"]
        if logged["__typename"] == "HourEntry":
            return {"id": logged["id"]}
        assert time.monotonic() < deadline, f"the volunteer never could log hours: {logged}"
        time.sleep(0.1)


CALL = {
    "title": "Matrix call",
    "budgetCents": 100000,
    "minAwardCents": 1000,
    "maxAwardCents": 5000,
    "opensOn": "2027-01-01",
    "closesOn": "2027-02-01",
}


def call_input(suite: Any) -> dict[str, Any]:
    return {"input": CALL}


def draft_call(suite: Any) -> dict[str, Any]:
    officer = suite.token("matrix-officer", ["grant_officer"])
    answer = suite.graphql(
        "mutation($input: CreateCallInput!) { createCall(input: $input) { ... on FundingCall { id } } }",
        {"input": CALL},
        token=officer,
    )
    return {"id": answer.json()["data"]["createCall"]["id"]}


def site_input(suite: Any) -> dict[str, Any]:
    square = [[[18.6466, 54.3507], [18.649, 54.3507], [18.649, 54.352], [18.6466, 54.3507]]]
    return {
        "input": {
            "name": "Matrix square",
            "kind": "square",
            "geometry": {"type": "Polygon", "coordinates": square},
        }
    }


def key_name(suite: Any) -> dict[str, Any]:
    return {"name": "matrix key"}


def someone_elses_key(suite: Any) -> dict[str, Any]:
    admin = suite.token("matrix-key-owner", ["admin"])
    answer = suite.graphql(
        'mutation { createApiKey(name: "to revoke") { ... on NewApiKey { key { id } } } }',
        token=admin,
    )
    return {"id": answer.json()["data"]["createApiKey"]["key"]["id"]}


ROWS = [
    Row(
        "createProject",
        _result("createProject(input: {name: $name})", "($name: String!)"),
        "Project",
        PEOPLE | {"api_key_write"},
        project_name,
    ),
    Row(
        "updateProject",
        _result('updateProject(id: $id, input: {summary: "x"})', "($id: UUID!)"),
        "Project",
        frozenset({"admin", "coordinator"}),  # a skill or core member cannot change the project
        someone_elses_project,
        project=lambda v: v["id"],
    ),
    Row(
        "logHours",
        _result("logHours(input: $input)", "($input: LogHoursInput!)"),
        "HourEntry",
        # Only members of the project on that day log hours for it, and no role under test is a
        # member of the known project (the rows of members logging come with issue 9's matrix).
        frozenset(),
        hours_input,
    ),
    Row(
        "approveHours",
        _result("approveHours(id: $id)", "($id: UUID!)"),
        "HourEntry",
        frozenset({"admin"}),
        someone_elses_hours,
    ),
    Row(
        "rejectHours",
        _result('rejectHours(id: $id, reason: "no")', "($id: UUID!)"),
        "HourEntry",
        frozenset({"admin"}),
        someone_elses_hours,
    ),
    Row(
        "createCall",
        _result("createCall(input: $input)", "($input: CreateCallInput!)"),
        "FundingCall",
        frozenset({"grant_officer", "admin"}),
        call_input,
    ),
    Row(
        "publishCall",
        _result("publishCall(id: $id)", "($id: UUID!)"),
        "FundingCall",
        frozenset({"grant_officer", "admin"}),
        draft_call,
    ),
    Row(
        "createApiKey",
        _result("createApiKey(name: $name)", "($name: String!)"),
        "NewApiKey",
        frozenset({"admin"}),
        key_name,
    ),
    Row(
        "revokeApiKey",
        _result("revokeApiKey(id: $id)", "($id: UUID!)"),
        "ApiKey",
        frozenset({"admin"}),
        someone_elses_key,
    ),
]


# --- commons


def _square(offset: float) -> dict[str, Any]:
    x, y = 18.60 + offset, 54.30 + offset
    ring = [[x, y], [x + 0.001, y], [x + 0.001, y + 0.001], [x, y + 0.001], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def staff(suite: Any) -> str:
    return suite.token("matrix-staff", ["maintenance"])


def a_site(suite: Any) -> dict[str, Any]:
    n = uuid.uuid4().int % 10_000
    answer = suite.graphql(
        "mutation($input: CreateSiteInput!) { createSite(input: $input) { ... on Site { id } } }",
        {
            "input": {
                "name": f"Matrix site {n}",
                "kind": "square",
                "timezone": "Europe/Warsaw",
                "geometry": _square(n / 100_000),
            }
        },
        token=staff(suite),
    )
    return {"siteId": answer.json()["data"]["createSite"]["id"]}


PERIOD = {"use": "market", "priority": 5, "startsOn": "2030-06-01", "endsOn": "2030-06-01"}


def site_update(suite: Any) -> dict[str, Any]:
    return {"id": a_site(suite)["siteId"], "input": {"description": "checked"}}


def period_input(suite: Any) -> dict[str, Any]:
    return {**a_site(suite), "input": PERIOD}


def a_period(suite: Any) -> dict[str, Any]:
    made = suite.graphql(
        """mutation($siteId: UUID!, $input: UsePeriodInput!) {
             addUsePeriod(siteId: $siteId, input: $input) { ... on UsePeriod { id } } }""",
        period_input(suite),
        token=staff(suite),
    )
    return {"id": made.json()["data"]["addUsePeriod"]["id"]}


def period_update(suite: Any) -> dict[str, Any]:
    return {**a_period(suite), "input": {**PERIOD, "note": "moved"}}


def commons_project(suite: Any) -> str:
    """A project commons has learnt of (by event), made once per run."""
    if not hasattr(suite, "_matrix_commons_project"):
        project_id = someone_elses_project(suite)["id"]
        deadline = time.monotonic() + 30
        url = f"{suite.suite.url('commons')}/projects/{project_id}"
        while httpx.get(url).status_code != 200:
            assert time.monotonic() < deadline, "commons never learnt of the project"
            time.sleep(0.1)
        suite._matrix_commons_project = project_id
    return suite._matrix_commons_project  # type: ignore[no-any-return]


def stewardship_input(suite: Any) -> dict[str, Any]:
    return {
        **a_site(suite),
        "input": {"projectId": commons_project(suite), "startsOn": "2026-01-01"},
    }


def a_stewardship(suite: Any) -> dict[str, Any]:
    made = suite.graphql(
        """mutation($siteId: UUID!, $input: StewardshipInput!) {
             addStewardship(siteId: $siteId, input: $input) { ... on Stewardship { id } } }""",
        stewardship_input(suite),
        token=staff(suite),
    )
    return {"id": made.json()["data"]["addStewardship"]["id"], "endsOn": "2027-01-01"}


def a_team(suite: Any, member: str | None = None) -> str:
    made = suite.graphql(
        'mutation { createTeam(name: "Matrix team") { ... on Team { id } } }', token=staff(suite)
    )
    team_id = made.json()["data"]["createTeam"]["id"]
    if member:
        suite.graphql(
            "mutation($t: UUID!, $p: String!) { addTeamMember(teamId: $t, personId: $p) { __typename } }",
            {"t": team_id, "p": member},
            token=staff(suite),
        )
    return team_id  # type: ignore[no-any-return]


def member_input(suite: Any) -> dict[str, Any]:
    return {"teamId": a_team(suite), "personId": "matrix-newcomer"}


def task_input(suite: Any) -> dict[str, Any]:
    return {**a_site(suite), "input": {"title": "Mow", "dueOn": dt.date.today().isoformat()}}


def a_task_of_the_maintenance_team(suite: Any) -> dict[str, Any]:
    """A task of a team that the matrix's maintenance person belongs to: members complete it."""
    team_id = a_team(suite, member="matrix-maintenance")
    made = suite.graphql(
        """mutation($siteId: UUID!, $input: MaintenanceTaskInput!) {
             createMaintenanceTask(siteId: $siteId, input: $input) { ... on MaintenanceTask { id } } }""",
        {
            **a_site(suite),
            "input": {"title": "Weed", "dueOn": dt.date.today().isoformat(), "teamId": team_id},
        },
        token=staff(suite),
    )
    return {"taskId": made.json()["data"]["createMaintenanceTask"]["id"]}


STAFF = frozenset({"maintenance", "admin"})
ROWS += [
    Row(
        "createSite",
        _result("createSite(input: $input)", "($input: CreateSiteInput!)"),
        "Site",
        STAFF,
        site_input,
    ),
    Row(
        "updateSite",
        _result("updateSite(id: $id, input: $input)", "($id: UUID!, $input: UpdateSiteInput!)"),
        "Site",
        STAFF,
        site_update,
    ),
    Row(
        "addUsePeriod",
        _result(
            "addUsePeriod(siteId: $siteId, input: $input)",
            "($siteId: UUID!, $input: UsePeriodInput!)",
        ),
        "UsePeriod",
        STAFF,
        period_input,
    ),
    Row(
        "updateUsePeriod",
        _result("updateUsePeriod(id: $id, input: $input)", "($id: UUID!, $input: UsePeriodInput!)"),
        "UsePeriod",
        STAFF,
        period_update,
    ),
    Row(
        "acceptUsePeriod",
        _result("acceptUsePeriod(id: $id)", "($id: UUID!)"),
        "UsePeriod",
        STAFF,
        a_period,
    ),
    Row(
        "removeUsePeriod",
        _result("removeUsePeriod(id: $id)", "($id: UUID!)"),
        "Removed",
        STAFF,
        a_period,
    ),
    Row(
        "addStewardship",
        _result(
            "addStewardship(siteId: $siteId, input: $input)",
            "($siteId: UUID!, $input: StewardshipInput!)",
        ),
        "Stewardship",
        STAFF,
        stewardship_input,
    ),
    Row(
        "endStewardship",
        _result("endStewardship(id: $id, endsOn: $endsOn)", "($id: UUID!, $endsOn: Date!)"),
        "Stewardship",
        STAFF,
        a_stewardship,
    ),
    Row("createTeam", _result('createTeam(name: "Matrix")', ""), "Team", STAFF, lambda s: {}),
    Row(
        "addTeamMember",
        _result(
            "addTeamMember(teamId: $teamId, personId: $personId)",
            "($teamId: UUID!, $personId: String!)",
        ),
        "Team",
        STAFF,
        member_input,
    ),
    Row(
        "createMaintenanceTask",
        _result(
            "createMaintenanceTask(siteId: $siteId, input: $input)",
            "($siteId: UUID!, $input: MaintenanceTaskInput!)",
        ),
        "MaintenanceTask",
        STAFF,
        task_input,
    ),
    # Team members complete their tasks: the matrix's maintenance person is in the task's team.
    Row(
        "completeTask",
        _result("completeTask(taskId: $taskId)", "($taskId: UUID!)"),
        "TaskOccurrence",
        STAFF,
        a_task_of_the_maintenance_team,
    ),
]


def a_small_collection(suite: Any) -> dict[str, Any]:
    n = uuid.uuid4().hex[:8]
    feature = {
        "type": "Feature",
        "id": f"matrix/{n}",
        "properties": {"name": f"Imported {n}"},
        "geometry": _square(int(n, 16) % 10_000 / 100_000),
    }
    return {"fc": {"type": "FeatureCollection", "features": [feature]}}


ROWS += [
    Row(
        "importSites",
        _result("importSites(featureCollection: $fc)", "($fc: JSON!)"),
        "ImportReport",
        STAFF,
        a_small_collection,
    ),
]


# --- spaces: memberships and people


def a_project(suite: Any) -> dict[str, Any]:
    return {"p": someone_elses_project(suite)["id"]}


def a_newcomer(suite: Any) -> dict[str, Any]:
    """A project and a person spaces knows (they looked at their profile once), not a member."""
    sub = f"matrix-newcomer-{uuid.uuid4().hex[:8]}"
    suite.graphql("{ me { person { id } } }", token=suite.token(sub))
    return {**a_project(suite), "person": sub}


def a_skill_member(suite: Any) -> dict[str, Any]:
    """A project and the stint of someone in its skill group."""
    variables = a_project(suite)
    joined = suite.graphql(
        "mutation($p: UUID!) { joinProject(projectId: $p) { ... on Membership { id } } }",
        variables,
        **credentials(suite, "citizen", fresh=True),
    )
    return {**variables, "m": joined.json()["data"]["joinProject"]["id"]}


def in_project(variables: dict[str, Any]) -> str | None:
    return variables["p"]  # type: ignore[no-any-return]


COORDINATING = frozenset({"coordinator", "admin"})
MEMBERS = frozenset({"skill", "core", "coordinator"})
ALREADY_MEMBERS = {role: "Conflict" for role in MEMBERS}
ROWS += [
    Row(
        "joinProject",
        _result("joinProject(projectId: $p)", "($p: UUID!)"),
        "Membership",
        (PEOPLE - MEMBERS) | {"api_key_write"},
        a_project,
        project=in_project,
        outcomes=ALREADY_MEMBERS,
    ),
    Row(
        "addMember",
        _result(
            "addMember(projectId: $p, personId: $person, role: CORE)",
            "($p: UUID!, $person: String!)",
        ),
        "Membership",
        COORDINATING,  # an outsider (another project's coordinator too) cannot change membership
        a_newcomer,
        project=in_project,
    ),
    Row(
        "changeMemberRole",
        _result(
            "changeMemberRole(projectId: $p, membershipId: $m, role: CORE)",
            "($p: UUID!, $m: UUID!)",
        ),
        "Membership",
        COORDINATING,
        a_skill_member,
        project=in_project,
    ),
    Row(
        "removeMember",
        _result("removeMember(projectId: $p, membershipId: $m)", "($p: UUID!, $m: UUID!)"),
        "Membership",
        COORDINATING,
        a_skill_member,
        project=in_project,
    ),
    Row(
        "leaveProject",
        _result("leaveProject(projectId: $p)", "($p: UUID!)"),
        "Membership",
        MEMBERS,  # the coordinator may: the project's starter still coordinates it
        a_project,
        project=in_project,
    ),
    Row(
        "updateProfile",
        _result('updateProfile(input: {displayName: "Matrix"})', ""),
        "Person",
        PEOPLE,
        lambda s: {},
    ),
    Row(
        "eraseMe",
        _result("eraseMe", ""),
        "Erased",
        PEOPLE,
        a_project,
        project=in_project,
        # They coordinate a project of their own alone: they hand it over first.
        outcomes={"other_project_member": "Conflict"},
        fresh=True,
    ),
]


# --- documents (spaces): the project's core members and coordinators write; every member proposes.

DOCUMENT_WRITERS = frozenset({"core", "coordinator", "admin"})
PROPOSERS = frozenset({"skill", "core", "coordinator", "admin"})
NEW_DOCUMENT = """mutation($input: CreateDocumentInput!) { createDocument(input: $input) {
  ... on Document { id current { id } } } }"""
NEW_PROPOSAL = """mutation($input: ProposeRevisionInput!) { proposeRevision(input: $input) {
  ... on Proposal { id } } }"""


def a_document(suite: Any) -> dict[str, Any]:
    """A document of someone else's project, made by an admin (no member is the role tested)."""
    project_id = someone_elses_project(suite)["id"]
    admin = suite.token("matrix-document-owner", ["admin"])
    variables = {"input": {"projectId": project_id, "title": "Matrix plan", "body": "v1"}}
    answer = suite.graphql(NEW_DOCUMENT, variables, token=admin)
    document = answer.json()["data"]["createDocument"]
    return {"p": project_id, "id": document["id"], "revision": document["current"]["id"]}


def document_input(suite: Any) -> dict[str, Any]:
    project_id = someone_elses_project(suite)["id"]
    return {
        "p": project_id,
        "input": {"projectId": project_id, "title": "Matrix plan", "body": "v1"},
    }


def revision_input(suite: Any) -> dict[str, Any]:
    document = a_document(suite)
    return {
        "p": document["p"],
        "input": {
            "documentId": document["id"],
            "parentRevisionId": document["revision"],
            "body": "v2",
        },
    }


def an_open_proposal(suite: Any) -> dict[str, Any]:
    made = revision_input(suite)
    variables = made["input"]
    admin = suite.token("matrix-document-owner", ["admin"])
    proposal = {
        "documentId": variables["documentId"],
        "baseRevisionId": variables["parentRevisionId"],
        "body": "proposed",
    }
    answer = suite.graphql(NEW_PROPOSAL, {"input": proposal}, token=admin)
    return {"p": made["p"], "id": answer.json()["data"]["proposeRevision"]["id"]}


def proposal_input(suite: Any) -> dict[str, Any]:
    made = revision_input(suite)
    variables = made["input"]
    return {
        "p": made["p"],
        "input": {
            "documentId": variables["documentId"],
            "baseRevisionId": variables["parentRevisionId"],
            "body": "proposed",
        },
    }


def document_id(suite: Any) -> dict[str, Any]:
    document = a_document(suite)
    return {"p": document["p"], "id": document["id"]}


# --- comments (spaces): anyone signed in comments, anyone reports, the project's coordinators hide.


def comment_input(suite: Any) -> dict[str, Any]:
    document = a_document(suite)
    return {"p": document["p"], "documentId": document["id"]}


def someone_elses_comment(suite: Any) -> dict[str, Any]:
    made = comment_input(suite)
    answer = suite.graphql(
        'mutation($documentId: UUID!) { addComment(documentId: $documentId, body: "Matrix")'
        " { ... on Comment { id } } }",
        {"documentId": made["documentId"]},
        token=suite.token("matrix-commenter"),
    )
    return {"p": made["p"], "id": answer.json()["data"]["addComment"]["id"]}


def a_hidden_comment(suite: Any) -> dict[str, Any]:
    variables = someone_elses_comment(suite)
    suite.graphql(
        'mutation($id: UUID!) { hideComment(commentId: $id, reason: "matrix") { __typename } }',
        {"id": variables["id"]},
        token=suite.token("matrix-moderator", ["admin"]),
    )
    return variables


ROWS += [
    Row(
        "createDocument",
        _result("createDocument(input: $input)", "($input: CreateDocumentInput!)"),
        "Document",
        DOCUMENT_WRITERS,
        document_input,
        project=in_project,
    ),
    Row(
        "saveRevision",
        _result("saveRevision(input: $input)", "($input: SaveRevisionInput!)"),
        "Revision",
        DOCUMENT_WRITERS,
        revision_input,
        project=in_project,
    ),
    Row(
        "proposeRevision",
        _result("proposeRevision(input: $input)", "($input: ProposeRevisionInput!)"),
        "Proposal",
        PROPOSERS,
        proposal_input,
        project=in_project,
    ),
    Row(
        "acceptProposal",
        _result("acceptProposal(id: $id)", "($id: UUID!)"),
        "Proposal",
        DOCUMENT_WRITERS,
        an_open_proposal,
        project=in_project,
    ),
    Row(
        "declineProposal",
        _result("declineProposal(id: $id)", "($id: UUID!)"),
        "Proposal",
        DOCUMENT_WRITERS,
        an_open_proposal,
        project=in_project,
    ),
    Row(
        "publishDocument",
        _result("publishDocument(id: $id)", "($id: UUID!)"),
        "Document",
        DOCUMENT_WRITERS,
        document_id,
        project=in_project,
    ),
    Row(
        "addComment",
        _result('addComment(documentId: $documentId, body: "Hi")', "($documentId: UUID!)"),
        "Comment",
        PEOPLE | {"api_key_write"},
        comment_input,
        project=in_project,
    ),
    Row(
        "reportComment",
        _result('reportComment(commentId: $id, reason: "spam")', "($id: UUID!)"),
        "CommentReported",
        PEOPLE | {"anonymous", "api_key_write"},
        someone_elses_comment,
        project=in_project,
    ),
    Row(
        "hideComment",
        _result('hideComment(commentId: $id, reason: "rude")', "($id: UUID!)"),
        "ModerationEntry",
        COORDINATING,
        someone_elses_comment,
        project=in_project,
    ),
    Row(
        "unhideComment",
        _result('unhideComment(commentId: $id, reason: "ok")', "($id: UUID!)"),
        "ModerationEntry",
        COORDINATING,
        a_hidden_comment,
        project=in_project,
    ),
]
