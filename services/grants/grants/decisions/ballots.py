"""Citizens' ballots on a call: what a valid ballot is, and how ballots are counted.

Each person casts one ballot per call (enforced where ballots are stored). A call uses one of
three kinds of ballot:

- "points": spread at most `points` points over applications (whole numbers, at least one
  point given);
- "approval": approve up to `max_choices` distinct applications;
- "knapsack": choose distinct applications whose requested amounts together fit the call's
  budget, as CONSUL's participatory-budget ballots do.

A ballot maps application id to points; an approval or knapsack choice is worth 1. Money is
`Decimal` only, never float.
"""

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

BallotKind = Literal["points", "approval", "knapsack"]


@dataclass(frozen=True)
class BallotRule:
    """The call's ballot settings; only the setting its `kind` uses need be given."""

    kind: BallotKind
    points: int | None = None
    max_choices: int | None = None
    budget: Decimal | None = None

    def __post_init__(self) -> None:
        if self.kind == "points":
            if self.points is None or self.points < 1:
                raise ValueError("a points ballot needs points of at least 1")
        elif self.kind == "approval":
            if self.max_choices is None or self.max_choices < 1:
                raise ValueError("an approval ballot needs max_choices of at least 1")
        elif self.kind == "knapsack":
            budget = self.budget
            if not isinstance(budget, Decimal) or not budget.is_finite() or budget < 0:
                raise ValueError("a knapsack ballot needs a budget: a non-negative Decimal")
        else:
            raise ValueError(f"unknown ballot kind {self.kind!r}")


class BallotError(ValueError):
    """A ballot the call's rule refuses; `reason` is a stable code, the message is for people.

    Reasons: "unknown_application", "too_many_points", "negative_points", "empty",
    "too_many_choices", "over_budget", "not_one".
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def validate_ballot(
    rule: BallotRule, choices: Mapping[uuid.UUID, int], requested: Mapping[uuid.UUID, Decimal]
) -> dict[uuid.UUID, int]:
    """Check a ballot against the call's rule and return it without zero-point entries.

    `requested` holds the call's submitted applications (the only ones a ballot may name) with
    the amounts they request. Raises `BallotError`.
    """
    # Bound the work first: a ballot naming more applications than the call has is refused
    # before anything is looked up or summed.
    if len(choices) > len(requested):
        raise BallotError(
            "too_many_choices",
            f"A ballot can name at most the {len(requested)} applications of this call; "
            f"this one names {len(choices)}.",
        )
    for application_id, points in choices.items():
        if application_id not in requested:
            raise BallotError(
                "unknown_application",
                f"Application {application_id} is not one of this call's submitted applications.",
            )
        if type(points) is not int:
            raise TypeError(f"points must be whole numbers, not {points!r}")

    if rule.kind == "points":
        return _validate_points(rule, choices)
    return _validate_choices(rule, choices, requested)


def _validate_points(rule: BallotRule, choices: Mapping[uuid.UUID, int]) -> dict[uuid.UUID, int]:
    assert rule.points is not None  # BallotRule ensures it for a points ballot
    for application_id, points in choices.items():
        if points < 0:
            raise BallotError(
                "negative_points",
                f"Points cannot be negative; application {application_id} is given {points}.",
            )
    total = sum(choices.values())
    if total > rule.points:
        raise BallotError(
            "too_many_points",
            f"You can give at most {rule.points} points in total; this ballot gives {total}.",
        )
    if total == 0:
        raise BallotError("empty", "Give at least one point to an application.")
    return {application_id: points for application_id, points in choices.items() if points > 0}


def _validate_choices(
    rule: BallotRule, choices: Mapping[uuid.UUID, int], requested: Mapping[uuid.UUID, Decimal]
) -> dict[uuid.UUID, int]:
    for application_id, points in choices.items():
        if points != 1:
            raise BallotError(
                "not_one",
                f"Each chosen application counts 1; application {application_id} is given {points}.",
            )
    if not choices:
        raise BallotError("empty", "Choose at least one application.")
    if rule.kind == "approval":
        assert rule.max_choices is not None  # BallotRule ensures it for an approval ballot
        if len(choices) > rule.max_choices:
            raise BallotError(
                "too_many_choices",
                f"You can approve at most {rule.max_choices} applications; "
                f"this ballot approves {len(choices)}.",
            )
    else:
        assert rule.budget is not None  # BallotRule ensures it for a knapsack ballot
        total = sum((requested[application_id] for application_id in choices), Decimal(0))
        if total > rule.budget:
            raise BallotError(
                "over_budget",
                f"The chosen applications request {total} in total, "
                f"more than the budget of {rule.budget}.",
            )
    return dict(choices)


def tally(ballots: Iterable[Mapping[uuid.UUID, int]]) -> dict[uuid.UUID, int]:
    """Sum validated ballots per application: points, or for approval and knapsack ballots the
    number of ballots choosing it. Applications nobody chose are absent (count them as 0).
    """
    totals: dict[uuid.UUID, int] = {}
    for ballot in ballots:
        for application_id, points in ballot.items():
            if points:
                totals[application_id] = totals.get(application_id, 0) + points
    return totals
