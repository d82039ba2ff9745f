"""grants in GraphQL: funding calls (applications, reviews, ballots, ledger come later)."""

import datetime as dt
import uuid
from typing import Annotated, Any

import strawberry

from gateway.graphql.context import Info
from gateway.graphql.errors import (
    Refusal,
    as_result,
)
from gateway.graphql.node import Node
from gateway.graphql.pagination import DEFAULT_PAGE_SIZE, Connection, connection, page_window


@strawberry.type(description="An open call for microgrants. Amounts in cents.")
class FundingCall(Node):
    title: str
    description: str
    currency: str
    budget_cents: int
    min_award_cents: int
    max_award_cents: int
    opens_on: dt.date
    closes_on: dt.date
    status: str
    version: int


def call_from(data: dict[str, Any]) -> FundingCall:
    return FundingCall(
        id=strawberry.ID(data["id"]),
        title=data["title"],
        description=data["description"],
        currency=data["currency"],
        budget_cents=data["budget_cents"],
        min_award_cents=data["min_award_cents"],
        max_award_cents=data["max_award_cents"],
        opens_on=dt.date.fromisoformat(data["opens_on"]),
        closes_on=dt.date.fromisoformat(data["closes_on"]),
        status=data["status"],
        version=data["version"],
    )


@strawberry.input
class CreateCallInput:
    title: str
    budget_cents: int
    min_award_cents: int
    max_award_cents: int
    opens_on: dt.date
    closes_on: dt.date
    description: str = ""
    currency: str = "EUR"


CallResult = Annotated[
    FundingCall | Refusal,
    strawberry.union("CallResult"),
]


async def _send(info: Info, path: str, body: dict[str, Any] | None = None) -> Any:
    async def post() -> FundingCall:
        return call_from(await info.context.services.post("grants", path, body))

    return await as_result(info, post)


@strawberry.type
class GrantsQuery:
    @strawberry.field(description="Funding calls, newest first.")
    async def calls(
        self, info: Info, first: int = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[FundingCall]:
        limit, offset = page_window(first, after, info.context.settings.graphql_max_page_size)
        page = await info.context.services.get(
            "grants", "/calls", {"limit": limit, "offset": offset}
        )
        return connection([call_from(c) for c in page["data"]], offset=offset, total=page["count"])


@strawberry.type
class GrantsMutation:
    @strawberry.mutation(description="Draft a call (grant officers).")
    async def create_call(self, info: Info, input: CreateCallInput) -> CallResult:
        body = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in vars(input).items()}
        return await _send(info, "/calls", body)

    @strawberry.mutation(description="Open a drafted call for applications (grant officers).")
    async def publish_call(self, info: Info, id: uuid.UUID) -> CallResult:
        return await _send(info, f"/calls/{id}/publish")
