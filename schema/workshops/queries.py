"""Workshops (名师网络研修工作室), topics, tutor teams, classes: the queries."""

from typing import Annotated

import strawberry

from lms_plugin.resolvers.workshops import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import Stage
from lms_plugin.schema.core.ids import found_pk, names_nothing
from lms_plugin.schema.core.pagination import After, Connection, First, connection, list_connection

from .types import Workshop


@strawberry.type
class Query:
    @strawberry.field(
        description="工作室目录（workshops），任何登录者可看，先建的在前。"
        "学段 VOCATIONAL 查到的是高中工作室（R4）。"
    )
    async def workshops(
        self,
        info: Info,
        program_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="只列这个项目的工作室。")
        ] = None,
        stage: Annotated[
            Stage | None, strawberry.argument(description="只列这个学段的工作室（R4）。")
        ] = None,
        subject: Annotated[
            str | None, strawberry.argument(description="只列这个学科的工作室。")
        ] = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[Workshop]:
        viewer = info.context.signed_in()
        if names_nothing(program_id, "Program"):
            return list_connection([], Workshop.of, first=first, after=after)
        return await connection(
            use_cases.workshops_visible(
                viewer,
                program_id=found_pk(program_id, "Program"),
                stage=stage,
                subject=subject,
            ),
            Workshop.of,
            first=first,
            after=after,
        )
