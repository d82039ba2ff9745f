"""Messages with numbers take the plural form of their language through Intl.PluralRules — the
client's own src/i18n.ts, bundled by esbuild and run in Node.js (no browser needed)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.messages import I18N, LANGUAGES, catalogue

WEB = I18N.parents[1]
ESBUILD = WEB / "node_modules" / ".bin" / "esbuild"
VENV_NODE = Path(__file__).parents[2] / ".venv" / "bin" / "node"

# For every language and plural message: the categories it has; and t() for some counts.
PROBE = """
import { readFileSync } from "node:fs";
import { LANGUAGES, pluralForms, t } from "./i18n.mjs";
const [i18n, keys, counts] = JSON.parse(process.argv[2]);
const out = { categories: {}, forms: {}, rendered: {} };
for (const lang of LANGUAGES) {
  const catalogue = JSON.parse(readFileSync(`${i18n}/${lang}.json`, "utf-8"));
  out.categories[lang] = new Intl.PluralRules(lang).resolvedOptions().pluralCategories.sort();
  out.forms[lang] = {};
  for (const [key, text] of Object.entries(catalogue)) {
    const forms = pluralForms(text);
    if (forms) out.forms[lang][key] = [...forms.keys()].sort();
  }
  out.rendered[lang] = {};
  for (const key of keys) out.rendered[lang][key] = counts.map((count) => t(key, { count }, lang));
}
console.log(JSON.stringify(out));
"""


def node() -> str:
    found = shutil.which("node") or (str(VENV_NODE) if VENV_NODE.exists() else None)
    if not found:
        pytest.fail("Node.js is missing (make setup installs it)")
    return found


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    if not ESBUILD.exists():
        pytest.fail(f"{ESBUILD} is missing: run `npm ci` in gateway/web")
    folder = tmp_path_factory.mktemp("plural-probe")
    subprocess.run(
        [
            str(ESBUILD),
            str(WEB / "src" / "i18n.ts"),
            "--bundle",
            "--format=esm",
            "--log-level=error",
            f"--outfile={folder / 'i18n.mjs'}",
        ],
        check=True,
    )
    script = folder / "probe.mjs"
    script.write_text(PROBE, encoding="utf-8")

    def run(keys: list[str], counts: list[float]) -> dict:
        answer = subprocess.run(
            [node(), str(script), json.dumps([str(I18N), keys, counts])],
            check=True,
            capture_output=True,
            text=True,
            cwd=folder,
        )
        return json.loads(answer.stdout)

    return run


def test_polish_hours_take_one_few_and_many(probe):
    shown = probe(["project.hours"], [1, 2, 5, 22, 1.5])["rendered"]["pl"]["project.hours"]
    assert shown == [
        "1 zatwierdzona godzina wolontariatu",
        "2 zatwierdzone godziny wolontariatu",
        "5 zatwierdzonych godzin wolontariatu",
        "22 zatwierdzone godziny wolontariatu",
        "1,5 zatwierdzonej godziny wolontariatu",
    ]
    english = probe(["project.hours"], [1, 2])["rendered"]["en"]["project.hours"]
    assert english == ["1 approved volunteer hour", "2 approved volunteer hours"]


def test_polish_revisions_and_comments_read_right(probe):
    rendered = probe(["history.revisions", "comments.title"], [1, 3, 12])["rendered"]["pl"]
    assert [r.split(",")[0] for r in rendered["history.revisions"]] == [
        "1 wersja",
        "3 wersje",
        "12 wersji",
    ]
    assert rendered["comments.title"] == ["1 komentarz", "3 komentarze", "12 komentarzy"]


def test_every_plural_message_has_each_category_of_its_language(probe):
    result = probe([], [])
    english = set(result["forms"]["en"])
    assert "project.hours" in english
    for lang in LANGUAGES:
        plural_keys = set(result["forms"][lang])
        assert plural_keys == english, f"{lang}: plural in English only: {english - plural_keys}"
        wanted = result["categories"][lang]
        for key, forms in result["forms"][lang].items():
            assert forms == wanted, f"{lang}: {key} has forms {forms}, the language uses {wanted}"
    assert result["categories"]["pl"] == ["few", "many", "one", "other"]


def test_plain_messages_are_untouched():
    # A message that is not plural keeps its {count} as given (the map's status line).
    assert "{count}" in catalogue("en")["map.status"]
