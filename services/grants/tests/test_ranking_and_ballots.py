"""Ranking a call's applications, and citizens' ballots: the rules people see applied."""

import datetime as dt
import uuid
from decimal import Decimal
from fractions import Fraction

import pytest

from grants.decisions.ballots import BallotError, BallotRule, tally, validate_ballot
from grants.decisions.ranking import (
    Criterion,
    RankInput,
    Scale,
    ScoreError,
    combined,
    panel_score,
    panel_score_from_sums,
    rank,
    validate_scores,
    vote_share,
)

CRITERIA = [Criterion("impact", 2), Criterion("feasibility", 1)]
SCALE = Scale(0, 5)
NOON = dt.datetime(2027, 2, 1, 12, 0, tzinfo=dt.UTC)

A = uuid.UUID("00000000-0000-0000-0000-00000000000a")
B = uuid.UUID("00000000-0000-0000-0000-00000000000b")
C = uuid.UUID("00000000-0000-0000-0000-00000000000c")
D = uuid.UUID("00000000-0000-0000-0000-00000000000d")


def application(
    id: uuid.UUID,
    panel: Fraction | None = None,
    votes: int = 0,
    requested: str = "1000.00",
    submitted_at: dt.datetime = NOON,
) -> RankInput:
    return RankInput(
        id=id, requested=Decimal(requested), submitted_at=submitted_at, panel=panel, votes=votes
    )


def order(ranked: list) -> list[uuid.UUID]:
    return [r.id for r in ranked]


# --- reviews and the panel score -----------------------------------------------------------


def test_a_review_scoring_every_criterion_on_the_scale_is_accepted():
    validate_scores({"impact": 0, "feasibility": 5}, CRITERIA, SCALE)


@pytest.mark.parametrize(
    ("scores", "field", "words"),
    [
        ({"impact": 3}, "feasibility", "needs a score from 0 to 5"),
        ({"impact": 3, "feasibility": 2, "beauty": 4}, "beauty", "not a criterion"),
        ({"impact": 6, "feasibility": 2}, "impact", "scores run from 0 to 5"),
        ({"impact": 3, "feasibility": -1}, "feasibility", "scores run from 0 to 5"),
    ],
    ids=["missing", "unknown", "above the scale", "below the scale"],
)
def test_a_review_that_does_not_fit_the_call_is_refused_naming_the_criterion(scores, field, words):
    with pytest.raises(ScoreError) as refused:
        validate_scores(scores, CRITERIA, SCALE)
    assert refused.value.field == field
    assert words in str(refused.value)


def test_the_panel_score_is_the_mean_of_weighted_reviews():
    # Weights 2 (impact) and 1 (feasibility) on a 0..5 scale:
    #   review 1: impact 4, feasibility 5 -> (2*4/5 + 1*5/5) / 3 = (13/5) / 3 = 13/15
    #   review 2: impact 2, feasibility 1 -> (2*2/5 + 1*1/5) / 3 = (5/5) / 3  = 5/15
    #   mean: (13/15 + 5/15) / 2 = 18/30 = 3/5
    reviews = [{"impact": 4, "feasibility": 5}, {"impact": 2, "feasibility": 1}]
    assert panel_score(reviews, CRITERIA, SCALE) == Fraction(3, 5)


def test_the_panel_score_maps_a_scale_not_starting_at_zero_onto_0_to_1():
    # On 1..5: the lowest mark is 0, the highest 1, the middle (3) is (3-1)/(5-1) = 1/2.
    scale = Scale(1, 5)
    assert panel_score([{"impact": 1, "feasibility": 1}], CRITERIA, scale) == 0
    assert panel_score([{"impact": 5, "feasibility": 5}], CRITERIA, scale) == 1
    assert panel_score([{"impact": 3, "feasibility": 3}], CRITERIA, scale) == Fraction(1, 2)


def test_an_application_nobody_reviewed_has_no_panel_score():
    assert panel_score([], CRITERIA, SCALE) is None


def test_the_panel_score_refuses_a_review_off_the_scale():
    with pytest.raises(ScoreError):
        panel_score([{"impact": 9, "feasibility": 5}], CRITERIA, SCALE)


def test_a_scale_must_run_upwards_and_weights_must_be_positive():
    with pytest.raises(ValueError):
        Scale(5, 5)
    with pytest.raises(ValueError):
        Criterion("impact", 0)


# --- vote share and the combined score -----------------------------------------------------


def test_the_vote_share_is_relative_to_the_most_voted_application():
    assert vote_share(3, 12) == Fraction(1, 4)
    assert vote_share(12, 12) == 1
    assert vote_share(0, 0) == 0  # nobody voted


def test_the_mode_decides_which_parts_count():
    assert combined(Fraction(3, 5), Fraction(1, 4), "panel", Decimal("0.5")) == Fraction(3, 5)
    assert combined(Fraction(3, 5), Fraction(1, 4), "vote", Decimal("0.5")) == Fraction(1, 4)
    assert combined(None, Fraction(1, 4), "panel", Decimal("0")) == 0  # no review counts as 0


def test_both_mode_gives_the_vote_its_weight():
    # (1 - 0.25) * 3/5 + 0.25 * 1/4 = 0.45 + 0.0625 = 0.5125 = 41/80
    assert combined(Fraction(3, 5), Fraction(1, 4), "both", Decimal("0.25")) == Fraction(41, 80)
    # The ends of the range: weight 0 is the panel alone, weight 1 the vote alone.
    assert combined(Fraction(3, 5), Fraction(1, 4), "both", Decimal("0")) == Fraction(3, 5)
    assert combined(Fraction(3, 5), Fraction(1, 4), "both", Decimal("1")) == Fraction(1, 4)


def test_the_vote_weight_is_taken_exactly_not_as_a_float():
    # 0.1 as a float is 0.1000000000000000055...; as a Decimal it is exactly 1/10.
    score = combined(Fraction(0), Fraction(1), "both", Decimal("0.1"))
    assert isinstance(score, Fraction)
    assert score == Fraction(1, 10)


def test_a_vote_weight_outside_0_to_1_is_refused():
    with pytest.raises(ValueError):
        combined(Fraction(1), Fraction(1), "both", Decimal("1.5"))
    with pytest.raises(ValueError):
        combined(Fraction(1), Fraction(1), "both", Decimal("-0.1"))


# --- ranking ---------------------------------------------------------------------------------


def test_the_highest_score_ranks_first_with_positions_from_1():
    ranked = rank(
        [application(A, Fraction(1, 2)), application(B, Fraction(9, 10)), application(C, None)],
        "panel",
        Decimal("0"),
    )
    assert order(ranked) == [B, A, C]
    assert [r.position for r in ranked] == [1, 2, 3]
    assert [r.score for r in ranked] == [Decimal("0.9000"), Decimal("0.5000"), Decimal("0.0000")]
    assert ranked[2].panel is None  # not reviewed: shown as no panel score, ranked as 0
    assert all(r.vote is None for r in ranked)  # a panel-only call shows no vote part


def test_a_vote_only_call_ranks_by_votes():
    # Most votes 30: shares 30/30 = 1, 10/30 = 0.3333..., 0/30 = 0.
    ranked = rank(
        [application(A, votes=10), application(B, votes=0), application(C, votes=30)],
        "vote",
        Decimal("0"),
    )
    assert order(ranked) == [C, A, B]
    assert [r.vote for r in ranked] == [Decimal("1.0000"), Decimal("0.3333"), Decimal("0.0000")]
    assert all(r.panel is None for r in ranked)


def test_in_both_mode_the_vote_weight_can_change_the_order():
    # A: panel 0.9, no votes.  B: panel 0.5, the most votes (share 1).
    #   weight 0.25: A = 0.75*0.9 = 0.675;  B = 0.75*0.5 + 0.25*1 = 0.625  -> A first
    #   weight 0.5:  A = 0.5*0.9  = 0.45;   B = 0.5*0.5  + 0.5*1  = 0.75   -> B first
    apps = [application(A, Fraction(9, 10), votes=0), application(B, Fraction(1, 2), votes=40)]
    low = rank(apps, "both", Decimal("0.25"))
    assert order(low) == [A, B]
    assert [r.score for r in low] == [Decimal("0.6750"), Decimal("0.6250")]
    high = rank(apps, "both", Decimal("0.5"))
    assert order(high) == [B, A]
    assert [r.score for r in high] == [Decimal("0.7500"), Decimal("0.4500")]
    assert (high[0].panel, high[0].vote) == (Decimal("0.5000"), Decimal("1.0000"))


def test_tie_step_1_the_smaller_request_ranks_first():
    # Equal scores; D asks one cent less, so it ranks first although it was submitted later
    # and has the larger id (steps 2 and 3 would both favour A).
    early = NOON - dt.timedelta(days=1)
    ranked = rank(
        [
            application(A, Fraction(1, 2), requested="2500.00", submitted_at=early),
            application(D, Fraction(1, 2), requested="2499.99", submitted_at=NOON),
        ],
        "panel",
        Decimal("0"),
    )
    assert order(ranked) == [D, A]


def test_tie_step_2_with_equal_requests_the_earlier_submission_ranks_first():
    # Equal scores and requests; D (the larger id) was submitted a second earlier.
    ranked = rank(
        [
            application(A, Fraction(1, 2), submitted_at=NOON),
            application(D, Fraction(1, 2), submitted_at=NOON - dt.timedelta(seconds=1)),
        ],
        "panel",
        Decimal("0"),
    )
    assert order(ranked) == [D, A]


def test_tie_step_3_with_everything_else_equal_the_id_decides():
    # "...000a" < "...000b" < "...000c" as text, whatever order they come in.
    ranked = rank(
        [
            application(C, Fraction(1, 2)),
            application(A, Fraction(1, 2)),
            application(B, Fraction(1, 2)),
        ],
        "panel",
        Decimal("0"),
    )
    assert order(ranked) == [A, B, C]
    assert [r.position for r in ranked] == [1, 2, 3]


def test_scores_equal_when_rounded_but_not_exactly_are_not_a_tie():
    # 1/3 = 0.33333... and 3333/10000 = 0.3333 both show as 0.3333, but 1/3 is higher, so it
    # ranks first even though it asks more (the tie rule must not apply).
    ranked = rank(
        [
            application(A, Fraction(3333, 10000), requested="100.00"),
            application(B, Fraction(1, 3), requested="9000.00"),
        ],
        "panel",
        Decimal("0"),
    )
    assert order(ranked) == [B, A]
    assert ranked[0].score == ranked[1].score == Decimal("0.3333")


def test_scores_reached_differently_but_exactly_equal_are_a_tie():
    # Weight 0.5: A = 0.5*1/2 + 0.5*0 = 1/4;  B = 0.5*0 + 0.5*(10/20) = 1/4.  A tie, so the
    # smaller request (B) ranks first.
    ranked = rank(
        [
            application(A, Fraction(1, 2), votes=0, requested="800.00"),
            application(B, Fraction(0), votes=10, requested="700.00"),
            application(C, Fraction(0), votes=20, requested="100.00"),
        ],
        "both",
        Decimal("0.5"),
    )
    assert order(ranked) == [C, B, A]


def test_the_displayed_score_rounds_half_to_even():
    # 0.00005 -> 0.0000 and 0.00015 -> 0.0002 (half to even; half-up would give 0.0001, 0.0002)
    ranked = rank(
        [application(A, Fraction(1, 20000)), application(B, Fraction(3, 20000))],
        "panel",
        Decimal("0"),
    )
    assert [(r.id, r.score) for r in ranked] == [(B, Decimal("0.0002")), (A, Decimal("0.0000"))]


def test_an_application_listed_twice_is_refused():
    with pytest.raises(ValueError):
        rank([application(A), application(A)], "panel", Decimal("0"))


def test_a_call_without_applications_ranks_nothing():
    assert rank([], "both", Decimal("0.5")) == []


# --- ballots ---------------------------------------------------------------------------------

REQUESTED = {
    A: Decimal("2500.00"),
    B: Decimal("1500.00"),
    C: Decimal("1000.00"),
    D: Decimal("1000.01"),
}
POINTS = BallotRule("points", points=10)
APPROVAL = BallotRule("approval", max_choices=3)
KNAPSACK = BallotRule("knapsack", budget=Decimal("5000.00"))


def refusal(rule: BallotRule, choices: dict[uuid.UUID, int]) -> BallotError:
    with pytest.raises(BallotError) as refused:
        validate_ballot(rule, choices, REQUESTED)
    return refused.value


def test_a_points_ballot_may_use_all_points_and_drops_zero_entries():
    assert validate_ballot(POINTS, {A: 6, B: 4, C: 0}, REQUESTED) == {A: 6, B: 4}


def test_a_points_ballot_over_the_points_is_refused_naming_the_limit():
    refused = refusal(POINTS, {A: 7, B: 4})  # 11 > 10
    assert refused.reason == "too_many_points"
    assert "at most 10 points" in str(refused)


def test_negative_points_are_refused_even_when_the_total_fits():
    # 12 + (-3) = 9 would fit the 10 points; the negative entry is refused first.
    refused = refusal(POINTS, {A: 12, B: -3})
    assert refused.reason == "negative_points"


def test_a_ballot_giving_nothing_is_refused():
    assert refusal(POINTS, {A: 0, B: 0}).reason == "empty"
    assert refusal(POINTS, {}).reason == "empty"
    assert refusal(APPROVAL, {}).reason == "empty"
    assert refusal(KNAPSACK, {}).reason == "empty"


def test_a_vote_for_an_application_not_in_the_call_is_refused():
    stranger = uuid.UUID("ffffffff-0000-0000-0000-000000000000")
    refused = refusal(APPROVAL, {A: 1, stranger: 1})
    assert refused.reason == "unknown_application"
    assert str(stranger) in str(refused)


def test_a_ballot_naming_more_applications_than_the_call_has_is_refused_first():
    # Five entries for a call of four applications: refused on the count alone, before the
    # unknown id or the points (far over 10) are looked at.
    choices = {A: 10**9, B: 10**9, C: 10**9, D: 10**9, uuid.uuid4(): 10**9}
    refused = refusal(POINTS, choices)
    assert refused.reason == "too_many_choices"
    assert "at most the 4 applications" in str(refused)


def test_an_approval_ballot_may_approve_up_to_k_applications():
    assert validate_ballot(APPROVAL, {A: 1, B: 1, C: 1}, REQUESTED) == {A: 1, B: 1, C: 1}
    refused = refusal(APPROVAL, {A: 1, B: 1, C: 1, D: 1})
    assert refused.reason == "too_many_choices"
    assert "at most 3 applications" in str(refused)


@pytest.mark.parametrize("rule", [APPROVAL, KNAPSACK], ids=["approval", "knapsack"])
@pytest.mark.parametrize("points", [0, 2, -1])
def test_an_approval_or_knapsack_choice_must_count_exactly_1(rule, points):
    refused = refusal(rule, {A: 1, B: points})
    assert refused.reason == "not_one"


def test_a_knapsack_ballot_exactly_at_the_budget_is_accepted():
    # 2500.00 + 1500.00 + 1000.00 = 5000.00, the budget.
    assert validate_ballot(KNAPSACK, {A: 1, B: 1, C: 1}, REQUESTED) == {A: 1, B: 1, C: 1}


def test_a_knapsack_ballot_one_cent_over_the_budget_is_refused():
    # 2500.00 + 1500.00 + 1000.01 = 5000.01, one cent over 5000.00.
    refused = refusal(KNAPSACK, {A: 1, B: 1, D: 1})
    assert refused.reason == "over_budget"
    assert "5000.01" in str(refused)
    assert "budget of 5000.00" in str(refused)


def test_a_ballot_rule_needs_the_setting_of_its_kind():
    with pytest.raises(ValueError):
        BallotRule("points")
    with pytest.raises(ValueError):
        BallotRule("approval", max_choices=0)
    with pytest.raises(ValueError):
        BallotRule("knapsack", budget=5000.0)  # money is never float


def test_the_tally_sums_points_per_application():
    # A: 6 + 3 = 9;  B: 4 + 10 = 14;  C: 7.
    ballots = [{A: 6, B: 4}, {A: 3, C: 7}, {B: 10}]
    assert tally(ballots) == {A: 9, B: 14, C: 7}


def test_the_tally_counts_approval_ballots_choosing_each_application():
    ballots = ({A: 1, B: 1} if i % 2 else {A: 1} for i in range(5))  # any iterable will do
    assert tally(ballots) == {A: 5, B: 2}


def test_a_tally_of_no_ballots_is_empty():
    assert tally([]) == {}


def test_a_tally_feeds_the_vote_ranking():
    votes = tally([{A: 1, B: 1}, {B: 1}, {B: 1, C: 1}])  # A 1, B 3, C 1
    ranked = rank(
        [application(x, votes=votes.get(x, 0)) for x in (A, B, C, D)], "vote", Decimal("0")
    )
    assert order(ranked) == [B, A, C, D]  # A and C tie at 1/3; equal requests and times: id


def test_the_panel_score_from_sums_equals_the_mean_of_the_reviews():
    """The ranking adds scores up in the database; the result must be the same exact fraction."""
    import random

    criteria = [Criterion("Impact", 3), Criterion("Feasibility", 1), Criterion("Reach", 2)]
    scale = Scale(1, 7)
    rng = random.Random(4)
    for count in (1, 2, 5, 9):
        reviews = [{c.name: rng.randint(1, 7) for c in criteria} for _ in range(count)]
        sums = {c.name: sum(r[c.name] for r in reviews) for c in criteria}
        assert panel_score_from_sums(sums, count, criteria, scale) == panel_score(
            reviews, criteria, scale
        )
    assert panel_score_from_sums({}, 0, criteria, scale) is None
