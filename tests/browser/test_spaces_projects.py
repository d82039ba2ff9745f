"""The projects list and a project's address in Chromium: the list filters by status and words
(kept in the address), a project is found at its slug (and its id), its page lists the sites it
stewards with their dates, and an odd or unknown address says so in the reader's language."""

import datetime as dt
import random
import time
import uuid

import pytest
from playwright.async_api import Browser, expect

from tests.browser.axe import assert_accessible
from tests.browser.messages import catalogue
from tests.browser.spaces_people import close, heading_is, ok, person
from tests.conftest import RunningSuite

pytestmark = pytest.mark.browser

LOCALES = {"en": "en-GB", "pl": "pl-PL"}


def start_project(suite: RunningSuite, token: str, name: str) -> dict[str, str]:
    created = ok(
        suite,
        "mutation($i: CreateProjectInput!) { createProject(input: $i) {"
        " __typename ... on Project { id slug } } }",
        {"i": {"name": name, "summary": "A square with trees."}},
        token,
    )["createProject"]
    assert created["__typename"] == "Project", created
    return created


def stewarded_site(suite: RunningSuite, project_id: str, name: str, starts: dt.date) -> None:
    """A site in commons that the project stewards from `starts` on (once commons knows it)."""
    staff = suite.token(f"staff-{uuid.uuid4().hex[:6]}", ["maintenance"])
    x = 18.0 + random.random()  # a small square in the Baltic Sea, where no site is drawn
    ring = [[x, 55.0], [x + 0.001, 55.0], [x + 0.001, 55.001], [x, 55.0]]
    site = ok(
        suite,
        "mutation($i: CreateSiteInput!) { createSite(input: $i) { ... on Site { id } } }",
        {
            "i": {
                "name": name,
                "kind": "park",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        },
        staff,
    )["createSite"]["id"]
    deadline = time.monotonic() + 20
    while True:  # the project reaches commons by event
        added = ok(
            suite,
            "mutation($s: UUID!, $p: UUID!, $d: Date!) { addStewardship(siteId: $s, input:"
            " {projectId: $p, startsOn: $d}) { __typename } }",
            {"s": site, "p": project_id, "d": starts.isoformat()},
            staff,
        )["addStewardship"]
        if added["__typename"] == "Stewardship":
            return
        assert time.monotonic() < deadline, added
        time.sleep(0.2)


@pytest.mark.parametrize("locale", LOCALES.values(), ids=LOCALES.keys())
async def test_the_list_filters_and_a_project_lives_at_its_slug(
    browser: Browser, running_suite: RunningSuite, suite_url: str, locale: str
):
    lang = locale.split("-")[0]
    m = catalogue(lang)
    tag = uuid.uuid4().hex[:8]
    token = running_suite.token(f"starter-{tag}")
    idea = start_project(running_suite, token, f"Wilgenplein {tag}")
    active = start_project(running_suite, token, f"Lindeplein {tag}")
    updated = ok(
        running_suite,
        "mutation($id: UUID!) { updateProject(id: $id, input: {status: ACTIVE}) { __typename } }",
        {"id": active["id"]},
        token,
    )["updateProject"]
    assert updated["__typename"] == "Project", updated
    starts = dt.date.today() - dt.timedelta(days=30)
    stewarded_site(running_suite, active["id"], f"Lindehof {tag}", starts)

    visitor = await person(browser, suite_url, locale, None)
    await visitor.goto("/projects")
    cards = visitor.locator("ul.cards > li")
    await visitor.get_by_label(m["projects.words"], exact=True).fill(tag)
    await visitor.get_by_role("button", name=m["projects.filter"]).click()
    await expect(visitor).to_have_url(f"{suite_url}/projects?q={tag}")
    await expect(cards).to_have_count(2)
    await visitor.get_by_label(m["projects.status"], exact=True).select_option("active")
    await visitor.get_by_role("button", name=m["projects.filter"]).click()
    await expect(visitor).to_have_url(f"{suite_url}/projects?status=active&q={tag}")
    await expect(cards).to_have_count(1)
    await expect(cards).to_contain_text(f"Lindeplein {tag}")
    await assert_accessible(visitor)
    # The address holds the filter: a reload (or a shared link) shows the same.
    await visitor.reload()
    await expect(visitor.get_by_label(m["projects.status"], exact=True)).to_have_value("active")
    await expect(visitor.get_by_label(m["projects.words"], exact=True)).to_have_value(tag)
    await expect(cards).to_have_count(1)

    # The project's page is at its slug, and lists the site it stewards since when.
    await cards.get_by_role("link", name=f"Lindeplein {tag}").click()
    await expect(visitor).to_have_url(f"{suite_url}/projects/{active['slug']}")
    await heading_is(visitor, f"Lindeplein {tag}")
    sites = visitor.get_by_role("region", name=m["project.sites"])
    await expect(sites.get_by_role("link", name=f"Lindehof {tag}")).to_be_visible()
    await expect(sites).to_contain_text(m["members.since"])
    when = sites.locator("time")
    await expect(when).to_have_attribute("datetime", starts.isoformat())
    await assert_accessible(visitor)
    # Its id works as well; the other project has no site.
    await visitor.goto(f"/projects/{idea['id']}")
    await heading_is(visitor, f"Wilgenplein {tag}")
    await expect(visitor.get_by_text(m["project.noSites"])).to_be_visible()

    # An odd or unknown address: said plainly, in the reader's language.
    for address in ("/projects/Not%20a%20slug!", f"/projects/{uuid.uuid4()}", "/projects/no-such"):
        await visitor.goto(address)
        await expect(visitor.get_by_role("alert")).to_have_text(m["project.missing"])
    await assert_accessible(visitor)

    # commons not answering: the page stands, the sites' section says so — in the reader's
    # language, without the GraphQL error's own text.
    raw = "ServiceError: commons answered 503"

    async def sites_fail(route) -> None:
        if "ProjectSites" in (route.request.post_data or ""):
            await route.fulfill(json={"data": None, "errors": [{"message": raw}]})
        else:
            await route.continue_()

    await visitor.route("**/graphql", sites_fail)
    await visitor.goto(f"/projects/{active['slug']}")
    await heading_is(visitor, f"Lindeplein {tag}")
    await expect(sites.get_by_role("alert")).to_have_text(m["project.sitesFailed"])
    await expect(visitor.get_by_role("main")).not_to_contain_text(raw)
    await close([visitor])
