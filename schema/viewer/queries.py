"""The signed-in viewer and teacher rosters: the queries."""

from typing import Annotated

import strawberry
from graphql import GraphQLError

from lms_plugin.resolvers.people import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.ids import found_pk, names_nothing
from lms_plugin.schema.core.pagination import After, Connection, First, connection, list_connection
from lms_plugin.schema.people.types import Person

from .types import Viewer


@strawberry.type
class Query:
    @strawberry.field(description="当前登录的人（viewer）。")
    def viewer(self, info: Info) -> Viewer:
        return Viewer(signed_in=info.context.signed_in())

    @strawberry.field(
        description="你管理范围内各学校的教师（teachers）：管理员按地区或学校，承训机构人员按其"
        "服务的设区市；按 id 排序，个人信息已脱敏。"
    )
    async def teachers(
        self,
        info: Info,
        first: First = 20,
        after: After = None,
        school_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="只列这所学校的教师。")
        ] = None,
        search: Annotated[
            str | None,
            strawberry.argument(
                description="搜索（search）：真实姓名或用户名的一部分，按字面匹配（% 和 _ 不是"
                f"通配符）；不超过 {use_cases.MAX_SEARCH_LENGTH} 个字，超出报 BAD_USER_INPUT。"
            ),
        ] = None,
    ) -> Connection[Person]:
        viewer = info.context.signed_in()
        if names_nothing(school_id, "School"):
            return list_connection([], Person.of, first=first, after=after)
        try:
            teachers = await use_cases.teachers_visible(
                viewer, found_pk(school_id, "School"), search
            )
        except use_cases.SearchTooLong:
            raise GraphQLError(
                f"搜索内容不能超过 {use_cases.MAX_SEARCH_LENGTH} 个字",
                extensions={"code": "BAD_USER_INPUT"},
            ) from None
        return await connection(
            teachers,
            Person.of,
            first=first,
            after=after,
        )
