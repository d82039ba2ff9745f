"""Reviews by the call's panel, and the call's ranking: the panel's weighted scores, combined with
the public vote as the call states (see grants.decisions.ranking for the rule and the ties)."""

import datetime as dt
import uuid

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from grants.applications.models import Application, ApplicationStatus
from grants.calls.models import CallMode, CallStatus, FundingCall
from grants.calls.service import get_call, share_call
from grants.decisions import ranking
from grants.panels.service import is_panel_member
from grants.projects.models import KnownProject
from grants.projects.service import projects_of
from grants.reviews.models import (
    RankedApplication,
    RankingPublic,
    Review,
    ReviewIn,
    ReviewPublic,
)
from meent_shared.auth import Principal
from meent_shared.db import table_of
from meent_shared.errors import Conflict, Forbidden, InvalidInput, MeentError, NotFound

TIE_RULE = (
    "equal scores: the smaller request first, then the earlier submission, then the application id"
)
RANKED_STATUSES = (
    ApplicationStatus.submitted,
    ApplicationStatus.awarded,
    ApplicationStatus.rejected,
)


class ConflictOfInterest(MeentError):
    status_code = 409
    code = "conflict_of_interest"


def _criteria(call: FundingCall) -> list[ranking.Criterion]:
    return [ranking.Criterion(name=c["name"], weight=c["weight"]) for c in call.criteria]


def _scale(call: FundingCall) -> ranking.Scale:
    return ranking.Scale(min=call.scale_min, max=call.scale_max)


async def review_application(
    *, session: AsyncSession, application_id: uuid.UUID, review_in: ReviewIn, by: Principal
) -> Review:
    """A panel member's review (written again replaces it), while the call is open or closed;
    never by a member of the applying project."""
    application = await session.get(Application, application_id)
    if application is None or application.submitted_at is None:  # never submitted
        raise NotFound(f"No application {application_id}")
    if by.is_api_key:
        raise Forbidden("Reviewers are people: an API key does not review", code="not_a_person")
    call = await share_call(session, application.call_id)
    # Read again under a share lock: an award, rejection or withdrawal under way (they lock the
    # row) ends first, and its status is the one checked.
    application = await session.get(
        Application, application_id, with_for_update={"read": True}, populate_existing=True
    )
    assert application is not None  # applications are never deleted
    if call.status not in (CallStatus.open, CallStatus.closed):
        raise Conflict(
            f"The call is {call.status.value}: its reviews are done", code="reviews_done"
        )
    if application.status is not ApplicationStatus.submitted:
        raise Conflict(f"The application is {application.status.value}", code="not_submitted")
    if not await is_panel_member(session, call.id, by.sub):
        raise Forbidden("Only the call's panel reviews its applications", code="not_on_the_panel")
    if application.project_id in await projects_of(session, by.sub):
        raise ConflictOfInterest(
            "You belong to the applying project: another panel member reviews it"
        )
    try:
        ranking.validate_scores(review_in.scores, _criteria(call), _scale(call))
    except ranking.ScoreError as error:
        raise InvalidInput(error.message, loc=["body", "scores", error.field]) from None
    values = {
        "id": uuid.uuid4(),
        "call_id": call.id,
        "application_id": application.id,
        "reviewer": by.sub,
        "scores": review_in.scores,
        "comment": review_in.comment,
    }
    table = table_of(Review)
    statement = insert(table).values(values)
    upsert = statement.on_conflict_do_update(
        constraint="one_per_reviewer",
        set_={
            "scores": statement.excluded.scores,
            "comment": statement.excluded.comment,
            "version": table.c.version + 1,
            "reviewed_at": func.now(),
        },
    ).returning(table.c.id)
    review_id = await session.scalar(upsert)
    review = await session.get(Review, review_id, populate_existing=True)
    assert review is not None
    return review


async def reviews_of(
    session: AsyncSession, application_id: uuid.UUID, viewer: Principal | None
) -> list[ReviewPublic]:
    application = await session.get(Application, application_id)
    if application is None or application.submitted_at is None:  # never submitted
        raise NotFound(f"No application {application_id}")
    query = (
        select(Review)
        .where(col(Review.application_id) == application_id)
        .order_by(col(Review.reviewed_at), col(Review.id))
    )
    return [review_public(r, viewer) for r in (await session.scalars(query)).all()]


def review_public(review: Review, viewer: Principal | None) -> ReviewPublic:
    assert review.reviewed_at is not None
    return ReviewPublic(
        id=review.id,
        application_id=review.application_id,
        scores=review.scores,
        comment=review.comment,
        reviewed_at=review.reviewed_at,
        mine=viewer is not None and viewer.sub == review.reviewer,
    )


VOTES = text(
    """
SELECT choice.key::uuid AS application_id, sum(choice.value::int) AS points
FROM ballot, jsonb_each_text(ballot.choices) AS choice
WHERE ballot.call_id = :call_id
GROUP BY choice.key
"""
)


async def tally(session: AsyncSession, call_id: uuid.UUID) -> dict[uuid.UUID, int]:
    rows = await session.execute(VOTES, {"call_id": call_id})
    return {row.application_id: int(row.points) for row in rows}


SCORE_SUMS = text(
    """
SELECT review.application_id, score.key AS criterion, sum(score.value::int) AS total,
       count(*) AS reviews
FROM review, jsonb_each_text(review.scores) AS score
WHERE review.call_id = :call_id
GROUP BY review.application_id, score.key
"""
)


async def ranking_of(
    session: AsyncSession, call_id: uuid.UUID, viewer: Principal | None = None
) -> RankingPublic:
    """Every application but drafts and withdrawn ones, ranked. Votes count once the call is
    closed (a tally before then would be a running public result of a secret ballot). The
    database adds the scores up per application and criterion; the exact fractions are ours."""
    call = await get_call(session=session, call_id=call_id, viewer=viewer)
    rows = (
        await session.execute(
            select(
                col(Application.id),
                col(Application.project_id),
                col(KnownProject.name),
                col(Application.title),
                col(Application.requested),
                col(Application.status),
                col(Application.submitted_at),
            )
            .outerjoin(KnownProject, col(KnownProject.project_id) == col(Application.project_id))
            .where(
                col(Application.call_id) == call_id, col(Application.status).in_(RANKED_STATUSES)
            )
        )
    ).all()
    sums: dict[uuid.UUID, dict[str, int]] = {}
    reviews: dict[uuid.UUID, int] = {}
    for application_id, criterion, total, count in await session.execute(
        SCORE_SUMS, {"call_id": call_id}
    ):
        sums.setdefault(application_id, {})[criterion] = int(total)
        reviews[application_id] = int(count)
    votes_counted = call.status in (CallStatus.closed, CallStatus.decided) and call.mode in (
        CallMode.vote,
        CallMode.both,
    )
    votes = await tally(session, call_id) if votes_counted else {}
    criteria, scale = _criteria(call), _scale(call)
    never = dt.datetime.min.replace(tzinfo=dt.UTC)
    inputs = [
        ranking.RankInput(
            id=row.id,
            requested=row.requested,
            submitted_at=row.submitted_at or never,
            panel=ranking.panel_score_from_sums(
                sums.get(row.id, {}), reviews.get(row.id, 0), criteria, scale
            ),
            votes=votes.get(row.id, 0),
        )
        for row in rows
    ]
    ranked = ranking.rank(inputs, call.mode.value, call.vote_weight)
    by_id = {row.id: row for row in rows}
    return RankingPublic(
        call_id=call.id,
        mode=call.mode.value,
        tie_rule=TIE_RULE,
        votes_counted=votes_counted,
        applications=[
            RankedApplication(
                position=r.position,
                application_id=r.id,
                project_id=by_id[r.id].project_id,
                project_name=by_id[r.id].name,
                title=by_id[r.id].title,
                requested=by_id[r.id].requested,
                status=by_id[r.id].status.value,
                score=r.score,
                panel=r.panel,
                vote=r.vote,
                reviews=reviews.get(r.id, 0),
                votes=votes.get(r.id, 0) if votes_counted else None,
            )
            for r in ranked
        ],
    )
