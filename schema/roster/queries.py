"""Roster imports and group registrations (issue 9): the queries."""

from typing import Annotated

import strawberry

from lms_plugin.resolvers.people import group_registration, imports
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import GroupRegistrationStatus
from lms_plugin.schema.core.ids import found_pk
from lms_plugin.schema.core.pagination import After, Connection, First, connection

from .types import CountyRegistrationCount, GroupRegistration, ImportJob


@strawberry.type
class Query:
    @strawberry.field(
        description="导入任务（import job）及其进度；只有发起导入的管理员（和省级管理员）可见，"
        "否则为 null。"
    )
    async def import_job(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="导入任务的 id。")],
    ) -> ImportJob | None:
        pk = found_pk(id, "ImportJob")
        row = (
            None
            if pk is None
            else await imports.import_job(info.context.viewer, info.context.now(), pk)
        )
        return None if row is None else ImportJob.of(row)

    @strawberry.field(
        description="项目的集体报名（group registrations），限本人管理范围，先提交的在前。"
    )
    async def group_registrations(
        self,
        info: Info,
        program_id: Annotated[strawberry.ID, strawberry.argument(description="项目。")],
        status: Annotated[
            GroupRegistrationStatus | None,
            strawberry.argument(description="只列这一状态的（可选）。"),
        ] = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[GroupRegistration]:
        rows = group_registration.group_registrations(
            info.context.viewer, found_pk(program_id, "Program") or 0, status
        )
        return await connection(rows, GroupRegistration.of, first=first, after=after)

    @strawberry.field(
        description="集体报名按县区和状态的计数（county counts），限本人管理范围（市级查看各县）。"
    )
    async def group_registration_counts(
        self,
        info: Info,
        program_id: Annotated[strawberry.ID, strawberry.argument(description="项目。")],
    ) -> list[CountyRegistrationCount]:
        rows = await group_registration.county_counts(
            info.context.viewer, found_pk(program_id, "Program") or 0
        )
        return [CountyRegistrationCount.of(row) for row in rows]
