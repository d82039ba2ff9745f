"""Runs every row of the authorization matrix against the running suite, through the gateway."""

import pytest
from strawberry.utils.str_converters import to_camel_case

from gateway.graphql.schema import Mutation
from tests.authz.grants_rows import GRANTS_ROWS
from tests.authz.hours_rows import HOURS_ROWS
from tests.authz.matrix import ROWS as MATRIX_ROWS
from tests.authz.roles import ROLES, credentials

REFUSALS = {"NotAuthenticated", "NotAuthorized"}
ROWS = MATRIX_ROWS + HOURS_ROWS + GRANTS_ROWS
CASES = [(row, role) for row in ROWS for role in ROLES]


def test_every_mutation_of_the_schema_has_a_row():
    """A new mutation without its rows fails here, so the matrix cannot fall behind."""
    fields = Mutation.__strawberry_definition__.fields  # type: ignore[attr-defined]
    names = {f.graphql_name or to_camel_case(f.python_name) for f in fields}
    assert names == {row.mutation for row in ROWS}


@pytest.mark.parametrize(("row", "role"), CASES, ids=[f"{r.mutation}-{role}" for r, role in CASES])
def test_matrix(running_suite, row, role):
    variables = row.setup(running_suite)
    acting = credentials(
        running_suite, role, row.project(variables), fresh=row.fresh, call_id=row.call(variables)
    )
    answer = running_suite.graphql(row.document, variables, **acting)
    assert answer.status_code == 200, answer.text
    result = answer.json()["data"][row.mutation]
    if isinstance(result, list):  # a batch: one result per item, here one
        [result] = result
    typename = result["__typename"]
    if role in row.outcomes:
        assert typename == row.outcomes[role], f"{role} on {row.mutation}: got {typename}"
    elif role in row.allowed:
        assert typename == row.success, f"{role} should be allowed to {row.mutation}"
    else:
        assert typename in REFUSALS, f"{role} should be refused {row.mutation}, got {typename}"
