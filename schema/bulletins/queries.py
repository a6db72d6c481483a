"""Learning-status bulletins (学情通报): the queries."""

from typing import Annotated

import strawberry

from lms_plugin.resolvers.bulletins import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.ids import found_pk, names_nothing
from lms_plugin.schema.core.pagination import After, Connection, First, connection

from .types import Bulletin


@strawberry.type
class Query:
    @strawberry.field(
        description="学情通报（bulletins），最新在前：管理员看本地区、上级与下级地区的通报；"
        "给出 regionId 时只看该地区的。"
    )
    async def bulletins(
        self,
        info: Info,
        program_id: Annotated[
            strawberry.ID, strawberry.argument(description="项目的全局 ID（program id）。")
        ],
        region_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="只看这个地区的通报（region）。"),
        ] = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[Bulletin]:
        program_pk = found_pk(program_id, "Program")
        if program_pk is None or names_nothing(region_id, "Region"):
            program_pk = 0  # names nothing: an empty list
        found = await use_cases.bulletins(
            info.context.viewer, program_pk, found_pk(region_id, "Region")
        )
        return await connection(found, Bulletin.of, first=first, after=after, newest_first=True)
