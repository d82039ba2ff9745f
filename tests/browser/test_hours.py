"""The hours pages in Chromium, against the running suite: a skill member of the Elisabeth project
logs two hours on a phone (390×844, keyboard only), the coordinator approves them in the queue,
and a visitor sees the project's total rise — axe-clean on every page, in each language. Then:
the phone's last project and activity are remembered, a submission whose answer is lost is sent
again and logs once, a waiting entry is withdrawn, and a rejection's reason reaches the volunteer.

People and the project are set up through the public GraphQL API; everything the story is about
happens in the browser."""

import asyncio
import uuid

import pytest
from playwright.async_api import Page, Route, expect

from meent_shared.settings import Mode, ServiceSettings
from tests.browser.axe import assert_accessible
from tests.browser.messages import catalogue
from tests.browser.spaces_people import Elisabeth, close, form, ok, person
from tests.conftest import RunningSuite
from tests.gateway.hours_setup import entries_of, known_members, volunteers_sql, wait_until

pytestmark = pytest.mark.browser

LOCALES = {"en": "en-GB", "nl": "nl-BE", "pl": "pl-PL", "fr": "fr-FR"}
# Everyone's browser keeps the city's time (a phone in the park does), so the form's "today" is
# the day the services call today (MEENT_CITY_TIMEZONE), also near midnight on a UTC host.
CITY = ServiceSettings(mode=Mode.local)
IN_THE_CITY = {"timezone_id": CITY.city_timezone}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    **IN_THE_CITY,
}
# The plural category of 0 and 2 in each language (French: 0 heure; Polish: 0 godzin, 2 godziny).
ZERO = {"en": "other", "nl": "other", "pl": "many", "fr": "one"}
TWO = {"en": "other", "nl": "other", "pl": "few", "fr": "other"}

MY_ENTRIES = "{ myHours(first: 50) { nodes { id minutes status } } }"


def hours_project(suite: RunningSuite, tag: str) -> Elisabeth:
    """Elisabeth, once volunteers has learnt of each of its members and their public names
    (from spaces' events)."""
    elisabeth = Elisabeth(suite, tag)
    people = [f"elisabeth-{role}-{tag}" for role in elisabeth.tokens]
    wait_until(
        lambda: (
            len(known_members(suite, elisabeth.project_id)) >= 3
            and volunteers_sql(
                suite,
                "SELECT count(*) FROM known_person WHERE person_id = ANY(%(p)s) AND name_public",
                {"p": people},
            )[0][0]
            == 3
        ),
        "volunteers never learnt of the project's members",
    )
    return elisabeth


async def total_is(page: Page, lang: str, category: str, count: int) -> None:
    total = page.locator(".hours-total__hours")
    await expect(total).to_have_text(form(lang, "hours.count", category, count))


async def log_two_hours_by_keyboard(page: Page, m: dict[str, str]) -> None:
    """The form filled and sent with the keyboard alone: Tab from the project (already the
    right one) to the hours, type them, Enter sends the form."""
    await page.get_by_label(m["hours.project"], exact=True).focus()
    await page.keyboard.press("Tab")
    await expect(page.get_by_label(m["hours.hours"], exact=True)).to_be_focused()
    await page.keyboard.type("2")
    await page.keyboard.press("Enter")


async def until(check, what: str, seconds: float = 10) -> None:
    """Polls a check of the databases without blocking the browser's event loop."""
    for _ in range(int(seconds / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(what)


@pytest.mark.parametrize("locale", LOCALES.values(), ids=LOCALES.keys())
async def test_a_member_logs_hours_on_a_phone_the_coordinator_approves_the_public_sees_them(
    browser, running_suite: RunningSuite, suite_url: str, locale: str
):
    lang = locale.split("-")[0]
    m = catalogue(lang)
    elisabeth = hours_project(running_suite, f"hours-{lang}-{uuid.uuid4().hex[:6]}")
    hours_url = f"/projects/{elisabeth.slug}/hours"
    pages: list[Page] = []

    # A visitor sees the project's hours: none yet.
    visitor = await person(browser, suite_url, locale, None, **IN_THE_CITY)
    pages.append(visitor)
    await visitor.goto(f"/projects/{elisabeth.slug}")
    await visitor.get_by_role("link", name=m["hours.projectLink"]).click()
    await expect(visitor).to_have_url(f"{suite_url}{hours_url}")
    await total_is(visitor, lang, ZERO[lang], 0)
    await expect(visitor.get_by_text(m["hours.noneYet"])).to_be_visible()
    await assert_accessible(visitor)

    # The skill member, on a phone, goes from the project's page to the form and logs 2 hours.
    skill = await person(browser, suite_url, locale, elisabeth.tokens["skill"], **PHONE)
    pages.append(skill)
    await skill.goto(f"/projects/{elisabeth.slug}")
    await skill.get_by_role("link", name=m["hours.logForProject"]).click()
    await expect(skill.get_by_role("heading", level=1)).to_have_text(m["hours.logTitle"])
    project = skill.get_by_label(m["hours.project"], exact=True)
    await expect(project).to_have_value(elisabeth.project_id)
    await expect(skill.get_by_label(m["hours.date"], exact=True)).to_have_value(
        await skill.evaluate("() => new Date().toLocaleDateString('sv')")
    )
    await assert_accessible(skill)
    await log_two_hours_by_keyboard(skill, m)
    logged = form(lang, "hours.logged", TWO[lang], 2).replace("{project}", elisabeth.name)
    await expect(skill.get_by_role("status")).to_have_text(logged)
    assert entries_of(running_suite, elisabeth.project_id) == 1
    # Their own entries: waiting for approval.
    await skill.get_by_role("link", name=m["hours.mineLink"]).click()
    entry = skill.locator("ul.cards > li")
    await expect(entry).to_have_count(1)
    await expect(entry).to_contain_text(m["hours.status.submitted"])
    await expect(entry).to_contain_text(form(lang, "hours.count", TWO[lang], 2))
    await assert_accessible(skill)

    # The coordinator approves it in the queue.
    coordinator = await person(
        browser, suite_url, locale, elisabeth.tokens["coordinator"], **IN_THE_CITY
    )
    pages.append(coordinator)
    await coordinator.goto(f"/projects/{elisabeth.slug}")
    await coordinator.get_by_role("link", name=m["hours.queueLink"]).click()
    await expect(coordinator).to_have_url(f"{suite_url}/hours/queue?project={elisabeth.project_id}")
    await expect(coordinator.get_by_role("heading", level=1)).to_have_text(m["hours.queueTitle"])
    await assert_accessible(coordinator)
    await coordinator.get_by_role("checkbox", name="Sanne Kok").check()
    await coordinator.get_by_role("button", name=m["hours.approveSelected"]).click()
    approved = form(lang, "hours.approvedCount", "one", 1)
    await expect(coordinator.get_by_text(approved)).to_be_visible()
    await expect(coordinator.get_by_role("checkbox", name="Sanne Kok")).to_be_disabled()
    await assert_accessible(coordinator)

    # The visitor sees the total rise, this month's bar and row, and the in-kind value.
    await visitor.reload()
    await total_is(visitor, lang, TWO[lang], 2)
    table = visitor.get_by_role("table", name=m["hours.byMonthCaption"])
    await expect(table.locator("tbody tr")).to_have_count(1)
    await expect(table.locator("tbody tr")).to_contain_text(form(lang, "hours.count", TWO[lang], 2))
    await expect(visitor.locator("svg.hours-chart__bars rect")).to_have_count(1)
    await expect(visitor.locator(".hours-total__value")).to_contain_text("30")
    await assert_accessible(visitor)
    if lang == "en":
        # Another language re-writes the figures in place: plural, month and money its way.
        await visitor.get_by_label(m["language.label"], exact=True).select_option("pl")
        await total_is(visitor, "pl", "few", 2)
        await expect(visitor.locator(".hours-total__value")).to_contain_text("30,00")
        month = await visitor.evaluate(
            "() => new Intl.DateTimeFormat('pl', {month: 'long', year: 'numeric'}).format(new Date())"
        )
        await expect(visitor.locator(".hours-chart__table tbody th")).to_have_text(month)
    # The skill member's entry is approved.
    await skill.reload()
    await expect(skill.locator("ul.cards > li")).to_contain_text(m["hours.status.approved"])
    await close(pages)


async def test_the_phone_remembers_the_last_project_and_activity(
    browser, running_suite: RunningSuite, suite_url: str
):
    m = catalogue("en")
    first = hours_project(running_suite, f"remember-a-{uuid.uuid4().hex[:6]}")
    second = hours_project(running_suite, f"remember-b-{uuid.uuid4().hex[:6]}")
    # The same person in both projects: the skill member of the second joins the first.
    ok(
        running_suite,
        "mutation($p: UUID!) { joinProject(projectId: $p) { __typename } }",
        {"p": first.project_id},
        second.tokens["skill"],
    )
    wait_until(
        lambda: len(known_members(running_suite, first.project_id)) >= 4,
        "volunteers never learnt of the new member",
    )
    skill = await person(browser, suite_url, "en-GB", second.tokens["skill"], **PHONE)
    await skill.goto("/hours/log")
    await skill.get_by_label(m["hours.project"], exact=True).select_option(first.project_id)
    await skill.get_by_label(m["hours.activity"], exact=True).select_option("OUTREACH")
    # No time spent: said so, the focus on the hours, nothing sent.
    await skill.get_by_role("button", name=m["hours.submit"]).click()
    await expect(skill.get_by_role("alert")).to_have_text(m["hours.badDuration"])
    hours = skill.get_by_label(m["hours.hours"], exact=True)
    await expect(hours).to_be_focused()
    await expect(hours).to_have_attribute("aria-invalid", "true")
    assert entries_of(running_suite, first.project_id) == 0
    await hours.fill("1")
    await skill.get_by_label(m["hours.minutes"], exact=True).fill("30")
    await skill.get_by_role("button", name=m["hours.submit"]).click()
    await expect(skill.get_by_role("status")).to_contain_text(first.name)
    # A later visit, without a project in the address, starts from the last choice.
    await skill.goto("/hours/log")
    await expect(skill.get_by_label(m["hours.project"], exact=True)).to_have_value(first.project_id)
    await expect(skill.get_by_label(m["hours.activity"], exact=True)).to_have_value("OUTREACH")
    entries = ok(running_suite, MY_ENTRIES, {}, second.tokens["skill"])["myHours"]["nodes"]
    assert [e["minutes"] for e in entries] == [90]
    await close([skill])


async def test_a_lost_answer_is_sent_again_and_logs_once(
    browser, running_suite: RunningSuite, suite_url: str
):
    m = catalogue("en")
    elisabeth = hours_project(running_suite, f"retry-{uuid.uuid4().hex[:6]}")
    skill = await person(browser, suite_url, "en-GB", elisabeth.tokens["skill"], **PHONE)
    lost: list[int] = []
    keys: list[str] = []

    async def lose_the_first_answer(route: Route) -> None:
        body = route.request.post_data_json or {}
        logging = "LogHours" in body.get("query", "")
        if logging:
            keys.append(body["variables"]["key"])
        if logging and len(keys) == 1:
            # The request reaches the server and is done there; its answer never arrives.
            answer = await route.fetch()
            lost.append(answer.status)
            await route.abort("connectionreset")
        else:
            await route.continue_()

    await skill.route("**/graphql", lose_the_first_answer)
    await skill.goto(f"/hours/log?project={elisabeth.project_id}")
    await skill.get_by_label(m["hours.hours"], exact=True).fill("2")
    await skill.get_by_role("button", name=m["hours.submit"]).click()
    logged = form("en", "hours.logged", "other", 2).replace("{project}", elisabeth.name)
    await expect(skill.get_by_role("status")).to_have_text(logged)
    assert lost == [200], "the first answer was not lost"
    # Sent again by itself, with the same key (so the server answers with the first entry).
    assert len(keys) == 2 and keys[0] == keys[1], keys
    entries = ok(running_suite, MY_ENTRIES, {}, elisabeth.tokens["skill"])["myHours"]["nodes"]
    assert [e["minutes"] for e in entries] == [120]
    # The next submission is another entry (a new key): 2 hours more.
    await skill.get_by_label(m["hours.hours"], exact=True).fill("2")
    await skill.get_by_role("button", name=m["hours.submit"]).click()
    await until(lambda: entries_of(running_suite, elisabeth.project_id) == 2, "no second entry")
    assert len(keys) == 3 and keys[2] != keys[0], keys
    await close([skill])


async def test_pressing_again_after_the_retries_failed_logs_once(
    browser, running_suite: RunningSuite, suite_url: str
):
    m = catalogue("en")
    elisabeth = hours_project(running_suite, f"again-{uuid.uuid4().hex[:6]}")
    skill = await person(browser, suite_url, "en-GB", elisabeth.tokens["skill"], **PHONE)
    keys: list[str] = []
    offline = [True]

    async def every_answer_lost(route: Route) -> None:
        body = route.request.post_data_json or {}
        if "LogHours" in body.get("query", "") and offline[0]:
            keys.append(body["variables"]["key"])
            await route.fetch()  # done on the server; the answer is lost on the way back
            await route.abort("connectionreset")
        else:
            await route.continue_()

    await skill.route("**/graphql", every_answer_lost)
    await skill.goto(f"/hours/log?project={elisabeth.project_id}")
    await skill.get_by_label(m["hours.hours"], exact=True).fill("3")
    await skill.get_by_role("button", name=m["hours.submit"]).click()
    # The first try and two automatic retries are lost: the person is told to press again.
    await expect(skill.get_by_role("alert")).to_have_text(m["hours.notSent"])
    assert len(keys) == 3 and len(set(keys)) == 1, keys
    offline[0] = False
    await skill.get_by_role("button", name=m["hours.submit"]).click()
    logged = form("en", "hours.logged", "other", 3).replace("{project}", elisabeth.name)
    await expect(skill.get_by_role("status")).to_have_text(logged)
    entries = ok(running_suite, MY_ENTRIES, {}, elisabeth.tokens["skill"])["myHours"]["nodes"]
    assert [e["minutes"] for e in entries] == [180]
    await close([skill])


async def test_a_waiting_entry_is_withdrawn_and_a_rejection_shows_its_reason(
    browser, running_suite: RunningSuite, suite_url: str
):
    m = catalogue("en")
    elisabeth = hours_project(running_suite, f"decide-{uuid.uuid4().hex[:6]}")
    log = (
        "mutation($input: LogHoursInput!) { logHours(input: $input) {"
        " __typename ... on HourEntry { id } ... on UserError { message } } }"
    )
    today = CITY.today().isoformat()
    for minutes in (60, 45):
        logged = ok(
            running_suite,
            log,
            {
                "input": {
                    "projectId": elisabeth.project_id,
                    "activity": "GARDENING",
                    "workedOn": today,
                    "minutes": minutes,
                }
            },
            elisabeth.tokens["skill"],
        )["logHours"]
        assert logged["__typename"] == "HourEntry", logged

    # The coordinator rejects one, with a reason.
    coordinator = await person(
        browser, suite_url, "en-GB", elisabeth.tokens["coordinator"], **IN_THE_CITY
    )
    await coordinator.goto("/hours/queue")
    rows = coordinator.locator("ul.cards > li")
    await expect(rows).to_have_count(2)
    first = rows.filter(has_text=form("en", "hours.count", "one", 1))
    await first.get_by_text(m["hours.rejectOpen"]).click()
    await first.get_by_label(m["hours.reason"], exact=True).fill("That was the 3rd, not today")
    await first.get_by_role("button", name=m["hours.reject"]).click()
    await expect(first.get_by_role("status")).to_have_text(m["hours.status.rejected"])
    # The reject button went with its form: the focus is on the new status, not lost.
    await expect(first.get_by_role("status")).to_be_focused()

    # The volunteer sees the reason, and withdraws the other while it waits.
    skill = await person(browser, suite_url, "en-GB", elisabeth.tokens["skill"], **PHONE)
    await skill.goto("/hours/mine")
    await expect(skill.get_by_text("That was the 3rd, not today")).to_be_visible()
    waiting = skill.locator("ul.cards > li").filter(has_text=m["hours.status.submitted"])
    await waiting.get_by_role("button", name=m["hours.withdraw"]).click()
    await expect(skill.get_by_text(m["hours.withdrawn"])).to_be_visible()
    await expect(skill.get_by_role("button", name=m["hours.withdraw"])).to_have_count(0)
    statuses = ok(running_suite, MY_ENTRIES, {}, elisabeth.tokens["skill"])["myHours"]["nodes"]
    assert sorted(e["status"] for e in statuses) == ["REJECTED", "WITHDRAWN"]
    await assert_accessible(skill)
    # Nothing of it counts: the public total stays at zero.
    await skill.goto(f"/projects/{elisabeth.slug}/hours")
    await total_is(skill, "en", "other", 0)
    await close([coordinator, skill])


async def test_my_older_entries_come_a_page_at_a_time(
    browser, running_suite: RunningSuite, suite_url: str
):
    m = catalogue("en")
    elisabeth = hours_project(running_suite, f"pages-{uuid.uuid4().hex[:6]}")
    today = CITY.today().isoformat()
    for minutes in range(1, 53):  # 52 entries: a page of 50 and two more
        ok(
            running_suite,
            "mutation($input: LogHoursInput!) { logHours(input: $input) { __typename } }",
            {
                "input": {
                    "projectId": elisabeth.project_id,
                    "activity": "OTHER",
                    "workedOn": today,
                    "minutes": minutes,
                }
            },
            elisabeth.tokens["skill"],
        )
    skill = await person(browser, suite_url, "en-GB", elisabeth.tokens["skill"], **IN_THE_CITY)
    await skill.goto("/hours/mine")
    entries = skill.locator("ul.cards > li")
    await expect(entries).to_have_count(50)
    await skill.get_by_role("button", name=m["hours.older"]).click()
    await expect(entries).to_have_count(52)
    await expect(skill.get_by_role("button", name=m["hours.older"])).to_have_count(0)
    # The focus moves to the first of the older entries, for keyboard and screen-reader users.
    await expect(entries.nth(50).get_by_role("heading")).to_be_focused()
    await assert_accessible(skill)
    await close([skill])
