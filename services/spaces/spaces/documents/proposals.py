"""Proposals: a member's proposed revision from a base revision; a writer accepts it (it becomes
a revision whose parent is the base, if the document has not moved on) or declines it. Either way
the proposal stays in the document's history."""

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from meent_shared.auth import Principal
from meent_shared.errors import Conflict, InvalidInput, NotFound
from spaces.access import WRITERS, require_project_role
from spaces.documents.models import Proposal, ProposalStatus, Revision
from spaces.documents.revisions import (
    append_revision,
    check_body_size,
    ensure_current,
    lock_document,
    revision_of,
)
from spaces.documents.schemas import ProposalCreate, SubmittedRevision
from spaces.memberships.models import ProjectRole
from spaces.people.service import ensure_person

MEMBERS = frozenset(ProjectRole)
MAX_OPEN_PROPOSALS_PER_PERSON = 5
MAX_OPEN_PROPOSALS_PER_DOCUMENT = 50


async def propose_revision(
    *,
    session: AsyncSession,
    document_id: uuid.UUID,
    proposal_in: ProposalCreate,
    by: Principal,
    body_limit: int,
) -> Proposal:
    check_body_size(proposal_in.body, body_limit, ["body", "body"])
    document = await lock_document(session, document_id)
    await require_project_role(session, document.project_id, by, MEMBERS, "propose revisions")
    base = await revision_of(
        session, document, proposal_in.base_revision_id, ["body", "base_revision_id"]
    )
    await _check_open_proposals(session, document.id, by.sub)
    await ensure_person(session, by)
    proposal = Proposal(
        document_id=document.id,
        base_revision_id=base.id,
        body=proposal_in.body,
        message=proposal_in.message,
        proposed_by=by.sub,
    )
    session.add(proposal)
    await session.flush()
    await session.refresh(proposal)
    return proposal


async def _check_open_proposals(
    session: AsyncSession, document_id: uuid.UUID, person_id: str
) -> None:
    """Anyone may join a skill group and propose: open proposals are bounded per person and per
    document, so no one can bury a document (and its page) under them. (The document row is
    locked: two proposals at once count each other.)"""
    open_ones = select(func.count()).where(
        col(Proposal.document_id) == document_id, col(Proposal.status) == ProposalStatus.open
    )
    mine = await session.scalar(open_ones.where(col(Proposal.proposed_by) == person_id)) or 0
    if mine >= MAX_OPEN_PROPOSALS_PER_PERSON:
        raise InvalidInput(
            f"You have {mine} open proposals on this document: wait for a decision on them",
            code="too_many_proposals",
        )
    total = await session.scalar(open_ones) or 0
    if total >= MAX_OPEN_PROPOSALS_PER_DOCUMENT:
        raise InvalidInput(
            f"This document has {total} open proposals: the writers decide on them first",
            code="too_many_proposals",
        )


async def _open_proposal(session: AsyncSession, proposal_id: uuid.UUID) -> Proposal:
    proposal = await session.get(Proposal, proposal_id, with_for_update=True)
    if proposal is None:
        raise NotFound(f"No proposal {proposal_id}", code="proposal_not_found")
    if proposal.status != ProposalStatus.open:
        raise Conflict(
            f"Proposal {proposal_id} was already {proposal.status.value}", code="proposal_decided"
        )
    return proposal


async def _decide(
    session: AsyncSession, proposal: Proposal, status: ProposalStatus, by: Principal
) -> None:
    await ensure_person(session, by)
    proposal.status = status
    proposal.decided_by = by.sub
    proposal.decided_at = dt.datetime.now(dt.UTC)


async def accept_proposal(
    *, session: AsyncSession, proposal_id: uuid.UUID, by: Principal
) -> tuple[Proposal, Revision]:
    """The proposal as the document's new revision (its author the proposer); RevisionConflict
    if the document moved on since the base (the proposal stays open)."""
    proposal = await _open_proposal(session, proposal_id)
    document = await lock_document(session, proposal.document_id)
    await require_project_role(session, document.project_id, by, WRITERS, "accept proposals")
    base = await revision_of(session, document, proposal.base_revision_id, ["base_revision_id"])
    submitted = SubmittedRevision(
        parent_revision_id=base.id, body=proposal.body, message=proposal.message
    )
    await ensure_current(session, document, base, submitted)
    revision = await append_revision(
        session,
        document,
        parent_id=base.id,
        body=proposal.body,
        message=proposal.message,
        author_id=proposal.proposed_by,
    )
    await _decide(session, proposal, ProposalStatus.accepted, by)
    proposal.revision_id = revision.id
    await session.flush()
    await session.refresh(proposal)
    return proposal, revision


async def decline_proposal(
    *, session: AsyncSession, proposal_id: uuid.UUID, by: Principal
) -> Proposal:
    proposal = await _open_proposal(session, proposal_id)
    document = await lock_document(session, proposal.document_id)
    await require_project_role(session, document.project_id, by, WRITERS, "decline proposals")
    await _decide(session, proposal, ProposalStatus.declined, by)
    await session.flush()
    await session.refresh(proposal)
    return proposal
