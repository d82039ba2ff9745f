"""The fragments of a document as a graph: which each spreads, and an order in which every
fragment comes after those it spreads (so each can be measured once, from their figures)."""

from typing import cast

from graphql import (
    DefinitionNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)


def dependency_order(
    fragments: dict[str, FragmentDefinitionNode],
) -> tuple[list[str] | None, set[str]]:
    """Fragments ordered so each comes after those it spreads (None on a cycle), and the names
    that some fragment spreads. Iterative: a chain of hundreds of fragments is no deeper."""
    spreads = {
        name: spreads_in(fragment) & fragments.keys() for name, fragment in fragments.items()
    }
    order: list[str] = []
    state: dict[str, str] = {}  # "open" while its dependencies are visited, then "done"
    for start in fragments:
        if start in state:
            continue
        stack = [(start, iter(sorted(spreads[start])))]
        state[start] = "open"
        while stack:
            name, pending = stack[-1]
            following = next(pending, None)
            if following is None:
                stack.pop()
                state[name] = "done"
                order.append(name)
            elif state.get(following) == "open":
                return None, set()
            elif following not in state:
                state[following] = "open"
                stack.append((following, iter(sorted(spreads[following]))))
    spread: set[str] = set().union(*spreads.values())
    return order, spread


def spreads_in(definition: DefinitionNode) -> set[str]:
    """The fragment names spread anywhere inside a definition (each node visited once)."""
    names: set[str] = set()
    pending: list[SelectionSetNode | None] = [getattr(definition, "selection_set", None)]
    while pending:
        selection_set = pending.pop()
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FragmentSpreadNode):
                names.add(selection.name.value)
            else:
                pending.append(cast(FieldNode | InlineFragmentNode, selection).selection_set)
    return names
