"""How many items a date-ranged list returns, for the cost estimate (measure.py).

A list with `from`/`to` (or `week`) arguments — a site's timeline, its tasks, the maintenance due
— returns about as many items as its range is long, and each call's work grows with it: five
years of a site's timeline is fifty times a month's. So such a list is priced by its span:
`ITEMS_PER_YEAR` items a year, from the literal dates or the variables' values. A variable
without a value, or a value that does not read as a date, is priced as the longest range a
service answers (`MAX_SPAN_DAYS`); a range left open is a week, as the services default it.
"""

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from graphql import (
    FieldNode,
    GraphQLField,
    NullValueNode,
    StringValueNode,
    ValueNode,
    VariableNode,
)

# About what a busy site's timeline holds: a weekly market's start and end (two segments a
# week) on top of its seasons; a weekly maintenance task twice over.
ITEMS_PER_YEAR = 120
# The longest range any service answers (commons' timeline: five years).
MAX_SPAN_DAYS = 5 * 366 + 1
OPEN_RANGE_DAYS = 7
DATE_RANGE_ARGUMENTS = ("from", "to", "week")


def is_date_ranged(definition: GraphQLField) -> bool:
    return any(name in definition.args for name in DATE_RANGE_ARGUMENTS)


def span_items(node: FieldNode, variables: Mapping[str, Any], today: dt.date) -> int:
    """The items the list asked for by `node` is priced at, by the days its range spans."""
    days = span_days(node, variables, today)
    return max(1, math.ceil(days * ITEMS_PER_YEAR / 365))


def span_days(node: FieldNode, variables: Mapping[str, Any], today: dt.date) -> int:
    given = {argument.name.value: argument.value for argument in node.arguments or ()}
    if "week" in given:
        return OPEN_RANGE_DAYS
    try:
        start, end = _date(given.get("from"), variables), _date(given.get("to"), variables)
    except LookupError:
        return MAX_SPAN_DAYS
    first = start or today
    last = end or first + dt.timedelta(days=OPEN_RANGE_DAYS)
    return min(max(1, (last - first).days), MAX_SPAN_DAYS)  # the services refuse longer ones


def _date(value: ValueNode | None, variables: Mapping[str, Any]) -> dt.date | None:
    """The date an argument names (as the Date scalar reads it), None when the range is left
    open there; LookupError when it cannot be known before the query runs."""
    if value is None or isinstance(value, NullValueNode):
        return None
    if isinstance(value, VariableNode):
        text = variables.get(value.name.value, ...)
        if text is None:
            return None
    else:
        text = value.value if isinstance(value, StringValueNode) else ...
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise LookupError(text) from None
