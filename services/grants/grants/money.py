"""Money in grants: Decimal with two places, never float; in JSON a string ("1250.00").

An amount a client sends has at most two decimals and at most twelve digits before the point
(up to 999,999,999,999.99, far beyond any city's budget and far beyond GraphQL's 32-bit Int,
which held cents only up to 21 million); a string or a JSON number is read exactly, `NaN` and
infinities are refused. The database holds `numeric(14, 2)`, the same range, exactly.
"""

from decimal import Decimal
from typing import Annotated

from pydantic import Field, PlainSerializer

CENT = Decimal("0.01")
MAX_DIGITS = 14
PLACES = 2


def money_text(amount: Decimal) -> str:
    """How an amount travels in JSON: two decimals, as a string."""
    return str(amount.quantize(CENT))


def cents(amount: Decimal) -> int:
    """The amount in cents, for the event contracts (which carry integers of cents)."""
    return int((amount * 100).to_integral_exact())


_AsText = PlainSerializer(money_text, return_type=str, when_used="json")

# A positive amount: budgets, awards, requests, budget lines, ledger entries.
Amount = Annotated[
    Decimal,
    Field(gt=0, max_digits=MAX_DIGITS, decimal_places=PLACES, allow_inf_nan=False),
    _AsText,
]
# A sum that may be zero: what is committed, disbursed, remaining.
Total = Annotated[Decimal, Field(ge=0, max_digits=MAX_DIGITS, decimal_places=PLACES), _AsText]
