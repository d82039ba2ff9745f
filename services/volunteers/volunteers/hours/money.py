"""The in-kind value of volunteer hours, in money: Decimal, never float.

The rule: a figure's value is its net minutes × the hourly rate ÷ 60, computed exactly (as a
fraction) and rounded once, half to even ("banker's rounding", ROUND_HALF_EVEN), to the cent.
Each figure — a project's total, each month, activity or person group — is rounded from its own
minutes; a total is never the sum of rounded groups, so the groups' values may differ from the
total's by a cent or so, and the total is always what its minutes are worth.
"""

from decimal import Decimal
from fractions import Fraction

CENT = Decimal("0.01")
MINUTES_PER_HOUR = 60


def in_kind_value(minutes: int, hourly_rate: Decimal) -> Decimal:
    """`minutes` at `hourly_rate` an hour, rounded half-even to the cent (see the module)."""
    exact_cents = Fraction(minutes) * Fraction(hourly_rate) * 100 / MINUTES_PER_HOUR
    # round() of a Fraction rounds half to even, exactly (no intermediate binary or decimal error).
    return (Decimal(round(exact_cents)) * CENT).quantize(CENT)


def money_text(amount: Decimal) -> str:
    """How an amount travels in JSON: a string with two decimals ("123.45"), never a number."""
    return str(amount.quantize(CENT))
