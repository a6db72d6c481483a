"""`UserError` of payloads: a refusal with its code, field and message."""

import strawberry

from lms_plugin.resolvers.core.errors import DomainError

from .enums import ErrorCode

# The `userErrors` field of every mutation payload.
USER_ERRORS = (
    "拒绝原因（userErrors）：为空表示操作成功；非空时操作被拒绝，什么也没有写入，"
    "载荷的其他字段为 null。"
)


@strawberry.type(description="拒绝（user error）：某条规则或检查没有让这次变更通过。")
class UserError:
    code: ErrorCode = strawberry.field(description="稳定的拒绝代码（code），前端据此分支。")
    field: list[str] | None = strawberry.field(
        description='出错的输入字段路径（field path），如 ["input", "endsOn"]；'
        "与具体字段无关时为 null。"
    )
    message: str = strawberry.field(description="给人看的说明（message），中文。")

    @classmethod
    def from_domain(cls, error: DomainError) -> "UserError":
        field = ["input", *error.field] if error.field else None
        return cls(code=error.code, field=field, message=error.message)
