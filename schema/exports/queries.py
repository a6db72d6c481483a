"""Spreadsheet exports run as jobs: the queries."""

from typing import Annotated

import strawberry

from lms_plugin.resolvers.core.exports import export_job
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.ids import found_pk

from .types import ExportJob


@strawberry.type
class Query:
    @strawberry.field(description="导出任务（export job）：发起人查看状态与进度；他人读作 null。")
    async def export_job(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="任务的全局 ID。")],
    ) -> ExportJob | None:
        viewer = info.context.signed_in()
        pk = found_pk(id, "ExportJob")
        row = None if pk is None else await export_job(viewer, pk)
        return None if row is None else ExportJob.of(row)
