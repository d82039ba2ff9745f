"""The cost estimate lets honest clients through and still stops the expensive shapes: the largest
page of any connection's scalars passes, lists inside lists do not. The connections are found in
the schema the gateway serves, so a new one is covered without touching this file."""

import datetime as dt
import uuid

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    ast_from_value,
    build_client_schema,
    get_introspection_query,
    get_named_type,
    is_leaf_type,
    print_ast,
)

SAMPLE_SCALARS = {
    "String": "x",
    "Int": 1,
    "Float": 1.0,
    "Boolean": False,
    "ID": str(uuid.UUID(int=1)),
    "UUID": str(uuid.UUID(int=1)),
    "Date": dt.date.today().isoformat(),
    "DateTime": dt.datetime.now(dt.UTC).isoformat(),
    "Time": "12:00:00",
    "JSON": {},
}


@pytest.fixture(scope="module")
def served_schema(running_suite) -> GraphQLSchema:
    answer = running_suite.graphql(get_introspection_query())
    assert answer.status_code == 200, answer.text
    return build_client_schema(answer.json()["data"])


def sample(input_type: GraphQLInputType):
    """A sensible value of an input type: what a client that fills only what it must sends."""
    if isinstance(input_type, GraphQLNonNull):
        return sample(input_type.of_type)
    if isinstance(input_type, GraphQLList):
        return [sample(input_type.of_type)]
    if isinstance(input_type, GraphQLEnumType):
        return next(iter(input_type.values))
    if isinstance(input_type, GraphQLInputObjectType):
        return {
            name: sample(f.type)
            for name, f in input_type.fields.items()
            if isinstance(f.type, GraphQLNonNull)
        }
    assert isinstance(input_type, GraphQLScalarType)
    return SAMPLE_SCALARS[input_type.name]


def arguments(field: GraphQLField, **given) -> str:
    """The field's required arguments filled in, plus those given, as GraphQL literals."""
    values = {
        n: sample(a.type) for n, a in field.args.items() if isinstance(a.type, GraphQLNonNull)
    }
    values.update(given)
    literals = [
        f"{n}: {print_ast(ast_from_value(v, field.args[n].type))}" for n, v in values.items()
    ]
    return f"({', '.join(literals)})" if literals else ""


def scalar_fields(object_type: GraphQLObjectType) -> str:
    """Every scalar and enum field of a type, with its required arguments filled in."""
    return " ".join(
        f"{name}{arguments(f)}"
        for name, f in object_type.fields.items()
        if is_leaf_type(get_named_type(f.type))
    )


def connections(schema: GraphQLSchema) -> dict[str, tuple[GraphQLField, GraphQLObjectType]]:
    """Each root field that returns a connection, with the type of its nodes."""
    found = {}
    for name, field in schema.query_type.fields.items():
        returned = get_named_type(field.type)
        if (
            isinstance(returned, GraphQLObjectType)
            and {"nodes", "pageInfo"} <= returned.fields.keys()
        ):
            found[name] = (field, get_named_type(returned.fields["nodes"].type))
    return found


def test_the_schema_has_connections_to_check(served_schema):
    assert {"projects", "calls", "sites"} <= connections(served_schema).keys()


def test_the_largest_page_of_every_connections_scalars_is_not_refused(running_suite, served_schema):
    # An admin: every connection answers (some are for a project's coordinators only).
    token = running_suite.token("cost-check", ["admin"])
    for name, (field, node_type) in connections(served_schema).items():
        scalars = scalar_fields(node_type)
        # A keyset page (volunteers' hours) has no count of every item.
        counted = "totalCount" in get_named_type(field.type).fields
        query = (
            f"{{ {name}{arguments(field, first=100)} {{ {'totalCount' if counted else ''} "
            f"pageInfo {{ hasNextPage endCursor }} nodes {{ {scalars} }} "
            f"edges {{ cursor node {{ {scalars} }} }} }} }}"
        )
        answer = running_suite.graphql(query, token=token)
        assert answer.status_code == 200, (query, answer.text)
        assert "errors" not in answer.json(), (query, answer.text)


def test_a_full_page_of_five_site_scalars_is_not_refused(running_suite):
    """The issue's example: refused before at a cost of 5,101."""
    answer = running_suite.graphql(
        "{ sites(first: 100) { nodes { id name kind areaM2 timezone } } }"
    )
    assert answer.status_code == 200, answer.text
    assert "errors" not in answer.json()


def test_lists_inside_a_full_page_are_refused(running_suite):
    today = dt.date.today()
    span = f'from: "{today}", to: "{today + dt.timedelta(days=30)}"'
    query = (
        "{ sites(first: 100) { nodes { id periods { id use } stewards { id projectName } "
        f"timeline({span}) {{ use }} tasks({span}) {{ title }} }} }} }}"
    )
    answer = running_suite.graphql(query)
    assert answer.status_code == 400, answer.text
    assert "Query too complex" in answer.text
    assert "data" not in answer.json()


def test_full_pages_side_by_side_are_refused(running_suite):
    """Each alias is another page: fifteen full pages of sites with their periods are too much."""
    page = "sites(first: 100) { nodes { id periods { id } stewards { id } } }"
    query = "{ " + " ".join(f"p{i}: {page}" for i in range(15)) + " }"
    answer = running_suite.graphql(query)
    assert answer.status_code == 400, answer.text
    assert "Query too complex" in answer.text
