"""Search over documents' current text, per document language: PostgreSQL's stemmers for English,
Dutch and French; Polish, which PostgreSQL cannot stem, by unaccented words and trigram word
similarity — each query word widened to the words like it that Polish documents hold (the
`search_word` lexicon, trigram-indexed), so "weglowy" finds "Placu Węglowego". Every branch
then matches through the GIN-indexed tsvector, and ranks with ts_rank_cd.

Snippets are HTML: ts_headline marks matches with two control characters no stored text can hold
(bodies and titles refuse them); the text is escaped and only then are the marks made <mark>."""

import html
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from spaces.documents.revisions import TEXT_SEARCH_CONFIG
from spaces.documents.schemas import SearchHit, SearchResults
from spaces.people.models import Language

MAX_QUERY_WORDS = 10
SIMILAR_WORDS = 20  # per query word, the most similar known words
_START, _STOP = "\x01", "\x02"
_HEADLINE_OPTIONS = (
    f'StartSel="{_START}", StopSel="{_STOP}", MaxWords=30, MinWords=10, MaxFragments=2,'
    ' FragmentDelimiter=" … "'
)

# Each query word (unaccented) widened to similar lexicon words; NULL if one finds none.
_POLISH_QUERY = f"""
WITH query_word AS (
    SELECT lexeme AS w FROM unnest(to_tsvector('spaces_polish', :q)) LIMIT {MAX_QUERY_WORDS}),
widened AS (
    SELECT q.w, string_agg(quote_literal(m.word), ' | ') AS alternatives
    FROM query_word q CROSS JOIN LATERAL (
        SELECT word FROM search_word WHERE q.w <% word
        ORDER BY word_similarity(q.w, word) DESC, word LIMIT {SIMILAR_WORDS}) AS m
    GROUP BY q.w)
SELECT CASE WHEN count(*) = (SELECT count(*) FROM query_word) AND count(*) > 0
            THEN string_agg('(' || alternatives || ')', ' & ') END
FROM widened
"""
_ROW_CONFIG = (
    "CASE d.language WHEN 'en' THEN CAST('english' AS regconfig)"
    " WHEN 'nl' THEN CAST('dutch' AS regconfig) WHEN 'fr' THEN CAST('french' AS regconfig)"
    " ELSE CAST('spaces_polish' AS regconfig) END"
)
_ROW_QUERY = (
    "CASE WHEN d.language = 'pl' THEN to_tsquery('simple', coalesce(:pl_query, ''))"
    f" ELSE websearch_to_tsquery({_ROW_CONFIG}, :q) END"
)
_BRANCH = """
SELECT d.id, ts_rank_cd(d.search_vector, q, 32) AS rank FROM document d, ({query}) AS t(q)
WHERE d.language = '{lang}' AND d.search_vector @@ q
"""
# Matching and ranking first (each branch able to use the index); headlines only for the page.
_PAGE = f"""
WITH hit AS (
    SELECT id, rank, count(*) OVER () AS total FROM ({{union}}) AS matched
    ORDER BY rank DESC, id LIMIT :limit OFFSET :offset)
SELECT d.id AS document_id, d.project_id, d.title, d.language, hit.rank, hit.total,
       ts_headline({_ROW_CONFIG}, d.search_text, {_ROW_QUERY}, :options) AS snippet
FROM hit JOIN document d ON d.id = hit.id
ORDER BY hit.rank DESC, d.id
"""


def snippet_html(headline: str) -> str:
    """The headline's text escaped, its marks (and only they) made <mark>."""
    escaped = html.escape(headline, quote=False)
    return escaped.replace(_START, "<mark>").replace(_STOP, "</mark>")


def _branch(language: Language) -> str:
    if language == Language.pl:
        query = "SELECT to_tsquery('simple', :pl_query)"
    else:
        query = f"SELECT websearch_to_tsquery('{TEXT_SEARCH_CONFIG[language]}', :q)"
    return _BRANCH.format(query=query, lang=language.value)


async def _statement(
    session: AsyncSession, q: str, language: Language | None
) -> tuple[str | None, dict[str, Any]]:
    """The page's query (None if no branch can match) and its parameters."""
    languages = [language] if language else list(Language)
    pl_query = None
    if Language.pl in languages:
        pl_query = await session.scalar(text(_POLISH_QUERY), {"q": q})
        if pl_query is None:  # a query word like no word of any Polish document
            languages.remove(Language.pl)
    params = {"q": q, "pl_query": pl_query, "options": _HEADLINE_OPTIONS}
    if not languages:
        return None, params
    union = " UNION ALL ".join(f"({_branch(lang)})" for lang in languages)
    return _PAGE.format(union=union), params


async def search_documents(
    *, session: AsyncSession, q: str, language: Language | None, limit: int, offset: int
) -> SearchResults:
    statement, params = await _statement(session, q, language)
    if statement is None:
        return SearchResults(data=[], count=0)
    rows = (
        await session.execute(text(statement), params | {"limit": limit, "offset": offset})
    ).all()
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
