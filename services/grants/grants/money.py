"""Money in grants: Decimal with two places, never float; in JSON a string ("1250.00").

An amount a client sends is a string of ASCII digits with at most two decimals and at most twelve
digits before the point ("1250", "1250.5", "1250.00"; up to 999,999,999,999.99, far beyond any
city's budget and far beyond GraphQL's 32-bit Int, which held cents only up to 21 million), or a
JSON integer. A JSON number with a fraction is refused: a JSON parser reads it as a binary float
(1000.0000000000000001 would arrive as 1000.0), so it is not the amount the client wrote. Signs,
exponents, spaces, `_` and other digits than 0-9 are refused too. The database holds
`numeric(14, 2)`, the same range, exactly.
"""

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer

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
AMOUNT_TEXT = re.compile(r"[0-9]{1,12}(\.[0-9]{1,2})?")


def _amount_as_written(value: Any) -> Any:
    """The amount exactly as the client wrote it, or a ValueError saying how to write one."""
    if isinstance(value, (bool, float)):
        raise ValueError('send an amount as a string with at most two decimals, e.g. "1250.00"')
    if isinstance(value, str) and not AMOUNT_TEXT.fullmatch(value):
        raise ValueError(
            'an amount is digits with at most two decimals, e.g. "1250.00" (no sign, spaces, '
            "exponent or thousands separator)"
        )
    return value


_Written = BeforeValidator(_amount_as_written)

# A positive amount: budgets, awards, requests, budget lines, ledger entries.
Amount = Annotated[
    Decimal,
    _Written,
    Field(gt=0, max_digits=MAX_DIGITS, decimal_places=PLACES, allow_inf_nan=False),
    _AsText,
]
# A sum that may be zero: what is committed, disbursed, remaining.
Total = Annotated[Decimal, Field(ge=0, max_digits=MAX_DIGITS, decimal_places=PLACES), _AsText]
