"""Programs (全员远程培训项目) and batches (研修批次): the queries."""

import strawberry

from lms_plugin.resolvers.programs import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.pagination import After, Connection, First, connection

from .types import Program


@strawberry.type
class Query:
    @strawberry.field(description="你可见的项目（programs），新的在前。")
    async def programs(
        self,
        info: Info,
        first: First = 20,
        after: After = None,
    ) -> Connection[Program]:
        now = info.context.now()
        return await connection(
            use_cases.programs_visible(info.context.viewer),
            lambda row: Program.of(row, now),
            first=first,
            after=after,
            newest_first=True,
        )
