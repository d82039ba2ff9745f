"""A grant award, recorded once in the project's space: a published `agreement` document whose
one revision, by the system author `system:grants`, states the call, the amount and the date.

Once per application, however the award arrives: a redelivery of the same event finds its id in
the inbox; a re-publication under a new event id finds the application's revision (or, arriving
at the same moment, meets the unique `award_application_id`, and the document made for it is
rolled back with its savepoint). The revision is written as every revision is (append_revision).
"""

import logging
import re
import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from meent_shared.events.contracts.grants import ApplicationAwarded
from meent_shared.events.envelope import CloudEvent
from meent_shared.events.outbox import record_event
from spaces.db import outbox
from spaces.documents import events
from spaces.documents.models import Document, DocumentKind, DocumentStatus, Revision
from spaces.documents.revisions import append_revision
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
    if await _recorded(session, award.application_id):
        log.info("award already recorded", extra={"application_id": str(award.application_id)})
        return
    await ensure_person_id(session, GRANTS_AUTHOR, SYSTEM_PEOPLE[GRANTS_AUTHOR])
    try:
        async with session.begin_nested():
            await _write_agreement(session, award)
    except IntegrityError:
        # The same award, re-published under another event id, recorded at the same moment by
        # another delivery: its unique award_application_id won; the savepoint took ours back.
        log.info("award recorded meanwhile", extra={"application_id": str(award.application_id)})


async def _recorded(session: AsyncSession, application_id: uuid.UUID) -> bool:
    query = select(col(Revision.id)).where(col(Revision.award_application_id) == application_id)
    return await session.scalar(query) is not None


async def _write_agreement(session: AsyncSession, award: ApplicationAwarded) -> None:
    """The agreement document and its one revision, written as the documents service writes
    every revision (search columns, `document.revised`), then published."""
    document = Document(
        project_id=award.project_id,
        title=agreement_title(award),
        kind=DocumentKind.agreement,
        status=DocumentStatus.published,
    )
    session.add(document)
    await session.flush()
    await append_revision(
        session,
        document,
        parent_id=None,
        body=agreement_body(award),
        message=f"Award of {money(award.amount_cents, award.currency)}"[:500],
        author_id=GRANTS_AUTHOR,
        award_application_id=award.application_id,
    )
    await record_event(session, outbox, events.document_published(document))


__all__ = ["on_application_awarded"]
