"""The cost of a GraphQL operation, computed from the document and the schema before execution.

The rule (README, "Query cost"), after GitHub's node count and Shopify's calculated cost:

- a field that returns objects (an object type, interface or union) costs 1 point: one batched
  lookup, however many objects it is resolved on; scalar and enum fields are free (they come
  with their object's row), and so are introspection fields (`__typename`, `__schema`…);
- a list adds 1 point for every object it may return, which is its size times the number of
  objects it is resolved on, so nested lists multiply: the `nodes` and `edges` of a connection
  (a field with a `first` argument returning a `…Connection` type) hold that field's `first`
  (its literal, its variable, the variable's default, or the argument's default; 20 where there
  is none; at most 100) and any other list an estimate: `LIST_SIZE` (10), or the field's own in
  `LIST_SIZES` where the domain keeps the list short;
- each root field of a mutation costs `MUTATION_COST` (10) more: it writes;
- fragments and inline fragments count as if written out (every branch of a fragment on an
  abstract type counts: an upper bound), `@skip` and `@include` are not evaluated (counted), and
  aliases count as separate fields.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    is_list_type,
    value_from_ast,
)

LIST_SIZE = 10
# Lists the domain keeps short: a tutor runs one class or a few.
LIST_SIZES: Mapping[str, int] = {
    "TutorDesk.classes": 2,
    "Submission.attachments": 3,
}
DEFAULT_FIRST = 20
MAX_FIRST = 100
MUTATION_COST = 10
# Beyond this the number is only "too much" (and stays a safe integer in JSON).
CEILING = 2**53 - 1


@dataclass(frozen=True)
class Cost:
    """What an operation may cost (`requested`) against the budget of one request."""

    requested: int
    budget: int

    @property
    def too_costly(self) -> bool:
        return self.requested > self.budget


def _first(
    field: GraphQLField,
    node: FieldNode,
    variables: Mapping[str, Any],
    defaults: Mapping[str, ValueNode],
) -> int:
    argument = field.args["first"]
    value: Any = None
    given = next((a.value for a in node.arguments or () if a.name.value == "first"), None)
    if isinstance(given, VariableNode):
        name = given.name.value
        if name in variables:
            value = variables[name]
        elif name in defaults:
            value = value_from_ast(defaults[name], argument.type)
    elif given is not None:
        value = value_from_ast(given, argument.type)
    if value is None:
        value = argument.default_value
    if not isinstance(value, int) or isinstance(value, bool):
        value = DEFAULT_FIRST
    # Execution refuses a page outside 1..100 (BAD_PAGE_REQUEST); the cost stays bounded.
    return max(1, min(value, MAX_FIRST))


def _is_connection(field: GraphQLField) -> bool:
    return "first" in field.args and get_named_type(field.type).name.endswith("Connection")


class _Calculator:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        defaults: Mapping[str, ValueNode],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.defaults = defaults
        # A fragment costs the same wherever it is spread with the same number of objects (its
        # fields follow its type condition): a fragment spread many times is walked once.
        self.memo: dict[tuple[int, str, int, int], int] = {}

    def selection(
        self, selection_set: SelectionSetNode, parent: GraphQLNamedType, objects: int, page: int
    ) -> int:
        """The cost of a selection made on `objects` objects of type `parent`; `page` is the
        `first` of the connection when `parent` is a connection type."""
        key = (id(selection_set), parent.name, objects, page)
        if key in self.memo:
            return self.memo[key]
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, objects, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                if inner is not None:
                    total += self.selection(selection.selection_set, inner, objects, page)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    inner = self.schema.get_type(fragment.type_condition.name.value)
                    if inner is not None:
                        total += self.selection(fragment.selection_set, inner, objects, page)
            total = min(total, CEILING)
        self.memo[key] = total
        return total

    def field(self, node: FieldNode, parent: GraphQLNamedType, objects: int, page: int) -> int:
        name = node.name.value
        if name.startswith("__") or not isinstance(
            parent, GraphQLObjectType | GraphQLInterfaceType
        ):
            return 0
        field = parent.fields.get(name)
        if field is None:
            return 0
        named = get_named_type(field.type)
        if not is_composite_type(named) or node.selection_set is None:
            return 0
        inner_page = (
            _first(field, node, self.variables, self.defaults) if _is_connection(field) else 0
        )
        # One point for the field (one batched lookup for all the objects it is resolved on),
        # one for every object its lists may return.
        items = objects
        wrapped: GraphQLOutputType = field.type
        paged = bool(page) and parent.name.endswith("Connection")
        while isinstance(wrapped, GraphQLNonNull | GraphQLList):
            if isinstance(wrapped, GraphQLList):
                size = page if paged else LIST_SIZES.get(f"{parent.name}.{name}", LIST_SIZE)
                items = min(items * size, CEILING)
                paged = False
            wrapped = wrapped.of_type
        listed = items if is_list_type(get_nullable_type(field.type)) else 0
        inner = self.selection(node.selection_set, named, items, inner_page)
        return min(1 + listed + inner, CEILING)


def operation_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any] | None,
) -> int:
    """The cost of one (validated) operation of a document with the request's variables."""
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    defaults = {
        definition.variable.name.value: definition.default_value
        for definition in operation.variable_definitions or ()
        if definition.default_value is not None
    }
    calculator = _Calculator(schema, fragments, variables or {}, defaults)
    total = calculator.selection(operation.selection_set, root, 1, 0)
    if operation.operation == OperationType.MUTATION:
        writes = sum(
            1
            for selection in operation.selection_set.selections
            if isinstance(selection, FieldNode) and not selection.name.value.startswith("__")
        )
        total += MUTATION_COST * writes
    return min(total, CEILING)
