"""A grant award, recorded once in the project's space: a published `agreement` document whose
one revision, by the system author `system:grants`, states the call, the amount and the date.

Once per application, however the award arrives: a redelivery of the same event finds its id in
the inbox; a re-publication under a new event id meets the unique `award_application_id` of the
revision (INSERT … ON CONFLICT DO NOTHING), and the document made for it is rolled back with its
savepoint. (The documents service will own revision writing; this is the one insert awards need.)
"""

import hashlib
import logging
import re
import uuid

from sqlalchemy import func, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from meent_shared.db import table_of
from meent_shared.events.contracts.grants import ApplicationAwarded
from meent_shared.events.contracts.spaces import DocumentPublished, DocumentRevised
from meent_shared.events.envelope import CloudEvent
from meent_shared.events.outbox import record_events
from spaces.db import outbox
from spaces.documents.models import Document, DocumentKind, DocumentStatus, Revision
from spaces.people.service import SYSTEM_PEOPLE, ensure_person_id
from spaces.projects.models import Project

log = logging.getLogger("spaces.awards")

GRANTS_AUTHOR = "system:grants"
TITLE_LENGTH = 200
# Markdown's punctuation: a call's title is text, never markup of the agreement.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")
_LINE_BREAKS = re.compile(r"\s+")


class UnknownProject(LookupError):
    """The award names a project spaces does not hold: parked as a dead letter, replayable."""


def as_text(value: str) -> str:
    """One line of Markdown that reads as the literal text."""
    return _MARKDOWN.sub(r"\\\1", _LINE_BREAKS.sub(" ", value).strip())


def money(cents: int, currency: str) -> str:
    whole, part = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    return f"{sign}{whole:,}.{part:02d} {currency}"


def agreement_title(award: ApplicationAwarded) -> str:
    return f"Grant agreement: {_LINE_BREAKS.sub(' ', award.call_title).strip()}"[:TITLE_LENGTH]


def agreement_body(award: ApplicationAwarded) -> str:
    return "\n".join(
        [
            f"# Grant agreement: {as_text(award.call_title)}",
            "",
            f"- Call: {as_text(award.call_title)}",
            f"- Application: {as_text(award.title)}",
            f"- Amount: {money(award.amount_cents, award.currency)}",
            f"- Awarded on: {award.awarded_on.isoformat()}",
            "",
        ]
    )


async def on_application_awarded(
    session: AsyncSession, award: ApplicationAwarded, event: CloudEvent
) -> None:
    """Record the award as a published agreement, unless this application's is there already."""
    if await session.get(Project, award.project_id) is None:
        raise UnknownProject(
            f"No project {award.project_id} for application {award.application_id}"
        )
    await ensure_person_id(session, GRANTS_AUTHOR, SYSTEM_PEOPLE[GRANTS_AUTHOR])
    async with session.begin_nested() as savepoint:
        document = await _agreement_document(session, award)
        revision_id = await _insert_revision(session, document, award)
        if revision_id is None:
            log.info("award already recorded", extra={"application_id": str(award.application_id)})
            await savepoint.rollback()
            return
        await _make_current(session, document, revision_id, agreement_body(award))
    await record_events(session, outbox, _announcements(document, revision_id))


async def _agreement_document(session: AsyncSession, award: ApplicationAwarded) -> Document:
    document = Document(
        project_id=award.project_id,
        title=agreement_title(award),
        kind=DocumentKind.agreement,
        status=DocumentStatus.published,
    )
    session.add(document)
    await session.flush()
    return document


async def _insert_revision(
    session: AsyncSession, document: Document, award: ApplicationAwarded
) -> uuid.UUID | None:
    body = agreement_body(award)
    statement = (
        insert(table_of(Revision))
        .values(
            id=uuid.uuid4(),
            document_id=document.id,
            body=body,
            sha256=hashlib.sha256(body.encode()).hexdigest(),
            author_id=GRANTS_AUTHOR,
            message=f"Award of {money(award.amount_cents, award.currency)}"[:500],
            award_application_id=award.application_id,
        )
        .on_conflict_do_nothing(index_elements=["award_application_id"])
        .returning(table_of(Revision).c.id)
    )
    return await session.scalar(statement)


async def _make_current(
    session: AsyncSession, document: Document, revision_id: uuid.UUID, body: str
) -> None:
    # The search columns as the documents service keeps them: title and body, English stemming
    # (the agreement's language), and the unaccented lower-case text for trigram matching.
    text = f"{document.title}\n{body}"
    await session.execute(
        update(table_of(Document))
        .where(col(Document.id) == document.id)
        .values(
            current_revision_id=revision_id,
            search_text=text,
            search_vector=func.to_tsvector("english", text),
            search_plain=func.lower(func.unaccent(text)),
        )
    )


def _announcements(
    document: Document, revision_id: uuid.UUID
) -> list[DocumentRevised | DocumentPublished]:
    revised = DocumentRevised(
        document_id=document.id,
        project_id=document.project_id,
        revision_id=revision_id,
        title=document.title,
        version=document.version,
        author_id=GRANTS_AUTHOR,
        message="Grant award",
    )
    published = DocumentPublished(**revised.model_dump(exclude={"author_id", "message"}))
    return [revised, published]


__all__ = ["on_application_awarded"]
