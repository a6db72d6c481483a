"""Roster imports and group registrations (issue 9): the inputs."""

import strawberry

from lms_plugin.schema.core.enums import RosterLayout
from lms_plugin.schema.core.mutations import id_of


@strawberry.input(
    description="导入花名册（import roster）：先用 POST /uploads 上传表格（XLSX，或 GBK / "
    "UTF-8 带 BOM 的 CSV），再以其 id 导入。"
)
class ImportRosterInput:
    upload: strawberry.ID = id_of("Attachment", description="本人上传的表格（Attachment 的 id）。")
    layout: RosterLayout = strawberry.field(
        default=RosterLayout.ROSTER, description="表格格式（layout），默认为培训报名汇总表。"
    )
    dry_run: bool = strawberry.field(
        default=False, description="试导入（dry run）：只检查并报告将会新建、更新的人数和错误行。"
    )
    import_good_rows: bool = strawberry.field(
        default=False,
        description="有错误行时仍导入正确的行（import good rows）；默认有任何错误行即不导入。",
    )


@strawberry.input(description="提交集体报名（submit group registration）：学校把本校教师报给县区。")
class SubmitGroupRegistrationInput:
    program_id: strawberry.ID = id_of("Program", description="报名的项目。")
    school_id: strawberry.ID = id_of("School", description="本校（你管理的学校）。")
    teacher_ids: list[strawberry.ID] | None = id_of(
        "Person",
        optional=True,
        description="报名的本校教师；为 null 时报入本校已导入的全部教师。",
    )


@strawberry.input(description="退回集体报名（return group registration），附原因。")
class ReturnGroupRegistrationInput:
    registration_id: strawberry.ID = id_of("GroupRegistration", description="待审核的集体报名。")
    reason: str = strawberry.field(description="退回原因（reason），1 至 500 字，学校据此改正。")


@strawberry.input(description="审核通过集体报名（approve group registration）。")
class ApproveGroupRegistrationInput:
    registration_id: strawberry.ID = id_of("GroupRegistration", description="待审核的集体报名。")
