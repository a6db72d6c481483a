"""Merges every area's Query and Mutation into one `strawberry.Schema`."""

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.types.base_scalars import DateDefinition, DateTimeDefinition, TimeDefinition
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext
from strawberry.types.base import get_object_definition
from strawberry.types.scalar import ScalarDefinition

from .classroom import mutations as classroom_mutations
from .classroom import queries as classroom_queries
from .core import node, server
from .core.permissions import require_sign_in
from .desk import queries as desk_queries
from .enrollment import mutations as enrollment_mutations
from .homework import mutations as homework_mutations
from .homework import queries as homework_queries
from .programs import mutations as programs_mutations
from .programs import queries as programs_queries
from .study import mutations as study_mutations
from .study import queries as study_queries
from .viewer import queries as viewer_queries
from .workshops import mutations as workshops_mutations
from .workshops import queries as workshops_queries

QUERIES: tuple[type, ...] = (
    node.Query,
    programs_queries.Query,
    viewer_queries.Query,
    workshops_queries.Query,
    study_queries.Query,
    homework_queries.Query,
    classroom_queries.Query,
    desk_queries.Query,
    server.Query,
)
MUTATIONS: tuple[type, ...] = (
    programs_mutations.Mutation,
    enrollment_mutations.Mutation,
    workshops_mutations.Mutation,
    study_mutations.Mutation,
    homework_mutations.Mutation,
    classroom_mutations.Mutation,
)


# Strawberry's own date and time scalars, the same but for their descriptions.
SCALARS: dict[object, ScalarDefinition] = {
    dt.date: dataclasses.replace(
        DateDefinition,
        description="日期（date），ISO 8601 格式，如 2012-04-27；按项目时区的当地日期。",
    ),
    dt.datetime: dataclasses.replace(
        DateTimeDefinition,
        description="时刻（date-time），ISO 8601 格式，输出总带时区偏移，"
        "如 2012-04-27T09:00:00+08:00；输入不带偏移时按项目当地时间。",
    ),
    dt.time: dataclasses.replace(
        TimeDefinition, description="一天中的时刻（time），ISO 8601 格式，如 09:00:00；当地时间。"
    ),
}


def _described(root: type, description: str) -> type:
    """A merged root type with its description (merge_types takes none)."""
    get_object_definition(root, strict=True).description = description
    return root


class Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Logs nothing: refusals and request errors are expected answers, and the app's error
        policy logs each unexpected error once, with its traceback and request id."""


def build_schema(
    extensions: Sequence[Callable[[], SchemaExtension] | type[SchemaExtension]] = (),
) -> strawberry.Schema:
    return Schema(
        query=_described(
            merge_types("Query", QUERIES),
            "查询入口（Query）：每人只看到自己范围内的数据（范围外的对象读作 null 或空列表），"
            "个人信息已脱敏。",
        ),
        mutation=_described(
            require_sign_in(merge_types("Mutation", MUTATIONS)),
            "变更入口（Mutation）：都需要登录，各字段说明末尾写明谁可以操作（权限）；"
            "规则拒绝时返回载荷的 userErrors，什么也不写入。",
        ),
        extensions=list(extensions),
        scalar_overrides=SCALARS,
        config=StrawberryConfig(auto_camel_case=True),
    )
