"""grants' types in GraphQL: calls, applications, the ledger, and money.

Money is `Money { amount, currency }` with `amount` a `Decimal` (a string with two decimals),
never a float and never an `Int` of cents (GraphQL's Int is 32-bit: 21 M euros in cents overflow).
"""

import datetime as dt
import uuid
from decimal import Decimal
from enum import Enum
from typing import Any

import strawberry
from graphql import GraphQLError
from graphql.pyutils import Path

from gateway.graphql.context import Info
from gateway.graphql.districts import District, district_by_id
from gateway.graphql.errors import UserError
from gateway.graphql.node import Node
from gateway.graphql.pagination import DEFAULT_PAGE_SIZE, Connection, connection, page_window
from gateway.graphql.services import ServiceError


@strawberry.type(description="An amount of money: exact, two decimals, in a currency (ISO 4217).")
class Money:
    amount: Decimal
    currency: str


def money(text: str | None, currency: str) -> Money | None:
    return None if text is None else Money(amount=Decimal(text), currency=currency)


def _money(text: str, currency: str) -> Money:
    return Money(amount=Decimal(text), currency=currency)


def _cents(text: str) -> int:
    return int(Decimal(text) * 100)


@strawberry.enum
class CallStatus(Enum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    DECIDED = "decided"


@strawberry.enum
class CallMode(Enum):
    PANEL = "panel"
    VOTE = "vote"
    BOTH = "both"


@strawberry.enum
class BallotKind(Enum):
    POINTS = "points"
    APPROVAL = "approval"
    KNAPSACK = "knapsack"


@strawberry.enum
class VoterRule(Enum):
    CITIZEN = "citizen"
    CLAIM = "claim"


@strawberry.enum
class ApplicationStatus(Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    AWARDED = "awarded"
    REJECTED = "rejected"


@strawberry.enum
class LedgerKind(Enum):
    COMMITTED = "committed"
    DISBURSED = "disbursed"
    RELEASED = "released"


@strawberry.type(description="What a panel scores, and how much it counts.")
class Criterion:
    name: str
    weight: int


@strawberry.type(description="A call's rule, as a project stands against it now.")
class EligibilityRule:
    rule: str = strawberry.field(description="min_members, min_hours or district")
    met: bool
    required: str
    actual: str
    message: str


@strawberry.type
class Eligibility:
    eligible: bool
    rules: list[EligibilityRule]


def eligibility_from(data: dict[str, Any]) -> Eligibility:
    return Eligibility(
        eligible=data["eligible"],
        rules=[
            EligibilityRule(
                rule=r["rule"],
                met=r["met"],
                required=str(r["required"]),
                actual=str(r["actual"]),
                message=r["message"],
            )
            for r in data["rules"]
        ],
    )


@strawberry.type(description="A place in a call's ranking (score 0..1; ties by the stated rule).")
class RankedApplication:
    position: int
    application_id: uuid.UUID
    project_id: uuid.UUID
    project_name: str | None
    title: str
    requested: Money
    status: ApplicationStatus
    score: Decimal
    panel: Decimal | None = strawberry.field(description="The panel's weighted score, 0..1")
    vote: Decimal | None = strawberry.field(description="The vote's share, 0..1, once closed")
    reviews: int
    votes: int | None = strawberry.field(description="Points or choices, once closed")


@strawberry.type
class Ranking:
    mode: CallMode
    tie_rule: str
    votes_counted: bool
    applications: list[RankedApplication]


def ranking_from(data: dict[str, Any], currency: str) -> Ranking:
    return Ranking(
        mode=CallMode(data["mode"]),
        tie_rule=data["tie_rule"],
        votes_counted=data["votes_counted"],
        applications=[
            RankedApplication(
                position=a["position"],
                application_id=uuid.UUID(a["application_id"]),
                project_id=uuid.UUID(a["project_id"]),
                project_name=a["project_name"],
                title=a["title"],
                requested=_money(a["requested"], currency),
                status=ApplicationStatus(a["status"]),
                score=Decimal(a["score"]),
                panel=Decimal(a["panel"]) if a["panel"] is not None else None,
                vote=Decimal(a["vote"]) if a["vote"] is not None else None,
                reviews=a["reviews"],
                votes=a["votes"],
            )
            for a in data["applications"]
        ],
    )


@strawberry.enum
class PanelSeat(Enum):
    DRAWN = "drawn"
    ASSIGNED = "assigned"


@strawberry.type(description="A seat on a call's panel: who only to officers.")
class PanelMember:
    person_id: str | None
    pool_entry_id: uuid.UUID | None
    place: int | None
    seat: PanelSeat


@strawberry.type(description="A call's review panel: its members shown after the decision.")
class ReviewPanel:
    size: int
    members: list[PanelMember]
    you_sit: bool = strawberry.field(description="Whether the caller has a seat on it")


def panel_from(data: dict[str, Any]) -> ReviewPanel:
    return ReviewPanel(
        size=data["size"],
        members=[
            PanelMember(
                person_id=m["person_id"],
                pool_entry_id=uuid.UUID(m["pool_entry_id"]) if m["pool_entry_id"] else None,
                place=m["place"],
                seat=PanelSeat(m["seat"]),
            )
            for m in data["members"]
        ],
        you_sit=data["you_sit"],
    )


@strawberry.type(
    description="The panel draw, verifiable: the hashes published at the opening; after the "
    "decision the seed and the frozen pool (see the README: re-running a draw)."
)
class PanelDraw:
    seed_commitment: str | None
    pool_commitment: str | None
    pool_size: int
    panel_size: int
    drawn: bool
    seed: str | None
    pool: list[uuid.UUID] | None
    drawn_entries: list[uuid.UUID] | None


def draw_from(data: dict[str, Any]) -> PanelDraw:
    def ids(values: list[str] | None) -> list[uuid.UUID] | None:
        return None if values is None else [uuid.UUID(v) for v in values]

    return PanelDraw(
        seed_commitment=data["seed_commitment"],
        pool_commitment=data["pool_commitment"],
        pool_size=data["pool_size"],
        panel_size=data["panel_size"],
        drawn=data["drawn"],
        seed=data["seed"],
        pool=ids(data["pool"]),
        drawn_entries=ids(data["drawn_entries"]),
    )


@strawberry.type
class CriterionScore:
    criterion: str
    score: int


@strawberry.type(description="A panel member's review; public without its reviewer.")
class Review:
    id: strawberry.ID
    application_id: uuid.UUID
    scores: list[CriterionScore]
    comment: str
    reviewed_at: dt.datetime
    mine: bool = strawberry.field(description="Whether the caller wrote it")


def review_from(data: dict[str, Any]) -> Review:
    return Review(
        id=strawberry.ID(data["id"]),
        application_id=uuid.UUID(data["application_id"]),
        scores=[CriterionScore(criterion=k, score=v) for k, v in data["scores"].items()],
        comment=data["comment"],
        reviewed_at=dt.datetime.fromisoformat(data["reviewed_at"]),
        mine=data["mine"],
    )


@strawberry.type
class BallotChoice:
    application_id: uuid.UUID
    points: int


@strawberry.type(description="The caller's own ballot (no one else's is ever shown).")
class Ballot:
    call_id: uuid.UUID
    choices: list[BallotChoice]
    version: int
    cast_at: dt.datetime


def ballot_from(data: dict[str, Any]) -> Ballot:
    return Ballot(
        call_id=uuid.UUID(data["call_id"]),
        choices=[
            BallotChoice(application_id=uuid.UUID(k), points=v) for k, v in data["choices"].items()
        ],
        version=data["version"],
        cast_at=dt.datetime.fromisoformat(data["cast_at"]),
    )


@strawberry.type
class TallyLine:
    application_id: uuid.UUID
    title: str
    project_name: str | None
    points: int


@strawberry.type(description="The vote's totals, public once the call is closed.")
class Tally:
    kind: BallotKind
    ballots: int
    lines: list[TallyLine]


def tally_from(data: dict[str, Any]) -> Tally:
    return Tally(
        kind=BallotKind(data["kind"]),
        ballots=data["ballots"],
        lines=[
            TallyLine(
                application_id=uuid.UUID(line["application_id"]),
                title=line["title"],
                project_name=line["project_name"],
                points=line["points"],
            )
            for line in data["lines"]
        ],
    )


@strawberry.type(description="The caller against a call's voter rule.")
class VoterStanding:
    may_vote: bool


def one_call_at_a_time(info: Info, field: str) -> None:
    """Refuses a call's ranking, tally, panel, draw, ballot or eligibility asked for every call of
    a list: each is a request to grants (a ranking reads all of a call's applications, up to
    `MEENT_MAX_APPLICATIONS_PER_CALL`), and a page of calls would fan one query out into
    hundreds of them. `call(id:)` answers them."""
    path: Path | None = info.path
    while path is not None:
        if isinstance(path.key, int):
            raise GraphQLError(
                f"FundingCall.{field} is answered for one call at a time: ask call(id:) for it",
                extensions={"code": "BAD_USER_INPUT", "argument": field},
            )
        path = path.prev


async def _or_none(info: Info, path: str, statuses: tuple[int, ...]) -> Any:
    """grants' answer, or None where it refuses with one of `statuses` (nothing to show)."""
    try:
        return await info.context.services.get("grants", path)
    except ServiceError as error:
        if error.status in statuses:
            return None
        raise


@strawberry.type(description="A microgrant call. Amounts as Money (the *Cents fields overflow).")
class FundingCall(Node):
    title: str
    description: str
    currency: str
    budget: Money
    min_award: Money
    max_award: Money
    committed: Money = strawberry.field(description="Awarded, net of releases")
    disbursed: Money = strawberry.field(description="Paid out")
    remaining: Money = strawberry.field(description="The budget not committed")
    opens_on: dt.date
    closes_on: dt.date
    status: str = strawberry.field(description="draft, open, closed or decided")
    mode: CallMode
    vote_weight: Decimal = strawberry.field(description="The vote's share where mode is BOTH")
    criteria: list[Criterion]
    scale_min: int
    scale_max: int
    panel_size: int
    ballot_kind: BallotKind | None
    ballot_points: int | None
    ballot_max_choices: int | None
    voter_rule: VoterRule
    voter_claim: str | None
    voter_claim_value: str | None
    min_members: int | None
    min_hours: int | None
    district_id: uuid.UUID | None
    version: int
    # grants' answers fetched with the call (its page: `/calls/{id}/page`), when the query
    # asked for them with the first page of the ledger; else each is asked for on its own.
    prefetched: strawberry.Private[dict[str, Any] | None] = None

    @strawberry.field(description="The district it is limited to: projects stewarding a site there")
    async def district(self, info: Info) -> District | None:
        return None if self.district_id is None else await district_by_id(info, self.district_id)

    @strawberry.field(description="Its applications but drafts, the first submitted first.")
    async def applications(
        self,
        info: Info,
        status: "ApplicationStatus | None" = None,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection["Application"]:
        limit, offset = page_window(first, after, info.context.settings.graphql_max_page_size)
        params: dict[str, Any] = {"call_id": self.id, "limit": limit, "offset": offset}
        if status is not None:
            params["status"] = status.value
        page = await info.context.services.get("grants", "/applications", params)
        nodes = [application_of(a) for a in page["data"]]
        return connection(nodes, offset=offset, total=page["count"])

    @strawberry.field(description="Its public ledger: totals and entries in order.")
    async def ledger(
        self, info: Info, first: int = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> "Ledger":
        limit, offset = page_window(first, after, info.context.settings.graphql_max_page_size)
        params = {"limit": limit, "offset": offset}
        page = self.prefetched
        if page is not None and offset == 0 and page["ledger_limit"] == limit:
            data = page["ledger"]
        else:
            data = await info.context.services.get("grants", f"/calls/{self.id}/ledger", params)
        public_url = info.context.settings.public_url.rstrip("/")
        return ledger_from(data, f"{public_url}/exports/ledgers/{self.id}.csv")

    @strawberry.field(
        description="Its applications ranked (public; votes once it closed). One call at a time."
    )
    async def ranking(self, info: Info) -> Ranking:
        one_call_at_a_time(info, "ranking")
        if self.prefetched is not None:
            return ranking_from(self.prefetched["ranking"], self.currency)
        data = await info.context.services.get("grants", f"/calls/{self.id}/ranking")
        return ranking_from(data, self.currency)

    @strawberry.field(
        description="Its review panel (who sits on it: officers, or after the decision). One call at "
        "a time."
    )
    async def panel(self, info: Info) -> ReviewPanel:
        one_call_at_a_time(info, "panel")
        return panel_from(await info.context.services.get("grants", f"/calls/{self.id}/panel"))

    @strawberry.field(
        description="Its panel draw: the commitments; after the decision, all. One call at a time."
    )
    async def draw(self, info: Info) -> PanelDraw:
        one_call_at_a_time(info, "draw")
        return draw_from(await info.context.services.get("grants", f"/calls/{self.id}/draw"))

    @strawberry.field(
        description="The caller's own ballot in this call; null if none. One call at a time."
    )
    async def my_ballot(self, info: Info) -> Ballot | None:
        one_call_at_a_time(info, "myBallot")
        if info.context.principal is None:
            return None
        data = await _or_none(info, f"/calls/{self.id}/ballot", (404,))
        return ballot_from(data) if data else None

    @strawberry.field(
        description="Whether the caller's ballot would count (the call's voter rule: signed-in "
        "citizens, or a claim of their token). One call at a time."
    )
    async def voter(self, info: Info) -> "VoterStanding":
        one_call_at_a_time(info, "voter")
        if info.context.principal is None or self.mode is CallMode.PANEL:
            return VoterStanding(may_vote=False)
        data = await info.context.services.get("grants", f"/calls/{self.id}/voter")
        return VoterStanding(may_vote=bool(data["may_vote"]))

    @strawberry.field(
        description="The vote's totals; null until the call is closed. One call at a time."
    )
    async def tally(self, info: Info) -> Tally | None:
        one_call_at_a_time(info, "tally")
        data = await _or_none(info, f"/calls/{self.id}/tally", (409,))
        return tally_from(data) if data else None

    @strawberry.field(
        description="How a project stands against the call's rules now. One call at a time."
    )
    async def eligibility(self, info: Info, project_id: uuid.UUID) -> Eligibility:
        one_call_at_a_time(info, "eligibility")
        params = {"project_id": str(project_id)}
        path = f"/calls/{self.id}/eligibility"
        return eligibility_from(await info.context.services.get("grants", path, params))

    @strawberry.field(
        deprecation_reason="Use budget: an Int of cents overflows at 21,474,836.47 (then null)"
    )
    def budget_cents(self) -> int | None:
        return _cents_or_none(self.budget)

    @strawberry.field(deprecation_reason="Use minAward (null past an Int of cents)")
    def min_award_cents(self) -> int | None:
        return _cents_or_none(self.min_award)

    @strawberry.field(deprecation_reason="Use maxAward (null past an Int of cents)")
    def max_award_cents(self) -> int | None:
        return _cents_or_none(self.max_award)


GRAPHQL_INT_MAX = 2**31 - 1


def _cents_or_none(money: Money) -> int | None:
    """The amount in cents where GraphQL's 32-bit Int holds it; null (not an error) past it."""
    cents = _cents(str(money.amount))
    return cents if cents <= GRAPHQL_INT_MAX else None


def call_from(data: dict[str, Any]) -> FundingCall:
    currency = data["currency"]
    return FundingCall(
        id=strawberry.ID(data["id"]),
        title=data["title"],
        description=data["description"],
        currency=currency,
        budget=_money(data["budget"], currency),
        min_award=_money(data["min_award"], currency),
        max_award=_money(data["max_award"], currency),
        committed=_money(data["committed"], currency),
        disbursed=_money(data["disbursed"], currency),
        remaining=_money(data["remaining"], currency),
        opens_on=dt.date.fromisoformat(data["opens_on"]),
        closes_on=dt.date.fromisoformat(data["closes_on"]),
        status=data["status"],
        mode=CallMode(data["mode"]),
        vote_weight=Decimal(str(data["vote_weight"])),
        criteria=[Criterion(name=c["name"], weight=c["weight"]) for c in data["criteria"]],
        scale_min=data["scale_min"],
        scale_max=data["scale_max"],
        panel_size=data["panel_size"],
        ballot_kind=BallotKind(data["ballot_kind"]) if data["ballot_kind"] else None,
        ballot_points=data["ballot_points"],
        ballot_max_choices=data["ballot_max_choices"],
        voter_rule=VoterRule(data["voter_rule"]),
        voter_claim=data["voter_claim"],
        voter_claim_value=data["voter_claim_value"],
        min_members=data["min_members"],
        min_hours=data["min_hours"],
        district_id=uuid.UUID(data["district_id"]) if data["district_id"] else None,
        version=data["version"],
    )


@strawberry.type
class BudgetLine:
    label: str
    amount: Money


@strawberry.type(description="A project's application to a call.")
class Application(Node):
    call_id: uuid.UUID
    project_id: uuid.UUID
    project_name: str | None
    title: str
    summary: str
    requested: Money
    budget_lines: list[BudgetLine]
    document_id: uuid.UUID | None = strawberry.field(
        description="A document in the project's space"
    )
    status: ApplicationStatus
    awarded: Money | None
    disbursed: Money
    released: Money
    decision_note: str
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    version: int

    @strawberry.field(description="Its reviews, without their reviewers")
    async def reviews(self, info: Info) -> list[Review]:
        data = await info.context.services.get("grants", f"/applications/{self.id}/reviews")
        return [review_from(r) for r in data]


def application_from(data: dict[str, Any], currency: str) -> Application:
    return Application(
        id=strawberry.ID(data["id"]),
        call_id=uuid.UUID(data["call_id"]),
        project_id=uuid.UUID(data["project_id"]),
        project_name=data["project_name"],
        title=data["title"],
        summary=data["summary"],
        requested=_money(data["requested"], currency),
        budget_lines=[
            BudgetLine(label=line["label"], amount=_money(line["amount"], currency))
            for line in data["budget_lines"]
        ],
        document_id=uuid.UUID(data["document_id"]) if data["document_id"] else None,
        status=ApplicationStatus(data["status"]),
        awarded=money(data["awarded"], currency),
        disbursed=_money(data["disbursed"], currency),
        released=_money(data["released"], currency),
        decision_note=data["decision_note"],
        submitted_at=_moment(data["submitted_at"]),
        decided_at=_moment(data["decided_at"]),
        version=data["version"],
    )


def _moment(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


@strawberry.type(description="One line of a call's public ledger; entries never change.")
class LedgerEntry:
    id: strawberry.ID
    kind: LedgerKind
    amount: Money
    application_id: uuid.UUID | None
    project_id: uuid.UUID | None
    project_name: str | None
    note: str
    recorded_at: dt.datetime


def ledger_entry_from(data: dict[str, Any], currency: str) -> LedgerEntry:
    return LedgerEntry(
        id=strawberry.ID(data["id"]),
        kind=LedgerKind(data["kind"]),
        amount=_money(data["amount"], currency),
        application_id=uuid.UUID(data["application_id"]) if data["application_id"] else None,
        project_id=uuid.UUID(data["project_id"]) if data["project_id"] else None,
        project_name=data["project_name"],
        note=data["note"],
        recorded_at=dt.datetime.fromisoformat(data["recorded_at"]),
    )


@strawberry.type(description="A call's money, public: its totals and every entry in order.")
class Ledger:
    budget: Money
    committed: Money
    disbursed: Money
    remaining: Money
    entries: list[LedgerEntry]
    total_count: int
    csv_url: str = strawberry.field(description="The whole ledger as CSV")


def ledger_from(data: dict[str, Any], csv_url: str) -> Ledger:
    currency = data["currency"]
    return Ledger(
        budget=_money(data["budget"], currency),
        committed=_money(data["committed"], currency),
        disbursed=_money(data["disbursed"], currency),
        remaining=_money(data["remaining"], currency),
        entries=[ledger_entry_from(e, currency) for e in data["entries"]],
        total_count=data["count"],
        csv_url=csv_url,
    )


@strawberry.type(description="The award does not fit in what is left of the call's budget.")
class BudgetExceeded(UserError):
    remaining: Decimal


@strawberry.type(description="The project does not meet a rule of the call.")
class NotEligible(UserError):
    rule: str = strawberry.field(description="The first unmet rule: min_members, min_hours …")
    rules: list[str] = strawberry.field(description="Every unmet rule")


@strawberry.type(description="The call does not take this now (closed, or not open yet).")
class CallClosed(UserError):
    pass


@strawberry.type(description="A reviewer may not review an application of their own project.")
class ConflictOfInterest(UserError):
    pass


@strawberry.type(description="A citizen's entry in the reviewer pool (its id is public, not they).")
class PoolEntry:
    id: uuid.UUID
    joined_at: dt.datetime
    left_at: dt.datetime | None


def pool_entry_from(data: dict[str, Any]) -> PoolEntry:
    return PoolEntry(
        id=uuid.UUID(data["id"]),
        joined_at=dt.datetime.fromisoformat(data["joined_at"]),
        left_at=_moment(data["left_at"]),
    )


def application_of(data: dict[str, Any]) -> Application:
    return application_from(data, data["currency"])


async def application_page(
    info: Info, params: dict[str, Any], offset: int
) -> Connection[Application]:
    page = await info.context.services.get("grants", "/applications", params)
    nodes = [application_of(a) for a in page["data"]]
    return connection(nodes, offset=offset, total=page["count"])


async def project_applications(
    info: Info, project_id: str, call_id: uuid.UUID | None, first: int, after: str | None
) -> Connection[Application]:
    """For Project.applications: the project's applications (to one call); grants adds the
    drafts for its coordinators and officers."""
    limit, offset = page_window(first, after, info.context.settings.graphql_max_page_size)
    params: dict[str, Any] = {"project_id": project_id, "limit": limit, "offset": offset}
    if call_id is not None:
        params["call_id"] = str(call_id)
    return await application_page(info, params, offset)
