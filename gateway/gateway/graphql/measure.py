"""What a GraphQL document asks for — its size, depth, aliases and cost — with each fragment
measured once.

A fragment may spread another ten times, that one the next ten times, and so on: a few hundred
characters that expand to millions of fields. Whatever walks the document spread by spread (a
depth or alias limiter, a cost estimate, some of graphql-core's own rules) then works for seconds
or minutes. Here every fragment's figures are worked out once, from its own selections and the
figures of the fragments it spreads, in dependency order; a spread then adds those figures (the
counts it expands to, not the walk). The work is linear in the document, whatever it expands to.

The cost estimate prices the work a query causes, not the bytes it returns:
- an object costs 1 for every time it appears, a scalar or enum field nothing;
- a list multiplies its items' cost by its size: `first` of the connection it belongs to (the
  `nodes` and `edges` of `sites(first: 100)` have 100 items); for a date-ranged list (`from`/`to`
  or `week` arguments: a timeline, tasks) the items its range spans (spans.py); else
  `ASSUMED_LIST_SIZE`;
- a field that waits on another process (its resolver is a coroutine: a call to a service or the
  database) costs `REQUEST_COST` more, each time it is resolved — times the calls it declares
  (`node(id:)` asks every type's owner).
So the largest page of any type's scalars is cheap, and lists inside lists are not.

It also counts how often one response name is asked for in one selection set, fragments merged
in: graphql-core compares such fields pair by pair (a thousand `__typename` are half a million
comparisons, past its own budget: "Validation aborted."), and they are one answer anyway.
"""

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    NamedTypeNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    is_composite_type,
)

from gateway.graphql.fragment_graph import dependency_order, spreads_in
from gateway.graphql.spans import is_date_ranged, span_items

# A list not sized by a `first` (a site's periods, the teams) is assumed this long.
ASSUMED_LIST_SIZE = 10
# A call to another process is worth this many objects.
REQUEST_COST = 10


@dataclass(frozen=True)
class Figures:
    """What a selection set asks for, every fragment it spreads expanded."""

    selections: int = 0  # fields, spreads and inline fragments, once fragments are inlined
    depth: int = 0  # as Strawberry's depth limiter counts: a leaf 0, a field 1 + its deepest child
    aliases: int = 0
    cost: int = 0  # the part of the cost that does not depend on the page it sits in
    cost_per_item: int = 0  # the part paid for every item of the enclosing page (`first`)

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(
            selections=self.selections + other.selections,
            depth=max(self.depth, other.depth),
            aliases=self.aliases + other.aliases,
            cost=self.cost + other.cost,
            cost_per_item=self.cost_per_item + other.cost_per_item,
        )

    def cost_in_page(self, page: int | None) -> int:
        return self.cost + self.cost_per_item * (ASSUMED_LIST_SIZE if page is None else page)


@dataclass
class Measurement:
    """A document's figures: each operation's, and the size of everything the validator walks."""

    operations: dict[OperationDefinitionNode, Figures] = field(default_factory=dict)
    selections: int = 0  # every operation expanded, and every fragment no one spreads
    errors: list[GraphQLError] = field(default_factory=list)  # `first` out of bounds
    cycle: bool = False  # a fragment spreads itself: the standard rule says where


@dataclass(frozen=True)
class Limits:
    """The limits that shape the measurement itself, and the request's variables."""

    max_page_size: int
    max_repeated_fields: int
    variables: Mapping[str, Any] = field(default_factory=dict)


class Measurer:
    """Measures one document against a schema; `measure()` is the way in."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode, limits: Limits):
        self.schema = schema
        self.limits = limits
        self.today = dt.date.today()
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.figures: dict[str, Figures] = {}
        # Each fragment's response names at its top level (its spreads and inline fragments in).
        self.names: dict[str, Counter[str]] = {}
        self.errors: list[GraphQLError] = []
        self.repeats_refused = False  # one such refusal says enough

    def fragment_figures(self, order: list[str]) -> None:
        """Each fragment once, those it spreads first (`order` is a dependency order)."""
        for name in order:
            fragment = self.fragments[name]
            parent = self.type_named(fragment.type_condition, None)
            self.figures[name], self.names[name] = self.selections(fragment.selection_set, parent)
            self.check_repeats(self.names[name])

    def selection_set(
        self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType | None
    ) -> Figures:
        figures, names = self.selections(selection_set, parent)
        self.check_repeats(names)
        return figures

    def selections(
        self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType | None
    ) -> tuple[Figures, Counter[str]]:
        """The figures of a selection set, and the response names it merges (as graphql-core
        does: fields of inline fragments and spread fragments with those of the set)."""
        total, names = Figures(), Counter[str]()
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent)
                names[(selection.alias or selection.name).value] += 1
            elif isinstance(selection, InlineFragmentNode):
                inner = self.type_named(selection.type_condition, parent)
                figures, merged = self.selections(selection.selection_set, inner)
                total += Figures(selections=1) + figures
                names.update(merged)
            elif isinstance(selection, FragmentSpreadNode):
                # An unknown fragment counts nothing: the standard rules refuse it by name.
                total += Figures(selections=1) + self.figures.get(selection.name.value, Figures())
                names.update(self.names.get(selection.name.value, {}))
        return total, names

    def check_repeats(self, names: Counter[str]) -> None:
        if not names or self.repeats_refused:
            return
        name, times = names.most_common(1)[0]
        if times > self.limits.max_repeated_fields:
            self.repeats_refused = True
            self.errors.append(
                GraphQLError(
                    f'"{name}" is asked for {times} times in one selection set (fragments '
                    f"included); the limit is {self.limits.max_repeated_fields}. The answer has "
                    "it once however often it is asked for: ask once."
                )
            )

    def field(self, node: FieldNode, parent: GraphQLNamedType | None) -> Figures:
        definition = _field(parent, node.name.value)
        children = get_named_type(definition.type) if definition else None
        inner = self.selection_set(node.selection_set, children)
        ignored = node.name.value.startswith("__")  # introspection, as Strawberry counts depth
        own = Figures(
            selections=1 + inner.selections,
            depth=0 if ignored or node.selection_set is None else 1 + inner.depth,
            aliases=(1 if node.alias else 0) + inner.aliases,
            # Per parent: the resolver runs once for each object the field is asked on.
            cost=REQUEST_COST * _requests(definition) if definition else 0,
        )
        is_object = node.selection_set is not None or is_composite_type(children)
        page = self.page_size(node, definition)
        if definition is None or not _is_list(definition):
            # A connection: its page sizes the lists right inside it (nodes, edges).
            return own + Figures(cost=int(is_object) + inner.cost_in_page(page))
        each = int(is_object) + inner.cost_in_page(None)
        if page is None and is_date_ranged(definition):
            page = span_items(node, self.limits.variables, self.today)
        if page is None:
            return own + Figures(cost_per_item=each)  # sized by the enclosing page
        return own + Figures(cost=page * each)

    def page_size(self, node: FieldNode, definition: GraphQLField | None) -> int | None:
        """The page a field with a `first` argument asks for; None for a field without one."""
        if definition is None or "first" not in definition.args:
            return None
        largest = self.limits.max_page_size
        for argument in node.arguments or ():
            if argument.name.value != "first":
                continue
            if not isinstance(argument.value, IntValueNode):
                return largest  # a variable: the worst it may be
            value = int(argument.value.value)
            if not 1 <= value <= largest:
                message = f"first must be between 1 and {largest}"
                extensions = {"code": "BAD_USER_INPUT", "argument": "first"}
                self.errors.append(GraphQLError(message, argument, extensions=extensions))
            return max(1, min(value, largest))
        default = definition.args["first"].default_value
        return default if isinstance(default, int) else largest

    def type_named(
        self, condition: NamedTypeNode | None, parent: GraphQLNamedType | None
    ) -> GraphQLNamedType | None:
        return self.schema.get_type(condition.name.value) if condition else parent


def measure(schema: GraphQLSchema, document: DocumentNode, limits: Limits) -> Measurement:
    """The figures of each operation of the document, each fragment measured once."""
    measurer = Measurer(schema, document, limits)
    order, spread = dependency_order(measurer.fragments)
    if order is None:
        return Measurement(cycle=True)
    measurer.fragment_figures(order)
    result = Measurement()
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            root = schema.get_root_type(definition.operation)
            figures = measurer.selection_set(definition.selection_set, root)
            result.operations[definition] = figures
            result.selections += figures.selections
    for definition in result.operations:
        spread |= spreads_in(definition)
    unspread = (measurer.figures[name] for name in measurer.fragments if name not in spread)
    result.selections += sum(f.selections for f in unspread)
    result.errors = measurer.errors
    return result


def _field(parent: GraphQLNamedType | None, name: str) -> GraphQLField | None:
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        return parent.fields.get(name)
    return None


def _is_list(definition: GraphQLField) -> bool:
    field_type = definition.type
    if isinstance(field_type, GraphQLNonNull):
        field_type = field_type.of_type
    return isinstance(field_type, GraphQLList)


def _requests(definition: GraphQLField) -> int:
    """How many calls to other processes the field's resolver makes each time it runs: as its
    metadata says (`requests`), else one when the resolver is a coroutine (it waits on a
    service or the database), else none."""
    strawberry_field = definition.extensions.get("strawberry-definition")
    declared = getattr(strawberry_field, "metadata", {}).get("requests")
    if isinstance(declared, int):
        return declared
    resolver = getattr(strawberry_field, "base_resolver", None)
    return 1 if resolver is not None and resolver.is_async else 0


__all__ = ["ASSUMED_LIST_SIZE", "REQUEST_COST", "Figures", "Limits", "Measurement", "measure"]
