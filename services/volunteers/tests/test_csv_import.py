"""A coordinator's CSV of a paper sign-in sheet: all rows or none, every row error reported."""

import datetime as dt

import pytest


@pytest.fixture
async def world(hours_world):
    world = await hours_world()
    joined = world.service.settings.today() - dt.timedelta(days=100)
    await world.add_members("core", ["anna-1", "anna-2", "bram"], joined)
    await world.name("anna-1", "Anna de Vries", public=True)
    await world.name("anna-2", "Anna de Vries", public=False)
    await world.name("bram", "Bram Jansen", public=False)
    return world


def day(world, days_ago: int) -> str:
    return (world.service.settings.today() - dt.timedelta(days=days_ago)).isoformat()


def good_rows(world) -> list[dict]:
    return [
        {"person": "Bram Jansen", "date": day(world, 3), "minutes": 90, "activity": "gardening"},
        {"person": "anna-2", "date": day(world, 2), "minutes": 45, "activity": "planning"},
    ]


def stored(world) -> tuple[int, int]:
    return world.count("hour_entry"), world.count("outbox")


async def test_a_sheet_arrives_as_submitted_imported_entries(world, make_sheet):
    body = make_sheet([{**row, "note": "sign-in sheet"} for row in good_rows(world)])
    answer = await world.import_sheet(body, by="coordinator-1")
    assert answer.status_code == 201, answer.text
    assert answer.json()["created"] == 2
    queue = await world.client.get("/hours/queue", headers=world.as_("coordinator-2"))
    entries = {entry["id"]: entry for entry in queue.json()["nodes"]}
    entry = entries[answer.json()["entry_ids"][0]]
    assert (entry["status"], entry["source"]) == ("submitted", "imported")
    assert (entry["person_id"], entry["logged_by"]) == ("bram", "coordinator-1")
    assert entry["note"] == "sign-in sheet"
    # The importer cannot approve what they imported: it is not in their queue.
    own = await world.client.get("/hours/queue", headers=world.as_("coordinator-1"))
    assert own.json()["nodes"] == []
    assert world.count("outbox WHERE subject LIKE '%%hours.submitted%%'") == 2


async def test_a_byte_order_mark_is_accepted(world, make_sheet):
    body = "\ufeff" + make_sheet(good_rows(world))
    answer = await world.import_sheet(body.encode("utf-8"), by="coordinator-1")
    assert answer.status_code == 201, answer.text


async def refused(world, body, status=422) -> list[dict]:
    before = stored(world)
    answer = await world.import_sheet(body, by="coordinator-1")
    assert answer.status_code == status, answer.text
    assert stored(world) == before  # nothing stored, no event
    return answer.json()["detail"]


async def test_wrong_or_missing_columns_are_refused(world, make_sheet):
    rows = [{**row, "hours": 1} for row in good_rows(world)]
    detail = await refused(world, make_sheet(rows, ["person", "date", "minutes", "hours"]))
    assert {(d["type"], d["loc"][2]) for d in detail} == {
        ("unknown_column", "hours"),
        ("missing_column", "activity"),
    }


async def test_another_delimiter_is_refused_with_the_reason(world, make_sheet):
    body = make_sheet(good_rows(world)).replace(",", ";")
    detail = await refused(world, body)
    assert detail[0]["type"] == "wrong_delimiter"
    assert "semicolons" in detail[0]["msg"]
    tabs = await refused(world, make_sheet(good_rows(world)).replace(",", "\t"))
    assert tabs[0]["type"] == "wrong_delimiter"


async def test_every_bad_row_is_reported_and_nothing_is_stored(world, make_sheet):
    future = (world.service.settings.today() + dt.timedelta(days=1)).isoformat()
    rows = good_rows(world) + [
        {"person": "bram", "date": "2025-02-30", "minutes": 60, "activity": "gardening"},
        {"person": "bram", "date": "01/05/2025", "minutes": 60, "activity": "gardening"},
        {"person": "bram", "date": future, "minutes": 60, "activity": "gardening"},
        {"person": "Nobody", "date": day(world, 1), "minutes": 60, "activity": "gardening"},
        {"person": "Anna de Vries", "date": day(world, 1), "minutes": 60, "activity": "gardening"},
        {"person": "bram", "date": day(world, 1), "minutes": 0, "activity": "dancing"},
        {"person": "bram", "date": day(world, 200), "minutes": 60, "activity": "gardening"},
    ]
    detail = await refused(world, make_sheet(rows))
    found = [(d["loc"][1], d["loc"][2], d["type"]) for d in detail]
    # Row numbers as a spreadsheet shows them: the header is row 1.
    assert found == [
        (4, "date", "bad_date"),
        (5, "date", "bad_date"),
        (6, "date", "future_day"),
        (7, "person", "unknown_person"),
        (8, "person", "ambiguous_person"),
        (9, "minutes", "bad_minutes"),
        (9, "activity", "unknown_activity"),
        (10, "date", "not_a_member_that_day"),
    ]


async def test_more_than_a_day_per_person_in_one_sheet_is_refused(world, make_sheet):
    rows = [
        {"person": "bram", "date": day(world, 1), "minutes": 780, "activity": "gardening"},
        {"person": "bram", "date": day(world, 1), "minutes": 780, "activity": "planning"},
    ]
    detail = await refused(world, make_sheet(rows))
    assert [(d["loc"][1], d["type"]) for d in detail] == [(3, "day_over_24_hours")]


async def test_a_sheet_over_the_byte_limit_is_refused(world, make_sheet):
    header = make_sheet(good_rows(world))
    body = header + "x" * (6 * 1024 * 1024)
    detail = await refused(world, body, status=413)
    assert detail[0]["type"] in ("payload_too_large", "sheet_too_large")


async def test_only_a_coordinator_imports(world, make_sheet):
    before = stored(world)
    answer = await world.import_sheet(make_sheet(good_rows(world)), by="bram")
    assert answer.status_code == 403
    assert stored(world) == before


async def test_a_sheet_of_20000_rows_is_one_quick_import(world, make_sheet):
    people = [f"volunteer-{n}" for n in range(100)]
    await world.add_members(
        "skill", people, world.service.settings.today() - dt.timedelta(days=300)
    )
    rows = [
        {
            "person": people[n % 100],
            "date": day(world, n // 100),
            "minutes": 30,
            "activity": "other",
        }
        for n in range(20_000)
    ]
    answer = await world.import_sheet(make_sheet(rows), by="coordinator-1")
    assert answer.status_code == 201, answer.text
    assert world.count("hour_entry") == 20_000
    assert world.count("outbox") >= 20_000
