"""Hour tracking through GraphQL, on the running suite: logging (once, whatever the retries),
approving one or several, correcting, editing and withdrawing, and the public totals."""

import threading
import uuid

import httpx

from tests.gateway.hours_setup import city_today, entries_of, hours_project, volunteers_requests

LOG = """mutation($input: LogHoursInput!, $key: String) {
  logHours(input: $input, idempotencyKey: $key) {
    __typename ... on HourEntry { id status minutes activity version source }
    ... on UserError { code } ... on InvalidInput { fields { field } } } }"""
APPROVE = """mutation($id: UUID!) { approveHours(id: $id) {
  __typename ... on HourEntry { status } ... on UserError { code } } }"""
BATCH = """mutation($ids: [ID!]!) { approveHoursBatch(ids: $ids) {
  __typename ... on HourEntry { id status } ... on UserError { code } } }"""
CORRECT = """mutation($id: UUID!, $input: CorrectHoursInput!) { correctHours(id: $id, input: $input) {
  __typename ... on HourEntry { id status minutes source correctsEntryId } ... on UserError { code } } }"""
EDIT = """mutation($id: UUID!, $input: EditHoursInput!) { editHours(id: $id, input: $input) {
  __typename ... on HourEntry { minutes version } ... on UserError { code } } }"""
WITHDRAW = """mutation($id: UUID!) { withdrawHours(id: $id) {
  __typename ... on HourEntry { status } ... on UserError { code } } }"""
TOTAL = """query($id: UUID!) { project(id: $id) {
  hoursTotal { minutes hours entries value currency } approvedHours } }"""
PROJECT_HOURS = """query($id: UUID!) { project(id: $id) {
  hours(first: 10) { nodes { id status minutes } pageInfo { hasNextPage } } } }"""


def data(answer: httpx.Response) -> dict:
    body = answer.json()
    assert "errors" not in body, body
    return body["data"]


def log(running_suite, token: str, project_id: str, minutes: int = 120, key: str | None = None):
    entry = {
        "projectId": project_id,
        "activity": "GARDENING",
        "workedOn": city_today().isoformat(),
        "minutes": minutes,
        "note": "weeding the beds",
    }
    answer = running_suite.graphql(LOG, {"input": entry, "key": key}, token=token)
    return data(answer)["logHours"]


def total(running_suite, project_id: str, token: str | None = None) -> dict:
    return data(running_suite.graphql(TOTAL, {"id": project_id}, token=token))["project"]


def test_a_retried_log_is_one_entry_and_its_approval_raises_the_public_total(running_suite):
    project = hours_project(running_suite, skill=1)
    [volunteer] = project.members["skill"]
    key = uuid.uuid4().hex
    first = log(running_suite, volunteer, project.id, key=key)
    again = log(running_suite, volunteer, project.id, key=key)
    assert first["__typename"] == "HourEntry", first
    assert again == first
    assert (first["status"], first["activity"], first["source"]) == (
        "SUBMITTED",
        "GARDENING",
        "WEB",
    )
    assert entries_of(running_suite, project.id) == 1
    assert total(running_suite, project.id)["hoursTotal"]["minutes"] == 0

    approved = data(running_suite.graphql(APPROVE, {"id": first["id"]}, token=project.coordinator))
    assert approved["approveHours"] == {"__typename": "HourEntry", "status": "APPROVED"}
    seen = total(running_suite, project.id)  # a visitor
    assert seen["hoursTotal"] == {
        "minutes": 120,
        "hours": 2.0,
        "entries": 1,
        "value": "30.00",  # 2 h at the default 15.00 an hour
        "currency": "EUR",
    }
    page = data(running_suite.graphql(PROJECT_HOURS, {"id": project.id}))["project"]["hours"]
    assert [n["id"] for n in page["nodes"]] == [first["id"]]


def test_one_key_with_another_body_is_refused_and_sent_at_once_logs_one_entry(running_suite):
    project = hours_project(running_suite, skill=1)
    [volunteer] = project.members["skill"]
    key = uuid.uuid4().hex
    first = log(running_suite, volunteer, project.id, minutes=60, key=key)
    reused = log(running_suite, volunteer, project.id, minutes=61, key=key)
    assert (reused["__typename"], reused["code"]) == ("InvalidInput", "idempotency_key_reused")
    assert entries_of(running_suite, project.id) == 1

    together, results = uuid.uuid4().hex, []
    start = threading.Barrier(4)

    def send() -> None:
        start.wait()
        results.append(log(running_suite, volunteer, project.id, minutes=30, key=together))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    logged = {r["id"] for r in results if r["__typename"] == "HourEntry"}
    assert len(logged) == 1, results
    others = [r for r in results if r["__typename"] != "HourEntry"]
    assert all(r["code"] == "idempotency_key_in_flight" for r in others), others
    assert entries_of(running_suite, project.id) == 2
    assert first["id"] not in logged


def test_a_key_that_no_header_can_carry_is_refused_by_name_and_stores_nothing(running_suite):
    project = hours_project(running_suite, skill=1)
    [volunteer] = project.members["skill"]
    for key in ("", "sleutel-ü", "x" * 256):
        refused = log(running_suite, volunteer, project.id, key=key)
        assert refused["__typename"] == "InvalidInput", refused
        assert refused["code"] == "bad_idempotency_key"
        assert refused["fields"] == [{"field": "idempotencyKey"}]
    assert entries_of(running_suite, project.id) == 0


def test_approving_several_gives_one_typed_result_per_id_in_their_order(running_suite):
    project = hours_project(running_suite, skill=2)
    first, second = (log(running_suite, t, project.id)["id"] for t in project.members["skill"])
    own = log(running_suite, project.coordinator, project.id)["id"]
    ids = [first, own, "not-an-id", second]
    results = data(running_suite.graphql(BATCH, {"ids": ids}, token=project.coordinator))
    assert results["approveHoursBatch"] == [
        {"__typename": "HourEntry", "id": first, "status": "APPROVED"},
        {"__typename": "NotAuthorized", "code": "own_hours"},
        {"__typename": "InvalidInput", "code": "invalid_id"},
        {"__typename": "HourEntry", "id": second, "status": "APPROVED"},
    ]
    assert total(running_suite, project.id)["hoursTotal"]["minutes"] == 240  # not their own

    unknown = str(uuid.uuid4())
    again = data(
        running_suite.graphql(BATCH, {"ids": [first, unknown, first]}, token=project.coordinator)
    )
    decided_before = {"__typename": "Conflict", "code": "already_decided"}
    missing = {"__typename": "NotFound", "code": "not_found"}
    assert again["approveHoursBatch"] == [decided_before, missing, decided_before]
    anonymous = data(running_suite.graphql(BATCH, {"ids": [second]}))
    assert anonymous["approveHoursBatch"][0]["__typename"] == "NotAuthenticated"


def test_more_ids_than_one_batch_takes_are_refused_before_volunteers_is_asked(running_suite):
    project = hours_project(running_suite, skill=0)
    before = volunteers_requests(running_suite, "POST")
    ids = [str(uuid.uuid4()) for _ in range(101)]
    answer = running_suite.graphql(BATCH, {"ids": ids}, token=project.coordinator).json()
    assert answer["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert answer["errors"][0]["extensions"]["argument"] == "ids"
    assert volunteers_requests(running_suite, "POST") == before


def test_a_correction_changes_the_net_total_and_leaves_the_original_untouched(running_suite):
    project = hours_project(running_suite, skill=1)
    [volunteer] = project.members["skill"]
    original = log(running_suite, volunteer, project.id, minutes=180)
    running_suite.graphql(APPROVE, {"id": original["id"]}, token=project.coordinator)
    correction = {"minutes": -60, "note": "left an hour early"}
    made = data(
        running_suite.graphql(CORRECT, {"id": original["id"], "input": correction}, token=volunteer)
    )["correctHours"]
    assert made["__typename"] == "HourEntry", made
    assert (made["minutes"], made["source"], made["correctsEntryId"]) == (
        -60,
        "CORRECTION",
        original["id"],
    )
    assert total(running_suite, project.id)["hoursTotal"]["minutes"] == 180  # not yet approved
    running_suite.graphql(APPROVE, {"id": made["id"]}, token=project.coordinator)
    assert total(running_suite, project.id)["hoursTotal"]["minutes"] == 120
    page = data(running_suite.graphql(PROJECT_HOURS, {"id": project.id}))["project"]["hours"]
    minutes = {n["id"]: n["minutes"] for n in page["nodes"]}
    assert minutes == {original["id"]: 180, made["id"]: -60}


def test_the_logger_edits_and_withdraws_while_it_waits_and_a_stale_edit_is_refused(running_suite):
    project = hours_project(running_suite, skill=1)
    [volunteer] = project.members["skill"]
    entry = log(running_suite, volunteer, project.id, minutes=60)
    edit = {"id": entry["id"], "input": {"version": entry["version"], "minutes": 75}}
    edited = data(running_suite.graphql(EDIT, edit, token=volunteer))["editHours"]
    assert edited == {"__typename": "HourEntry", "minutes": 75, "version": entry["version"] + 1}
    stale = data(running_suite.graphql(EDIT, edit, token=volunteer))["editHours"]
    assert stale == {"__typename": "Conflict", "code": "version_conflict"}
    by_another = data(
        running_suite.graphql(WITHDRAW, {"id": entry["id"]}, token=project.coordinator)
    )
    assert by_another["withdrawHours"]["__typename"] == "NotAuthorized"
    withdrawn = data(running_suite.graphql(WITHDRAW, {"id": entry["id"]}, token=volunteer))
    assert withdrawn["withdrawHours"] == {"__typename": "HourEntry", "status": "WITHDRAWN"}
    approved = data(running_suite.graphql(APPROVE, {"id": entry["id"]}, token=project.coordinator))
    assert approved["approveHours"]["__typename"] == "Conflict"
    assert total(running_suite, project.id)["hoursTotal"]["minutes"] == 0
