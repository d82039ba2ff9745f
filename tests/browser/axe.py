"""axe-core in the page under test: `await assert_accessible(page)` fails on every serious or
critical WCAG 2.1 A/AA finding. axe comes from the web client's own npm install."""

from functools import cache
from pathlib import Path

from playwright.async_api import Page

AXE = Path(__file__).parents[2] / "gateway" / "web" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""


@cache
def axe_source() -> str:
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` in gateway/web"
    return AXE.read_text(encoding="utf-8")


async def assert_accessible(page: Page) -> None:
    source = axe_source()
    if not await page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, so a strict Content-Security-Policy (no
        # inline scripts), which a <script> tag injection would trip over, does not block it.
        await page.evaluate(source)
    violations = await page.evaluate(RUN_AXE, TAGS)
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>\n"
        + "\n".join(f"    {n['target']}: {n['summary']}" for n in v["nodes"])
        for v in failing
    )
    assert not failing, f"axe: {len(failing)} serious/critical finding(s) on {page.url}\n{report}"
