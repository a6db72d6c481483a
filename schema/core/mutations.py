"""One declaration per mutation: its use case, how the input becomes the use case's arguments,
and how the result is presented. The helper does the rest the same way for every mutation:

- checks the use case's declared requirement (`@requires`) before anything else, and writes the
  same requirement into the field's description, so what is enforced is what is documented;
- decodes the input's typed global ids (`id_of("Program")`), refusing a wrong, malformed or
  other-typed id as NOT_FOUND with the input field's path;
- runs the use case in one transaction that also writes its audit rows (`audited`,
  resolvers/core/audit.py; a use case that `audits_itself` keeps that rule write by write) and
  builds the payload: the presented object, or the refusals as `userErrors` (nothing written,
  nothing logged).
"""

import datetime as dt
import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from strawberry.types.base import get_object_definition
from strawberry.types.field import StrawberryField

from lms_plugin.resolvers.core.access import UseCase
from lms_plugin.resolvers.core.audit import audited, is_self_audited
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode, Refused

from .context import Info
from .errors import UserError
from .ids import found_pk, noun_of

I = TypeVar("I")  # noqa: E741 - the input type
T = TypeVar("T")
R = TypeVar("R")

_ID_OF = "lms_plugin.id_of"
# A mutation field's own resolver, kept in its metadata: the compiled plans of the hot
# operations (lms_plugin/fast_path.py) call it directly, without strawberry's wrapper.
_RUN = "lms_plugin.run"

Run = Callable[[Info, Any], Awaitable[Any]]


_REQUIRED: Any = object()


def id_of(
    type_name: str,
    *,
    description: str | None = None,
    optional: bool = False,
    default: Any = _REQUIRED,
) -> Any:
    """An input field holding global ids of `type_name`: one, a list, or an optional one
    (`optional=True` defaults to null; an update's `default=strawberry.UNSET` means keep)."""
    if optional:
        default = None
    if default is _REQUIRED:
        return strawberry.field(description=description, metadata={_ID_OF: type_name})
    return strawberry.field(default=default, description=description, metadata={_ID_OF: type_name})


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def decode_ids(data: object) -> dict[str, Any]:
    """The input's id fields by Python name, as primary keys (lists stay lists, None stays None).

    Every wrong id is refused at once, each with its field (and index, for a list).
    """
    definition = get_object_definition(type(data), strict=True)
    decoded: dict[str, Any] = {}
    errors: list[DomainError] = []
    for field in definition.fields:
        metadata: Mapping[str, Any] = field.metadata or {}
        type_name = metadata.get(_ID_OF)
        if type_name is None:
            continue
        value = getattr(data, field.python_name)
        name = _camel(field.python_name)
        if value is None or value is strawberry.UNSET:
            decoded[field.python_name] = None
            continue
        message = f"找不到该{noun_of(type_name)}"
        if isinstance(value, list):
            keys = [found_pk(item, type_name) for item in value]
            errors += [
                DomainError(ErrorCode.NOT_FOUND, message, (name, str(index)))
                for index, key in enumerate(keys)
                if key is None
            ]
            decoded[field.python_name] = keys
        else:
            key = found_pk(value, type_name)
            if key is None:
                errors.append(DomainError(ErrorCode.NOT_FOUND, message, (name,)))
            decoded[field.python_name] = key
    if errors:
        raise Refused(errors)
    return decoded


@dataclass(frozen=True)
class Call(Generic[I]):
    """What a mutation's `arguments` reads: the input, its decoded ids, the request's instant."""

    input: I
    ids: Mapping[str, Any]
    now: dt.datetime
    info: Info


def _payload_fields(payload: type) -> list[str]:
    definition = get_object_definition(payload, strict=True)
    return [f.python_name for f in definition.fields if f.python_name != "user_errors"]


def mutation(
    use_case: UseCase[..., T],
    *,
    input: type[I],
    payload: type[Any],
    arguments: Callable[[Call[I]], tuple[Any, ...]],
    present: Callable[[T, Info], Any],
    description: str,
) -> Any:
    """A mutation field taking `input: <input>!` and answering `<payload>`."""
    # A payload carries one object, or `present` builds a payload of several itself.
    result_fields = _payload_fields(payload)
    requirement = use_case.requirement
    transaction = not is_self_audited(use_case)

    async def resolve(info: Info, input: Any) -> Any:
        viewer = requirement.check(info.context.viewer)
        try:
            call = Call(input, decode_ids(input), info.context.now(), info)
            async with audited(viewer.id, info.field_name, call.now, transaction=transaction):
                result = await use_case(viewer, *arguments(call))
        except Refused as refused:
            errors = [UserError.from_domain(error) for error in refused.errors]
            return payload(**dict.fromkeys(result_fields), user_errors=errors)
        presented = present(result, info)
        if inspect.isawaitable(presented):
            presented = await presented
        if isinstance(presented, payload):
            return presented
        [result_field] = result_fields
        return payload(**{result_field: presented, "user_errors": []})

    argument = strawberry.argument(description="本操作的输入（input）：各字段的说明见其输入类型。")
    resolve.__annotations__ = {"info": Info, "input": Annotated[input, argument], "return": payload}
    return strawberry.mutation(
        resolver=resolve,
        description=f"{description}\n\n权限（who may）：{requirement.who}",
        metadata={_RUN: resolve},
    )


def run_of(field: StrawberryField) -> Run | None:
    """The resolver of a field `mutation` built, called as `run(info, input)` with the input
    type's instance; None for any other field."""
    metadata: Mapping[str, Any] = field.metadata or {}
    found: Run | None = metadata.get(_RUN)
    return found


def changes_of(
    call: Call[Any],
    *,
    skip: frozenset[str] = frozenset({"id"}),
    nullable: frozenset[str] = frozenset(),
) -> dict[str, object]:
    """The settings an update input sets, by Python name: UNSET means keep, and so does null
    unless the setting is `nullable` (then null clears it). `skip` names the target's id and
    fields handled apart; other ids count as their decoded keys; lists become tuples."""
    changes: dict[str, object] = {}
    for name, value in vars(call.input).items():
        if name in skip or value is strawberry.UNSET:
            continue
        if value is None and name not in nullable:
            continue
        if name in call.ids:
            value = call.ids[name]
        changes[name] = tuple(value) if isinstance(value, list) else value
    return changes
