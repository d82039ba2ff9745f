"""What a project's Atom feed tells: its documents' revisions and publications and its members'
joining, role changes and leaving, newest first, read from the database and bounded.

Entry ids are stable URNs made from the rows' own ids (a revision's id; a name-based UUID of a
publication or of a membership's stint and version), so a feed reader never sees one change twice
and they do not change if the public URL does."""

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from spaces.comments.names import shown_name
from spaces.documents.models import Document, DocumentStatus, Revision
from spaces.memberships.models import Membership
from spaces.people.models import Person
from spaces.projects.models import Project

# The newest this many changes of each kind are read; the feed shows the newest of them all.
FEED_ENTRIES = 50
_ENTRY_NAMES = uuid.UUID("6f1c3b52-8d3e-4f0a-9d55-2d2a8e1f7c10")  # the namespace of entry ids


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    updated: dt.datetime
    author: str
    path: str  # the page's path under the public URL
    summary: str


def entry_id(*parts: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_ENTRY_NAMES, '/'.join(str(p) for p in parts))}"


def _revision_page(project_path: str, revision: Revision) -> str:
    """The web client's page of a revision: its diff from its parent (the document, if first)."""
    document = f"{project_path}/documents/{revision.document_id}"
    if revision.parent_id is None:
        return document
    return f"{document}/diff?from={revision.parent_id}&to={revision.id}"


async def revision_entries(
    session: AsyncSession, project_id: uuid.UUID, project_path: str
) -> list[FeedEntry]:
    query = (
        select(Revision, Document, Person)
        .join(Document, col(Document.id) == col(Revision.document_id))
        .join(Person, col(Person.id) == col(Revision.author_id))
        .where(col(Document.project_id) == project_id)
        .order_by(col(Revision.created_at).desc(), col(Revision.id))
        .limit(FEED_ENTRIES)
    )
    return [
        FeedEntry(
            id=f"urn:uuid:{revision.id}",
            title=f"{document.title}: revised",
            updated=_known(revision.created_at),
            author=shown_name(author),
            path=_revision_page(project_path, revision),
            summary=revision.message or "A new revision",
        )
        for revision, document, author in (await session.execute(query)).all()
    ]


async def publication_entries(
    session: AsyncSession, project_id: uuid.UUID, project_path: str
) -> list[FeedEntry]:
    query = (
        select(Document, Person)
        .join(Revision, col(Revision.id) == col(Document.current_revision_id))
        .join(Person, col(Person.id) == col(Revision.author_id))
        .where(
            col(Document.project_id) == project_id,
            col(Document.status) == DocumentStatus.published,
        )
        .order_by(col(Document.updated_at).desc(), col(Document.id))
        .limit(FEED_ENTRIES)
    )
    return [
        FeedEntry(
            id=entry_id(document.id, "published"),
            title=f"{document.title}: published",
            updated=_known(document.updated_at),
            author=shown_name(author),
            path=f"{project_path}/documents/{document.id}",
            summary=f"The {document.kind.value} is published",
        )
        for document, author in (await session.execute(query)).all()
    ]


async def membership_entries(
    session: AsyncSession, project_id: uuid.UUID, path: str
) -> list[FeedEntry]:
    query = (
        select(Membership, Person)
        .join(Person, col(Person.id) == col(Membership.person_id))
        .where(col(Membership.project_id) == project_id)
        .order_by(col(Membership.updated_at).desc(), col(Membership.id))
        .limit(FEED_ENTRIES)
    )
    entries: list[FeedEntry] = []
    for stint, person in (await session.execute(query)).all():
        entries.extend(_stint_entries(stint, shown_name(person), path))
    return entries


def _stint_entries(stint: Membership, name: str, path: str) -> list[FeedEntry]:
    """A stint's joining; its current role if it changed since; its leaving."""
    role = stint.role.value
    group = "the coordinators" if role == "coordinator" else f"the {role} group"

    def entry(what: str, title: str, at: dt.datetime | None) -> FeedEntry:
        return FeedEntry(entry_id(stint.id, what), title, _known(at), name, path, title)

    found = [entry("joined", f"{name.capitalize()} joined {group}", stint.created_at)]
    if stint.left_on is not None:
        found.append(entry("left", f"{name.capitalize()} left {group}", stint.updated_at))
    elif stint.version > 1:
        title = f"{name.capitalize()} is now in {group}"
        found.append(entry(f"version-{stint.version}", title, stint.updated_at))
    return found


def _known(moment: dt.datetime | None) -> dt.datetime:
    assert moment is not None  # every table sets it (server default)
    return moment


async def project_entries(session: AsyncSession, project: Project) -> list[FeedEntry]:
    """The newest FEED_ENTRIES changes of the project, newest first."""
    # Links go to the web client's pages (gateway/web/src/main.ts routes).
    path = f"/projects/{project.slug}"
    found = [
        *await revision_entries(session, project.id, path),
        *await publication_entries(session, project.id, path),
        *await membership_entries(session, project.id, path),
    ]
    found.sort(key=lambda e: (e.updated, e.id), reverse=True)
    return found[:FEED_ENTRIES]
