"""Roster imports and group registrations (issue 9): the types."""

import datetime as dt

import strawberry

from lms_plugin.resolvers.people import group_registration, imports
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import (
    ErrorCode,
    GroupRegistrationStatus,
    ImportStatus,
    RosterLayout,
)
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.schema.core.node import Node, node_loader
from lms_plugin.schema.core.pagination import After, Connection, First, connection
from lms_plugin.schema.people.types import Person, Region, School, load_person
from lms_plugin.schema.programs.types import Program
from lms_plugin.storage import models as db


@strawberry.type(description="错误行（row error）：表格中某一行某一列的问题。")
class ImportRowError:
    row: int = strawberry.field(description="行号（row），与表格中显示的一致（含表头行）。")
    column: str | None = strawberry.field(
        description="列标题（column heading）；整行的问题为 null。"
    )
    code: ErrorCode = strawberry.field(description="错误代码（code）。")
    message: str = strawberry.field(description="说明（message），中文。")

    @classmethod
    def of(cls, row: db.ImportRowError) -> "ImportRowError":
        return cls(row=row.row, column=row.column, code=ErrorCode(row.code), message=row.message)


@strawberry.type(
    description="导入任务（import job）：上传表格的一次导入，含进度、计数与错误行；"
    "大文件在后台导入，页面轮询 progress。"
)
class ImportJob(Node):
    row: strawberry.Private[db.ImportJob]
    layout: RosterLayout = strawberry.field(description="表格格式（layout）。")
    filename: str = strawberry.field(description="上传的文件名（filename）。")
    dry_run: bool = strawberry.field(description="是否为试导入（dry run）：只检查，不写入教师。")
    import_good_rows: bool = strawberry.field(
        description="有错误行时是否仍导入正确的行（import good rows）。"
    )
    status: ImportStatus = strawberry.field(description="状态（status）。")
    progress: int = strawberry.field(description="进度（progress），0–100。")
    total_rows: int = strawberry.field(description="已读取的数据行数（total rows）。")
    error_rows: int = strawberry.field(description="有错误的行数（error rows）。")
    created_count: int = strawberry.field(
        description="新建的教师数（created）；试导入或未导入时为将会新建的数。"
    )
    updated_count: int = strawberry.field(
        description="更新的教师数（updated）：身份证号已有、信息有变；试导入时为将会更新的数。"
    )
    unchanged_count: int = strawberry.field(description="信息无变化的教师数（unchanged）。")
    message: str | None = strawberry.field(description="给人看的结果说明（message），中文。")
    started_at: dt.datetime = strawberry.field(description="开始时刻（started at）。")
    finished_at: dt.datetime | None = strawberry.field(
        description="结束时刻（finished at）；进行中为 null。"
    )

    @strawberry.field(description="错误行（row errors），按行号排列。")
    async def row_errors(
        self, first: First = 100, after: After = None
    ) -> Connection[ImportRowError]:
        return await connection(
            imports.row_errors(self.row), ImportRowError.of, first=first, after=after
        )

    @classmethod
    def of(cls, row: db.ImportJob) -> "ImportJob":
        return cls(
            id=encode_id("ImportJob", row.id),
            row=row,
            layout=row.layout,
            filename=row.filename,
            dry_run=row.dry_run,
            import_good_rows=row.import_good_rows,
            status=row.status,
            progress=row.progress,
            total_rows=row.total_rows,
            error_rows=row.error_rows,
            created_count=row.created_count,
            updated_count=row.updated_count,
            unchanged_count=row.unchanged_count,
            message=row.message,
            started_at=row.started_at,
            finished_at=row.finished_at,
        )


@node_loader("ImportJob")
async def load_import_job(info: Info, pk: int) -> ImportJob | None:
    row = await imports.import_job(info.context.viewer, info.context.now(), pk)
    return None if row is None else ImportJob.of(row)


@strawberry.type(description="集体报名名单中的一位教师（entry）及审核后的结果。")
class GroupRegistrationEntry:
    row: strawberry.Private[db.GroupRegistrationEntry]
    enrolled: bool = strawberry.field(description="审核通过后是否已报入（enrolled）。")
    refusal_code: ErrorCode | None = strawberry.field(
        description="未能报入的原因代码（refusal code，R3–R7）；已报入或未审核时为 null。"
    )
    refusal_message: str | None = strawberry.field(description="未能报入的说明（中文）。")

    @strawberry.field(description="教师（teacher）。")
    async def teacher(self, info: Info) -> Person:
        return await load_person(info, self.row.teacher_id)

    @classmethod
    def of(cls, row: db.GroupRegistrationEntry) -> "GroupRegistrationEntry":
        code = ErrorCode(row.refusal_code) if row.refusal_code else None
        return cls(
            row=row, enrolled=row.enrolled, refusal_code=code, refusal_message=row.refusal_message
        )


@strawberry.type(description="集体报名的一步（step）：谁、何时、做了什么。")
class GroupRegistrationStep:
    row: strawberry.Private[db.GroupRegistrationStep]
    status: GroupRegistrationStatus = strawberry.field(
        description="这一步之后的状态（status）：提交为 PENDING，退回为 RETURNED，通过为 APPROVED。"
    )
    at: dt.datetime = strawberry.field(description="时刻（at）。")
    reason: str | None = strawberry.field(description="退回原因（reason）；其他步骤为 null。")

    @strawberry.field(description="操作人（by）。")
    async def by(self, info: Info) -> Person:
        return await load_person(info, self.row.by_id)

    @classmethod
    def of(cls, row: db.GroupRegistrationStep) -> "GroupRegistrationStep":
        return cls(row=row, status=row.status, at=row.at, reason=row.reason)


@strawberry.type(
    description="集体报名（group registration，seed 001 §七(二)）：学校提交本校教师名单，"
    "县级审核通过或退回。"
)
class GroupRegistration(Node):
    row: strawberry.Private[db.GroupRegistration]
    status: GroupRegistrationStatus = strawberry.field(description="状态（status）。")
    return_reason: str | None = strawberry.field(
        description="退回原因（return reason）；未退回时为 null。"
    )
    enrolled_count: int = strawberry.field(description="审核通过后报入的教师数（enrolled）。")
    refused_count: int = strawberry.field(description="审核通过后未能报入的教师数（refused）。")
    updated_at: dt.datetime = strawberry.field(description="最近一步的时刻（updated at）。")

    @strawberry.field(description="项目（program）。")
    async def program(self, info: Info) -> Program:
        row = await info.context.loaders.by_id(db.Program).load(self.row.program_id)
        assert row is not None
        return Program.of(row, info.context.now())

    @strawberry.field(description="学校（school）。")
    async def school(self, info: Info) -> School:
        row = await info.context.loaders.by_id(db.School).load(self.row.school_id)
        assert row is not None
        return School.of(row)

    @strawberry.field(description="名单（entries），按提交顺序。")
    async def entries(
        self, first: First = 100, after: After = None
    ) -> Connection[GroupRegistrationEntry]:
        rows = db.GroupRegistrationEntry.filter(registration_id=self.row.id)
        return await connection(rows, GroupRegistrationEntry.of, first=first, after=after)

    @strawberry.field(description="各步骤（steps）：提交、退回、通过，先发生的在前。")
    async def steps(self, info: Info) -> list[GroupRegistrationStep]:
        rows = await info.context.loaders.grouped(db.GroupRegistrationStep, "registration_id").load(
            self.row.id
        )
        return [GroupRegistrationStep.of(row) for row in rows]

    @classmethod
    def of(cls, row: db.GroupRegistration) -> "GroupRegistration":
        return cls(
            id=encode_id("GroupRegistration", row.id),
            row=row,
            status=row.status,
            return_reason=row.return_reason,
            enrolled_count=row.enrolled_count,
            refused_count=row.refused_count,
            updated_at=row.updated_at,
        )


@node_loader("GroupRegistration")
async def load_group_registration(info: Info, pk: int) -> GroupRegistration | None:
    row = await info.context.loaders.by_id(db.GroupRegistration).load(pk)
    if row is None or not await group_registration.can_see_registration(info.context.viewer, row):
        return None
    return GroupRegistration.of(row)


@strawberry.type(description="一个县区在某一状态的集体报名计数（county count），供市级查看。")
class CountyRegistrationCount:
    county: Region = strawberry.field(description="县区（county）。")
    status: GroupRegistrationStatus = strawberry.field(description="状态（status）。")
    schools: int = strawberry.field(description="学校数（schools）。")
    teachers: int = strawberry.field(description="名单上的教师数（teachers）。")
    enrolled: int = strawberry.field(description="已报入的教师数（enrolled）。")

    @classmethod
    def of(cls, row: group_registration.CountyCount) -> "CountyRegistrationCount":
        return cls(
            county=Region.of(row.county),
            status=row.status,
            schools=row.schools,
            teachers=row.teachers,
            enrolled=row.enrolled,
        )
