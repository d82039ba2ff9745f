"""Documents over HTTP: reading is public; writing checks the project role in the service."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query

from meent_shared.types import PageLimit, PageOffset
from spaces.deps import CurrentPrincipal, SessionDep, SpacesSettings
from spaces.documents import proposals as proposal_service
from spaces.documents import reads
from spaces.documents import service as document_service
from spaces.documents.diff import diff_revisions
from spaces.documents.rendering import escape_text, render_markdown
from spaces.documents.schemas import (
    DocumentCreate,
    DocumentPublic,
    DocumentsPublic,
    DocumentWithHistory,
    ProposalCreate,
    ProposalPublic,
    RenderedRevision,
    RevisionCreate,
    RevisionDiff,
    RevisionPublic,
    StatusChange,
)

router = APIRouter(tags=["documents"])
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"description": "RevisionConflict: detail[0].ctx has `current` and `submitted`"}
}


@router.get("/projects/{project_id}/documents", response_model=DocumentsPublic)
async def list_documents(
    project_id: uuid.UUID, session: SessionDep, limit: PageLimit = 100, offset: PageOffset = 0
) -> DocumentsPublic:
    """A project's documents, by title (public)."""
    documents, count = await document_service.list_documents(
        session=session, project_id=project_id, limit=limit, offset=offset
    )
    return DocumentsPublic(data=[DocumentPublic.model_validate(d) for d in documents], count=count)


@router.post("/projects/{project_id}/documents", status_code=201)
async def create_document(
    project_id: uuid.UUID,
    document_in: DocumentCreate,
    session: SessionDep,
    principal: CurrentPrincipal,
    settings: SpacesSettings,
) -> DocumentWithHistory:
    """A new draft document with its first revision (the project's core and coordinators)."""
    async with session.begin():
        document, _ = await document_service.create_document(
            session=session,
            project_id=project_id,
            document_in=document_in,
            by=principal,
            body_limit=settings.document_body_max_bytes,
        )
    return await reads.document_with_history(
        session=session, document_id=document.id, limit=100, offset=0
    )


@router.get("/documents/{document_id}")
async def get_document(
    document_id: uuid.UUID, session: SessionDep, limit: PageLimit = 100, offset: PageOffset = 0
) -> DocumentWithHistory:
    """A document, its current revision and its history, newest first (public)."""
    return await reads.document_with_history(
        session=session, document_id=document_id, limit=limit, offset=offset
    )


@router.post("/documents/{document_id}/revisions", status_code=201, responses=CONFLICT)
async def save_revision(
    document_id: uuid.UUID,
    revision_in: RevisionCreate,
    session: SessionDep,
    principal: CurrentPrincipal,
    settings: SpacesSettings,
) -> RevisionPublic:
    """A new revision from `parent_revision_id`; 409 with both texts if another landed first."""
    async with session.begin():
        revision = await document_service.save_revision(
            session=session,
            document_id=document_id,
            revision_in=revision_in,
            by=principal,
            body_limit=settings.document_body_max_bytes,
        )
    return await reads.revision_view(session=session, revision_id=revision.id)


@router.put("/documents/{document_id}/status")
async def change_status(
    document_id: uuid.UUID, change: StatusChange, session: SessionDep, principal: CurrentPrincipal
) -> DocumentPublic:
    """Publish, archive or return to draft (the project's core and coordinators)."""
    async with session.begin():
        document = await document_service.change_status(
            session=session, document_id=document_id, status=change.status, by=principal
        )
    return DocumentPublic.model_validate(document)


@router.get("/revisions/diff")
async def revision_diff(
    session: SessionDep,
    from_id: Annotated[uuid.UUID, Query(alias="from")],
    to_id: Annotated[uuid.UUID, Query(alias="to")],
) -> RevisionDiff:
    """The diff between two revisions of one document (public)."""
    old = await document_service.get_revision(session=session, revision_id=from_id)
    new = await document_service.get_revision(session=session, revision_id=to_id)
    return diff_revisions(old, new)


@router.get("/revisions/{revision_id}")
async def get_revision(revision_id: uuid.UUID, session: SessionDep) -> RevisionPublic:
    """Any revision, with its Markdown body (public)."""
    return await reads.revision_view(session=session, revision_id=revision_id)


@router.get("/revisions/{revision_id}/html")
async def get_revision_html(revision_id: uuid.UUID, session: SessionDep) -> RenderedRevision:
    """A revision's body rendered and sanitised, and its document's title escaped (public)."""
    revision = await document_service.get_revision(session=session, revision_id=revision_id)
    document = await document_service.get_document(
        session=session, document_id=revision.document_id
    )
    return RenderedRevision(
        revision_id=revision.id,
        html=revision.html if revision.html is not None else render_markdown(revision.body),
        title_html=escape_text(document.title),
    )


@router.post("/documents/{document_id}/proposals", status_code=201)
async def propose_revision(
    document_id: uuid.UUID,
    proposal_in: ProposalCreate,
    session: SessionDep,
    principal: CurrentPrincipal,
    settings: SpacesSettings,
) -> ProposalPublic:
    """A member's proposed revision from `base_revision_id`, for a writer to decide on."""
    async with session.begin():
        proposal = await proposal_service.propose_revision(
            session=session,
            document_id=document_id,
            proposal_in=proposal_in,
            by=principal,
            body_limit=settings.document_body_max_bytes,
        )
    return await reads.proposal_public(session, proposal)


@router.get("/proposals/{proposal_id}")
async def get_proposal(proposal_id: uuid.UUID, session: SessionDep) -> ProposalPublic:
    """One proposal with its text, open or decided (public)."""
    return await reads.proposal_by_id(session=session, proposal_id=proposal_id)


@router.post("/proposals/{proposal_id}/accept", responses=CONFLICT)
async def accept_proposal(
    proposal_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> ProposalPublic:
    """The proposal becomes a revision (409 with both texts if the document moved on)."""
    async with session.begin():
        proposal, _ = await proposal_service.accept_proposal(
            session=session, proposal_id=proposal_id, by=principal
        )
    return await reads.proposal_public(session, proposal)


@router.post("/proposals/{proposal_id}/decline")
async def decline_proposal(
    proposal_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> ProposalPublic:
    """The proposal declined; it stays in the document's history."""
    async with session.begin():
        proposal = await proposal_service.decline_proposal(
            session=session, proposal_id=proposal_id, by=principal
        )
    return await reads.proposal_public(session, proposal)
