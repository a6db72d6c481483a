"""Spreadsheet exports run as jobs: the types."""

import datetime as dt

import strawberry

from lms_plugin.resolvers.core.exports import export_job
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import ExportKind, ExportStatus
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.schema.core.node import Node, node_loader
from lms_plugin.storage import models as db


@strawberry.type(
    description="导出任务（export job）：大表格在后台生成，轮询 status 与进度，完成后以 "
    "downloadPath 下载（GET，带同一登录令牌）；只有发起人可查看和下载。"
)
class ExportJob(Node):
    kind: ExportKind = strawberry.field(description="导出的表格（kind）。")
    status: ExportStatus = strawberry.field(description="状态（status）。")
    rows_done: int = strawberry.field(description="已写入的行数（rows done）。")
    rows_total: int | None = strawberry.field(description="总行数（rows total）；读出前为 null。")
    filename: str = strawberry.field(description="文件名（filename）。")
    requested_at: dt.datetime = strawberry.field(description="发起时刻（requested at）。")
    finished_at: dt.datetime | None = strawberry.field(description="完成时刻（finished at）。")
    reveals_personal_data: bool = strawberry.field(
        description="是否含身份证号、手机号（reveals personal data）：此类导出记为个人信息查看。"
    )
    people_revealed: int = strawberry.field(description="表中个人信息涉及的人数。")
    download_path: str | None = strawberry.field(
        description="下载地址（download path），相对本服务；完成前为 null。"
    )

    @classmethod
    def of(cls, row: db.ExportJob) -> "ExportJob":
        global_id = encode_id("ExportJob", row.id)
        done = row.status == "done"
        return cls(
            id=global_id,
            kind=row.kind,
            status=row.status,
            rows_done=row.rows_done,
            rows_total=row.rows_total,
            filename=row.filename,
            requested_at=row.requested_at,
            finished_at=row.finished_at,
            reveals_personal_data=row.reveals_personal_data,
            people_revealed=row.people_revealed,
            download_path=f"/exports/{global_id}" if done else None,
        )


@node_loader("ExportJob")
async def load_export_job(info: Info, pk: int) -> ExportJob | None:
    row = await export_job(info.context.signed_in(), pk)
    return None if row is None else ExportJob.of(row)
