"""Compiled plans for the hot persisted operations: the study page, the heartbeat, the tutor's
desk. A request that names a registered document by its hash (lms_plugin/persisted.py) whose
root fields are all hot (`HOT_ROOT_FIELDS`) is answered without strawberry's view, extensions
or graphql-core's executor: the document was parsed and validated once, with the request's
rules, when its plan was compiled; the request's variables are coerced as graphql-core coerces
them; each selected field calls the very resolver strawberry built for it (so the use cases,
read models, permission checks and DataLoader batches are the general path's), siblings and list
items concurrently as graphql-core runs them; leaves go through the schema's own output
coercion (DateTime in the display zone, enums, global ids) and the answer is written with
orjson in the general path's shape, `extensions` (cost, rate limits) included.

Whatever the plan cannot answer as the general path would — no viewer, a malformed or
unstorable variable, a refusal raised by a resolver, a null where the schema promises a value,
a request over its cost budget or its rate limit — falls back to the general path, which then
answers it; a mutation falls back only while nothing of it was written (`Unserved` is raised
before the mutation's transaction starts, or after a lost connection that sent nothing). The
rate-limit charge already made travels with the request (`CHARGED`), so nothing is charged
twice.
"""

from collections.abc import Awaitable, Callable, Mapping, MutableMapping, Sequence
from dataclasses import MISSING, dataclass
from enum import Enum
from operator import attrgetter
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    located_error,
    parse,
    specified_rules,
    validate,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from graphql.language import BREAK, ValueNode, Visitor, visit
from graphql.pyutils import Path, gather_with_cancel, is_awaitable
from graphql.type.definition import GraphQLResolveInfoHelpers
from graphql.validation import ASTValidationRule
from starlette.responses import Response
from strawberry.relay import GlobalID
from strawberry.types import Info
from strawberry.types.base import StrawberryMaybe, StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from lms_plugin.resolvers.core.errors import Forbidden, NotAuthenticated
from lms_plugin.schema.core.context import Context
from lms_plugin.schema.core.mutations import run_of
from lms_plugin.storage.postgres import lost_connection, tracking_writes

from .cost import operation_cost
from .error_policy import ErrorPolicy
from .rate_limits import RateLimiter
from .settings import Settings
from .throttle import CHARGED, caller, charges_of, own_buckets, rate_limit_report

# The root fields a plan may select: those of the front end's hot pages. Any other document
# takes the general path, however it is sent.
HOT_ROOT_FIELDS = frozenset({"serverTime", "viewer", "heartbeat", "tutorDesk", "gradingQueue"})


class Unserved(Exception):
    """This request is answered by the general path (nothing of it has been written)."""


# The root value of every operation (the schema's resolvers read none).
_ROOT: Any = None
# Where strawberry keeps, on a graphql-core type or field, its own definition.
_STRAWBERRY = "strawberry-definition"


class _NoPlan(Exception):
    """The document has no plan: the general path serves it."""


# What a completer returns: the answer's value, or an awaitable of it.
Completer = Callable[[Any, "_Request", Path], Any]


async def _gather(awaitables: Sequence[Awaitable[Any]]) -> list[Any]:
    return await gather_with_cancel(*awaitables)


def _track(_: Sequence[Any]) -> None:
    return None


_HELPERS = GraphQLResolveInfoHelpers(gather=_gather, track=_track)

# Values that are never awaitable, told by their type alone: most of what a page's fields
# return; graphql-core's check (an `__await__` looked up) for the rest.
_PLAIN = frozenset({str, int, float, bool, type(None), list, dict})


def _awaitable(value: Any) -> bool:
    return type(value) not in _PLAIN and is_awaitable(value)


@dataclass(frozen=True)
class _Field:
    key: str  # the response key: the alias, or the name
    node: FieldNode
    parent: GraphQLObjectType
    schema: GraphQLSchema
    operation: OperationDefinitionNode
    definition: Any  # GraphQLField
    resolve: Callable[..., Any]
    # The arguments when no variable feeds them; else None (coerced per request).
    arguments: dict[str, Any] | None
    complete: Completer
    calls: "_Calls"
    # The resolver called as `_Calls.OWN_WITH_INFO` (its strawberry field, for its Info).
    own: "_OwnResolver | None" = None


class _Calls(Enum):
    """How a plan calls a field's resolver."""

    ATTRIBUTE = "a basic field's attribute, read as strawberry's resolver reads it"
    OWN = "the field's own function, with the source alone (`_own_resolver`)"
    OWN_WITH_INFO = "the field's own function, with the source, strawberry's Info, its arguments"
    MUTATION = "a mutation's own resolver, with strawberry's input built from the coerced one"
    WRAPPED = "strawberry's resolver, with graphql-core's info and the arguments"


class _Request:
    """One request's state for the resolvers' info objects."""

    __slots__ = ("context", "variables")

    def __init__(self, context: Context, variables: VariableValues) -> None:
        self.context = context
        self.variables = variables


def _resolve_field(field: _Field, source: Any, request: _Request, parent_path: Path | None) -> Any:
    path = Path(parent_path, field.key, field.parent.name)
    calls = field.calls
    if calls is _Calls.ATTRIBUTE:
        return field.complete(field.resolve(source), request, path)
    if calls is _Calls.OWN:
        return _completed(field, field.resolve(source), request, path)
    arguments = field.arguments
    if arguments is None:
        arguments = get_argument_values(field.definition, field.node, request.variables)
    info = GraphQLResolveInfo(
        field.node.name.value,
        [field.node],
        field.definition.type,
        field.parent,
        path,
        field.schema,
        {},
        None,
        field.operation,
        request.variables,
        request.context,
        is_awaitable,
        None,
        _HELPERS,
    )
    own = field.own
    if own is not None:
        given = {own.arguments[name]: value for name, value in arguments.items()}
        value = field.resolve(source, info=Info(_raw_info=info, _field=own.field), **given)
    else:
        value = field.resolve(source, info, **arguments)
    return _completed(field, value, request, path)


def _completed(field: _Field, value: Any, request: _Request, path: Path) -> Any:
    if _awaitable(value):

        async def then() -> Any:
            completed = field.complete(await value, request, path)
            return await completed if _awaitable(completed) else completed

        return then()
    return field.complete(value, request, path)


def _execute_fields(
    fields: "list[_Field | _Typename]",
    typename: str,
    source: Any,
    request: _Request,
    path: Path | None,
) -> Any:
    """The fields selected on `source`, as graphql-core runs them: all started, then the
    awaitable ones gathered (DataLoader batches span siblings, as in the general path)."""
    answer: dict[str, Any] = {}
    waiting: list[str] = []
    for field in fields:
        if isinstance(field, _Typename):
            answer[field.key] = typename
            continue
        result = _resolve_field(field, source, request, path)
        answer[field.key] = result
        if _awaitable(result):
            waiting.append(field.key)
    if not waiting:
        return answer
    if len(waiting) == 1:
        # One awaitable: awaited in place, as graphql-core does (no task).
        [only] = waiting

        async def settle_one() -> dict[str, Any]:
            answer[only] = await answer[only]
            return answer

        return settle_one()

    async def settle() -> dict[str, Any]:
        results = await gather_with_cancel(*(answer[key] for key in waiting))
        for key, result in zip(waiting, results, strict=True):
            answer[key] = result
        return answer

    return settle()


def _object_of(fields: "list[_Field | _Typename]", typename: str) -> Completer:
    def complete(value: Any, request: _Request, path: Path) -> Any:
        if value is None:
            return None
        return _execute_fields(fields, typename, value, request, path)

    return complete


def _list_of(inner: Completer) -> Completer:
    def complete(value: Any, request: _Request, path: Path) -> Any:
        if value is None:
            return None
        items = [inner(item, request, path.add_key(index)) for index, item in enumerate(value)]
        waiting = [index for index, item in enumerate(items) if _awaitable(item)]
        if not waiting:
            return items
        if len(waiting) == 1:
            [only] = waiting

            async def settle_one() -> list[Any]:
                items[only] = await items[only]
                return items

            return settle_one()

        async def settle() -> list[Any]:
            results = await gather_with_cancel(*(items[index] for index in waiting))
            for index, result in zip(waiting, results, strict=True):
                items[index] = result
            return items

        return settle()

    return complete


def _non_null(inner: Completer) -> Completer:
    def complete(value: Any, request: _Request, path: Path) -> Any:
        completed = inner(value, request, path)
        if _awaitable(completed):

            async def settle() -> Any:
                found = await completed
                if found is None:
                    raise Unserved  # the general path answers the error it makes
                return found

            return settle()
        if completed is None:
            raise Unserved
        return completed

    return complete


def _leaf_of(kind: GraphQLScalarType | GraphQLEnumType) -> Completer:
    coerce = kind.coerce_output_value

    def complete(value: Any, request: _Request, path: Path) -> Any:
        if value is None:
            return None
        coerced = coerce(value)
        if coerced is None:
            raise Unserved
        return coerced

    return complete


class _Compiler:
    def __init__(self, schema: GraphQLSchema, operation: OperationDefinitionNode) -> None:
        self.schema = schema
        self.operation = operation

    def completer(self, kind: GraphQLOutputType, node: FieldNode) -> Completer:
        if isinstance(kind, GraphQLNonNull):
            return _non_null(self.completer(kind.of_type, node))
        if isinstance(kind, GraphQLList):
            return _list_of(self.completer(kind.of_type, node))
        if isinstance(kind, GraphQLScalarType | GraphQLEnumType):
            return _leaf_of(kind)
        if isinstance(kind, GraphQLObjectType) and node.selection_set is not None:
            return _object_of(self.fields(node.selection_set, kind), kind.name)
        raise _NoPlan  # interfaces and unions: resolved at run time, by the general path

    def fields(
        self, selection_set: SelectionSetNode, parent: GraphQLObjectType
    ) -> "list[_Field | _Typename]":
        fields: list[_Field | _Typename] = []
        keys: set[str] = set()
        for selection in selection_set.selections:
            if not isinstance(selection, FieldNode) or selection.directives:
                raise _NoPlan  # fragments, @skip, @include: the general path
            key = (selection.alias or selection.name).value
            if key in keys:
                raise _NoPlan  # fields merged under one key
            keys.add(key)
            name = selection.name.value
            if name == "__typename":
                fields.append(_Typename(key))
                continue
            if name.startswith("__"):
                raise _NoPlan
            definition = parent.fields[name]
            if definition.resolve is None:
                raise _NoPlan
            resolve, calls, own = _calling(definition)
            static = not any(
                _has_variable(argument.value) for argument in selection.arguments or ()
            )
            fields.append(
                _Field(
                    key=key,
                    node=selection,
                    parent=parent,
                    schema=self.schema,
                    operation=self.operation,
                    definition=definition,
                    resolve=resolve,
                    arguments=get_argument_values(definition, selection) if static else None,
                    complete=self.completer(definition.type, selection),
                    calls=calls,
                    own=own,
                )
            )
        return fields


def _direct(definition: GraphQLField) -> Callable[..., Any] | None:
    """For a field that schema/core/mutations.py built, with a flat input: its own resolver,
    called with the strawberry input built from graphql-core's coerced value, skipping
    strawberry's wrapper (its sign-in check: a plan serves a mutation only to a viewer) and
    argument conversion. None for any other field."""
    field = definition.extensions.get(_STRAWBERRY)
    if not isinstance(field, StrawberryField):
        return None
    run = run_of(field)
    argument = definition.args.get("input")
    build = None if argument is None else _input_of(argument.type)
    if run is None or build is None or len(definition.args) != 1:
        return None

    def resolve(_: Any, info: GraphQLResolveInfo, input: Mapping[str, Any]) -> Any:
        return run(Info(_raw_info=info, _field=field), build(input))

    return resolve


def _calling(
    definition: GraphQLField,
) -> tuple[Callable[..., Any], _Calls, "_OwnResolver | None"]:
    """What a plan calls for a field, how, and the resolver it gives strawberry's Info and
    the arguments itself."""
    own = _own_resolver(definition)
    if own is not None and own.takes_info:
        return own.function, _Calls.OWN_WITH_INFO, own
    if own is not None:
        return own.function, _Calls.OWN, None
    direct = _direct(definition)
    if direct is not None:
        return direct, _Calls.MUTATION, None
    resolve = definition.resolve
    assert resolve is not None
    attribute = _attribute_of(definition)
    if attribute is not None:
        return attribute, _Calls.ATTRIBUTE, None
    return resolve, _Calls.WRAPPED, None


@dataclass(frozen=True)
class _OwnResolver:
    function: Callable[..., Any]
    field: StrawberryField
    takes_info: bool
    # Each argument's Python name by its GraphQL name (a resolver taking `info` only).
    arguments: Mapping[str, str]


def _own_resolver(definition: GraphQLField) -> _OwnResolver | None:
    """For a field with a resolver of its own around which strawberry's wrapper does nothing
    but call it — no field extension (permission classes are ones), no exception handler, a
    method taking `self` and at most `info` (positionally second, or by name), and with `info`
    plain scalar arguments too (strawberry passes them unchanged, by their Python names) —
    that function, which the plan calls itself: building strawberry's Info only for a
    resolver that takes one. None for any other field."""
    field = definition.extensions.get(_STRAWBERRY)
    if not isinstance(field, StrawberryField) or field.base_resolver is None:
        return None
    resolver = field.base_resolver
    arguments = _plain_arguments(field, definition)
    if field.extensions or arguments is None or _handles_exceptions(definition):
        return None
    parameters = list(resolver.signature.parameters.values())
    info = resolver.info_parameter
    if resolver.self_parameter is None or parameters[0] is not resolver.self_parameter:
        return None
    function = resolver.wrapped_func
    if not callable(function):
        return None
    if info is None and not arguments and parameters[1:] == []:
        return _OwnResolver(function, field, takes_info=False, arguments={})
    rest = {p.name for p in parameters[1:] if p is not info}
    if info is None or info.name != "info" or rest != set(arguments.values()):
        return None
    return _OwnResolver(function, field, takes_info=True, arguments=arguments)


def _plain_arguments(field: StrawberryField, definition: GraphQLField) -> dict[str, str] | None:
    """The field's arguments' Python names by their GraphQL names, when each is a plain
    scalar (converted by strawberry as it came: not a global id, an input or a list); else
    None."""
    if len(field.arguments) != len(definition.args):
        return None
    names: dict[str, str] = {}
    # The schema's arguments are strawberry's, in its order (named by its name converter).
    for (graphql_name, given), argument in zip(
        definition.args.items(), field.arguments, strict=True
    ):
        kind = given.type.of_type if isinstance(given.type, GraphQLNonNull) else given.type
        if (
            not isinstance(kind, GraphQLScalarType)
            or isinstance(argument.type, StrawberryMaybe)
            or GlobalID in (argument.type, getattr(argument.type, "of_type", None))
        ):
            return None
        names[graphql_name] = argument.python_name
    return names


def _handles_exceptions(definition: GraphQLField) -> bool:
    """Whether strawberry's resolver turns some exceptions into answers (the schema's
    exception handlers that apply to the field, which its wrapper keeps in its closure)."""
    code = getattr(definition.resolve, "__code__", None)
    closure = getattr(definition.resolve, "__closure__", None)
    if code is None or closure is None or "field_exception_handlers" not in code.co_freevars:
        return True  # not strawberry's resolver as known: leave it to strawberry
    return bool(closure[code.co_freevars.index("field_exception_handlers")].cell_contents)


def _input_of(kind: GraphQLInputType) -> Callable[[Mapping[str, Any]], Any] | None:
    """The strawberry input instance of a coerced value, as strawberry's `convert_argument`
    builds it, for a flat input (every field a plain scalar: they pass through unchanged);
    None for any other."""
    named = kind.of_type if isinstance(kind, GraphQLNonNull) else kind
    # An `out_type` of its own (a one-of input's check) is strawberry's: the general path's.
    if not isinstance(named, GraphQLInputObjectType) or "out_type" in vars(named):
        return None
    definition = named.extensions.get(_STRAWBERRY)
    if not isinstance(definition, StrawberryObjectDefinition) or definition.from_input:
        return None
    names: list[tuple[str, str]] = []
    for graphql_name, input_field in named.fields.items():
        field = input_field.extensions.get(_STRAWBERRY)
        inner = input_field.type
        inner = inner.of_type if isinstance(inner, GraphQLNonNull) else inner
        if (
            not isinstance(field, StrawberryField)
            or not isinstance(inner, GraphQLScalarType)
            or isinstance(field.type, StrawberryMaybe)
            or GlobalID in (field.type, getattr(field.type, "of_type", None))
        ):
            return None
        names.append((graphql_name, field.python_name))
    # Fields without a default are None unless given (graphql-core checked the required ones).
    implicit = {
        f.python_name: None
        for f in definition.fields
        if f.default_value is MISSING and f.default_factory is MISSING
    }
    origin = definition.origin

    def build(value: Mapping[str, Any]) -> Any:
        given = dict(implicit)
        for graphql_name, python_name in names:
            if graphql_name in value:
                given[python_name] = value[graphql_name]
        return origin(**given)

    return build


def _attribute_of(definition: GraphQLField) -> Callable[[Any], Any] | None:
    """For a field whose resolver is strawberry's of a field with no resolver, extension or
    permission of its own (`StrawberryField.is_basic_field`), what that resolver does: the
    schema's default resolver (`getattr`) on the field's attribute, without an info object.
    None for any other field."""
    field = definition.extensions.get(_STRAWBERRY)
    resolve = definition.resolve
    if not isinstance(field, StrawberryField) or field.base_resolver is not None:
        return None
    if getattr(resolve, "__name__", "") != "_get_basic_result":
        return None
    name, default = field.python_name, field.default_resolver
    if default is getattr:
        return attrgetter(name)
    return lambda source: default(source, name)


class _Typename:
    """`__typename` under `key`: its object's type name, written in by `_object_of`."""

    def __init__(self, key: str) -> None:
        self.key = key


class _FindsVariable(Visitor):
    found = False

    def enter_variable(self, *_: object) -> object:
        self.found = True
        return BREAK


def _has_variable(value: ValueNode) -> bool:
    finder = _FindsVariable()
    visit(value, finder)
    return finder.found


class _HasVariableInFirst(Visitor):
    found = False

    def enter_argument(self, node: Any, *_: object) -> None:
        if node.name.value == "first" and isinstance(node.value, VariableNode):
            self.found = True


@dataclass(frozen=True)
class Plan:
    operation: OperationDefinitionNode
    document: DocumentNode
    fields: "list[_Field | _Typename]"
    root: GraphQLObjectType
    # The cost when no variable can change it (no `first: $x`); else None.
    cost: int | None
    buckets: tuple[int, int, int]

    @property
    def is_mutation(self) -> bool:
        return self.operation.operation == OperationType.MUTATION

    @property
    def name(self) -> str | None:
        return None if self.operation.name is None else self.operation.name.value


def compile_plan(
    schema: GraphQLSchema,
    query: str,
    settings: Settings,
    rules: Sequence[type[ASTValidationRule]],
    literal_refused: Callable[[str | None, DocumentNode], str | None],
) -> Plan | None:
    """The plan of a document whose one operation selects only hot root fields, if it passes
    the request's parse and validation rules and the check of its literals; else None."""
    try:
        document = parse(query, max_tokens=settings.max_query_tokens)
    except GraphQLError:
        return None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or len(document.definitions) != 1:
        return None
    [operation] = operations
    if operation.directives or operation.operation == OperationType.SUBSCRIPTION:
        return None
    if validate(schema, document, (*specified_rules, *rules)):
        return None
    if literal_refused(query, document) is not None:
        return None
    root = schema.get_root_type(operation.operation)
    if root is None:
        return None
    roots = [s for s in operation.selection_set.selections if isinstance(s, FieldNode)]
    if not all(s.name.value in HOT_ROOT_FIELDS for s in roots):
        return None
    try:
        fields = _Compiler(schema, operation).fields(operation.selection_set, root)
    except _NoPlan:
        return None
    firsts = _HasVariableInFirst()
    visit(operation, firsts)
    cost = None if firsts.found else operation_cost(schema, operation, {}, None)
    return Plan(operation, document, fields, root, cost, own_buckets(operation))


@dataclass
class FastPath:
    """The plans by document hash, and the serving of a request by one."""

    schema: GraphQLSchema
    settings: Settings
    limiter: RateLimiter | None
    rules: Sequence[type[ASTValidationRule]]
    literal_refused: Callable[[str | None, DocumentNode], str | None]
    variables_refused: Callable[[object], str | None]
    max_plans: int = 512

    def __post_init__(self) -> None:
        self._plans: dict[str, Plan | None] = {}

    def plan(self, digest: str, query: str) -> Plan | None:
        if digest in self._plans:
            return self._plans[digest]
        plan = compile_plan(self.schema, query, self.settings, self.rules, self.literal_refused)
        if len(self._plans) >= self.max_plans:
            self._plans.pop(next(iter(self._plans)))
        self._plans[digest] = plan
        return plan

    async def serve(
        self,
        plan: Plan,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        context: Context,
        scope: MutableMapping[str, Any],
    ) -> Response:
        """The answer, or Unserved when the general path must give it."""
        if operation_name is not None and operation_name != plan.name:
            raise Unserved
        if self.variables_refused(variables) is not None:
            raise Unserved
        coerced = get_variable_values(
            self.schema, plan.operation.variable_definitions or (), variables or {}
        )
        if isinstance(coerced, list):
            raise Unserved
        if plan.is_mutation and context.viewer is None:
            raise Unserved
        cost = plan.cost
        if cost is None:
            cost = operation_cost(self.schema, plan.operation, {}, coerced.coerced)
        if cost > self.settings.max_query_cost:
            raise Unserved
        extensions: dict[str, Any] = {
            "cost": {"requested": cost, "budget": self.settings.max_query_cost}
        }
        if self.limiter is not None:
            charges = charges_of(plan.buckets, cost, self.settings)
            verdict = await self.limiter.charge(caller(context), charges, context.now().timestamp())
            if not verdict.admitted:
                raise Unserved  # refused: nothing was charged; the general path refuses it
            remaining = rate_limit_report(charges, verdict)
            # A fall back from here on reports this charge instead of making another.
            scope[CHARGED] = remaining
            if remaining:
                extensions["rateLimit"] = remaining
        request = _Request(context, coerced)
        data = await self._data(plan, request)
        if isinstance(data, GraphQLError):
            body: dict[str, Any] = {"data": None, "errors": [data.formatted]}
        else:
            body = {"data": data}
        body["extensions"] = extensions
        return Response(orjson.dumps(body), media_type="application/json")

    async def _data(self, plan: Plan, request: _Request) -> dict[str, Any] | GraphQLError:
        if not plan.is_mutation:
            try:
                found = _execute_fields(plan.fields, plan.root.name, _ROOT, request, None)
                return await found if is_awaitable(found) else found
            except Exception as error:
                raise Unserved from error
        # A mutation's root fields run one after another, as the spec says.
        answer: dict[str, Any] = {}
        for field in plan.fields:
            if isinstance(field, _Typename):
                answer[field.key] = plan.root.name
                continue
            with tracking_writes() as writes:
                try:
                    result = _resolve_field(field, _ROOT, request, None)
                    answer[field.key] = await result if is_awaitable(result) else result
                except (NotAuthenticated, Forbidden, Unserved) as error:
                    # Permissions are checked before the use case's transaction starts.
                    raise Unserved from error
                except Exception as error:
                    if lost_connection(error) and not writes.sent and not answer:
                        raise Unserved from error
                    return self._masked(error, field, request)
        return answer

    def _masked(self, error: Exception, field: _Field, request: _Request) -> GraphQLError:
        """What the general path answers for an unexpected error in a mutation's root field
        (each mutation's payload is non-null: the data is null)."""
        located = located_error(error, [field.node], [field.key])
        policy = ErrorPolicy(execution_context=_Execution(request.context))  # type: ignore[arg-type]
        return policy.present(located)


class _Execution:
    """What ErrorPolicy reads of strawberry's execution context."""

    def __init__(self, context: Context) -> None:
        self.context = context
