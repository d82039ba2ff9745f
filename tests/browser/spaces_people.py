"""What the spaces browser tests share: the Elisabeth project and its people (set up through the
public GraphQL API), one browser context per person, and small GraphQL helpers."""

from typing import Any

from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.browser.messages import catalogue
from tests.conftest import RunningSuite


def form(lang: str, key: str, category: str, count: int) -> str:
    """One plural form of a message, its {count} filled in, as the client renders it."""
    forms = dict(part.strip().split(":", 1) for part in catalogue(lang)[key].split("|"))
    return forms[category].strip().replace("{count}", str(count))


def ok(suite: RunningSuite, query: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
    answer = suite.graphql(query, variables, token=token)
    body = answer.json()
    assert answer.status_code == 200 and not body.get("errors"), body
    return body["data"]


class Elisabeth:
    """The project, its coordinator, a core member and a skill member (names public)."""

    def __init__(self, suite: RunningSuite, tag: str) -> None:
        self.suite = suite
        self.name = f"Elisabeth {tag}"
        self.join_id: dict[str, str] = {}
        self.tokens = {
            role: suite.token(f"elisabeth-{role}-{tag}", name=name)
            for role, name in {
                "coordinator": "Ria Bos",
                "core": "Joost de Wit",
                "skill": "Sanne Kok",
            }.items()
        }
        for token in self.tokens.values():
            ok(
                suite,
                "mutation($input: UpdateProfileInput!) { updateProfile(input: $input) {"
                " __typename } }",
                {"input": {"namePublic": True}},
                token,
            )
        created = ok(
            suite,
            "mutation($input: CreateProjectInput!) { createProject(input: $input) {"
            " __typename ... on Project { id slug } ... on UserError { message } } }",
            {"input": {"name": self.name, "summary": "A park for the next ten years."}},
            self.tokens["coordinator"],
        )["createProject"]
        assert created["__typename"] == "Project", created
        self.project_id = created["id"]
        self.slug = created["slug"]
        for role in ("core", "skill"):
            self.join(role)
        self.make_core(self.join_id["core"])

    def join(self, role: str) -> None:
        joined = ok(
            self.suite,
            "mutation($p: UUID!) { joinProject(projectId: $p) {"
            " __typename ... on Membership { id } ... on UserError { message } } }",
            {"p": self.project_id},
            self.tokens[role],
        )["joinProject"]
        assert joined["__typename"] == "Membership", joined
        self.join_id[role] = joined["id"]

    def make_core(self, membership_id: str) -> None:
        changed = ok(
            self.suite,
            "mutation($p: UUID!, $m: UUID!) { changeMemberRole(projectId: $p,"
            " membershipId: $m, role: CORE) { __typename ... on UserError { message } } }",
            {"p": self.project_id, "m": membership_id},
            self.tokens["coordinator"],
        )["changeMemberRole"]
        assert changed["__typename"] == "Membership", changed


async def person(
    browser: Browser, suite_url: str, locale: str, token: str | None, **options: Any
) -> Page:
    """A browser context of its own for one person; signed in when given a token."""
    context: BrowserContext = await browser.new_context(
        locale=locale, base_url=suite_url, **options
    )
    context.set_default_timeout(10_000)
    if token:
        await context.add_init_script(f"sessionStorage.setItem('meent.token', {token!r});")
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # type: ignore[attr-defined]
    return page


async def heading_is(page: Page, text: str) -> None:
    await expect(page.get_by_role("heading", level=1)).to_have_text(text)


def create_document(
    suite: RunningSuite, token: str, project_id: str, title: str, body: str, **more: Any
) -> dict[str, Any]:
    """A new document through the API; its id and current revision's id."""
    created = ok(
        suite,
        "mutation($input: CreateDocumentInput!) { createDocument(input: $input) {"
        " __typename ... on Document { id current { id } } ... on UserError { message } } }",
        {"input": {"projectId": project_id, "title": title, "body": body, **more}},
        token,
    )["createDocument"]
    assert created["__typename"] == "Document", created
    return created


def save_revision(
    suite: RunningSuite, token: str, document_id: str, parent: str, body: str, **more: Any
) -> str:
    """A new revision through the API; its id."""
    saved = ok(
        suite,
        "mutation($input: SaveRevisionInput!) { saveRevision(input: $input) {"
        " __typename ... on Revision { id } ... on UserError { message } } }",
        {"input": {"documentId": document_id, "parentRevisionId": parent, "body": body, **more}},
        token,
    )["saveRevision"]
    assert saved["__typename"] == "Revision", saved
    return saved["id"]


def upload(suite: RunningSuite, token: str, project_id: str, filename: str, data: bytes) -> str:
    """A file uploaded through the gateway, as the editor sends one; its attachment id."""
    answer = suite.http.post(
        f"{suite.url}/projects/{project_id}/uploads",
        params={"filename": filename},
        content=data,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


async def close(pages: list[Page]) -> None:
    """Each page had no uncaught error; their contexts are closed."""
    for page in pages:
        assert not page.errors, page.errors  # type: ignore[attr-defined]
        await page.context.close()
