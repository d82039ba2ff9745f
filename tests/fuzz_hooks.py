"""schemathesis hooks for tests/test_fuzz_openapi.py (loaded by the schemathesis process itself).

A generated geometry is almost never a valid area, so on its own the fuzzer would stop at "invalid
geometry" and never reach what a site's other fields do further in. Half the bodies that carry a
geometry get a real one instead, and half the imports a FeatureCollection whose features have real
areas and generated ids, names and properties.
"""

from typing import Any

import schemathesis
from hypothesis import strategies as st

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[18.6466, 54.3507], [18.649, 54.3507], [18.649, 54.352], [18.6466, 54.3507]]],
}
SCALARS = st.one_of(
    st.text(max_size=20),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
FEATURES = st.lists(
    st.fixed_dictionaries(
        {
            "type": st.just("Feature"),
            "id": st.one_of(
                st.text(max_size=30),
                st.integers(),
                st.floats(allow_nan=False, allow_infinity=False),
            ),
            "properties": st.dictionaries(
                st.sampled_from(["name", "kind", "timezone", "id", "note"]) | st.text(max_size=8),
                JSON,
                max_size=4,
            ),
            "geometry": st.just(SQUARE),
        }
    ),
    min_size=1,
    max_size=3,
)


@schemathesis.hook
def flatmap_body(context: Any, body: Any) -> st.SearchStrategy:
    if isinstance(body, dict) and "geometry" in body:
        return st.sampled_from([body, {**body, "geometry": SQUARE}])
    if context.operation is not None and context.operation.path == "/sites/import":
        collection = FEATURES.map(
            lambda features: {"type": "FeatureCollection", "features": features}
        )
        return st.one_of(st.just(body), collection)
    return st.just(body)
