import uuid

from fastapi import APIRouter

from grants.ballots import service as ballot_service
from grants.ballots.models import BallotIn, BallotPublic, TallyPublic, VoterPublic
from grants.deps import CurrentPrincipal, OptionalPrincipal, SessionDep, TodayDep

router = APIRouter(prefix="/calls/{call_id}", tags=["ballots"])


@router.put("/ballot", response_model=BallotPublic, summary="Cast (or change) one's ballot")
async def cast_ballot(
    call_id: uuid.UUID,
    ballot_in: BallotIn,
    session: SessionDep,
    voter: CurrentPrincipal,
    today: TodayDep,
) -> BallotPublic:
    async with session.begin():
        ballot = await ballot_service.cast_ballot(
            session=session, call_id=call_id, ballot_in=ballot_in, by=voter, today=today
        )
        return ballot_service.ballot_public(ballot)


@router.get("/ballot", response_model=BallotPublic, summary="One's own ballot (only to oneself)")
async def my_ballot(
    call_id: uuid.UUID, session: SessionDep, voter: CurrentPrincipal
) -> BallotPublic:
    return ballot_service.ballot_public(await ballot_service.my_ballot(session, call_id, voter))


@router.get("/tally", response_model=TallyPublic, summary="The vote's totals, once closed")
async def get_tally(
    call_id: uuid.UUID, session: SessionDep, viewer: OptionalPrincipal
) -> TallyPublic:
    return await ballot_service.tally_of(session, call_id, viewer)


@router.get("/voter", response_model=VoterPublic, summary="Whether the caller may vote (public)")
async def get_voter(
    call_id: uuid.UUID, session: SessionDep, viewer: OptionalPrincipal
) -> VoterPublic:
    return VoterPublic(may_vote=await ballot_service.may_vote(session, call_id, viewer))
