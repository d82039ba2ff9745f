"""What anyone may read: a document with its history (newest first), revisions, proposals —
authors' names joined from `person` as each allows."""

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer
from sqlmodel import col

from meent_shared.errors import NotFound
from spaces.documents import service as document_service
from spaces.documents.files import files_of
from spaces.documents.models import Proposal, Revision
from spaces.documents.names import public_names
from spaces.documents.revisions import revision_public
from spaces.documents.schemas import (
    DocumentPublic,
    DocumentWithHistory,
    PersonName,
    ProposalPublic,
    ProposalSummary,
    RevisionPublic,
    RevisionSummary,
)


async def revision_view(*, session: AsyncSession, revision_id: uuid.UUID) -> RevisionPublic:
    revision = await document_service.get_revision(session=session, revision_id=revision_id)
    return await revision_public(session, revision)


def proposal_view(proposal: Proposal, names: dict[str, PersonName]) -> ProposalPublic:
    return ProposalPublic(**_proposal_fields(proposal, names), body=proposal.body)


def proposal_summary(proposal: Proposal, names: dict[str, PersonName]) -> ProposalSummary:
    return ProposalSummary(**_proposal_fields(proposal, names))


def _proposal_fields(proposal: Proposal, names: dict[str, PersonName]) -> dict[str, Any]:
    decided_by = names.get(proposal.decided_by) if proposal.decided_by else None
    fields = {k: getattr(proposal, k) for k in ProposalSummary.model_fields if k in PROPOSAL_OWN}
    return fields | {"proposed_by": names[proposal.proposed_by], "decided_by": decided_by}


PROPOSAL_OWN = (
    "id",
    "document_id",
    "base_revision_id",
    "message",
    "status",
    "decided_at",
    "revision_id",
    "created_at",
)


async def proposal_by_id(*, session: AsyncSession, proposal_id: uuid.UUID) -> ProposalPublic:
    proposal = await session.get(Proposal, proposal_id)
    if proposal is None:
        raise NotFound(f"No proposal {proposal_id}", code="proposal_not_found")
    return await proposal_public(session, proposal)


async def proposal_public(session: AsyncSession, proposal: Proposal) -> ProposalPublic:
    names = await public_names(session, [proposal.proposed_by, proposal.decided_by])
    return proposal_view(proposal, names)


SUMMARY_COLUMNS = (
    col(Revision.id),
    col(Revision.parent_id),
    col(Revision.message),
    col(Revision.author_id),
    col(Revision.created_at),
)


async def _history(
    session: AsyncSession, document_id: uuid.UUID, limit: int, offset: int
) -> tuple[list[Any], int, list[Proposal]]:
    of_document = col(Revision.document_id) == document_id
    newest_first = (col(Revision.created_at).desc(), col(Revision.id).desc())
    # Without the bodies: a history of many long revisions stays small.
    rows = await session.execute(
        select(*SUMMARY_COLUMNS)
        .where(of_document)
        .order_by(*newest_first)
        .limit(limit)
        .offset(offset)
    )
    revisions = list(rows.mappings())
    count = await session.scalar(select(func.count()).select_from(Revision).where(of_document))
    proposals = await session.scalars(
        select(Proposal)
        # A proposal may be a megabyte: its text is asked for one by one.
        .options(defer(Proposal.body))  # type: ignore[arg-type]
        .where(col(Proposal.document_id) == document_id)
        .order_by(col(Proposal.created_at).desc(), col(Proposal.id).desc())
        .limit(limit)
    )
    return revisions, count or 0, list(proposals)


async def document_with_history(
    *, session: AsyncSession, document_id: uuid.UUID, limit: int, offset: int
) -> DocumentWithHistory:
    document = await document_service.get_document(session=session, document_id=document_id)
    revisions, count, proposals = await _history(session, document_id, limit, offset)
    current = None
    if document.current_revision_id is not None:
        current_revision = await session.get(Revision, document.current_revision_id)
        assert current_revision is not None
        current = current_revision
    people = [r["author_id"] for r in revisions] + [p.proposed_by for p in proposals]
    people += [p.decided_by for p in proposals] + ([current.author_id] if current else [])
    names = await public_names(session, people)
    return DocumentWithHistory(
        **DocumentPublic.model_validate(document).model_dump(),
        current=RevisionPublic(
            **current.model_dump(),
            author=names[current.author_id],
            attachments=await files_of(session, current.id),
        )
        if current
        else None,
        revisions=[RevisionSummary(**r, author=names[r["author_id"]]) for r in revisions],
        revision_count=count,
        proposals=[proposal_summary(p, names) for p in proposals],
    )
