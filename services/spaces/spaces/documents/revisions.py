"""Writing revisions: the save that names its parent, under a row lock on the document so two
saves from the same parent have exactly one winner; the other gets a RevisionConflict."""

import datetime as dt
import hashlib
import uuid

from sqlalchemy import cast, func, literal
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.postgresql import REGCONFIG
from sqlalchemy.ext.asyncio import AsyncSession

from meent_shared.errors import InvalidInput, NotFound, PayloadTooLarge
from meent_shared.events.outbox import record_event
from spaces.db import outbox
from spaces.documents import events
from spaces.documents.errors import RevisionConflict
from spaces.documents.files import attach, files_of
from spaces.documents.models import Document, Revision
from spaces.documents.names import public_names
from spaces.documents.rendering import render_markdown
from spaces.documents.schemas import RevisionPublic, SubmittedRevision
from spaces.people.models import Language

# PostgreSQL's stemmers per document language; Polish has none (a lexicon and trigrams).
TEXT_SEARCH_CONFIG = {
    Language.en: "english",
    Language.nl: "dutch",
    Language.fr: "french",
    Language.pl: "spaces_polish",  # unaccented words, unstemmed; see `search`
}
# The current text indexed for search: enough for any real document, within tsvector's 1 MB.
SEARCH_TEXT_CHARS = 100_000
MAX_LINE_CHARACTERS = 20_000  # a long paragraph has a few thousand
MAX_TABLE_CELLS = 20_000  # the | of every table row (about 20 µs of rendering each)


def check_body_size(body: str, limit: int, loc: list[str | int]) -> None:
    """A body within the byte limit, and of a shape Markdown renders in bounded time: parsing
    grows faster than the length on one long line of brackets or emphasis, and tables cost
    per cell (a 20,000-column row took 2.5 s)."""
    size = len(body.encode("utf-8"))
    if size > limit:
        raise PayloadTooLarge(
            f"A document's text has at most {limit} bytes (UTF-8); this one has {size}",
            code="body_too_large",
            loc=loc,
        )
    for number, line in enumerate(body.splitlines(), start=1):
        if len(line) > MAX_LINE_CHARACTERS:
            raise InvalidInput(
                f"Line {number} has {len(line)} characters; a line has at most "
                f"{MAX_LINE_CHARACTERS}: break it up",
                code="line_too_long",
                loc=loc,
            )
    if body.count("|") > MAX_TABLE_CELLS:
        raise InvalidInput(
            f"A document's tables have at most {MAX_TABLE_CELLS} cells in all",
            code="too_many_table_cells",
            loc=loc,
        )


async def lock_document(session: AsyncSession, document_id: uuid.UUID) -> Document:
    """The document, its row locked until the transaction ends (saves queue up behind it)."""
    document = await session.get(
        Document, document_id, with_for_update=True, populate_existing=True
    )
    if document is None:
        raise NotFound(f"No document {document_id}", code="document_not_found")
    return document


async def revision_of(
    session: AsyncSession, document: Document, revision_id: uuid.UUID, loc: list[str | int]
) -> Revision:
    """A revision that must belong to this document (unknown: 404; another document's: 422)."""
    revision = await session.get(Revision, revision_id)
    if revision is None:
        raise NotFound(f"No revision {revision_id}", code="revision_not_found", loc=loc)
    if revision.document_id != document.id:
        raise InvalidInput(
            f"Revision {revision_id} belongs to another document",
            code="revision_of_another_document",
            loc=loc,
        )
    return revision


async def revision_public(session: AsyncSession, revision: Revision) -> RevisionPublic:
    names = await public_names(session, [revision.author_id])
    files = await files_of(session, revision.id)
    return RevisionPublic(
        **revision.model_dump(), author=names[revision.author_id], attachments=files
    )


async def ensure_current(
    session: AsyncSession, document: Document, parent: Revision, submitted: SubmittedRevision
) -> None:
    """Refuse (with both texts) a save whose parent is not the document's current revision."""
    if document.current_revision_id == parent.id:
        return
    assert document.current_revision_id is not None  # a document always has a first revision
    current = await session.get(Revision, document.current_revision_id)
    assert current is not None
    raise RevisionConflict(await revision_public(session, current), submitted)


async def append_revision(
    session: AsyncSession,
    document: Document,
    *,
    parent_id: uuid.UUID | None,
    body: str,
    message: str,
    author_id: str,
    award_application_id: uuid.UUID | None = None,
    attachment_ids: list[uuid.UUID] | None = None,
) -> Revision:
    """Add a revision on top of the (locked) document, make it current, announce it."""
    revision = Revision(
        document_id=document.id,
        parent_id=parent_id,
        body=body,
        sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        author_id=author_id,
        message=message,
        award_application_id=award_application_id,
        html=render_markdown(body),
    )
    session.add(revision)
    await session.flush()
    await attach(session, document, revision.id, attachment_ids, parent_id)
    if parent_id is not None:
        document.version += 1
    document.current_revision_id = revision.id
    set_search_text(document, body)
    document.updated_at = dt.datetime.now(dt.UTC)
    await session.flush()
    await session.refresh(document)
    await session.refresh(revision)
    await remember_polish_words(session, document)
    await record_event(session, outbox, events.document_revised(document, revision))
    return revision


def set_search_text(document: Document, body: str) -> None:
    """The search columns of the current text, computed by PostgreSQL at the flush."""
    text = f"{document.title}\n\n{body}"[:SEARCH_TEXT_CHARS]
    config = cast(literal(TEXT_SEARCH_CONFIG[Language(document.language)]), REGCONFIG)
    document.search_text = text
    document.search_vector = func.to_tsvector(config, text)  # type: ignore[assignment]


async def remember_polish_words(session: AsyncSession, document: Document) -> None:
    """Add a Polish document's (unaccented) words to the lexicon search widens queries from."""
    if document.language != Language.pl:
        return
    await session.execute(
        sql_text(
            "INSERT INTO search_word (word) SELECT lexeme FROM unnest("
            " (SELECT search_vector FROM document WHERE id = :id)) ON CONFLICT DO NOTHING"
        ),
        {"id": document.id},
    )
