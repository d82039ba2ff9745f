"""Search over documents' current text, per document language: PostgreSQL's stemmers for English,
Dutch and French (a GIN-indexed tsvector); Polish, which PostgreSQL cannot stem, by unaccented
trigram word similarity (a GIN trigram index), so "weglowy" finds "Placu Węglowego".

Snippets are HTML: ts_headline marks matches with two control characters no stored text can hold
(bodies and titles refuse them); the text is escaped and only then are the marks made <mark>."""

import html
import re
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from spaces.documents.revisions import TEXT_SEARCH_CONFIG
from spaces.documents.schemas import SearchHit, SearchResults
from spaces.people.models import Language

MAX_QUERY_WORDS = 10
_START, _STOP = "\x01", "\x02"
_HEADLINE_OPTIONS = (
    f'StartSel="{_START}", StopSel="{_STOP}", MaxWords=30, MinWords=10, MaxFragments=2,'
    ' FragmentDelimiter=" … "'
)
_COLUMNS = "d.id AS document_id, d.project_id, d.title, d.language"

# One branch per stemmed language, each able to use the tsvector index.
_STEMMED = f"""
SELECT {_COLUMNS}, ts_rank_cd(d.search_vector, q, 32) AS rank,
       ts_headline(CAST(:config_{{lang}} AS regconfig), d.search_text, q, :options) AS snippet
FROM document d, websearch_to_tsquery(CAST(:config_{{lang}} AS regconfig), :q) q
WHERE d.language = '{{lang}}' AND d.search_vector @@ q
"""
# Polish: the query's words, unaccented, against the document's words; the words that matched
# are then highlighted as themselves (the simple configuration keeps their accents).
_POLISH = f"""
SELECT {_COLUMNS}, word_similarity(:plain, d.search_plain) AS rank,
       ts_headline('simple', d.search_text, coalesce((
           SELECT to_tsquery('simple', string_agg(quote_literal(m.word), ' | '))
           FROM (SELECT DISTINCT lower(w) AS word
                 FROM regexp_split_to_table(d.search_text, '[^[:alnum:]]+') AS w
                 WHERE w <> '' AND EXISTS (
                     SELECT 1 FROM unnest(CAST(:words AS text[])) AS qw
                     WHERE qw <% lower(unaccent(w)))
                 LIMIT 20) AS m), to_tsquery('simple', '')), :options) AS snippet
FROM document d
WHERE d.language = 'pl' AND :plain <% d.search_plain
"""


def _words(q: str) -> list[str]:
    return [w for w in re.split(r"\W+", q.lower()) if w][:MAX_QUERY_WORDS]


def snippet_html(headline: str) -> str:
    """The headline's text escaped, its marks (and only they) made <mark>."""
    escaped = html.escape(headline, quote=False)
    return escaped.replace(_START, "<mark>").replace(_STOP, "</mark>")


def _branches(language: Language | None) -> list[str]:
    languages = [language] if language else list(Language)
    return [
        _POLISH if lang == Language.pl else _STEMMED.format(lang=lang.value) for lang in languages
    ]


async def search_documents(
    *, session: AsyncSession, q: str, language: Language | None, limit: int, offset: int
) -> SearchResults:
    words = _words(q)
    if not words:
        return SearchResults(data=[], count=0)
    union = " UNION ALL ".join(f"({branch})" for branch in _branches(language))
    statement = text(
        f"SELECT *, count(*) OVER () AS total FROM ({union}) AS hit"
        " ORDER BY rank DESC, document_id LIMIT :limit OFFSET :offset"
    )
    params: dict[str, Any] = {
        f"config_{lang.value}": cfg for lang, cfg in TEXT_SEARCH_CONFIG.items()
    }
    # unaccent's dictionary is PostgreSQL's own; the same one made `search_plain`.
    plain = await session.scalar(text("SELECT lower(unaccent(:q))"), {"q": " ".join(words)})
    plain_words = [w for w in re.split(r"\W+", plain or "") if w]
    params |= {"q": q, "plain": plain, "words": plain_words, "options": _HEADLINE_OPTIONS}
    rows = (await session.execute(statement, params | {"limit": limit, "offset": offset})).all()
    hits = [
        SearchHit(
            document_id=row.document_id,
            project_id=row.project_id,
            title=row.title,
            language=row.language,
            rank=float(row.rank),
            snippet=snippet_html(row.snippet),
        )
        for row in rows
    ]
    return SearchResults(data=hits, count=rows[0].total if rows else 0)
