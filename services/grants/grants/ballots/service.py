"""Ballots: cast (and cast again) while the call is open, by whoever its voter rule admits; one
per person and call (an upsert on that key, so concurrent ballots neither double nor get lost)."""

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from grants.applications.models import Application, ApplicationStatus
from grants.applications.service import CallClosed
from grants.ballots.models import Ballot, BallotIn, BallotPublic, TallyLine, TallyPublic
from grants.calls.models import CallMode, CallStatus, FundingCall, VoterRule
from grants.calls.service import get_call, share_call
from grants.decisions import ballots as rules
from grants.projects.models import KnownProject
from grants.reviews.service import RANKED_STATUSES, tally
from meent_shared.auth import Principal
from meent_shared.db import table_of
from meent_shared.errors import Conflict, Forbidden, InvalidInput, NotFound


def _require_voter(call: FundingCall, voter: Principal) -> None:
    if voter.is_api_key or not voter.has_role("citizen"):
        raise Forbidden("Only a signed-in citizen votes", code="not_a_voter")
    claimed = voter.claim(call.voter_claim or "")
    if call.voter_rule is VoterRule.claim and claimed != call.voter_claim_value:
        raise Forbidden(
            f"This vote is for people whose {call.voter_claim} is {call.voter_claim_value}",
            code="not_a_voter",
        )


async def may_vote(session: AsyncSession, call_id: uuid.UUID, viewer: Principal | None) -> bool:
    """Whether the viewer's ballot would be taken by the call's voter rule (not whether the vote
    is open now: the call's status says that)."""
    call = await get_call(session=session, call_id=call_id, viewer=viewer)
    if call.mode is CallMode.panel or viewer is None:
        return False
    try:
        _require_voter(call, viewer)
    except Forbidden:
        return False
    return True


async def cast_ballot(
    *,
    session: AsyncSession,
    call_id: uuid.UUID,
    ballot_in: BallotIn,
    by: Principal,
    today: dt.date,
) -> Ballot:
    call = await share_call(session, call_id)
    if call.mode is CallMode.panel:
        raise Conflict("This call has no public vote", code="no_vote")
    if call.status is not CallStatus.open or not call.opens_on <= today <= call.closes_on:
        raise CallClosed(f"Votes are cast while the call is open (it is {call.status.value})")
    _require_voter(call, by)
    submitted = dict(
        (
            await session.execute(
                select(col(Application.id), col(Application.requested)).where(
                    col(Application.call_id) == call_id,
                    col(Application.status) == ApplicationStatus.submitted,
                )
            )
        ).all()
    )
    assert call.ballot_kind is not None  # a call with a vote has a ballot kind (checked)
    rule = rules.BallotRule(
        kind=call.ballot_kind.value,
        points=call.ballot_points,
        max_choices=call.ballot_max_choices,
        budget=call.budget if call.ballot_kind.value == "knapsack" else None,
    )
    try:
        choices = rules.validate_ballot(rule, ballot_in.choices, submitted)
    except rules.BallotError as error:
        raise InvalidInput(error.message, code=error.reason, loc=["body", "choices"]) from None
    table = table_of(Ballot)
    stored = {str(k): v for k, v in choices.items()}
    statement = insert(table).values(call_id=call_id, voter=by.sub, choices=stored)
    upsert = statement.on_conflict_do_update(
        index_elements=["call_id", "voter"],
        set_={"choices": stored, "version": table.c.version + 1, "cast_at": func.now()},
    )
    await session.execute(upsert)
    ballot = await session.get(Ballot, (call_id, by.sub), populate_existing=True)
    assert ballot is not None
    return ballot


def ballot_public(ballot: Ballot) -> BallotPublic:
    assert ballot.cast_at is not None
    return BallotPublic(
        call_id=ballot.call_id,
        choices={uuid.UUID(k): int(v) for k, v in ballot.choices.items()},
        version=ballot.version,
        cast_at=ballot.cast_at,
    )


async def my_ballot(session: AsyncSession, call_id: uuid.UUID, by: Principal) -> Ballot:
    ballot = await session.get(Ballot, (call_id, by.sub))
    if ballot is None:
        raise NotFound("You have not voted in this call")
    return ballot


async def tally_of(
    session: AsyncSession, call_id: uuid.UUID, viewer: Principal | None = None
) -> TallyPublic:
    """The vote's totals, once the call is closed (never a ballot): the points of every ranked
    application, and how many people voted."""
    call = await get_call(session=session, call_id=call_id, viewer=viewer)
    if call.mode is CallMode.panel:
        raise Conflict("This call has no public vote", code="no_vote")
    if call.status not in (CallStatus.closed, CallStatus.decided):
        raise Conflict("The tally is shown once the call is closed", code="vote_running")
    points = await tally(session, call_id)
    rows = (
        await session.execute(
            select(Application, col(KnownProject.name))
            .outerjoin(KnownProject, col(KnownProject.project_id) == col(Application.project_id))
            .where(
                col(Application.call_id) == call_id,
                col(Application.id).in_(points),
                # A withdrawn application is in no ranking or vote (its contract says so),
                # whatever ballots chose it before it left.
                col(Application.status).in_(RANKED_STATUSES),
            )
        )
    ).all()
    lines = [
        TallyLine(application_id=a.id, title=a.title, project_name=name, points=points.get(a.id, 0))
        for a, name in rows
    ]
    lines.sort(key=lambda line: (-line.points, str(line.application_id)))
    ballots = await session.scalar(
        select(func.count()).select_from(Ballot).where(col(Ballot.call_id) == call_id)
    )
    assert call.ballot_kind is not None
    return TallyPublic(
        call_id=call_id, kind=call.ballot_kind.value, ballots=ballots or 0, lines=lines
    )
