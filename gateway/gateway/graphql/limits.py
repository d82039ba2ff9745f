"""What keeps one request from taking the gateway down: tokens, the size a document expands to,
depth, aliases, and an estimate of the work a query asks for (complexity, see measure.py), all
checked before graphql-core's own validation and before anything runs."""

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from graphql import GraphQLError, GraphQLSchema, NoFragmentCyclesRule, validate
from strawberry.extensions import MaxTokensLimiter, ParserCache, SchemaExtension
from strawberry.schema.schema import validate_document

from gateway.config import GatewaySettings
from gateway.graphql.errors import CodeRefusalsMaskFaults
from gateway.graphql.measure import Limits, Measurement, measure


class QueryLimits(SchemaExtension):
    """Refuses a document over any limit before graphql-core validates it: the standard rules
    then only ever see documents whose expansion is bounded. Runs on every transport (HTTP and
    WebSocket alike go through the schema's validation step)."""

    def __init__(self, settings: GatewaySettings):
        self.settings = settings

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and context.pre_execution_errors is None:
            errors = self.refusals(context.graphql_document)
            if not errors and context.query is not None:
                # Within the limits: graphql-core's own rules, whose answer depends only on the
                # text (the schema and the rules are fixed), once per distinct text.
                rules = tuple(context.validation_rules)
                key = _ValidationKey(
                    context.query, rules, context.schema._schema, context.graphql_document
                )
                errors = list(_errors_of(key))
            context.pre_execution_errors = errors  # Strawberry then skips its own validation
        yield

    def refusals(self, document: Any) -> list[GraphQLError]:
        schema = self.execution_context.schema._schema
        limits = Limits(
            max_page_size=self.settings.graphql_max_page_size,
            max_repeated_fields=self.settings.graphql_max_repeated_fields,
            variables=self.execution_context.variables or {},
        )
        measured = measure(schema, document, limits)
        if measured.cycle:
            return validate(schema, document, [NoFragmentCyclesRule])
        return over_limits(measured, self.settings)


VALIDATED_TEXTS = 512  # distinct documents whose validation is kept (LRU)
PARSED_TEXTS = 512


class _ValidationKey:
    """A document to validate, known by its text and the rules (the schema is one): hashing the
    document itself would walk its whole tree."""

    def __init__(self, query: str, rules: tuple[Any, ...], schema: GraphQLSchema, document: Any):
        self.query, self.rules, self.schema, self.document = query, rules, schema, document

    def __hash__(self) -> int:
        return hash((self.query, self.rules))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _ValidationKey)
            and other.query == self.query
            and other.rules == self.rules
        )


@lru_cache(maxsize=VALIDATED_TEXTS)
def _errors_of(key: _ValidationKey) -> tuple[GraphQLError, ...]:
    """Strawberry's own validation (graphql-core's rules and its own), once per text."""
    return tuple(validate_document(key.schema, key.document, key.rules))


def over_limits(measured: Measurement, settings: GatewaySettings) -> list[GraphQLError]:
    """Each limit the measured document is over, said so the client knows what to change."""
    errors = []
    if measured.selections > settings.graphql_max_selections:
        errors.append(
            GraphQLError(
                f"The document expands to {measured.selections} fields and fragments once its "
                f"fragments are inlined; the limit is {settings.graphql_max_selections}. Spread "
                "fewer fragments, or each fewer times."
            )
        )
    errors += measured.errors  # after the size: a fragment bomb repeats fields as well
    aliases = sum(figures.aliases for figures in measured.operations.values())
    if aliases > settings.graphql_max_aliases:
        errors.append(
            GraphQLError(f"{aliases} aliases found. Allowed: {settings.graphql_max_aliases}")
        )
    for operation, figures in measured.operations.items():
        name = operation.name.value if operation.name else None
        if figures.depth > settings.graphql_max_depth:
            message = f"'{name or 'anonymous'}' exceeds maximum operation depth of "
            errors.append(GraphQLError(message + str(settings.graphql_max_depth), operation))
        cost = figures.cost_in_page(None)
        if cost > settings.graphql_max_complexity:
            errors.append(
                GraphQLError(
                    f"Query too complex: {name or 'the operation'} would cost about {cost}, the "
                    f"limit is {settings.graphql_max_complexity}. Ask for fewer items (first) or "
                    "fewer nested lists.",
                    operation,
                )
            )
    return errors


def schema_extensions(settings: GatewaySettings) -> list[Callable[[], Any]]:
    """Factories: a fresh extension per request."""
    return [
        lambda: MaxTokensLimiter(max_token_count=settings.graphql_max_tokens),
        # Parsed documents kept by their text (after the token limit, which a cached text passed).
        lambda: ParserCache(maxsize=PARSED_TEXTS),
        lambda: QueryLimits(settings),
        CodeRefusalsMaskFaults,
    ]
