"""The organisation: the queries (the region tree, schools, vendors, a person's role grants)."""

from typing import Annotated

import strawberry
from graphql import GraphQLError

from lms_plugin.resolvers.organisation import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.ids import found_pk, names_nothing
from lms_plugin.schema.core.node import node_loader
from lms_plugin.schema.core.pagination import After, Connection, First, connection, list_connection
from lms_plugin.schema.people.types import Region, RoleGrant, School
from lms_plugin.storage import models as db

from .types import Vendor


@strawberry.type
class Query:
    @strawberry.field(
        description="地区树的一层（regions）：某地区的下级地区，省略 parentId 时为顶层（省）；"
        "再往下用 Region.children。任何已登录用户。"
    )
    async def regions(
        self,
        info: Info,
        parent_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="上级地区；省略：顶层。")
        ] = None,
    ) -> list[Region]:
        viewer = info.context.signed_in()
        if names_nothing(parent_id, "Region"):
            return []
        rows = await use_cases.regions_under(viewer, found_pk(parent_id, "Region")).order_by("id")
        return [Region.of(row) for row in rows]

    @strawberry.field(
        description="你管理范围内的学校（schools）：省级全部，市、县级本地区，学校管理员本校，"
        "承训机构人员其服务的设区市；按 id 排序。"
    )
    async def schools(
        self,
        info: Info,
        first: First = 20,
        after: After = None,
        county_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="只列这个县区的学校。")
        ] = None,
        search: Annotated[
            str | None,
            strawberry.argument(
                description="搜索（search）：学校名称或代码的一部分，按字面匹配；不超过 "
                f"{use_cases.MAX_SEARCH_LENGTH} 个字，超出报 BAD_USER_INPUT。"
            ),
        ] = None,
    ) -> Connection[School]:
        viewer = info.context.signed_in()
        if names_nothing(county_id, "Region"):
            return list_connection([], School.of, first=first, after=after)
        try:
            schools = await use_cases.schools_visible(viewer, search, found_pk(county_id, "Region"))
        except use_cases.SearchTooLong:
            raise GraphQLError(
                f"搜索内容不能超过 {use_cases.MAX_SEARCH_LENGTH} 个字",
                extensions={"code": "BAD_USER_INPUT"},
            ) from None
        return await connection(schools, School.of, first=first, after=after)

    @strawberry.field(description="承训网络培训机构（vendors），按 id 排序。任何已登录用户。")
    async def vendors(
        self, info: Info, first: First = 20, after: After = None
    ) -> Connection[Vendor]:
        vendors = use_cases.vendors_visible(info.context.viewer)
        return await connection(vendors, Vendor.of, first=first, after=after)

    @strawberry.field(
        description="一个人的管理角色（role grants）：本人，或管理其所在学校的管理员可见；"
        "其他人读作空列表。"
    )
    async def role_grants(
        self,
        info: Info,
        person_id: Annotated[strawberry.ID, strawberry.argument(description="人员（person）。")],
    ) -> list[RoleGrant]:
        viewer = info.context.signed_in()
        pk = found_pk(person_id, "Person")
        if pk is None:
            return []
        return [RoleGrant.of(row) for row in await use_cases.role_grants_of(viewer, pk)]


@node_loader("RoleGrant")
async def load_role_grant_node(info: Info, pk: int) -> RoleGrant | None:
    row = await info.context.loaders.by_id(db.RoleAssignment).load(pk)
    if row is None:
        return None
    visible = await use_cases.role_grants_of(info.context.viewer, row.person_id)
    return RoleGrant.of(row) if any(g.id == row.id for g in visible) else None
