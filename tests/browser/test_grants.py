"""The grants pages in Chromium, against the running suite: a citizen joins the reviewer pool, an
officer drafts and publishes a call in the editor (a panel and a public approval vote), a
coordinator applies and watches the project's eligibility, the officer draws the panel by lot and
seats an expert by hand, the panel scores (a reviewer of the applying project is told of the
conflict of interest; someone off the panel gets no forms), citizens vote and change their
ballot, the officer closes the call, awards within the budget, pays part of an award out and
decides, and a visitor reads the ranking, the tally, the draw and the public ledger — axe-clean
on every page. The ledger's money is written each language's way.

People, projects and the other pool entries are set up through the public GraphQL API (the pool
before the call opens: the opening freezes it); everything the story is about happens in the
browser."""

import re

import pytest
from playwright.async_api import Page, expect

from meent_shared.settings import Mode, ServiceSettings
from tests.browser.axe import assert_accessible
from tests.browser.grants_people import (
    add_member,
    applying_project,
    decided_call,
    join_pool,
    new_tag,
    officer,
    submitted,
)
from tests.browser.messages import catalogue, message
from tests.browser.spaces_people import close, form, person
from tests.conftest import RunningSuite

pytestmark = pytest.mark.browser

LOCALES = {"en": "en-GB", "nl": "nl-BE", "pl": "pl-PL", "fr": "fr-FR"}
# Everyone's browser keeps the city's time, so the editor's "today" is the day grants calls
# today (MEENT_CITY_TIMEZONE), also near midnight on a UTC host.
CITY = ServiceSettings(mode=Mode.local)
IN_THE_CITY = {"timezone_id": CITY.city_timezone}


def spaced(text: str) -> str:
    """Intl's no-break and narrow no-break spaces as plain ones, to compare with the eye's text."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def as_written(expected: str) -> re.Pattern[str]:
    """The amount as Intl writes it: its spaces may be no-break or narrow no-break ones."""
    return re.compile("^" + re.escape(expected).replace("\\ ", "[ \u00a0\u202f]") + "$")


async def money_is(page: Page, selector: str, expected: str) -> None:
    await expect(page.locator(selector).first).to_have_text(as_written(expected))


async def heading_is(page: Page, text: str) -> None:
    await expect(page.get_by_role("heading", level=1)).to_have_text(text)


async def draft_the_call_in_the_editor(page: Page, m: dict[str, str], title: str) -> None:
    """Every part of the editor a BOTH call with an approval ballot and a rule needs, partly by
    keyboard (a new criterion row takes the focus)."""
    await page.get_by_label(m["grants.callName"], exact=True).fill(title)
    await page.get_by_label(m["grants.description"], exact=True).fill(
        "Trees and benches for shared courtyards.\n\nOne award per project."
    )
    await expect(page.get_by_label(m["grants.currency"], exact=True)).to_have_value("EUR")
    await page.get_by_label(m["grants.budget"], exact=True).fill("2500.00")
    await page.get_by_label(m["grants.minAward"], exact=True).fill("100")
    await page.get_by_label(m["grants.maxAward"], exact=True).fill("1500,00")  # a decimal comma
    await expect(page.get_by_label(m["grants.opensOn"], exact=True)).to_have_value(
        CITY.today().isoformat()
    )
    weight = page.get_by_label(m["grants.voteWeight"], exact=True)
    await expect(weight).to_be_hidden()  # a panel call has no vote to weigh
    await page.get_by_label(m["grants.mode"], exact=True).select_option("BOTH")
    await weight.fill("0.5")
    await page.get_by_label(message("en", "grants.criterionName", n="1"), exact=True).fill("Impact")
    await page.get_by_label(message("en", "grants.criterionWeight", n="1"), exact=True).fill("2")
    await page.get_by_role("button", name=m["grants.addCriterion"]).click()
    second = page.get_by_label(message("en", "grants.criterionName", n="2"), exact=True)
    await expect(second).to_be_focused()
    await page.keyboard.type("Feasibility")
    await page.get_by_label(m["grants.panelSize"], exact=True).fill("50")
    await expect(page.get_by_label(m["grants.ballotKind"], exact=True)).to_have_value("APPROVAL")
    await page.get_by_label(m["grants.ballotMaxChoices"], exact=True).fill("1")
    await page.get_by_label(m["grants.minMembers"], exact=True).fill("2")
    await assert_accessible(page)
    await page.get_by_role("button", name=m["grants.createCall"]).click()


async def edit_the_draft(page: Page, m: dict[str, str], title: str) -> None:
    """The draft's editor starts from what was saved; a change is saved over it."""
    await page.get_by_role("link", name=m["grants.editLink"]).first.click()
    await heading_is(page, message("en", "grants.editCallHeading", title=title))
    await expect(page.get_by_label(m["grants.mode"], exact=True)).to_have_value("BOTH")
    second = page.get_by_label(message("en", "grants.criterionName", n="2"), exact=True)
    await expect(second).to_have_value("Feasibility")
    await expect(page.get_by_label(m["grants.maxAward"], exact=True)).to_have_value("1500.00")
    await expect(page.get_by_label(m["grants.ballotMaxChoices"], exact=True)).to_have_value("1")
    await page.get_by_label(m["grants.description"], exact=True).fill(
        "Trees and benches for shared courtyards.\n\nOne award per project, paid in two parts."
    )
    await assert_accessible(page)
    await page.get_by_role("button", name=m["grants.saveCall"]).click()
    await expect(page.locator(".grants-description")).to_contain_text("paid in two parts")


async def apply_in_the_browser(page: Page, m: dict[str, str], suite: RunningSuite, project) -> None:
    """The coordinator drafts, is told the project is short of members, gains one, submits."""
    min_members = page.locator('.grants-rule[data-rule="min_members"]')
    await expect(min_members).to_contain_text(m["grants.ruleUnmet"])
    await expect(page.get_by_text(m["grants.eligibleNo"])).to_be_visible()
    await assert_accessible(page)
    await page.get_by_label(m["grants.applicationTitle"], exact=True).fill("Shade trees")
    await page.get_by_label(m["grants.summary"], exact=True).fill("Six lindens for the yard.")
    await page.get_by_label(m["grants.requested"], exact=True).fill("1234.50")
    await page.get_by_label(message("en", "grants.lineLabel", n="1"), exact=True).fill("Trees")
    await page.get_by_label(message("en", "grants.lineAmount", n="1"), exact=True).fill("1000.00")
    await page.get_by_role("button", name=m["grants.addLine"]).click()
    await expect(page.get_by_label(message("en", "grants.lineLabel", n="2"))).to_be_focused()
    await page.keyboard.type("Watering bags")
    second = page.get_by_label(message("en", "grants.lineAmount", n="2"), exact=True)
    await second.fill("200.00")
    # Checked live, in exact cents: 34.50 short.
    total = page.locator("#budget-sum")
    await expect(total).to_contain_text(m["grants.sumShort"])
    await expect(total).to_contain_text("€34.50")
    await second.fill("234.50")
    await expect(total).to_contain_text(m["grants.sumMatches"])
    await page.get_by_role("button", name=m["grants.saveDraft"]).click()
    await expect(page.get_by_role("status").filter(has_text=m["grants.draftSaved"])).to_be_visible()
    await expect(page).to_have_url(re.compile(r"/apply\?application=[0-9a-f-]{36}$"))
    # Submitted too early: the server names the rule that is not met.
    await page.get_by_role("button", name=m["grants.submit"]).click()
    alert = page.get_by_role("alert")
    await expect(alert).to_contain_text(m["grants.notEligible"])
    await expect(alert).to_contain_text(m["grants.rule.minMembers"])
    await expect(alert).to_contain_text("at least 2 members")
    await assert_accessible(page)
    add_member(suite, project)
    await page.get_by_role("button", name=m["grants.submit"]).click()
    done = page.get_by_role("status").filter(has_text=m["grants.submittedNotice"])
    await expect(done).to_be_focused()  # the submit button is gone
    await expect(page.locator(".grants-application-state")).to_contain_text(
        m["grants.application.submitted"]
    )
    await expect(page.locator('.grants-rule--met[data-rule="min_members"]')).to_have_count(1)
    await expect(page.get_by_text(m["grants.eligibleYes"])).to_be_visible()


async def a_refused_field_shows_its_error_beside_it(page: Page, m: dict[str, str]) -> None:
    """Below the call's smallest award: InvalidInput names `requested`, shown under it."""
    requested = page.get_by_label(m["grants.requested"], exact=True)
    await requested.fill("50.00")
    await page.get_by_role("button", name=message("en", "grants.removeLine", n="2")).click()
    await page.get_by_label(message("en", "grants.lineAmount", n="1"), exact=True).fill("50")
    await page.get_by_role("button", name=m["grants.saveChanges"]).click()
    await expect(requested).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#application-requested-error")).to_contain_text("between 100.00")
    summary = page.get_by_role("alert").get_by_role("link", name=re.compile(m["grants.requested"]))
    await summary.click()  # the alert links each refused field
    await expect(requested).to_be_focused()
    await expect(requested).to_have_accessible_description(re.compile("between 100.00"))
    await assert_accessible(page)
    # Nothing was stored: a reload (the address names the application) shows it as submitted.
    await page.reload()
    await expect(requested).to_have_value("1234.50")


async def score(card, m: dict[str, str], impact: str, feasibility: str, comment: str) -> None:
    await card.get_by_label("Impact").select_option(impact)
    await card.get_by_label("Feasibility").select_option(feasibility)
    await card.get_by_label(m["grants.comment"], exact=True).fill(comment)
    await card.get_by_role("button", name=m["grants.saveReview"]).click()


async def seat_on_the_panel(desk: Page, m: dict[str, str], subs: list[str]) -> None:
    """The officer seats each of `subs` the draw passed over (with more than 50 people in the
    pool — a long test session — it may) by their person id, on the call's page."""
    panel = desk.locator(".grants-officer table.grants-panel")
    for sub in subs:
        if sub in await panel.inner_text():
            continue
        await desk.get_by_label(m["grants.panel.personId"], exact=True).fill(sub)
        await desk.get_by_role("button", name=m["grants.panel.assign"]).click()
        await expect(desk.get_by_role("status")).to_have_text(m["grants.panel.seated"])
        await expect(panel).to_contain_text(sub)


async def join_the_pool_in_the_browser(page: Page, m: dict[str, str]) -> None:
    await page.goto("/calls")
    await expect(page.locator(".grants-pool-state")).to_have_text(m["grants.pool.notIn"])
    await page.get_by_role("button", name=m["grants.pool.join"]).click()
    await expect(page.get_by_role("status")).to_have_text(m["grants.pool.joined"])
    await expect(page.locator(".grants-pool-state")).to_contain_text(m["grants.pool.inSince"])
    await expect(page.get_by_role("button", name=m["grants.pool.leave"])).to_be_visible()
    await assert_accessible(page)


async def test_a_call_from_the_editor_to_the_public_ledger(
    browser, running_suite: RunningSuite, suite_url: str
):
    m = catalogue("en")
    tag = new_tag()
    title = f"Green courtyards {tag}"
    officer_token = officer(running_suite, tag)
    reviewer_sub = f"reviewer-{tag}"
    reviewer_token = running_suite.token(reviewer_sub, name="Rosa Reviewer")
    yard = applying_project(running_suite)  # one member: short of the call's rule of two
    benches = applying_project(running_suite, members=2)
    pages: list[Page] = []
    # Before the call opens, which freezes its pool: the reviewer joins on the calls page.
    reviewer = await person(browser, suite_url, "en-GB", reviewer_token, **IN_THE_CITY)
    pages.append(reviewer)
    await join_the_pool_in_the_browser(reviewer, m)
    join_pool(running_suite, yard.coordinator)

    # The officer drafts the call in the editor and publishes it.
    desk = await person(browser, suite_url, "en-GB", officer_token, **IN_THE_CITY)
    pages.append(desk)
    await desk.goto("/")
    nav = desk.get_by_role("navigation", name=m["nav.label"])
    await nav.get_by_role("link", name=m["nav.calls"], exact=True).click()
    await heading_is(desk, m["grants.callsTitle"])
    await assert_accessible(desk)
    await desk.get_by_role("link", name=m["grants.newCall"]).click()
    await heading_is(desk, m["grants.newCallTitle"])
    await draft_the_call_in_the_editor(desk, m, title)
    await expect(desk).to_have_url(re.compile(r"/calls/[0-9a-f-]{36}$"))
    call_id = desk.url.rsplit("/", 1)[1]
    call_path = f"/calls/{call_id}"
    await heading_is(desk, title)
    await expect(desk.locator(".grants-status")).to_have_text(m["grants.status.draft"])
    await expect(desk.locator(".grants-terms")).to_contain_text("€1,500.00")
    await assert_accessible(desk)
    await edit_the_draft(desk, m, title)
    await desk.get_by_role("button", name=m["grants.publish"]).click()
    await expect(desk.get_by_role("status")).to_have_text(m["grants.published"])
    await expect(desk.get_by_role("status")).to_be_focused()
    await expect(desk.locator(".grants-status")).to_have_text(m["grants.status.open"])
    submitted(running_suite, call_id, benches, "1500.00")

    # The coordinator applies from the call's page, watching the project's eligibility.
    coordinator = await person(browser, suite_url, "en-GB", yard.coordinator, **IN_THE_CITY)
    pages.append(coordinator)
    await coordinator.goto(call_path)
    await coordinator.get_by_role("link", name=m["grants.applyLink"]).click()
    await heading_is(coordinator, message("en", "grants.applyHeading", title=title))
    await expect(coordinator.get_by_label(m["grants.applyProject"], exact=True)).to_have_value(
        yard.id
    )
    await apply_in_the_browser(coordinator, m, running_suite, yard)
    await a_refused_field_shows_its_error_beside_it(coordinator, m)
    apply_url = coordinator.url

    # The officer draws the panel by lot and sees who sits on it.
    await desk.reload()
    await desk.get_by_role("button", name=m["grants.drawPanel"]).click()
    await expect(desk.get_by_role("status")).to_have_text(m["grants.panelDrawn"])
    # The officer also seats an outside expert by hand, and whoever the draw passed over.
    expert_sub = f"expert-{tag}"
    await seat_on_the_panel(desk, m, [expert_sub, reviewer_sub, yard.coordinator_sub])
    await desk.reload()
    panel = desk.locator(".grants-officer table.grants-panel")
    await expect(panel).to_contain_text(expert_sub)
    # The draw seated people by lot (our two may be among them, or were seated by hand).
    drawn_seats = panel.locator("tbody tr").filter(has_text=m["grants.panel.drawn"])
    assert await drawn_seats.count() >= 1
    # Before the decision no one else learns who sits on the panel.
    onlooker = await person(browser, suite_url, "en-GB", None, **IN_THE_CITY)
    pages.append(onlooker)
    await onlooker.goto(call_path)
    await heading_is(onlooker, title)
    await expect(onlooker.locator("table.grants-panel")).to_have_count(0)
    await expect(onlooker.get_by_text(reviewer_sub)).to_have_count(0)
    await expect(panel).to_contain_text(reviewer_sub)
    await expect(panel).to_contain_text(yard.coordinator_sub)
    await assert_accessible(desk)

    # The drawn reviewer scores both applications.
    await reviewer.goto(call_path)
    await reviewer.get_by_role("link", name=m["grants.reviewLink"]).click()
    await heading_is(reviewer, message("en", "grants.reviewHeading", title=title))
    cards = reviewer.locator("li.grants-review")
    await expect(cards).to_have_count(2)
    await assert_accessible(reviewer)
    shade = cards.filter(has_text="Shade trees")
    await score(shade, m, "4", "5", "Good shade for the yard")
    await expect(shade.get_by_role("status")).to_have_text(m["grants.reviewSaved"])
    other = cards.filter(has_text=benches.name)
    await score(other, m, "3", "3", "Fine")
    await expect(other.get_by_role("status")).to_have_text(m["grants.reviewSaved"])
    await reviewer.reload()  # one's own review comes back filled in
    await expect(shade.get_by_label("Impact")).to_have_value("4")
    # The coordinator sits on the panel too, but may not score their own project.
    await coordinator.goto(f"{call_path}/review")
    own = coordinator.locator("li.grants-review").filter(has_text="Shade trees")
    await score(own, m, "5", "5", "Ours is the best")
    await expect(own.get_by_role("alert")).to_contain_text(m["grants.conflictOfInterest"])
    await assert_accessible(coordinator)

    # Citizens vote (approve one); the second changes their mind before the close.
    first = await person(browser, suite_url, "en-GB", running_suite.token(f"v1-{tag}"))
    second = await person(browser, suite_url, "en-GB", running_suite.token(f"v2-{tag}"))
    pages += [first, second]
    await first.goto(f"{call_path}/review")  # not on the panel: told so, with no forms
    await expect(first.locator(".grants-not-on-panel")).to_have_text(m["grants.notOnPanel"])
    await expect(first.locator("li.grants-review")).to_have_count(0)
    await first.goto(call_path)
    await first.get_by_role("link", name=m["grants.voteLink"]).click()
    await expect(first.get_by_text(form("en", "grants.approvalIntro", "one", 1))).to_be_visible()
    shade_box = first.get_by_role("checkbox", name=re.compile("Shade trees"))
    await shade_box.focus()
    await first.keyboard.press("Space")
    await expect(shade_box).to_be_checked()
    await first.get_by_role("checkbox", name=re.compile(re.escape(benches.name))).check()
    await expect(first.locator("#ballot-total")).to_contain_text(m["grants.tooMany"])
    await first.get_by_role("checkbox", name=re.compile(re.escape(benches.name))).uncheck()
    await first.get_by_role("button", name=m["grants.castBallot"]).click()
    await expect(first.get_by_role("status")).to_have_text(m["grants.ballotSaved"])
    await expect(first.locator(".grants-my-ballot")).to_contain_text(m["grants.ballotCastOn"])
    await assert_accessible(first)
    await second.goto(f"{call_path}/vote")
    await second.get_by_role("checkbox", name=re.compile(re.escape(benches.name))).check()
    await second.get_by_role("button", name=m["grants.castBallot"]).click()
    await expect(second.get_by_role("status")).to_have_text(m["grants.ballotSaved"])
    await second.reload()
    benches_box = second.get_by_role("checkbox", name=re.compile(re.escape(benches.name)))
    await expect(benches_box).to_be_checked()  # one's ballot comes back
    await benches_box.uncheck()
    await second.get_by_role("checkbox", name=re.compile("Shade trees")).check()
    await second.get_by_role("button", name=m["grants.changeBallot"]).click()
    await expect(second.get_by_role("status")).to_have_text(m["grants.ballotSaved"])

    # The officer closes the call and awards: the second award no longer fits the budget.
    await coordinator.goto(apply_url)  # open before the close, saved after it
    await desk.reload()
    await desk.get_by_role("button", name=m["grants.close"]).click()
    await expect(desk.get_by_role("status")).to_have_text(m["grants.closed"])
    await coordinator.get_by_role("button", name=m["grants.saveChanges"]).click()
    await expect(coordinator.get_by_role("alert")).to_contain_text(m["grants.callClosed"])
    tally = desk.locator("table.grants-tally")
    # Both ballots approve Shade trees in the end; the benches got none, so have no line.
    await expect(
        tally.locator("tr").filter(has_text="Shade trees").locator("td.number")
    ).to_have_text("2")
    await expect(tally.locator("tr").filter(has_text=benches.name)).to_have_count(0)  # no votes
    await expect(desk.get_by_text(form("en", "grants.ballotCount", "other", 2))).to_be_visible()
    awards = desk.locator("li.grants-award")
    mine = awards.filter(has_text="Shade trees")
    await expect(mine.get_by_label(m["grants.awardAmount"], exact=True)).to_have_value("1234.50")
    await assert_accessible(desk)
    await mine.get_by_role("button", name=m["grants.award"], exact=True).click()
    await expect(mine.locator(".grants-decision")).to_contain_text(m["grants.application.awarded"])
    await expect(mine.locator(".grants-decision")).to_contain_text("€1,234.50")
    await expect(mine.locator(".grants-decision")).to_be_focused()
    await expect(desk.locator(".grants-award__remaining")).to_contain_text("€1,265.50")
    theirs = awards.filter(has_text=benches.name)
    await theirs.get_by_role("button", name=m["grants.award"], exact=True).click()
    refused = theirs.get_by_role("alert")
    await expect(refused).to_contain_text(m["grants.budgetExceeded"])
    await expect(refused).to_contain_text("€1,265.50")
    await assert_accessible(desk)
    await theirs.get_by_label(m["grants.awardAmount"], exact=True).fill("1265.50")
    await theirs.get_by_role("button", name=m["grants.award"], exact=True).click()
    await expect(theirs.locator(".grants-decision")).to_contain_text("€1,265.50")
    await expect(desk.locator(".grants-award__remaining")).to_contain_text("€0.00")
    # The terms and the ledger further down follow the awards.
    await expect(desk.locator(".grants-remaining")).to_have_text("€0.00")
    await expect(desk.locator("table.grants-ledger tbody tr")).to_have_count(2)
    # The first part of the award is paid out; more than is left is refused.
    pay = mine.locator(".grants-payment")
    await expect(pay.get_by_label(m["grants.payment.amount"], exact=True)).to_have_value("1234.50")
    await pay.get_by_label(m["grants.payment.amount"], exact=True).fill("1234.51")
    await pay.get_by_role("button", name=m["grants.payment.record"]).click()
    await expect(pay.get_by_role("alert")).to_contain_text("1234.50")
    await pay.get_by_label(m["grants.payment.amount"], exact=True).fill("1000")
    await pay.get_by_role("button", name=m["grants.payment.record"]).click()
    await expect(pay.get_by_role("status")).to_have_text(m["grants.payment.recordedPaid"])
    await expect(pay.locator(".grants-paid")).to_contain_text("€234.50")
    await expect(desk.locator("table.grants-ledger tbody tr")).to_have_count(3)
    await assert_accessible(desk)
    await desk.get_by_role("button", name=m["grants.decide"]).click()
    decided = desk.get_by_role("status").filter(has_text=m["grants.decided"])
    await expect(decided).to_be_focused()
    await expect(desk.locator(".grants-status")).to_have_text(m["grants.status.decided"])

    # A visitor finds the decided call and reads its ranking, draw and ledger.
    visitor = await person(browser, suite_url, "en-GB", None, **IN_THE_CITY)
    pages.append(visitor)
    await visitor.goto("/calls")
    await visitor.get_by_role("link", name=title).click()
    await heading_is(visitor, title)
    ranking = visitor.locator("table.grants-ranking tbody tr")
    await expect(ranking).to_have_count(2)
    await expect(ranking.first).to_contain_text("Shade trees")  # best panel score and votes
    await expect(visitor.locator(".grants-seed")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    await expect(visitor.locator(".grants-pool li").first).to_be_visible()
    await money_is(visitor, ".grants-ledger-committed", "€2,500.00")
    await money_is(visitor, ".grants-ledger-remaining", "€0.00")
    await money_is(visitor, ".grants-ledger-disbursed", "€1,000.00")
    await expect(visitor.locator("table.grants-ledger tbody tr")).to_have_count(3)
    csv = visitor.get_by_role("link", name=m["grants.ledger.csv"])
    await expect(csv).to_have_attribute("href", re.compile(f"/exports/ledgers/{call_id}.csv$"))
    await assert_accessible(visitor)
    await visitor.goto(f"{call_path}/vote")
    await expect(visitor.locator("table.grants-tally")).to_contain_text("Shade trees")
    await expect(visitor.get_by_text(m["grants.signInForBallot"])).to_be_visible()
    await assert_accessible(visitor)
    await close(pages)


# Each language writes the same amounts its own way (Polish groups five digits, not four).
LEDGER_MONEY = {
    "en": {"committed": "€13,580.10", "disbursed": "€1,000.00", "remaining": "€6,419.90"},
    "nl": {"committed": "€ 13.580,10", "disbursed": "€ 1.000,00", "remaining": "€ 6.419,90"},
    "pl": {"committed": "13 580,10 €", "disbursed": "1000,00 €", "remaining": "6419,90 €"},
    "fr": {"committed": "13 580,10 €", "disbursed": "1 000,00 €", "remaining": "6 419,90 €"},
}
ENTRIES = {
    "en": ["€12,345.60", "€1,234.50", "€1,000.00"],
    "nl": ["€ 12.345,60", "€ 1.234,50", "€ 1.000,00"],
    "pl": ["12 345,60 €", "1234,50 €", "1000,00 €"],
    "fr": ["12 345,60 €", "1 234,50 €", "1 000,00 €"],
}


@pytest.fixture(scope="module")
def ledger_call(running_suite: RunningSuite):
    return decided_call(running_suite, new_tag(), ["12345.60", "1234.50"], "1000.00")


@pytest.mark.parametrize("locale", LOCALES.values(), ids=LOCALES.keys())
async def test_a_visitor_reads_the_ledger_in_their_language(
    browser, suite_url: str, locale: str, ledger_call
):
    lang = locale.split("-")[0]
    m = catalogue(lang)
    visitor = await person(browser, suite_url, locale, None, **IN_THE_CITY)
    await visitor.goto(f"/calls/{ledger_call.id}")
    await heading_is(visitor, ledger_call.title)
    await expect(visitor.get_by_role("heading", name=m["grants.ledger.title"])).to_be_visible()
    for name, expected in LEDGER_MONEY[lang].items():
        await money_is(visitor, f".grants-ledger-{name}", expected)
    rows = visitor.locator("table.grants-ledger tbody tr")
    await expect(rows).to_have_count(3)
    amounts = [spaced(t).strip() for t in await rows.locator("td.number").all_inner_texts()]
    assert amounts == ENTRIES[lang]
    kinds = await rows.locator("td:nth-child(2)").all_inner_texts()
    assert kinds == [m["grants.ledger.kind.committed"]] * 2 + [m["grants.ledger.kind.disbursed"]]
    await expect(visitor.locator(".grants-status")).to_have_text(m["grants.status.decided"])
    await assert_accessible(visitor)
    if lang == "en":
        # Another language re-writes the amounts in place.
        await visitor.get_by_label(m["language.label"], exact=True).select_option("fr")
        await money_is(visitor, ".grants-ledger-committed", LEDGER_MONEY["fr"]["committed"])
    await close([visitor])
