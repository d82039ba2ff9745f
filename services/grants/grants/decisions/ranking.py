"""How a call's applications are scored and ranked.

A review scores every criterion of the call on the call's scale. A review's score is the
weighted mean of its criterion scores, each mapped onto [0, 1]; an application's panel score
is the mean of its reviews' scores. Its vote share is its votes divided by the most votes any
application of the call got. The call's mode decides what counts:

- "panel": the panel score alone (an application without a review scores 0);
- "vote": the vote share alone;
- "both": (1 - vote_weight) * panel score + vote_weight * vote share.

All arithmetic is exact (`Fraction`, never float), so two applications tie only when their
scores are truly equal; the 4-decimal score shown to people is rounded for display only.

Tie rule (public): applications with exactly equal scores are ordered by
  1. the smaller requested amount first (more projects fit the budget), then
  2. the earlier submission time, then
  3. the application id, as text (lowercase hyphenated UUID), in ascending order.
Every application therefore gets a position of its own.
"""

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal, get_args

Mode = Literal["panel", "vote", "both"]


@dataclass(frozen=True)
class Criterion:
    """A criterion the panel scores; `weight` is its share in a review's score."""

    name: str
    weight: int

    def __post_init__(self) -> None:
        if self.weight <= 0:
            raise ValueError(f"criterion {self.name!r}: weight must be positive, not {self.weight}")


@dataclass(frozen=True)
class Scale:
    """The whole-number range every criterion is scored on, both ends included."""

    min: int
    max: int

    def __post_init__(self) -> None:
        if self.min >= self.max:
            raise ValueError(f"scale: min ({self.min}) must be below max ({self.max})")


class ScoreError(ValueError):
    """A review's scores do not fit the call; `field` names the criterion at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class RankInput:
    """One submitted application as ranking needs it; `panel` is None when nobody reviewed it."""

    id: uuid.UUID
    requested: Decimal
    submitted_at: dt.datetime
    panel: Fraction | None
    votes: int


@dataclass(frozen=True)
class Ranked:
    """An application's place in the ranking, with its score rounded for display.

    `panel` and `vote` are the parts the mode uses, also rounded: `panel` is None in "vote"
    mode or when the application has no review, `vote` is None in "panel" mode.
    """

    position: int
    id: uuid.UUID
    score: Decimal
    panel: Decimal | None
    vote: Decimal | None


def _check_criteria(criteria: Sequence[Criterion]) -> None:
    if not criteria:
        raise ValueError("a call needs at least one criterion")
    names = [c.name for c in criteria]
    if len(set(names)) != len(names):
        raise ValueError(f"criterion names must be unique: {names}")


def validate_scores(scores: Mapping[str, int], criteria: Sequence[Criterion], scale: Scale) -> None:
    """Refuse a review unless it scores every criterion, and only those, on the scale."""
    _check_criteria(criteria)
    known = {c.name for c in criteria}
    unknown = sorted(set(scores) - known)
    if unknown:
        raise ScoreError(unknown[0], f"{unknown[0]!r} is not a criterion of this call")
    for criterion in criteria:
        name = criterion.name
        if name not in scores:
            raise ScoreError(name, f"{name!r} needs a score from {scale.min} to {scale.max}")
        score = scores[name]
        if type(score) is not int:
            raise ScoreError(name, f"{name!r} needs a whole number, not {score!r}")
        if not scale.min <= score <= scale.max:
            raise ScoreError(
                name, f"{name!r} is scored {score}; scores run from {scale.min} to {scale.max}"
            )


def _review_score(
    scores: Mapping[str, int], criteria: Sequence[Criterion], scale: Scale
) -> Fraction:
    weighted = sum(c.weight * (scores[c.name] - scale.min) for c in criteria)
    total_weight = sum(c.weight for c in criteria)
    return Fraction(weighted, (scale.max - scale.min) * total_weight)


def panel_score(
    reviews: Sequence[Mapping[str, int]], criteria: Sequence[Criterion], scale: Scale
) -> Fraction | None:
    """The mean of the reviews' weighted scores, in [0, 1]; None when there is no review.

    Each review is validated first (`ScoreError`), so a bad review can never push the score
    off [0, 1].
    """
    if not reviews:
        return None
    for review in reviews:
        validate_scores(review, criteria, scale)
    return sum((_review_score(r, criteria, scale) for r in reviews), Fraction(0)) / len(reviews)


def panel_score_from_sums(
    sums: Mapping[str, int], reviews: int, criteria: Sequence[Criterion], scale: Scale
) -> Fraction | None:
    """`panel_score` from each criterion's sum of scores over `reviews` (validated) reviews, as
    a database adds them up: the mean of weighted scores is the weighted mean of the sums."""
    if reviews == 0:
        return None
    weighted = sum(c.weight * (sums[c.name] - reviews * scale.min) for c in criteria)
    total_weight = sum(c.weight for c in criteria)
    return Fraction(weighted, (scale.max - scale.min) * total_weight * reviews)


def vote_share(votes: int, most_votes: int) -> Fraction:
    """`votes` as a share of the most votes any application got; 0 when nobody voted."""
    if votes < 0 or votes > most_votes:
        raise ValueError(f"votes ({votes}) must lie between 0 and most_votes ({most_votes})")
    if most_votes == 0:
        return Fraction(0)
    return Fraction(votes, most_votes)


def _check_mode(mode: str) -> None:
    if mode not in get_args(Mode):
        raise ValueError(f"mode must be one of {get_args(Mode)}, not {mode!r}")


def _check_vote_weight(vote_weight: Decimal) -> None:
    if not isinstance(vote_weight, Decimal) or not vote_weight.is_finite():
        raise ValueError(f"vote_weight must be a finite Decimal, not {vote_weight!r}")
    if not 0 <= vote_weight <= 1:
        raise ValueError(f"vote_weight must lie between 0 and 1, not {vote_weight}")


def combined(
    panel: Fraction | None, vote: Fraction | None, mode: Mode, vote_weight: Decimal
) -> Fraction:
    """The score that ranks an application under the call's mode; a missing part counts as 0.

    `vote_weight` (the vote's share, in [0, 1]) matters only in "both" mode.
    """
    _check_mode(mode)
    panel_part = panel if panel is not None else Fraction(0)
    vote_part = vote if vote is not None else Fraction(0)
    if mode == "panel":
        return panel_part
    if mode == "vote":
        return vote_part
    _check_vote_weight(vote_weight)
    weight = Fraction(vote_weight)  # exact: Decimal("0.1") becomes 1/10
    return (1 - weight) * panel_part + weight * vote_part


def for_display(value: Fraction) -> Decimal:
    """`value` rounded half to even (ROUND_HALF_EVEN) to 4 decimal places, computed exactly."""
    ten_thousandths = round(value * 10_000)  # Fraction rounds half to even, exactly
    return Decimal(ten_thousandths).scaleb(-4)


def rank(applications: Sequence[RankInput], mode: Mode, vote_weight: Decimal) -> list[Ranked]:
    """Rank the applications best first, ties broken by the public tie rule (module docstring).

    Vote shares are taken against the most votes in `applications`. O(n log n).
    """
    _check_mode(mode)
    ids = {a.id for a in applications}
    if len(ids) != len(applications):
        raise ValueError("each application may appear only once")
    most_votes = max((a.votes for a in applications), default=0)

    scored: list[tuple[Fraction, RankInput, Fraction]] = []
    for application in applications:
        vote = vote_share(application.votes, most_votes)
        score = combined(application.panel, vote, mode, vote_weight)
        scored.append((score, application, vote))
    scored.sort(key=lambda s: (-s[0], s[1].requested, s[1].submitted_at, str(s[1].id)))

    return [
        Ranked(
            position=position,
            id=application.id,
            score=for_display(score),
            panel=(
                for_display(application.panel)
                if mode != "vote" and application.panel is not None
                else None
            ),
            vote=for_display(vote) if mode != "panel" else None,
        )
        for position, (score, application, vote) in enumerate(scored, start=1)
    ]
