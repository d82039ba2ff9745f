"""What keeps one request from taking the gateway down: depth, aliases, tokens, and an estimate of
the work a query asks for (complexity), all checked before anything runs."""

from collections.abc import Callable
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    InlineFragmentNode,
    IntValueNode,
    NamedTypeNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    get_named_type,
)
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)

from gateway.config import GatewaySettings

# A list without `first` (a nested list such as a site's periods) is assumed this long.
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
            root = self.context.schema.get_root_type(node.operation)
            cost = self._cost(node.selection_set, root, fragments, frozenset())
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
            parent: GraphQLNamedType | None,
            fragments: dict[str, FragmentDefinitionNode],
            seen: frozenset[str],
        ) -> int:
            if selection_set is None:
                return 0
            total = 0
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode):
                    field_type = _field_type(parent, selection.name.value)
                    size = self._list_size(selection, field_type)
                    children = get_named_type(field_type) if field_type else None
                    total += 1 + size * self._cost(
                        selection.selection_set, children, fragments, seen
                    )
                elif isinstance(selection, InlineFragmentNode):
                    inner = self._type_named(selection.type_condition, parent)
                    total += self._cost(selection.selection_set, inner, fragments, seen)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    # A cycle is refused by the standard rules; do not follow it here.
                    if name in fragments and name not in seen:
                        fragment = fragments[name]
                        inner = self._type_named(fragment.type_condition, parent)
                        total += self._cost(fragment.selection_set, inner, fragments, seen | {name})
            return total

        def _type_named(
            self, condition: NamedTypeNode | None, parent: GraphQLNamedType | None
        ) -> GraphQLNamedType | None:
            return self.context.schema.get_type(condition.name.value) if condition else parent

        def _list_size(self, field: FieldNode, field_type: GraphQLOutputType | None) -> int:
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
            return ASSUMED_LIST_SIZE if field_type is not None and _is_list(field_type) else 1

    return ComplexityRule


def _field_type(parent: GraphQLNamedType | None, name: str) -> GraphQLOutputType | None:
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        field = parent.fields.get(name)
        return field.type if field else None
    return None


def _is_list(field_type: GraphQLOutputType) -> bool:
    if isinstance(field_type, GraphQLNonNull):
        field_type = field_type.of_type
    return isinstance(field_type, GraphQLList)


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
