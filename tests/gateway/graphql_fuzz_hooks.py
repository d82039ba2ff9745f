"""schemathesis hooks for fuzzing the gateway's GraphQL (loaded through SCHEMATHESIS_HOOKS by
test_fuzz_graphql.py, in schemathesis's own process).

- `JSON` (geometries, feature collections) gets values shaped like GeoJSON as often as not, so
  the fuzzer reaches the code behind the shape checks; `UUID` names a thing that exists (listed
  in MEENT_FUZZ_IDS) as often as not, so requests get past "no such site".
- The check `no_fault_behind_an_answer` fails on a 5xx and on an "Unexpected error." — a masked
  fault — and on nothing else: a refusal with a code (BAD_USER_INPUT, NOT_FOUND, FORBIDDEN, …)
  or a typed result is the right answer to bad input.
"""

import json
import os
from typing import Any

import schemathesis
from graphql import (
    BooleanValueNode,
    FloatValueNode,
    IntValueNode,
    ListValueNode,
    NameNode,
    NullValueNode,
    ObjectFieldNode,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
)
from hypothesis import strategies as st

MASKED = "Unexpected error."
KNOWN_IDS: list[str] = json.loads(os.environ.get("MEENT_FUZZ_IDS", "[]"))


def literal(value: Any) -> ValueNode:
    """A JSON value as a GraphQL literal (what a client writes inline for a JSON argument)."""
    if value is None:
        return NullValueNode()
    if isinstance(value, bool):
        return BooleanValueNode(value=value)
    if isinstance(value, int):
        return IntValueNode(value=str(value))
    if isinstance(value, float):
        return FloatValueNode(value=repr(value))
    if isinstance(value, str):
        return StringValueNode(value=value)
    if isinstance(value, list):
        return ListValueNode(values=tuple(literal(v) for v in value))
    fields = (ObjectFieldNode(name=NameNode(value=k), value=literal(v)) for k, v in value.items())
    return ObjectValueNode(fields=tuple(fields))


names = st.from_regex(r"\A[a-zA-Z_][a-zA-Z0-9_]{0,8}\Z")
numbers = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.floats(min_value=-180, max_value=180),
    st.integers(min_value=-(2**70), max_value=2**70),
)
anything = st.recursive(
    st.none() | st.booleans() | numbers | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(names, inner, max_size=4),
    max_leaves=12,
)
positions = st.lists(numbers, min_size=0, max_size=4)
rings = st.lists(positions, min_size=0, max_size=6)
polygon_like = st.lists(rings, min_size=0, max_size=2)
geometry = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Polygon", "MultiPolygon", "Point", "LineString", "Nope", ""]),
        "coordinates": st.one_of(polygon_like, st.lists(polygon_like, max_size=2), anything),
    }
)
feature = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Feature", "feature", "Nope"]),
        "geometry": st.one_of(geometry, anything),
        "properties": st.one_of(st.dictionaries(names, anything, max_size=4), anything),
    },
    optional={"id": st.one_of(st.text(max_size=12), st.integers(), anything)},
)
collection = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["FeatureCollection", "Feature", "Nope"]),
        "features": st.one_of(st.lists(feature, max_size=3), anything),
    }
)
schemathesis.graphql.scalar("JSON", st.one_of(geometry, feature, collection, anything).map(literal))
schemathesis.graphql.scalar(
    "UUID",
    st.one_of(st.sampled_from(KNOWN_IDS or ["00000000-0000-0000-0000-000000000000"]), st.uuids())
    .map(str)
    .map(literal),
)

# Amounts: well-formed decimals (some with too many places, negative, huge) as often as not,
# and anything a client might send instead (text, numbers, NaN, exponents).
decimals = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["1e400", "-0.00", "NaN", "12.345", "1,5", ""]),
    st.text(max_size=12),
)
schemathesis.graphql.scalar("Decimal", decimals.map(literal))


@schemathesis.check
def no_fault_behind_an_answer(ctx, response, case) -> None:
    """A 5xx, or a fault masked as "Unexpected error.", fails; any refusal passes."""
    if response.status_code >= 500:
        raise AssertionError(f"{response.status_code} from the gateway")
    try:
        errors = response.json().get("errors") or []
    except (ValueError, AttributeError):
        raise AssertionError("the answer is not a GraphQL response (JSON object)") from None
    masked = [e for e in errors if isinstance(e, dict) and e.get("message") == MASKED]
    if masked:
        path = ".".join(str(p) for p in masked[0].get("path") or [])
        raise AssertionError(f"a fault masked as {MASKED!r} at {path or 'the operation'}")
