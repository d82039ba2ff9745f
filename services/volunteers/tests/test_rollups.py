"""A project's hours summed up: the public total, the monthly rollup, the in-kind value and the
CSV agree to the minute and the cent; an erased person's hours stay counted, their name goes."""

import csv
import datetime as dt
import io
import random
import uuid
from collections import Counter
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

from meent_shared.events.contracts.spaces import PersonErased
from meent_shared.testing.helpers import sql_value, wait_for

RATE = Decimal("12.34")
TOTAL_MINUTES = 1_400 * 60


def value_of(minutes: int) -> str:
    """The stated rule, computed another way than the service does: minutes × rate / 60, half
    to even, to the cent."""
    with localcontext() as context:
        context.prec = 50
        return str((minutes * RATE / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))


def six_months_of_days(today: dt.date) -> list[dt.date]:
    first = today.replace(day=1)
    for _ in range(5):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return [first + dt.timedelta(days=n) for n in range((today - first).days + 1)]


def hours_of_the_park(people: list[str], days: list[dt.date]) -> list[dict]:
    """1,400 hours in uneven entries (7 to 250 minutes) by 42 people on days in six months."""
    draw, rows, left = random.Random(1400), [], TOTAL_MINUTES
    while left > 0:
        minutes = min(left, draw.randint(7, 250))
        n = len(rows)
        rows.append(
            {
                "person": people[n % len(people)],
                "date": days[n % len(days)].isoformat(),
                "minutes": minutes,
                "activity": ("planning", "gardening", "outreach", "maintenance")[n % 4],
            }
        )
        left -= minutes
    return rows


async def all_pages(world, path: str, headers: dict) -> list[dict]:
    nodes, after = [], None
    while True:
        params = {
            "project_id": world.project_id,
            "first": 100,
            **({"after": after} if after else {}),
        }
        page = (await world.client.get(path, params=params, headers=headers)).json()
        nodes += page["nodes"]
        if not page["has_next_page"]:
            return nodes
        after = page["end_cursor"]


def csv_rows(answer) -> list[dict]:
    return list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))


async def test_1400_hours_agree_in_total_rollup_value_and_csv(hours_world, make_sheet):
    world = await hours_world(hourly_rate=str(RATE))
    today = world.service.settings.today()
    core, skill = [f"core-{n}" for n in range(12)], [f"skill-{n}" for n in range(30)]
    await world.add_members("core", core, today - dt.timedelta(days=300))
    await world.add_members("skill", skill, today - dt.timedelta(days=300))
    for n, person in enumerate(core[:6]):
        await world.name(person, f"Core Volunteer {n}", public=True)
    rows = hours_of_the_park(core + skill, six_months_of_days(today))
    imported = await world.import_sheet(make_sheet(rows), by="coordinator-1")
    assert imported.status_code == 201, imported.text
    await world.approve_all(imported.json()["entry_ids"], by="coordinator-2")

    by_month = Counter[str]()
    for row in rows:
        by_month[row["date"][:7]] += row["minutes"]
    assert len(by_month) == 6

    totals = await world.client.get("/projects/totals", params={"ids": world.project_id})
    [total] = totals.json()["totals"]
    assert (total["total_minutes"], total["entries"]) == (TOTAL_MINUTES, len(rows))
    assert (
        (total["value"], total["currency"])
        == (value_of(TOTAL_MINUTES), "EUR")
        == ("17276.00", "EUR")
    )

    summary = (await world.client.get(f"/projects/{world.project_id}/hours/summary")).json()
    assert summary["total_minutes"] == TOTAL_MINUTES
    assert summary["value"] == total["value"]
    assert summary["hourly_rate"] == "12.34"
    months = {group["key"]: group for group in summary["groups"]}
    assert {key: group["minutes"] for key, group in months.items()} == dict(by_month)
    for key, group in months.items():
        assert group["value"] == value_of(by_month[key]), key

    for group_by in ("activity", "person"):
        answer = await world.client.get(
            f"/projects/{world.project_id}/hours/summary", params={"group_by": group_by}
        )
        groups = answer.json()["groups"]
        assert sum(group["minutes"] for group in groups) == TOTAL_MINUTES
        assert all(group["value"] == value_of(group["minutes"]) for group in groups)
    named = {group["key"] for group in groups if group["key"]}
    assert named == {f"Core Volunteer {n}" for n in range(6)}  # the others' names stay private

    exported = csv_rows(
        await world.client.get("/hours/export.csv", params={"project_id": world.project_id})
    )
    assert len(exported) == len(rows)
    csv_months = Counter[str]()
    for line in exported:
        csv_months[line["date"][:7]] += int(line["minutes"])
    assert csv_months == by_month
    assert value_of(sum(csv_months.values())) == summary["value"]

    public = await all_pages(world, "/hours", {})
    assert len({entry["id"] for entry in public}) == len(rows)
    assert sum(entry["minutes"] for entry in public) == TOTAL_MINUTES


async def test_an_erased_persons_hours_keep_the_totals_and_lose_the_name(hours_world, make_sheet):
    world = await hours_world()
    today = world.service.settings.today()
    await world.add_members("skill", ["eva", "piet"], today - dt.timedelta(days=30))
    await world.name("eva", "Eva Visser", public=True)
    rows = [
        {
            "person": "eva",
            "date": (today - dt.timedelta(days=n)).isoformat(),
            "minutes": 95,
            "activity": "gardening",
        }
        for n in range(3)
    ] + [{"person": "piet", "date": today.isoformat(), "minutes": 40, "activity": "outreach"}]
    imported = await world.import_sheet(make_sheet(rows), by="coordinator-1")
    await world.approve_all(imported.json()["entry_ids"], by="coordinator-2")
    summary_path = f"/projects/{world.project_id}/hours/summary"
    before = (await world.client.get(summary_path, params={"group_by": "person"})).json()
    assert [(g["key"], g["person_id"], g["minutes"]) for g in before["groups"]] == [
        ("Eva Visser", "eva", 285),
        (None, None, 40),
    ]
    listed = await all_pages(world, "/hours", {})
    assert Counter(entry["person_name"] for entry in listed) == {"Eva Visser": 3, None: 1}

    pseudonym = f"erased:{uuid.uuid4()}"
    await world.publish([PersonErased(person_id="eva", version=2, pseudonym=pseudonym)])

    async def erased() -> bool:
        query = "SELECT count(*) FROM hour_entry WHERE person_id = 'eva'"
        return sql_value(world.service.database_url, query) == 0

    await wait_for(erased, what="eva's entries to be pseudonymised")
    after = (await world.client.get(summary_path, params={"group_by": "person"})).json()
    assert (after["total_minutes"], after["value"]) == (before["total_minutes"], before["value"])
    assert [(g["key"], g["person_id"], g["minutes"]) for g in after["groups"]] == [
        (None, None, 325)
    ]
    listed = await all_pages(world, "/hours", {})
    assert len(listed) == 4 and sum(entry["minutes"] for entry in listed) == 325
    assert {(e["person_id"], e["person_name"], e["logged_by"]) for e in listed} == {
        (None, None, None)
    }
    exported = await world.client.get("/hours/export.csv", params={"project_id": world.project_id})
    assert "Eva" not in exported.text and "eva" not in exported.text
    assert {line["person"] for line in csv_rows(exported)} == {""}


async def test_the_public_sees_approved_hours_and_the_volunteer_sees_their_own(
    hours_world, make_sheet
):
    world = await hours_world()
    today = world.service.settings.today().isoformat()
    await world.add_members("skill", ["sam"], world.service.settings.today())
    await world.name("sam", "Sam", public=False)
    rows = [{"person": "sam", "date": today, "minutes": m, "activity": "other"} for m in (30, 60)]
    imported = await world.import_sheet(make_sheet(rows), by="coordinator-1")
    first, second = imported.json()["entry_ids"]
    await world.approve_all([first], by="coordinator-2")
    public = await all_pages(world, "/hours", {})
    assert [(e["id"], e["person_id"]) for e in public] == [(first, None)]
    mine = (await world.client.get("/hours/mine", headers=world.as_("sam"))).json()
    assert {(e["id"], e["status"], e["person_id"]) for e in mine["nodes"]} == {
        (first, "approved", "sam"),
        (second, "submitted", "sam"),
    }
    # An id does not unmask a person whose name is private.
    by_id = await world.client.get("/hours", params={"person_id": "sam"})
    assert by_id.json()["nodes"] == []


async def test_totals_answer_every_asked_project_and_refuse_more_than_100(hours_world):
    world = await hours_world()
    unknown = str(uuid.uuid4())
    answer = await world.client.get(
        "/projects/totals", params={"ids": f"{world.project_id},{unknown}"}
    )
    assert [(t["project_id"], t["total_minutes"], t["value"]) for t in answer.json()["totals"]] == [
        (world.project_id, 0, "0.00"),
        (unknown, 0, "0.00"),
    ]
    too_many = ",".join(str(uuid.uuid4()) for _ in range(101))
    refused = await world.client.get("/projects/totals", params={"ids": too_many})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["query", "ids"]
    bad_month = await world.client.get(
        f"/projects/{world.project_id}/hours/summary", params={"from": "2025-13"}
    )
    assert bad_month.status_code == 422


async def test_each_figure_is_rounded_half_even_from_its_own_minutes(hours_world, make_sheet):
    world = await hours_world(hourly_rate="0.15")  # 2 minutes are worth exactly half a cent
    today = world.service.settings.today()
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    await world.add_members("skill", ["ines"], today - dt.timedelta(days=90))
    rows = [
        {"person": "ines", "date": day.isoformat(), "minutes": 2, "activity": "other"}
        for day in (last_month, today)
    ]
    imported = await world.import_sheet(make_sheet(rows), by="coordinator-1")
    await world.approve_all(imported.json()["entry_ids"], by="coordinator-2")
    summary = (await world.client.get(f"/projects/{world.project_id}/hours/summary")).json()
    # 0.005 rounds to the even 0.00 in each month; the total, 0.01, is not the sum of those.
    assert [group["value"] for group in summary["groups"]] == ["0.00", "0.00"]
    assert summary["value"] == "0.01"
    more = [{"person": "ines", "date": today.isoformat(), "minutes": 4, "activity": "other"}]
    imported = await world.import_sheet(make_sheet(more), by="coordinator-1")
    await world.approve_all(imported.json()["entry_ids"], by="coordinator-2")
    summary = (await world.client.get(f"/projects/{world.project_id}/hours/summary")).json()
    assert [group["value"] for group in summary["groups"]] == ["0.00", "0.02"]  # 0.015 → 0.02
    assert summary["value"] == "0.02"  # 8 minutes: exactly 0.02


async def test_pages_refuse_a_bad_cursor_or_size(hours_world):
    world = await hours_world()
    bad_cursor = await world.client.get("/hours", params={"after": "not-a-cursor"})
    assert (bad_cursor.status_code, bad_cursor.json()["detail"][0]["loc"]) == (
        422,
        ["query", "after"],
    )
    too_big = await world.client.get("/hours", params={"first": 101})
    assert too_big.status_code == 422
