"""Merges every area's Query and Mutation into one `strawberry.Schema`."""

from collections.abc import Callable, Sequence

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext
from strawberry.types.base import get_object_definition

from .assessment import mutations as assessment_mutations
from .assessment import queries as assessment_queries
from .audit import mutations as audit_mutations
from .audit import queries as audit_queries
from .awards import mutations as awards_mutations
from .awards import queries as awards_queries
from .bulletins import mutations as bulletins_mutations
from .bulletins import queries as bulletins_queries
from .classroom import mutations as classroom_mutations
from .classroom import queries as classroom_queries
from .core import node, server
from .core.grants import load_grants_first
from .core.permissions import require_sign_in
from .core.scalars import DEFAULT_TIME_ZONE, date_and_time_scalars
from .desk import queries as desk_queries
from .enrollment import mutations as enrollment_mutations
from .exports import queries as exports_queries
from .fees import mutations as fees_mutations
from .fees import queries as fees_queries
from .homework import mutations as homework_mutations
from .homework import queries as homework_queries
from .organisation import mutations as organisation_mutations
from .organisation import queries as organisation_queries
from .policies import mutations as policies_mutations
from .programs import mutations as programs_mutations
from .programs import queries as programs_queries
from .reports import mutations as reports_mutations
from .reports import queries as reports_queries
from .roster import mutations as roster_mutations
from .roster import queries as roster_queries
from .staff import queries as staff_queries
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
    roster_queries.Query,
    organisation_queries.Query,
    assessment_queries.Query,
    reports_queries.Query,
    fees_queries.Query,
    bulletins_queries.Query,
    awards_queries.Query,
    exports_queries.Query,
    server.Query,
    audit_queries.Query,
    staff_queries.Query,
)
MUTATIONS: tuple[type, ...] = (
    programs_mutations.Mutation,
    policies_mutations.Mutation,
    enrollment_mutations.Mutation,
    workshops_mutations.Mutation,
    study_mutations.Mutation,
    homework_mutations.Mutation,
    classroom_mutations.Mutation,
    roster_mutations.Mutation,
    organisation_mutations.Mutation,
    audit_mutations.Mutation,
    assessment_mutations.Mutation,
    bulletins_mutations.Mutation,
    awards_mutations.Mutation,
    reports_mutations.Mutation,
    fees_mutations.Mutation,
)


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
    time_zone: str = DEFAULT_TIME_ZONE,
) -> strawberry.Schema:
    """The API; every DateTime it returns is shown in `time_zone` (one rule, see scalars)."""
    return Schema(
        query=_described(
            load_grants_first(merge_types("Query", QUERIES)),
            "查询入口（Query）：每人只看到自己范围内的数据（范围外的对象读作 null 或空列表），"
            "个人信息已脱敏。",
        ),
        mutation=_described(
            load_grants_first(require_sign_in(merge_types("Mutation", MUTATIONS))),
            "变更入口（Mutation）：都需要登录，各字段说明末尾写明谁可以操作（权限）；"
            "规则拒绝时返回载荷的 userErrors，什么也不写入。",
        ),
        extensions=list(extensions),
        config=StrawberryConfig(auto_camel_case=True),
        scalar_overrides=date_and_time_scalars(time_zone),
    )
