"""The events a document's changes publish."""

from meent_shared.events.contracts.spaces import DocumentPublished, DocumentRevised
from spaces.documents.models import Document, DocumentStatus, Revision


def document_revised(document: Document, revision: Revision) -> DocumentRevised:
    return DocumentRevised(
        document_id=document.id,
        project_id=document.project_id,
        revision_id=revision.id,
        version=document.version,
        title=document.title,
        author_id=revision.author_id,
        message=revision.message,
    )


def document_published(document: Document) -> DocumentPublished:
    assert document.current_revision_id is not None  # every document starts with a revision
    return DocumentPublished(
        document_id=document.id,
        project_id=document.project_id,
        revision_id=document.current_revision_id,
        version=document.version,
        title=document.title,
    )


def current_state(
    document: Document, author_id: str, message: str
) -> DocumentRevised | DocumentPublished:
    """What a republish sends: a published document as published, any other as last revised."""
    if document.status == DocumentStatus.published:
        return document_published(document)
    assert document.current_revision_id is not None
    return DocumentRevised(
        document_id=document.id,
        project_id=document.project_id,
        revision_id=document.current_revision_id,
        version=document.version,
        title=document.title,
        author_id=author_id,
        message=message,
    )
