"""volunteers in GraphQL: logging hours, changing them while submitted, deciding on them, and
correcting approved ones (a new entry with a signed delta; the approved one never changes)."""

import datetime as dt
import uuid
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError

from gateway.graphql.context import Info
from gateway.graphql.errors import (
    FieldError,
    InvalidInput,
    Refusal,
    as_result,
    not_authenticated,
    user_error,
)
from gateway.graphql.hours_types import (
    HourActivity,
    HourEntry,
    HourEntryConnection,
    HourStatus,
    hour_entry_from,
    uuid_or_none,
)
from gateway.graphql.services import ServiceError

__all__ = [
    "HourEntry",
    "HourEntryConnection",
    "HourStatus",
    "VolunteersMutation",
    "hour_entry_from",
]

# What volunteers takes as an `Idempotency-Key`: 1..255 printable ASCII characters.
MAX_IDEMPOTENCY_KEY = 255
# volunteers decides at most this many entries in one request.
MAX_BATCH_DECISIONS = 100


@strawberry.input
class LogHoursInput:
    project_id: uuid.UUID
    activity: HourActivity
    worked_on: dt.date
    minutes: int
    site_id: uuid.UUID | None = None
    note: str = ""


@strawberry.input(description="What to change in a submitted entry; `version` as last seen.")
class EditHoursInput:
    version: int
    activity: HourActivity | None = strawberry.UNSET
    worked_on: dt.date | None = strawberry.UNSET
    minutes: int | None = strawberry.UNSET
    note: str | None = strawberry.UNSET
    site_id: uuid.UUID | None = strawberry.field(
        default=strawberry.UNSET, description="null: no site"
    )


@strawberry.input(description="A signed change to an approved entry's minutes, and why.")
class CorrectHoursInput:
    minutes: int = strawberry.field(description="The delta: negative takes minutes off")
    note: str
    activity: HourActivity | None = None


HourEntryResult = Annotated[HourEntry | Refusal, strawberry.union("HourEntryResult")]
HourDecisionResult = Annotated[
    HourEntry | Refusal,
    strawberry.union(
        "HourDecisionResult", description="One entry's decision, in the order the ids were given"
    ),
]


def _plain(value: Any) -> Any:
    """A value as volunteers' JSON has it."""
    if isinstance(value, HourActivity):
        return value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    return value.isoformat() if isinstance(value, dt.date) else value


def _body(input: Any) -> dict[str, Any]:
    return {k: _plain(v) for k, v in vars(input).items() if v is not strawberry.UNSET}


def idempotency_headers(key: str | None) -> dict[str, str] | None:
    """The header for a retried submission; a key volunteers would refuse is refused here, by
    name (a header cannot carry every character a GraphQL string can)."""
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_IDEMPOTENCY_KEY or not all(" " <= c <= "~" for c in key):
        problem = {
            "msg": f"An idempotency key is 1 to {MAX_IDEMPOTENCY_KEY} printable ASCII characters",
            "type": "bad_idempotency_key",
            "loc": ["body", "idempotency_key"],
        }
        raise ServiceError(422, [problem])
    return {"Idempotency-Key": key}


async def _send(
    info: Info,
    path: str,
    body: dict[str, Any] | None = None,
    *,
    idempotency_key: str | None = None,
    patch: bool = False,
) -> Any:
    async def send() -> HourEntry:
        services = info.context.services
        if patch:
            return hour_entry_from(await services.patch("volunteers", path, body))
        headers = idempotency_headers(idempotency_key)
        return hour_entry_from(await services.post("volunteers", path, body, headers=headers))

    return await as_result(info, send)


def not_an_entry(id: str) -> InvalidInput:
    message = f"{id!r} is not the id of an hour entry"
    return InvalidInput(
        message=message, code="invalid_id", fields=[FieldError(field="ids", message=message)]
    )


def _decision(item: dict[str, Any]) -> Any:
    """One result of volunteers' /hours/decisions, typed as a single decision's would be."""
    if item.get("entry") is not None:
        return hour_entry_from(item["entry"])
    error = item.get("error") or {}
    code = str(error.get("type", ""))
    status = DECISION_STATUS.get(code, 422)
    return user_error(ServiceError(status, [{**error, "loc": ["body", "entry_ids"]}]))


# The status a single decision answers each refusal with (the batch answers 200 for all).
DECISION_STATUS = {
    "unauthorized": 401,
    "forbidden": 403,
    "not_an_approver": 403,
    "own_hours": 403,
    "not_found": 404,
    "conflict": 409,
    "already_decided": 409,
}


async def decide_many(info: Info, ids: list[strawberry.ID], approve: bool) -> list[Any]:
    if len(ids) > MAX_BATCH_DECISIONS:
        message = f"Decide at most {MAX_BATCH_DECISIONS} entries at once"
        raise GraphQLError(message, extensions={"code": "BAD_USER_INPUT", "argument": "ids"})
    if info.context.principal is None:
        return [not_authenticated() for _ in ids]
    parsed = [uuid_or_none(str(i)) for i in ids]
    valid = [str(u) for u in parsed if u is not None]
    decided: dict[uuid.UUID, Any] = {}
    if valid:
        body = {"entry_ids": valid, "approve": approve, "reason": ""}
        try:
            answer = await info.context.services.post("volunteers", "/hours/decisions", body)
        except ServiceError as error:
            return [user_error(error) for _ in ids]
        decided = {uuid.UUID(item["entry_id"]): _decision(item) for item in answer["results"]}
    return [
        decided[u] if u is not None else not_an_entry(str(i))
        for i, u in zip(ids, parsed, strict=True)
    ]


@strawberry.type
class VolunteersMutation:
    @strawberry.mutation(
        description="Log time spent on a project (its members, for a day they were one); "
        "someone else approves it. A retry with the same idempotencyKey logs it once."
    )
    async def log_hours(
        self, info: Info, input: LogHoursInput, idempotency_key: str | None = None
    ) -> HourEntryResult:
        return await _send(info, "/hours", _body(input), idempotency_key=idempotency_key)

    @strawberry.mutation(description="Change one's own entry while it waits for approval.")
    async def edit_hours(self, info: Info, id: uuid.UUID, input: EditHoursInput) -> HourEntryResult:
        return await _send(info, f"/hours/{id}", _body(input), patch=True)

    @strawberry.mutation(description="Take back one's own entry while it waits for approval.")
    async def withdraw_hours(self, info: Info, id: uuid.UUID) -> HourEntryResult:
        return await _send(info, f"/hours/{id}/withdraw")

    @strawberry.mutation(description="Approve someone else's hours (the project's coordinators).")
    async def approve_hours(self, info: Info, id: uuid.UUID) -> HourEntryResult:
        return await _send(info, f"/hours/{id}/approve")

    @strawberry.mutation(
        description="Approve several entries at once: one result per id, in their order; one "
        "refused leaves the others approved."
    )
    async def approve_hours_batch(
        self, info: Info, ids: list[strawberry.ID]
    ) -> list[HourDecisionResult]:
        return await decide_many(info, ids, approve=True)

    @strawberry.mutation
    async def reject_hours(self, info: Info, id: uuid.UUID, reason: str = "") -> HourEntryResult:
        return await _send(info, f"/hours/{id}/reject", {"reason": reason})

    @strawberry.mutation(
        description="Correct an approved entry: a new entry with the signed delta, approved like "
        "any (the approved one never changes). Its person or a coordinator."
    )
    async def correct_hours(
        self,
        info: Info,
        id: uuid.UUID,
        input: CorrectHoursInput,
        idempotency_key: str | None = None,
    ) -> HourEntryResult:
        path = f"/hours/{id}/corrections"
        body = {k: v for k, v in _body(input).items() if v is not None}
        return await _send(info, path, body, idempotency_key=idempotency_key)
