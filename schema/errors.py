"""`UserError` and the `ErrorCode` enum of payloads; the run-a-use-case helper of mutations."""

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from tortoise.exceptions import ValidationError

from lms_plugin.resolvers.core.errors import DomainError, Refused, invalid_column_value

from .enums import ErrorCode


@strawberry.type(description="A refusal: a rule or a check did not let the mutation through.")
class UserError:
    code: ErrorCode
    field: list[str] | None = strawberry.field(
        description='Path to the input field at fault, e.g. ["input", "endsOn"].'
    )
    message: str = strawberry.field(description="Explanation for people (Chinese).")

    @classmethod
    def from_domain(cls, error: DomainError) -> "UserError":
        field = ["input", *error.field] if error.field else None
        return cls(code=error.code, field=field, message=error.message)


T = TypeVar("T")
R = TypeVar("R")


async def attempt(
    use_case: Callable[[], Awaitable[T]], present: Callable[[T], R]
) -> tuple[R | None, list[UserError]]:
    """Run a use case: its result presented, or the refusals as user errors (nothing written).

    `use_case` is called inside the guard, so decoding its input ids may refuse too.
    """
    try:
        result = await use_case()
    except Refused as refused:
        return None, [UserError.from_domain(e) for e in refused.errors]
    except ValidationError as error:
        # Raised by the ORM before the write, inside the use case's transaction.
        return None, [UserError.from_domain(invalid_column_value(str(error)))]
    return present(result), []
