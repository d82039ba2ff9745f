"""What keeps one request from taking the gateway down: depth, aliases, tokens, and an estimate of
the work a query asks for (complexity), all checked before anything runs."""

from collections.abc import Callable
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)

from gateway.config import GatewaySettings

# A list field without `first` is assumed to return this many items.
ASSUMED_LIST_SIZE = 10


def complexity_rule(max_complexity: int, max_page_size: int) -> type[ValidationRule]:
    """Each field costs 1, times the sizes of the lists it sits in (`first`, or an assumption)."""

    class ComplexityRule(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            fragments = {
                definition.name.value: definition
                for definition in self.context.document.definitions
                if isinstance(definition, FragmentDefinitionNode)
            }
            cost = self._cost(node.selection_set, fragments, frozenset())
            if cost > max_complexity:
                name = node.name.value if node.name else "the operation"
                self.report_error(
                    GraphQLError(
                        f"Query too complex: {name} would cost about {cost}, the limit is "
                        f"{max_complexity}. Ask for fewer items (first) or fewer nested lists.",
                        node,
                    )
                )

        def _cost(
            self,
            selection_set: SelectionSetNode | None,
            fragments: dict[str, FragmentDefinitionNode],
            seen: frozenset[str],
        ) -> int:
            if selection_set is None:
                return 0
            total = 0
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode):
                    size = self._list_size(selection)
                    total += 1 + size * self._cost(selection.selection_set, fragments, seen)
                elif isinstance(selection, InlineFragmentNode):
                    total += self._cost(selection.selection_set, fragments, seen)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    # A cycle is refused by the standard rules; do not follow it here.
                    if name in fragments and name not in seen:
                        fragment = fragments[name]
                        total += self._cost(fragment.selection_set, fragments, seen | {name})
            return total

        def _list_size(self, field: FieldNode) -> int:
            for argument in field.arguments or ():
                if argument.name.value != "first":
                    continue
                if isinstance(argument.value, IntValueNode):
                    value = int(argument.value.value)
                    if not 1 <= value <= max_page_size:
                        self.report_error(
                            GraphQLError(f"first must be between 1 and {max_page_size}", argument)
                        )
                    return max(1, min(value, max_page_size))
                return max_page_size  # a variable: assume the worst it may be
            return ASSUMED_LIST_SIZE if field.selection_set is not None else 1

    return ComplexityRule


def is_expected(error: GraphQLError) -> bool:
    """Errors the caller caused (syntax, validation, arguments) keep their message; any error
    raised by our own code is masked, so internals never leak."""
    original = error.original_error
    return original is None or isinstance(original, GraphQLError)


def schema_extensions(settings: GatewaySettings) -> list[Callable[[], Any]]:
    """Factories: a fresh extension per request."""
    return [
        lambda: MaxTokensLimiter(max_token_count=settings.graphql_max_tokens),
        lambda: QueryDepthLimiter(max_depth=settings.graphql_max_depth),
        lambda: MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases),
        lambda: AddValidationRules(
            [complexity_rule(settings.graphql_max_complexity, settings.graphql_max_page_size)]
        ),
        lambda: MaskErrors(should_mask_error=lambda e: not is_expected(e)),
    ]
