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
# Matching and ranking first (each branch able to use its index); headlines only for the page.
_STEMMED = """
SELECT d.id, ts_rank_cd(d.search_vector, q, 32) AS rank
FROM document d, websearch_to_tsquery(CAST(:config_{lang} AS regconfig), :q) q
WHERE d.language = '{lang}' AND d.search_vector @@ q
"""
_POLISH = """
SELECT d.id, word_similarity(:plain, d.search_plain) AS rank
FROM document d WHERE d.language = 'pl' AND :plain <% d.search_plain
"""
# Polish headlines: the document's words that matched a query word (unaccented), highlighted as
# themselves (the simple configuration keeps their accents).
_POLISH_QUERY = """coalesce((
    SELECT to_tsquery('simple', string_agg(quote_literal(m.word), ' | '))
    FROM (SELECT DISTINCT lower(w) AS word
          FROM regexp_split_to_table(d.search_text, '[^[:alnum:]]+') AS w
          WHERE w <> '' AND EXISTS (
              SELECT 1 FROM unnest(CAST(:words AS text[])) AS qw
              WHERE qw <% lower(unaccent(w)))
          LIMIT 20) AS m), to_tsquery('simple', ''))"""
_CONFIG_OF_ROW = (
    "CASE d.language WHEN 'en' THEN CAST(:config_en AS regconfig)"
    " WHEN 'nl' THEN CAST(:config_nl AS regconfig) WHEN 'fr' THEN CAST(:config_fr AS regconfig)"
    " ELSE CAST('simple' AS regconfig) END"
)
_PAGE = f"""
WITH hit AS (
    SELECT id, rank, count(*) OVER () AS total FROM ({{union}}) AS matched
    ORDER BY rank DESC, id LIMIT :limit OFFSET :offset)
SELECT d.id AS document_id, d.project_id, d.title, d.language, hit.rank, hit.total,
    CASE WHEN d.language = 'pl'
        THEN ts_headline('simple', d.search_text, {_POLISH_QUERY}, :options)
        ELSE ts_headline({_CONFIG_OF_ROW}, d.search_text,
                         websearch_to_tsquery({_CONFIG_OF_ROW}, :q), :options)
    END AS snippet
FROM hit JOIN document d ON d.id = hit.id
ORDER BY hit.rank DESC, d.id
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
    statement = text(_PAGE.format(union=union))
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
