import uuid

from fastapi import APIRouter

from grants.deps import CurrentPrincipal, OptionalPrincipal, SessionDep
from grants.reviews import service as review_service
from grants.reviews.models import RankingPublic, ReviewIn, ReviewPublic

router = APIRouter(tags=["reviews"])


@router.put(
    "/applications/{application_id}/review",
    response_model=ReviewPublic,
    summary="Review an application (a panel member of its call)",
)
async def review_application(
    application_id: uuid.UUID, review_in: ReviewIn, session: SessionDep, by: CurrentPrincipal
) -> ReviewPublic:
    async with session.begin():
        review = await review_service.review_application(
            session=session, application_id=application_id, review_in=review_in, by=by
        )
    return review_service.review_public(review, by)


@router.get(
    "/applications/{application_id}/reviews",
    response_model=list[ReviewPublic],
    summary="An application's reviews, without their reviewers (public)",
)
async def list_reviews(
    application_id: uuid.UUID, session: SessionDep, viewer: OptionalPrincipal
) -> list[ReviewPublic]:
    return await review_service.reviews_of(session, application_id, viewer)


@router.get(
    "/calls/{call_id}/ranking", response_model=RankingPublic, summary="The ranking (public)"
)
async def get_ranking(
    call_id: uuid.UUID, session: SessionDep, viewer: OptionalPrincipal
) -> RankingPublic:
    return await review_service.ranking_of(session, call_id, viewer)
