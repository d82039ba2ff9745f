"""The authorization matrix's rows of hour tracking (volunteers, issue 9): every hours mutation,
each case in a project of its own, with the project roles held there."""

from typing import Any

from tests.authz.matrix import COORDINATING, MEMBERS, Row, _result, in_project
from tests.gateway.hours_setup import city_today, hours_project

# --- hours (volunteers): a project's members log for it (on a day they were members); its
# coordinators (never on their own) and admins decide; only the logger edits or withdraws while
# it waits; its person or a coordinator corrects an approved entry. Each case in a new project.


def hours_in(project_id: str) -> dict[str, Any]:
    today = city_today().isoformat()
    entry = {"projectId": project_id, "activity": "GARDENING", "minutes": 90, "workedOn": today}
    return {"input": entry}


def hours_of_a_member(suite: Any, approved: bool = False) -> dict[str, Any]:
    """A new project with a skill member's entry of today (`approved` by the project's starter)."""
    project = hours_project(suite, skill=1)
    answer = suite.graphql(
        "mutation($input: LogHoursInput!) { logHours(input: $input) { ... on HourEntry { id } } }",
        hours_in(project.id),
        token=project.members["skill"][0],
    )
    entry_id = answer.json()["data"]["logHours"]["id"]
    if approved:
        approval = suite.graphql(
            "mutation($id: UUID!) { approveHours(id: $id) { __typename } }",
            {"id": entry_id},
            token=project.coordinator,
        )
        assert approval.json()["data"]["approveHours"]["__typename"] == "HourEntry", approval.text
    return {"id": entry_id, "p": project.id}


def approved_hours_of_a_member(suite: Any) -> dict[str, Any]:
    return hours_of_a_member(suite, approved=True)


def hours_for_a_project(suite: Any) -> dict[str, Any]:
    project = hours_project(suite, skill=0)
    return hours_in(project.id)


def logging_project(variables: dict[str, Any]) -> str | None:
    return variables["input"]["projectId"]  # type: ignore[no-any-return]


NO_ONE_ELSE: frozenset[str] = frozenset()  # only the entry's logger, who is none of the roles
HOURS_ROWS = [
    Row(
        "logHours",
        _result("logHours(input: $input)", "($input: LogHoursInput!)"),
        "HourEntry",
        MEMBERS,  # a member that day: not an admin, an outsider or a key, who are none
        hours_for_a_project,
        project=logging_project,
    ),
    Row(
        "approveHours",
        _result("approveHours(id: $id)", "($id: UUID!)"),
        "HourEntry",
        COORDINATING,  # a core member only where no other coordinator is (here the starter is)
        hours_of_a_member,
        project=in_project,
    ),
    Row(
        "rejectHours",
        _result('rejectHours(id: $id, reason: "no")', "($id: UUID!)"),
        "HourEntry",
        COORDINATING,
        hours_of_a_member,
        project=in_project,
    ),
    Row(
        "approveHoursBatch",
        _result("approveHoursBatch(ids: [$id])", "($id: ID!)"),
        "HourEntry",
        COORDINATING,
        hours_of_a_member,
        project=in_project,
    ),
    Row(
        "editHours",
        _result("editHours(id: $id, input: {version: 1, minutes: 30})", "($id: UUID!)"),
        "HourEntry",
        NO_ONE_ELSE,
        hours_of_a_member,
        project=in_project,
    ),
    Row(
        "withdrawHours",
        _result("withdrawHours(id: $id)", "($id: UUID!)"),
        "HourEntry",
        NO_ONE_ELSE,
        hours_of_a_member,
        project=in_project,
    ),
    Row(
        "correctHours",
        _result('correctHours(id: $id, input: {minutes: -30, note: "left early"})', "($id: UUID!)"),
        "HourEntry",
        COORDINATING,  # or the entry's own person, who is none of the roles
        approved_hours_of_a_member,
        project=in_project,
    ),
]
