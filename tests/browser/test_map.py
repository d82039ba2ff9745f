"""The map page in Chromium, against the running suite: Coal Square turning from parking into a
park as the date is scrubbed, the site panel, a team's week, the vector-tile mode, the address
as state, and axe-core in every language. Sites are set up through the public GraphQL API."""

import re
import time
import uuid
from typing import Any

import pytest
from playwright.async_api import Locator, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.messages import catalogue, message
from tests.conftest import RunningSuite

pytestmark = pytest.mark.browser

LOCALES = {"en": "en-GB", "nl": "nl-BE", "pl": "pl-PL", "fr": "fr-FR"}
# Plac Węglowy, Gdańsk.
COAL_SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [
            [18.6466, 54.3507],
            [18.6490, 54.3507],
            [18.6490, 54.3520],
            [18.6466, 54.3520],
            [18.6466, 54.3507],
        ],
    ],
}
CENTRE = "lat=54.35135&lon=18.64780"
SITE_ZOOM = 17
TILE_ZOOM = 11  # below the page's MIN_GEOJSON_ZOOM (12): the map draws vector tiles


def unique(name: str) -> str:
    """Tests share one suite: every test's sites, teams and projects have their own names."""
    return f"{name} {uuid.uuid4().hex[:6]}"


def ok(suite: RunningSuite, query: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
    answer = suite.graphql(query, variables, token=token)
    body = answer.json()
    assert answer.status_code == 200 and not body.get("errors"), body
    return body["data"]


@pytest.fixture(scope="module")
def staff(running_suite: RunningSuite) -> str:
    return running_suite.token("map-staff", ["maintenance"], name="Map Staff")


def create_coal_square(suite: RunningSuite, token: str, name: str) -> str:
    """Coal Square: parking all year, a park (recreation, priority 10) from May to September."""
    created = ok(
        suite,
        "mutation($input: CreateSiteInput!) { createSite(input: $input) {"
        " __typename ... on Site { id } ... on UserError { message } } }",
        {
            "input": {
                "name": name,
                "kind": "square",
                "timezone": "Europe/Warsaw",
                "geometry": COAL_SQUARE,
            }
        },
        token,
    )["createSite"]
    assert created["__typename"] == "Site", created
    periods = [
        {"use": "parking", "priority": 0, "startsOn": "2020-01-01"},
        {
            "use": "recreation",
            "priority": 10,
            "startsOn": "2024-05-01",
            "endsOn": "2024-09-30",
            "rule": "FREQ=YEARLY",
        },
    ]
    for period in periods:
        added = ok(
            suite,
            "mutation($site: UUID!, $input: UsePeriodInput!) { addUsePeriod(siteId: $site,"
            " input: $input) { __typename ... on UserError { message } } }",
            {"site": created["id"], "input": period},
            token,
        )["addUsePeriod"]
        assert added["__typename"] == "UsePeriod", added
    return created["id"]


@pytest.fixture
def coal_square(running_suite: RunningSuite, staff: str) -> tuple[str, str]:
    name = unique("Coal Square")
    return create_coal_square(running_suite, staff, name), name


async def intl_date(page: Page, locale: str, day: str, style: str = "long") -> str:
    """`day` as the browser's Intl writes it (its ICU decides commas and spaces)."""
    return await page.evaluate(
        "([locale, day, style]) => new Intl.DateTimeFormat(locale,"
        " {dateStyle: style, timeZone: 'UTC'}).format(new Date(day))",
        [locale, day, style],
    )


async def intl_range(page: Page, locale: str, first: str, last: str) -> str:
    return await page.evaluate(
        "([locale, first, last]) => new Intl.DateTimeFormat(locale,"
        " {dateStyle: 'long', timeZone: 'UTC'}).formatRange(new Date(first), new Date(last))",
        [locale, first, last],
    )


def shape(page: Page, site_id: str) -> Locator:
    """The site's SVG path on the map (GeoJSON shape or vector-tile path alike)."""
    return page.locator(f'path[data-site-id="{site_id}"]')


def site_button(page: Page, name: str) -> Locator:
    return page.get_by_role("region", name=catalogue("en")["map.listHeading"]).get_by_role(
        "button", name=re.compile(re.escape(name))
    )


def panel(page: Page, name: str) -> Locator:
    """The site panel: a region named by its heading, the site's name."""
    return page.get_by_role("region", name=name, exact=True)


async def test_scrubbing_the_date_turns_coal_square_from_parking_into_a_park(
    page: Page, coal_square: tuple[str, str]
):
    m = catalogue("en")
    site_id, name = coal_square
    await page.goto(f"/map?{CENTRE}&zoom={SITE_ZOOM}&date=2024-10-15")
    await expect(page.get_by_role("heading", level=1)).to_have_text(m["map.title"])
    await expect(page.get_by_label(m["map.dateLabel"], exact=True)).to_have_value("2024-10-15")

    # 15 October: parking, in words in the list and as the parking pattern on the map.
    item = site_button(page, name)
    await expect(item).to_contain_text(m["use.parking"])
    await expect(shape(page, site_id)).to_have_attribute("fill", "url(#meent-use-parking)")
    await expect(shape(page, site_id)).to_have_attribute("data-use", "parking")

    # Chosen by keyboard: the panel opens on the site and takes the focus.
    await item.focus()
    await page.keyboard.press("Enter")
    heading = page.get_by_role("heading", level=2, name=name, exact=True)
    await expect(heading).to_be_focused()
    facts = panel(page, name).locator(".facts")
    october = await intl_date(page, "en-GB", "2024-10-15")
    await expect(facts).to_contain_text(message("en", "map.useOn", date=october))
    await expect(facts).to_contain_text(m["use.parking"])
    await expect(item).to_have_attribute("aria-current", "true")

    # Scrub back three months with the keyboard, as a person would: to 15 July.
    slider = page.get_by_label(message("en", "map.sliderLabel", year="2024"), exact=True)
    await slider.focus()
    for _ in range(3):
        await page.keyboard.press("PageDown")
    july = await intl_date(page, "en-GB", "2024-07-15", "full")
    await expect(slider).to_have_attribute("aria-valuetext", july)
    await expect(page.get_by_label(m["map.dateLabel"], exact=True)).to_have_value("2024-07-15")
    await expect(slider).to_be_focused()

    # Now it is a park: the map's pattern, the list and the panel all say so.
    await expect(shape(page, site_id)).to_have_attribute("fill", "url(#meent-use-recreation)")
    await expect(shape(page, site_id)).to_have_attribute("data-use", "recreation")
    await expect(item).to_contain_text(m["use.recreation"])
    july = await intl_date(page, "en-GB", "2024-07-15")
    await expect(facts).to_contain_text(message("en", "map.useOn", date=july))
    await expect(facts).to_contain_text(m["use.recreation"])
    await expect(page).to_have_url(re.compile(r"[?&]date=2024-07-15(&|$)"))

    # One day before the park opens, by the arrow keys: parking again on 30 April.
    await page.get_by_label(m["map.dateLabel"], exact=True).fill("2024-05-01")
    await expect(shape(page, site_id)).to_have_attribute("data-use", "recreation")
    await slider.focus()
    await page.keyboard.press("ArrowLeft")
    april = await intl_date(page, "en-GB", "2024-04-30", "full")
    await expect(slider).to_have_attribute("aria-valuetext", april)
    await expect(shape(page, site_id)).to_have_attribute("fill", "url(#meent-use-parking)")


async def test_the_site_panel_shows_the_year_stewards_tasks_and_calendar(
    page: Page, running_suite: RunningSuite, staff: str, coal_square: tuple[str, str]
):
    m = catalogue("en")
    site_id, name = coal_square
    project = unique("Friends of Coal Square")
    citizen = running_suite.token("map-citizen", ["citizen"])
    project_id = ok(
        running_suite,
        "mutation($input: CreateProjectInput!) { createProject(input: $input) {"
        " ... on Project { id } } }",
        {"input": {"name": project}},
        citizen,
    )["createProject"]["id"]
    add_stewardship(running_suite, staff, site_id, project_id)
    ok(
        running_suite,
        "mutation($site: UUID!, $input: MaintenanceTaskInput!) {"
        " createMaintenanceTask(siteId: $site, input: $input) { __typename } }",
        {
            "site": site_id,
            "input": {"title": "Relay the paving", "dueOn": "2024-07-17", "heavy": True},
        },
        staff,
    )

    await page.goto(f"/map?{CENTRE}&zoom={SITE_ZOOM}&date=2024-07-15&site={site_id}")
    details = panel(page, name)
    await expect(details.get_by_role("heading", level=2)).to_have_text(name)

    # The year around the date: parking, the park, parking again, each stretch in words.
    stretches = details.locator(".timeline li")
    await expect(stretches).to_have_count(3)
    spring = await intl_range(page, "en-GB", "2024-01-01", "2024-04-30")
    summer = await intl_range(page, "en-GB", "2024-05-01", "2024-09-30")
    autumn = await intl_range(page, "en-GB", "2024-10-01", "2024-12-31")
    await expect(stretches.nth(0)).to_have_text(f"{spring}: {m['use.parking']}")
    await expect(stretches.nth(1)).to_contain_text(f"{summer}: {m['use.recreation']}")
    await expect(stretches.nth(1)).to_have_attribute("aria-current", "date")
    await expect(stretches.nth(1)).to_contain_text(m["map.timelineChosen"])
    await expect(stretches.nth(2)).to_have_text(f"{autumn}: {m['use.parking']}")

    await expect(details).to_contain_text(project)
    since = await intl_date(page, "en-GB", "2024-03-01")
    await expect(details).to_contain_text(message("en", "map.stewardSince", date=since))

    # The heavy task clashes with the park, and it is long past: said in words.
    task = details.get_by_role("listitem").filter(has_text="Relay the paving")
    due = await intl_date(page, "en-GB", "2024-07-17", "full")
    await expect(task).to_contain_text(message("en", "map.taskDue", date=due))
    for flag in (m["task.overdue"], m["task.heavy"], m["task.clash"], m["use.recreation"]):
        await expect(task).to_contain_text(flag)

    link = details.get_by_role("link", name=m["map.calendarLink"])
    href = await link.get_attribute("href")
    assert href and href.endswith(f"/calendars/sites/{site_id}.ics"), href
    feed = running_suite.http.get(href)
    assert feed.status_code == 200 and feed.text.startswith("BEGIN:VCALENDAR"), feed.text[:200]
    await assert_accessible(page)


def add_stewardship(suite: RunningSuite, token: str, site_id: str, project_id: str) -> None:
    """commons learns of a new project from spaces' event: until then it refuses the link."""
    deadline = time.monotonic() + 15
    while True:
        result = ok(
            suite,
            "mutation($site: UUID!, $input: StewardshipInput!) { addStewardship(siteId: $site,"
            " input: $input) { __typename ... on UserError { message } } }",
            {"site": site_id, "input": {"projectId": project_id, "startsOn": "2024-03-01"}},
            token,
        )["addStewardship"]
        if result["__typename"] == "Stewardship":
            return
        assert time.monotonic() < deadline, result
        time.sleep(0.2)


async def test_a_teams_week_lists_its_tasks_and_outlines_their_sites(
    page: Page, running_suite: RunningSuite, staff: str, coal_square: tuple[str, str]
):
    m = catalogue("en")
    site_id, name = coal_square
    team_name = unique("Śródmieście crew")
    team_id = ok(
        running_suite,
        "mutation($name: String!) { createTeam(name: $name) { ... on Team { id } } }",
        {"name": team_name},
        staff,
    )["createTeam"]["id"]
    ok(
        running_suite,
        "mutation($site: UUID!, $input: MaintenanceTaskInput!) {"
        " createMaintenanceTask(siteId: $site, input: $input) { __typename } }",
        {
            "site": site_id,
            "input": {"title": "Empty the bins", "dueOn": "2024-07-16", "teamId": team_id},
        },
        staff,
    )

    await page.goto(f"/map?{CENTRE}&zoom={SITE_ZOOM}&date=2024-07-15")
    await expect(shape(page, site_id)).to_have_attribute("data-use", "recreation")
    await expect(shape(page, site_id)).not_to_have_attribute("data-due", "")
    team = page.get_by_label(m["map.teamLabel"], exact=True)
    await team.focus()
    await team.select_option(label=team_name)

    week = page.get_by_role("region", name=m["map.teamHeading"])
    days = await intl_range(page, "en-GB", "2024-07-15", "2024-07-21")
    await expect(week).to_contain_text(
        message("en", "map.teamWeek", week="29", year="2024", range=days)
    )
    task = week.get_by_role("listitem").filter(has_text="Empty the bins")
    await expect(task).to_contain_text(name)
    due = await intl_date(page, "en-GB", "2024-07-16", "full")
    await expect(task).to_contain_text(message("en", "map.taskDue", date=due))
    await expect(task).to_contain_text(m["task.overdue"])
    await expect(week.get_by_role("link", name=m["map.teamCalendar"])).to_have_attribute(
        "href", re.compile(f"/calendars/teams/{team_id}.ics$")
    )
    # Its site: outlined on the map, and marked in words in the list of sites.
    await expect(shape(page, site_id)).to_have_attribute("data-due", "")
    await expect(site_button(page, name)).to_contain_text(m["map.dueMark"])
    await expect(page).to_have_url(re.compile(f"[?&]team={team_id}"))
    await assert_accessible(page)

    # The task's site opens in the panel.
    await task.get_by_role("button", name=name).click()
    await expect(page.get_by_role("heading", level=2, name=name, exact=True)).to_be_focused()
    await expect(shape(page, site_id)).to_have_attribute("data-selected", "")

    # The week after: nothing due, and the outline is gone.
    await page.get_by_label(m["map.dateLabel"], exact=True).fill("2024-07-22")
    await expect(week).to_contain_text(m["map.teamEmpty"])
    await expect(shape(page, site_id)).not_to_have_attribute("data-due", "")


async def test_a_wide_view_draws_the_sites_from_vector_tiles(
    page: Page, coal_square: tuple[str, str]
):
    m = catalogue("en")
    site_id, name = coal_square
    await page.goto(f"/map?{CENTRE}&zoom={TILE_ZOOM}&date=2024-10-15")
    october = await intl_date(page, "en-GB", "2024-10-15")
    await expect(page.get_by_role("status")).to_have_text(
        message("en", "map.statusTiles", date=october)
    )
    tile_path = page.locator(".site-tiles").locator(f'path[data-site-id="{site_id}"]').first
    await expect(tile_path).to_have_attribute("fill", "url(#meent-use-parking)")
    # The tiles' sites are listed too (few here), and can be chosen from the list.
    await expect(site_button(page, name)).to_contain_text(m["use.parking"])

    await page.get_by_label(m["map.dateLabel"], exact=True).fill("2024-07-15")
    await expect(tile_path).to_have_attribute("fill", "url(#meent-use-recreation)")
    await expect(site_button(page, name)).to_contain_text(m["use.recreation"])
    await site_button(page, name).click()
    await expect(page.get_by_role("heading", level=2, name=name, exact=True)).to_be_focused()


async def test_an_answer_at_the_limit_switches_the_map_to_tiles(
    page: Page, coal_square: tuple[str, str]
):
    # 2,000 sites (the page's GEOJSON_LIMIT) in view would take long to create: the browser
    # plays a full answer for the map's GeoJSON query, and the tiles stay real.
    m = catalogue("en")
    site_id, name = coal_square
    crowd = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": str(uuid.UUID(int=i)),
                "geometry": {"type": "Point", "coordinates": [0, 0]},
                "properties": {"name": f"Site {i}", "kind": "square", "use": None},
            }
            for i in range(2000)
        ],
    }
    asked: list[str] = []

    async def crowded_answer(route):
        if "sitesGeoJSON" not in (route.request.post_data or ""):
            return await route.continue_()
        asked.append(route.request.post_data)
        await route.fulfill(json={"data": {"sitesGeoJSON": crowd}})

    await page.route("**/graphql", crowded_answer)
    await page.goto(f"/map?{CENTRE}&zoom={SITE_ZOOM}&date=2024-10-15")
    october = await intl_date(page, "en-GB", "2024-10-15")
    await expect(page.get_by_role("status")).to_have_text(
        message("en", "map.statusTiles", date=october)
    )
    tile_path = page.locator(".site-tiles").locator(f'path[data-site-id="{site_id}"]').first
    await expect(tile_path).to_have_attribute("fill", "url(#meent-use-parking)")
    await expect(site_button(page, name)).to_contain_text(m["use.parking"])
    assert len(asked) == 1
    # Scrubbing in the same crowded view stays on tiles without asking for GeoJSON again.
    await page.get_by_label(m["map.dateLabel"], exact=True).fill("2024-07-15")
    await expect(tile_path).to_have_attribute("fill", "url(#meent-use-recreation)")
    assert len(asked) == 1


async def test_the_address_keeps_the_view_and_the_nav_leads_to_the_map(
    page: Page, coal_square: tuple[str, str], suite_url: str
):
    m = catalogue("en")
    site_id, name = coal_square
    await page.goto("/about")
    await (
        page.get_by_role("navigation", name=m["nav.label"])
        .get_by_role("link", name=m["nav.map"], exact=True)
        .click()
    )
    await expect(page.get_by_role("heading", level=1)).to_be_focused()
    await expect(page).to_have_title(message("en", "title.format", page=m["map.title"]))
    # Without a view in the address the map fits all sites, and then writes its view there.
    await expect(page).to_have_url(re.compile(r"/map\?lat=[-\d.]+&lon=[-\d.]+&zoom=\d+&date="))

    url = f"/map?{CENTRE}&zoom={SITE_ZOOM}&date=2024-07-15&site={site_id}"
    await page.goto(url)
    await expect(panel(page, name).locator(".facts")).to_contain_text(m["use.recreation"])
    await page.reload()
    await expect(page).to_have_url(f"{suite_url}{url}")
    await expect(panel(page, name).locator(".facts")).to_contain_text(m["use.recreation"])
    await expect(shape(page, site_id)).to_have_attribute("data-selected", "")

    # Leaving the page leaves the page as it was (the wide layout goes with the map).
    await page.get_by_role("link", name=m["nav.about"], exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(m["about.title"])
    assert not await page.evaluate("() => document.body.classList.contains('page--wide')")


@pytest.mark.parametrize("locale", LOCALES.values(), ids=LOCALES.keys())
async def test_the_map_is_accessible_in_each_language(
    page: Page, locale: str, coal_square: tuple[str, str]
):
    lang = locale.split("-")[0]
    m = catalogue(lang)
    site_id, name = coal_square
    await page.goto(f"/map?{CENTRE}&zoom={SITE_ZOOM}&date=2024-07-15&site={site_id}")
    await expect(page.locator("html")).to_have_attribute("lang", lang)
    await expect(page.get_by_role("heading", level=1)).to_have_text(m["map.title"])
    # The map shows sites, the list names their use, the panel is open.
    await expect(shape(page, site_id)).to_have_attribute("fill", "url(#meent-use-recreation)")
    await expect(
        page.get_by_role("region", name=m["map.listHeading"]).get_by_role(
            "button", name=re.compile(re.escape(name))
        )
    ).to_contain_text(m["use.recreation"])
    await expect(panel(page, name).locator(".timeline li")).to_have_count(3)
    await expect(page.get_by_role("region", name=m["map.region"])).to_be_visible()
    await assert_accessible(page)


async def test_switching_language_on_the_map_says_the_dates_anew(
    page: Page, coal_square: tuple[str, str]
):
    site_id, name = coal_square
    await page.goto(f"/map?{CENTRE}&zoom={SITE_ZOOM}&date=2024-07-15&site={site_id}")
    facts = panel(page, name).locator(".facts")
    july = await intl_date(page, "en-GB", "2024-07-15")
    await expect(facts).to_contain_text(message("en", "map.useOn", date=july))
    switcher = page.get_by_label(catalogue("en")["language.label"], exact=True)
    await switcher.focus()
    await switcher.select_option("pl")
    pl = catalogue("pl")
    lipiec = await intl_date(page, "pl", "2024-07-15")
    await expect(facts).to_contain_text(message("pl", "map.useOn", date=lipiec))
    await expect(facts).to_contain_text(pl["use.recreation"])
    slider = page.get_by_label(message("pl", "map.sliderLabel", year="2024"), exact=True)
    full = await intl_date(page, "pl", "2024-07-15", "full")
    await expect(slider).to_have_attribute("aria-valuetext", full)
    await expect(page.get_by_role("button", name=pl["map.zoomIn"])).to_be_visible()
    await expect(page.get_by_label(pl["language.label"], exact=True)).to_be_focused()
