"""`POST /hours`, the service's hot path: a `DirectRoute` (see `meent_shared.direct`).

`submit_hours` documents the route and does the work; `answer` is how a request reaches it —
what FastAPI would do for this one signature, without its per-request machinery (measured in
`make bench-hours`: twice the requests per second).
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from meent_shared.auth import Principal, signed_in_principal
from meent_shared.deps import RuntimeDep
from meent_shared.direct import DirectRoute, answered_by, json_body
from meent_shared.runtime import ServiceRuntime
from volunteers.config import Settings
from volunteers.deps import CurrentPrincipal
from volunteers.hours import idempotency, submission
from volunteers.hours.models import HourEntry, HourEntryCreate, HourEntryPublic
from volunteers.hours.router import IdempotencyKeyHeader

router = APIRouter(prefix="/hours", tags=["hours"], route_class=DirectRoute)


async def submission_batcher(request: Request) -> submission.SubmissionBatcher:
    return request.app.state.submission_batcher


SubmissionBatcherDep = Annotated[submission.SubmissionBatcher, Depends(submission_batcher)]


async def answer(request: Request) -> Response:
    """Parse, authenticate and answer as FastAPI would for `submit_hours`."""
    principal = await signed_in_principal(request)
    entry_in = json_body(HourEntryCreate, await request.body(), request.headers.get("content-type"))
    key = request.headers.get(idempotency.HEADER)
    answered = Response(status_code=201)  # status and headers, as FastAPI's `response: Response`
    app = request.app
    entry = await submit_hours(
        entry_in, app.state.runtime, app.state.submission_batcher, principal, answered, key
    )
    return Response(
        entry.model_dump_json(),
        status_code=answered.status_code,
        headers={k: v for k, v in answered.headers.items() if k != "content-length"},
        media_type="application/json",
    )


@router.post("", response_model=HourEntryPublic, status_code=201, summary="Log volunteer hours")
@answered_by(answer)
async def submit_hours(
    entry_in: HourEntryCreate,
    runtime: RuntimeDep,
    batcher: SubmissionBatcherDep,
    principal: CurrentPrincipal,
    response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
) -> HourEntryPublic:
    settings = runtime.settings
    assert isinstance(settings, Settings)
    if idempotency_key is None:  # the common case: one statement, no transaction around it
        return await submission.submit_alone(batcher, entry_in, principal, settings.today())
    return await _submit_once(runtime, entry_in, principal, response, idempotency_key)


async def _submit_once(
    runtime: ServiceRuntime,
    entry_in: HourEntryCreate,
    principal: Principal,
    response: Response,
    key: str,
) -> HourEntryPublic:
    """The entry in the transaction that claims the caller's key, or the first try's answer."""
    settings = runtime.settings
    assert isinstance(settings, Settings)
    body = entry_in.model_dump(mode="json", exclude_unset=False)
    async with runtime.session_factory() as session, session.begin():
        claimed = await idempotency.claim(session, principal.sub, key, "submit", body)
        if claimed.replay_entry_id is not None:
            first = await session.get(HourEntry, claimed.replay_entry_id)
            return idempotency.replayed(HourEntryPublic.model_validate(first), claimed, response)
        entry = await submission.submit_in(session, entry_in, principal, settings.today())
        await idempotency.remember(session, claimed, 201, entry.id)
    return entry
