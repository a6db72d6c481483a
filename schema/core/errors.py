"""`UserError` of payloads: a refusal with its code, field and message."""

import strawberry

from lms_plugin.resolvers.core.errors import DomainError

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
