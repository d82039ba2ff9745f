"""Scenario data at scale for the spaces scenarios, loaded once per run through spaces' own REST
interface (so every row is what the service writes — search columns, history, events):

- the Elisabeth project with 200 documents × 50 revisions (each revision rewrites a few lines of a
  40-line plan), whose documents the history scenario reads;
- one document with two revisions of 2,000 lines, 10 % of the lines changed, for the diff scenario;
- 10,000 documents in all (the 200 and more, a quarter in each of en/nl/fr/pl) for search.

Requests go 16 at a time; loading takes a few minutes on a 2-core machine. Then VACUUM ANALYZE, so
the planner knows the tables' sizes before anything is measured.
"""

import asyncio
import random
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg

from meent_shared.local.suite import Suite

HISTORY_DOCUMENTS = 200
REVISIONS_PER_DOCUMENT = 50
SEARCH_DOCUMENTS = 10_000
DIFF_LINES = 2_000
DIFF_CHANGED = 0.10
PARALLEL = 16
SEED = 8

WORDS = {
    "en": "park tree trees planting meadow bench path pond garden neighbours playground",
    "nl": "park boom bomen planten weide bank pad vijver tuin buren speeltuin",
    "fr": "parc arbre arbres planter prairie banc chemin étang jardin voisins",
    "pl": "park drzewo drzewa sadzenie łąka ławka ścieżka staw ogród Placu Węglowego",
}
FILLER = [
    "lorem",
    "ipsum",
    "dolor",
    "sit",
    "amet",
    "consectetur",
    "adipiscing",
    "elit",
    "sed",
    "do",
    "eiusmod",
    "tempor",
]
# What people search for: a stemmed word, two words, Polish without its diacritics.
QUERIES = [
    ("tree", "en"),
    ("planting meadow", "en"),
    ("bomen", "nl"),
    ("vijver tuin", "nl"),
    ("arbre", "fr"),
    ("étang", "fr"),
    ("weglowy", "pl"),
    ("lawka", "pl"),
    ("drzewa", None),
    ("garden", None),
]


@dataclass
class SpacesData:
    history_documents: list[str] = field(default_factory=list)  # document ids
    diff_pair: tuple[str, str] = ("", "")  # (from, to) revision ids
    queries: list[tuple[str, str | None]] = field(default_factory=lambda: list(QUERIES))
    facts: dict[str, Any] = field(default_factory=dict)


_loaded: dict[int, SpacesData] = {}


def spaces_data(suite: Suite) -> SpacesData:
    """The data, loaded on the first call of a run and shared by every spaces scenario."""
    if id(suite) not in _loaded:
        _loaded[id(suite)] = asyncio.run(_load(suite))
    return _loaded[id(suite)]


def _words(rng: random.Random, language: str, count: int) -> str:
    words = WORDS[language].split()
    return " ".join(rng.choice(words if rng.random() < 0.1 else FILLER) for _ in range(count))


def _plan(rng: random.Random, lines: int) -> list[str]:
    return [f"{n}. {_words(rng, 'en', 8)}" for n in range(lines)]


async def _token(gateway: str) -> str:
    async with httpx.AsyncClient() as client:
        answer = await client.post(
            f"{gateway}/auth/dev-token",
            json={"sub": "bench-core", "name": "Bench Core", "roles": ["citizen"]},
        )
        answer.raise_for_status()
        return str(answer.json()["access_token"])


class Loader:
    def __init__(self, client: httpx.AsyncClient):
        self.client = client
        self.gate = asyncio.Semaphore(PARALLEL)

    async def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        async with self.gate:
            answer = await self.client.post(path, json=body)
        if answer.status_code >= 300:
            raise RuntimeError(f"POST {path}: {answer.status_code} {answer.text[:300]}")
        return dict(answer.json())

    async def document(self, project: str, title: str, language: str, body: str) -> dict[str, Any]:
        document = {"title": title, "kind": "plan", "language": language, "body": body}
        return await self.post(f"/projects/{project}/documents", document)

    async def revise(self, document: dict[str, Any], parent: str, body: str) -> str:
        revision = {"parent_revision_id": parent, "body": body, "message": "Bench edit"}
        saved = await self.post(f"/documents/{document['id']}/revisions", revision)
        return str(saved["id"])


async def _history_document(loader: Loader, project: str, index: int) -> str:
    """A 40-line plan revised 49 times, a few lines each time (revisions one after the other)."""
    rng = random.Random(SEED * 1000 + index)
    lines = _plan(rng, 40)
    document = await loader.document(project, f"Plan {index}", "en", "\n".join(lines))
    parent = str(document["current_revision_id"])
    for _ in range(REVISIONS_PER_DOCUMENT - 1):
        for _ in range(3):
            lines[rng.randrange(len(lines))] = f"- {_words(rng, 'en', 8)}"
        parent = await loader.revise(document, parent, "\n".join(lines))
    return str(document["id"])


async def _diff_pair(loader: Loader, project: str) -> tuple[str, str]:
    rng = random.Random(SEED)
    lines = _plan(rng, DIFF_LINES)
    document = await loader.document(project, "Ten-year plan", "en", "\n".join(lines))
    first = str(document["current_revision_id"])
    for n in rng.sample(range(DIFF_LINES), int(DIFF_LINES * DIFF_CHANGED)):
        lines[n] = f"{n}. {_words(rng, 'en', 8)} (changed)"
    return first, await loader.revise(document, first, "\n".join(lines))


async def _search_document(loader: Loader, project: str, index: int) -> None:
    rng = random.Random(SEED * 7 + index)
    language = list(WORDS)[index % 4]
    await loader.document(project, f"Notes {index}", language, _words(rng, language, 300))


async def _load(suite: Suite) -> SpacesData:
    started = time.monotonic()
    token = await _token(suite.url("gateway"))
    headers = {"Authorization": f"Bearer {token}"}
    timeout = httpx.Timeout(60.0)
    async with httpx.AsyncClient(
        base_url=suite.url("spaces"), headers=headers, timeout=timeout
    ) as client:
        loader = Loader(client)
        project = (await loader.post("/projects", {"name": "Elisabeth park (bench)"}))["id"]
        histories = await asyncio.gather(
            *(_history_document(loader, project, i) for i in range(HISTORY_DOCUMENTS))
        )
        diff_pair = await _diff_pair(loader, project)
        others = SEARCH_DOCUMENTS - HISTORY_DOCUMENTS - 1
        await asyncio.gather(*(_search_document(loader, project, i) for i in range(others)))
    with psycopg.connect(suite.database_url("spaces"), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
        revisions = connection.execute("SELECT count(*) FROM revision").fetchone()
        documents = connection.execute("SELECT count(*) FROM document").fetchone()
    facts = {
        "documents": documents[0] if documents else 0,
        "revisions": revisions[0] if revisions else 0,
        "history documents × revisions": f"{HISTORY_DOCUMENTS} × {REVISIONS_PER_DOCUMENT}",
        "diff": f"two revisions of {DIFF_LINES} lines, {DIFF_CHANGED:.0%} changed",
        "load seconds (through REST)": round(time.monotonic() - started, 1),
    }
    return SpacesData(list(histories), diff_pair, list(QUERIES), facts)
