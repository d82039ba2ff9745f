"""The web client shell in Chromium, against the running suite: routing, languages, sign-in,
keyboard use, and axe-core on every page visited."""

import re

import pytest
from playwright.async_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.messages import catalogue, message

pytestmark = pytest.mark.browser

# The browser's language as people have it: with a region, which the client must match by
# its primary subtag. The test ids are the client's languages.
LOCALES = {"en": "en-GB", "nl": "nl-BE", "pl": "pl-PL", "fr": "fr-FR"}
NAMES = {"en": "Anna Brown", "nl": "Fenna van Dijk", "pl": "Łucja Wróbel", "fr": "Hélène Dubois"}


def lang_of(locale: str) -> str:
    return locale.split("-")[0]


async def sign_in(page: Page, lang: str, sub: str, name: str) -> None:
    m = catalogue(lang)
    await page.get_by_label(m["signIn.sub"], exact=True).fill(sub)
    await page.get_by_label(m["signIn.name"], exact=True).fill(name)
    await page.get_by_label(m["role.maintenance"], exact=True).check()
    await page.get_by_role("button", name=m["signIn.submit"], exact=True).click()


@pytest.mark.parametrize("locale", LOCALES.values(), ids=LOCALES.keys())
async def test_sign_in_in_each_language(page: Page, locale: str, suite_url: str):
    lang = lang_of(locale)
    m = catalogue(lang)
    await page.goto("/")
    await expect(page.locator("html")).to_have_attribute("lang", lang)
    await expect(page.get_by_role("heading", level=1)).to_have_text(m["home.title"])
    nav = page.get_by_role("navigation", name=m["nav.label"])
    await expect(nav.get_by_role("link", name=m["nav.home"], exact=True)).to_be_visible()
    # The suite status has loaded: a table naming the services, ready or not in words.
    table = page.get_by_role("table", name=m["home.caption"])
    await expect(table.get_by_role("rowheader", name="commons")).to_be_visible()
    await expect(
        table.get_by_text(re.compile(f"{m['home.ready']}|{m['home.notReady']}")).first
    ).to_be_visible()
    await assert_accessible(page)

    await nav.get_by_role("link", name=m["nav.signIn"], exact=True).click()
    await expect(page).to_have_url(f"{suite_url}/sign-in")
    await expect(page).to_have_title(message(lang, "title.format", page=m["signIn.title"]))
    await expect(page.get_by_role("heading", level=1)).to_be_focused()
    await expect(page.get_by_role("heading", level=1)).to_have_text(m["signIn.title"])
    await assert_accessible(page)

    await sign_in(page, lang, f"tester-{lang}", NAMES[lang])
    await expect(page).to_have_url(f"{suite_url}/")
    signed_in = message(lang, "account.signedInAs", name=NAMES[lang])
    await expect(page.get_by_text(signed_in, exact=True)).to_be_visible()
    await expect(page.get_by_role("heading", level=1)).to_be_focused()
    # Signed in, the nav offers no "Sign in" but the header a "Sign out".
    await expect(nav.get_by_role("link", name=m["nav.signIn"], exact=True)).to_be_hidden()
    await expect(page.get_by_role("button", name=m["account.signOut"])).to_be_visible()
    await assert_accessible(page)


async def test_sign_out_forgets_the_token(page: Page):
    m = catalogue("en")
    await page.goto("/sign-in")
    await sign_in(page, "en", "anna", "Anna")
    await expect(page.get_by_text(message("en", "account.signedInAs", name="Anna"))).to_be_visible()
    assert await page.evaluate("() => sessionStorage.getItem('meent.token')")
    # The token survives a reload of the tab.
    await page.reload()
    await expect(page.get_by_text(message("en", "account.signedInAs", name="Anna"))).to_be_visible()

    await page.get_by_role("button", name=m["account.signOut"]).click()
    sign_in_link = page.get_by_role("link", name=m["nav.signIn"], exact=True)
    await expect(sign_in_link).to_be_focused()
    await expect(page.get_by_text(message("en", "account.signedInAs", name="Anna"))).to_have_count(
        0
    )
    assert await page.evaluate("() => sessionStorage.getItem('meent.token')") is None


async def test_the_language_switcher_changes_lang_and_text_and_is_remembered(page: Page):
    await page.goto("/about")
    await expect(page.get_by_role("heading", level=1)).to_have_text(catalogue("en")["about.title"])

    switcher = page.get_by_label(catalogue("en")["language.label"], exact=True)
    await switcher.focus()  # as a keyboard user would: select_option alone does not focus
    await switcher.select_option("pl")
    pl = catalogue("pl")
    await expect(page.locator("html")).to_have_attribute("lang", "pl")
    await expect(page.get_by_role("heading", level=1)).to_have_text(pl["about.title"])
    await expect(page.get_by_role("navigation", name=pl["nav.label"])).to_be_visible()
    await expect(page).to_have_title(message("pl", "title.format", page=pl["about.title"]))
    # The switcher keeps the focus: the page is re-translated in place, not re-rendered.
    await expect(page.get_by_label(pl["language.label"], exact=True)).to_be_focused()
    await assert_accessible(page)

    # Remembered over the browser's own (English) preference.
    await page.reload()
    await expect(page.locator("html")).to_have_attribute("lang", "pl")
    await expect(page.get_by_role("heading", level=1)).to_have_text(pl["about.title"])


async def test_switching_language_keeps_what_was_typed(page: Page):
    await page.goto("/sign-in")
    await page.get_by_label(catalogue("en")["signIn.name"], exact=True).fill("Joost")
    await page.get_by_label(catalogue("en")["language.label"], exact=True).select_option("nl")
    await expect(page.get_by_label(catalogue("nl")["signIn.name"], exact=True)).to_have_value(
        "Joost"
    )


async def test_the_skip_link_is_first_and_moves_focus_to_main(page: Page):
    await page.goto("/")
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    await page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=catalogue("en")["skip.toContent"])
    await expect(skip).to_be_focused()
    await expect(skip).to_be_in_viewport()  # shown when focused, not only to screen readers
    await page.keyboard.press("Enter")
    await expect(page.locator("main#main")).to_be_focused()
    assert "#" not in page.url


async def test_unknown_paths_and_the_back_button(page: Page, suite_url: str):
    m = catalogue("en")
    await page.goto("/no/such/page")
    await expect(page.get_by_role("heading", level=1)).to_have_text(m["notFound.title"])
    await assert_accessible(page)
    await page.get_by_role("link", name=m["notFound.home"]).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(m["home.title"])
    await expect(page).to_have_title(message("en", "title.format", page=m["home.title"]))
    await page.go_back()
    await expect(page).to_have_url(f"{suite_url}/no/such/page")
    await expect(page.get_by_role("heading", level=1)).to_have_text(m["notFound.title"])
    await expect(page.get_by_role("heading", level=1)).to_be_focused()


async def test_sign_in_form_says_what_is_missing(page: Page):
    m = catalogue("en")
    await page.goto("/sign-in")
    await page.get_by_role("button", name=m["signIn.submit"], exact=True).click()
    alert = page.get_by_role("alert")
    await expect(alert).to_contain_text(m["signIn.problem"])
    for problem in ("signIn.subRequired", "signIn.nameRequired"):
        await expect(alert.get_by_role("link", name=m[problem])).to_be_visible()
    sub = page.get_by_label(m["signIn.sub"], exact=True)
    await expect(sub).to_be_focused()
    await expect(sub).to_have_attribute("aria-invalid", "true")
    await expect(sub).to_have_accessible_description(m["signIn.subRequired"])
    await assert_accessible(page)


@pytest.mark.parametrize("locale", ["fr-FR"], ids=["fr"])
async def test_sign_in_says_when_the_server_has_no_dev_sign_in(page: Page):
    # A production gateway answers 404 here; the suite under test is in local mode, so the
    # browser plays that answer for this one request.
    await page.route(
        "**/auth/dev-token",
        lambda route: route.fulfill(status=404, json={"detail": [{"msg": "Not Found"}]}),
    )
    await page.goto("/sign-in")
    await sign_in(page, "fr", "anna", "Anna")
    await expect(page.get_by_role("alert")).to_have_text(catalogue("fr")["signIn.unavailable"])
    await expect(page).to_have_url(re.compile("/sign-in$"))
    await assert_accessible(page)


async def test_parameterised_routes_and_unknown_nested_paths(page: Page, suite_url: str):
    m = catalogue("en")
    # A route with a parameter renders its page (here: no such project, said in words).
    await page.goto("/projects/not-a-project-id")
    await expect(page.get_by_role("alert")).to_have_text(m["project.missing"])
    await expect(page.get_by_role("heading", level=1)).to_have_text(m["project.title"])
    await assert_accessible(page)
    # One segment more than any route has: the not-found page.
    await page.goto("/projects/a/documents/b/no-such-view")
    await expect(page.get_by_role("heading", level=1)).to_have_text(m["notFound.title"])
    # In-app links to parameterised routes move the focus to the new page's <h1>.
    await page.goto("/projects")
    await expect(page.get_by_role("heading", level=1)).to_have_text(m["projects.title"])
    await page.get_by_role("link", name=m["nav.search"]).click()
    await expect(page).to_have_url(f"{suite_url}/search")
    await expect(page.get_by_role("heading", level=1)).to_be_focused()
    await expect(page).to_have_title(message("en", "title.format", page=m["search.title"]))
