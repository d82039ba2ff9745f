"""Search over 10,000 documents: `python -m tests.bench.documents_search [--documents N]`.

A fresh PostgreSQL with spaces' migrations, N documents (a quarter each in en/nl/fr/pl, a few
hundred words of text, search columns as the service keeps them), then the search service
function timed on a mix of queries in each language and across all. Prints p50/p95 in ms."""

import argparse
import asyncio
import random
import statistics
import time
import uuid
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from meent_shared.db import async_url
from meent_shared.migrations import upgrade
from meent_shared.testing.servers import execute, start_postgres
from spaces.documents.revisions import SEARCH_TEXT_CHARS, TEXT_SEARCH_CONFIG
from spaces.documents.search import search_documents
from spaces.people.models import Language

ROOT = Path(__file__).resolve().parents[2]
WORDS = {
    Language.en: "park tree trees planting meadow bench path pond garden neighbours playground",
    Language.nl: "park boom bomen planten weide bank pad vijver tuin buren speeltuin",
    Language.fr: "parc arbre arbres planter prairie banc chemin étang jardin voisins",
    Language.pl: "park drzewo drzewa sadzenie łąka ławka ścieżka staw ogród Placu Węglowego",
}
QUERIES = {
    Language.en: ["tree", "planting meadow", "pond"],
    Language.nl: ["boom", "vijver tuin"],
    Language.fr: ["arbre", "étang"],
    Language.pl: ["weglowy", "lawka", "drzewa"],
}
VERBOSE = False
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
]


def _body(rng: random.Random, language: Language) -> str:
    words = WORDS[language].split()
    return " ".join(rng.choice(words if rng.random() < 0.1 else FILLER) for _ in range(300))


async def _fill(engine, count: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(8)
    project = uuid.uuid4()
    async with engine.begin() as connection:
        await connection.execute(text("INSERT INTO person (id, display_name) VALUES ('b', 'B')"))
        await connection.execute(
            text(
                "INSERT INTO project (id, name, summary, slug, version, created_by)"
                " VALUES (:id, 'Bench', '', 'bench', 1, 'b')"
            ),
            {"id": project},
        )
        languages = list(Language)
        rows = []
        for i in range(count):
            language = languages[i % 4]
            body = _body(rng, language)
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "p": project,
                    "lang": language.value,
                    "cfg": TEXT_SEARCH_CONFIG[language],
                    "text": f"Document {i}\n\n{body}"[:SEARCH_TEXT_CHARS],
                }
            )
        await connection.execute(
            text(
                "INSERT INTO document (id, project_id, title, kind, language, search_text,"
                " search_vector) VALUES (:id, :p, 'Document', 'plan',"
                " CAST(:lang AS language), :text, to_tsvector(CAST(:cfg AS regconfig), :text))"
            ),
            rows,
        )
        await connection.execute(
            text(
                "INSERT INTO search_word (word) SELECT DISTINCT lexeme FROM document,"
                " unnest(search_vector) WHERE language = 'pl' ON CONFLICT DO NOTHING"
            )
        )
        await connection.execute(text("ANALYZE document"))


async def _measure(engine, rounds: int) -> list[float]:  # type: ignore[no-untyped-def]
    from sqlalchemy.ext.asyncio import AsyncSession

    timings = []
    cases = [(q, lang) for lang, qs in QUERIES.items() for q in qs]
    cases += [(q, None) for qs in QUERIES.values() for q in qs[:1]]
    async with AsyncSession(engine) as session:
        for _ in range(rounds):
            for q, language in cases:
                start = time.perf_counter()
                await search_documents(session=session, q=q, language=language, limit=20, offset=0)
                timings.append((time.perf_counter() - start) * 1000)
                if VERBOSE:
                    print(q, language, f"{timings[-1]:.1f}")
    return timings


async def main(count: int, rounds: int) -> None:
    server = start_postgres()
    try:
        execute(server.url(), 'CREATE DATABASE "bench_search"')
        upgrade(ROOT / "services/spaces", server.url("bench_search"))
        engine = create_async_engine(async_url(server.url("bench_search")))
        await _fill(engine, count)
        await _measure(engine, 1)  # warm up
        timings = sorted(await _measure(engine, rounds))
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(
            f"search over {count} documents, {len(timings)} queries:"
            f" p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms"
        )
        await engine.dispose()
    finally:
        server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=10)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.documents, arguments.rounds))
