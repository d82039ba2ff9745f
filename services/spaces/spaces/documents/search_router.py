"""Search over documents' current text (public)."""

from typing import Annotated

from fastapi import APIRouter, Query

from meent_shared.types import SingleLine
from spaces.deps import SessionDep
from spaces.documents.schemas import SearchResults
from spaces.documents.search import search_documents
from spaces.people.models import Language

router = APIRouter(tags=["search"])

MAX_QUERY_LENGTH = 200
MAX_SEARCH_LIMIT = 50


@router.get("/search")
async def search(
    session: SessionDep,
    q: Annotated[SingleLine, Query(min_length=1, max_length=MAX_QUERY_LENGTH)],
    language: Language | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_SEARCH_LIMIT)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> SearchResults:
    """Documents whose current text matches `q`, best first, with highlighted HTML snippets."""
    return await search_documents(
        session=session, q=q, language=language, limit=limit, offset=offset
    )
