"""grants in GraphQL: funding calls, applications and the public ledger."""

import datetime as dt
import uuid
from collections import Counter
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from strawberry.types.nodes import FragmentSpread, InlineFragment

from gateway.graphql.context import Info
from gateway.graphql.errors import Refusal, as_result, user_error
from gateway.graphql.grants_types import (
    Application,
    Ballot,
    BallotKind,
    BudgetExceeded,
    CallClosed,
    CallMode,
    CallStatus,
    ConflictOfInterest,
    FundingCall,
    LedgerEntry,
    LedgerKind,
    NotEligible,
    PoolEntry,
    Review,
    ReviewPanel,
    VoterRule,
    application_of,
    ballot_from,
    call_from,
    ledger_entry_from,
    panel_from,
    pool_entry_from,
    review_from,
)
from gateway.graphql.pagination import DEFAULT_PAGE_SIZE, Connection, connection, page_window
from gateway.graphql.services import ServiceError


def _amount(value: Decimal | None) -> str | None:
    """An amount for grants as text: exact, whatever GraphQL parsed it from."""
    return None if value is None else str(value)


@strawberry.input
class CriterionInput:
    name: str
    weight: int = 1


@strawberry.input(description="A call's terms. Amounts are decimals (at most two places).")
class CreateCallInput:
    title: str
    opens_on: dt.date
    closes_on: dt.date
    budget: Decimal | None = None
    min_award: Decimal | None = None
    max_award: Decimal | None = None
    budget_cents: int | None = strawberry.field(
        default=None, deprecation_reason="Use budget (a decimal amount)"
    )
    min_award_cents: int | None = strawberry.field(default=None, deprecation_reason="Use minAward")
    max_award_cents: int | None = strawberry.field(default=None, deprecation_reason="Use maxAward")
    description: str = ""
    currency: str = "EUR"
    mode: CallMode = CallMode.PANEL
    vote_weight: Decimal = Decimal("0")
    criteria: list[CriterionInput] | None = None
    scale_min: int = 0
    scale_max: int = 5
    panel_size: int = 3
    ballot_kind: BallotKind | None = None
    ballot_points: int | None = None
    ballot_max_choices: int | None = None
    voter_rule: VoterRule = VoterRule.CITIZEN
    voter_claim: str | None = None
    voter_claim_value: str | None = None
    min_members: int | None = None
    min_hours: int | None = None
    district_id: uuid.UUID | None = strawberry.field(
        default=None, description="Only projects stewarding a site inside this district"
    )


def _call_body(input: CreateCallInput) -> dict[str, Any]:
    """The body grants reads; an amount given in cents (the old fields) is sent as a decimal."""
    body: dict[str, Any] = {
        "title": input.title,
        "description": input.description,
        "currency": input.currency,
        "opens_on": input.opens_on.isoformat(),
        "closes_on": input.closes_on.isoformat(),
        "mode": input.mode.value,
        "vote_weight": str(input.vote_weight),
        "scale_min": input.scale_min,
        "scale_max": input.scale_max,
        "panel_size": input.panel_size,
        "ballot_kind": input.ballot_kind.value if input.ballot_kind else None,
        "ballot_points": input.ballot_points,
        "ballot_max_choices": input.ballot_max_choices,
        "voter_rule": input.voter_rule.value,
        "voter_claim": input.voter_claim,
        "voter_claim_value": input.voter_claim_value,
        "min_members": input.min_members,
        "min_hours": input.min_hours,
        "district_id": str(input.district_id) if input.district_id else None,
    }
    if input.criteria is not None:
        body["criteria"] = [{"name": c.name, "weight": c.weight} for c in input.criteria]
    for name in ("budget", "min_award", "max_award"):
        amount: Decimal | None = getattr(input, name)
        in_cents: int | None = getattr(input, f"{name}_cents")
        if amount is not None and in_cents is not None:
            raise ServiceError(
                422, [{"msg": "Give the amount or its cents, not both", "loc": ["body", name]}]
            )
        if in_cents is not None:
            amount = Decimal(in_cents) / 100
        body[name] = _amount(amount)
    return body


@strawberry.input
class BudgetLineInput:
    label: str
    amount: Decimal


@strawberry.input(description="An application; its budget lines add up to the request.")
class ApplicationInput:
    title: str
    requested: Decimal
    budget_lines: list[BudgetLineInput]
    summary: str = ""
    document_id: uuid.UUID | None = None


def _application_body(input: ApplicationInput) -> dict[str, Any]:
    return {
        "title": input.title,
        "summary": input.summary,
        "requested": _amount(input.requested),
        "budget_lines": [
            {"label": line.label, "amount": _amount(line.amount)} for line in input.budget_lines
        ],
        "document_id": str(input.document_id) if input.document_id else None,
    }


@strawberry.input(description="A payment out of an award, or its unspent money released.")
class PaymentInput:
    application_id: uuid.UUID
    kind: LedgerKind
    amount: Decimal
    note: str = ""


@strawberry.input
class ScoreInput:
    criterion: str
    score: int


@strawberry.input(description="An application chosen on a ballot, with its points (1 to choose)")
class BallotChoiceInput:
    application_id: uuid.UUID
    points: int = 1


CallResult = Annotated[FundingCall | Refusal, strawberry.union("CallResult")]
PanelResult = Annotated[ReviewPanel | Refusal, strawberry.union("PanelResult")]
PoolEntryResult = Annotated[PoolEntry | Refusal, strawberry.union("PoolEntryResult")]
ReviewResult = Annotated[
    Review | ConflictOfInterest | CallClosed | Refusal, strawberry.union("ReviewResult")
]
BallotResult = Annotated[Ballot | CallClosed | Refusal, strawberry.union("BallotResult")]
ApplicationResult = Annotated[
    Application | NotEligible | CallClosed | BudgetExceeded | Refusal,
    strawberry.union("ApplicationResult"),
]
LedgerEntryResult = Annotated[LedgerEntry | Refusal, strawberry.union("LedgerEntryResult")]


def grants_refusal(error: ServiceError) -> Any:
    """grants' own refusals as their types; the usual refusal otherwise."""
    message, code = str(error), error.code
    ctx = (error.detail[0].get("ctx") if error.detail else None) or {}
    if code == "budget_exceeded":
        return BudgetExceeded(
            message=message, code=code, remaining=Decimal(ctx.get("remaining", "0"))
        )
    if code == "not_eligible":
        loc = error.detail[0].get("loc") or ["rule", ""]
        return NotEligible(message=message, code=code, rule=str(loc[-1]), rules=ctx["rules"])
    if code == "call_closed":
        return CallClosed(message=message, code=code)
    if code == "conflict_of_interest":
        return ConflictOfInterest(message=message, code=code)
    return user_error(error)


def _asks_for_its_page(info: Info) -> bool:
    """Whether the query asks this call for its ranking or its ledger (through fragments too)."""

    def names(selections: list[Any]) -> set[str]:
        found: set[str] = set()
        for selection in selections:
            if isinstance(selection, (FragmentSpread, InlineFragment)):
                found |= names(selection.selections)
            else:
                found.add(selection.name)
        return found

    asked = names(info.selected_fields[0].selections) if info.selected_fields else set()
    return bool(asked & {"ranking", "ledger"})


@strawberry.type
class GrantsQuery:
    @strawberry.field(description="Funding calls, newest opening first; drafts only to officers.")
    async def calls(
        self,
        info: Info,
        status: CallStatus | None = None,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[FundingCall]:
        limit, offset = page_window(first, after, info.context.settings.graphql_max_page_size)
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        if status is not None:
            params["status"] = status.value
        page = await info.context.services.get("grants", "/calls", params)
        return connection([call_from(c) for c in page["data"]], offset=offset, total=page["count"])

    @strawberry.field(description="One call; null when unknown (or a draft, but to officers).")
    async def call(self, info: Info, id: uuid.UUID) -> FundingCall | None:
        try:
            if _asks_for_its_page(info):  # the call page: one request for the three answers
                limit = info.context.settings.graphql_max_page_size
                page_size = min(DEFAULT_PAGE_SIZE, limit)
                params = {"ledger_limit": page_size}
                page = await info.context.services.get("grants", f"/calls/{id}/page", params)
                call = call_from(page["call"])
                call.prefetched = {**page, "ledger_limit": page_size}
                return call
            return call_from(await info.context.services.get("grants", f"/calls/{id}"))
        except ServiceError as error:
            if error.status == 404:
                return None
            raise

    @strawberry.field(description="One application; drafts only to the project and officers.")
    async def application(self, info: Info, id: uuid.UUID) -> Application | None:
        try:
            data = await info.context.services.get("grants", f"/applications/{id}")
        except ServiceError as error:
            if error.status == 404:
                return None
            raise
        return application_of(data)

    @strawberry.field(description="The caller's standing entry in the reviewer pool; null if none")
    async def my_pool_entry(self, info: Info) -> PoolEntry | None:
        if info.context.principal is None:
            return None
        try:
            return pool_entry_from(await info.context.services.get("grants", "/reviewers/me"))
        except ServiceError as error:
            if error.status == 404:
                return None
            raise


@strawberry.type
class GrantsMutation:
    @strawberry.mutation(description="Draft a call (grant officers).")
    async def create_call(self, info: Info, input: CreateCallInput) -> CallResult:
        async def post() -> FundingCall:
            body = _call_body(input)
            return call_from(await info.context.services.post("grants", "/calls", body))

        return await as_result(info, post)

    @strawberry.mutation(description="Rewrite a draft call (grant officers).")
    async def update_call(self, info: Info, id: uuid.UUID, input: CreateCallInput) -> CallResult:
        async def put() -> FundingCall:
            body = _call_body(input)
            return call_from(await info.context.services.put("grants", f"/calls/{id}", body))

        return await as_result(info, put)

    @strawberry.mutation(description="Open a drafted call for applications (grant officers).")
    async def publish_call(self, info: Info, id: uuid.UUID) -> CallResult:
        return await _call_action(info, f"/calls/{id}/publish")

    @strawberry.mutation(description="Close an open call: no more applications (grant officers).")
    async def close_call(self, info: Info, id: uuid.UUID) -> CallResult:
        return await _call_action(info, f"/calls/{id}/close")

    @strawberry.mutation(description="Draft an application (a coordinator of the project).")
    async def create_application(
        self, info: Info, call_id: uuid.UUID, project_id: uuid.UUID, input: ApplicationInput
    ) -> ApplicationResult:
        body = {**_application_body(input), "call_id": str(call_id), "project_id": str(project_id)}
        return await _application_action(info, "POST", "/applications", body)

    @strawberry.mutation(description="Rewrite an application until the call closes.")
    async def update_application(
        self, info: Info, id: uuid.UUID, input: ApplicationInput
    ) -> ApplicationResult:
        return await _application_action(
            info, "PUT", f"/applications/{id}", _application_body(input)
        )

    @strawberry.mutation(description="Submit a draft: the call's rules are checked now.")
    async def submit_application(self, info: Info, id: uuid.UUID) -> ApplicationResult:
        return await _application_action(info, "POST", f"/applications/{id}/submit")

    @strawberry.mutation(description="Withdraw an application while the call is open.")
    async def withdraw_application(self, info: Info, id: uuid.UUID) -> ApplicationResult:
        return await _application_action(info, "POST", f"/applications/{id}/withdraw")

    @strawberry.mutation(
        description="Award a submitted application of a closed call (grant officers): the "
        "request, or less; refused as BudgetExceeded when the budget no longer covers it."
    )
    async def award_application(
        self, info: Info, id: uuid.UUID, amount: Decimal | None = None, note: str = ""
    ) -> ApplicationResult:
        body = {"amount": _amount(amount), "note": note}
        return await _application_action(info, "POST", f"/applications/{id}/award", body)

    @strawberry.mutation(description="Reject a submitted application (grant officers).")
    async def reject_application(
        self, info: Info, id: uuid.UUID, note: str = ""
    ) -> ApplicationResult:
        return await _application_action(info, "POST", f"/applications/{id}/reject", {"note": note})

    @strawberry.mutation(description="Mark a closed call decided: its draw becomes public.")
    async def decide_call(self, info: Info, id: uuid.UUID) -> CallResult:
        return await _call_action(info, f"/calls/{id}/decide")

    @strawberry.mutation(description="Join the reviewer pool (for calls that open from now on).")
    async def join_reviewer_pool(self, info: Info) -> PoolEntryResult:
        async def post() -> PoolEntry:
            return pool_entry_from(await info.context.services.post("grants", "/reviewers/me"))

        return await as_result(info, post)

    @strawberry.mutation(description="Leave the reviewer pool.")
    async def leave_reviewer_pool(self, info: Info) -> PoolEntryResult:
        async def delete() -> PoolEntry:
            return pool_entry_from(await info.context.services.delete("grants", "/reviewers/me"))

        return await as_result(info, delete)

    @strawberry.mutation(description="Draw the call's panel by lot, once (grant officers).")
    async def draw_panel(self, info: Info, call_id: uuid.UUID) -> PanelResult:
        async def post() -> ReviewPanel:
            path = f"/calls/{call_id}/panel/draw"
            return panel_from(await info.context.services.post("grants", path))

        return await as_result(info, post)

    @strawberry.mutation(description="Seat someone on the call's panel (grant officers).")
    async def assign_reviewer(
        self, info: Info, call_id: uuid.UUID, person_id: strawberry.ID
    ) -> PanelResult:
        async def post() -> ReviewPanel:
            path = f"/calls/{call_id}/panel/assign"
            body = {"person_id": str(person_id)}
            return panel_from(await info.context.services.post("grants", path, body))

        return await as_result(info, post)

    @strawberry.mutation(description="Score an application (a panel member of its call).")
    async def review_application(
        self, info: Info, id: uuid.UUID, scores: list[ScoreInput], comment: str = ""
    ) -> ReviewResult:
        body = {"scores": {s.criterion: s.score for s in scores}, "comment": comment}

        async def put() -> Review:
            _once_each("scores", [s.criterion for s in scores], "criterion")
            path = f"/applications/{id}/review"
            return review_from(await info.context.services.put("grants", path, body))

        return await as_result(info, put, grants_refusal)

    @strawberry.mutation(description="Cast or change one's ballot while the call is open.")
    async def cast_ballot(
        self, info: Info, call_id: uuid.UUID, choices: list[BallotChoiceInput]
    ) -> BallotResult:
        body = {"choices": {str(c.application_id): c.points for c in choices}}

        async def put() -> Ballot:
            _once_each("choices", [str(c.application_id) for c in choices], "application")
            path = f"/calls/{call_id}/ballot"
            return ballot_from(await info.context.services.put("grants", path, body))

        return await as_result(info, put, grants_refusal)

    @strawberry.mutation(description="Record a payment or a release (grant officers).")
    async def record_payment(
        self, info: Info, call_id: uuid.UUID, input: PaymentInput
    ) -> LedgerEntryResult:
        body = {
            "application_id": str(input.application_id),
            "kind": input.kind.value,
            "amount": _amount(input.amount),
            "note": input.note,
        }

        async def post() -> LedgerEntry:
            call = await info.context.services.get("grants", f"/calls/{call_id}")
            entry = await info.context.services.post("grants", f"/calls/{call_id}/ledger", body)
            return ledger_entry_from(entry, call["currency"])

        return await as_result(info, post)


def _once_each(field: str, names: list[str], what: str) -> None:
    """A list the service reads as a map: a name given twice would lose one silently."""
    twice = sorted(name for name, times in Counter(names).items() if times > 1)
    if twice:
        problem = {"msg": f"Each {what} once: {', '.join(twice)} twice", "loc": ["body", field]}
        raise ServiceError(422, [problem])


async def _call_action(info: Info, path: str) -> Any:
    async def post() -> FundingCall:
        return call_from(await info.context.services.post("grants", path))

    return await as_result(info, post)


async def _application_action(
    info: Info, method: str, path: str, body: dict[str, Any] | None = None
) -> Any:
    async def send() -> Application:
        services = info.context.services
        data = await (services.put if method == "PUT" else services.post)("grants", path, body)
        return application_of(data)

    return await as_result(info, send, grants_refusal)
