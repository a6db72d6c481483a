"""Roster imports and group registrations (issue 9): the mutations."""

from typing import Any

import strawberry

from lms_plugin.resolvers.core.errors import ErrorCode, refuse
from lms_plugin.resolvers.people import group_registration, imports
from lms_plugin.schema.core.errors import USER_ERRORS, UserError
from lms_plugin.schema.core.mutations import Call, mutation
from lms_plugin.schema.core.scalars import DEFAULT_TIME_ZONE

from .inputs import (
    ApproveGroupRegistrationInput,
    ImportRosterInput,
    ReturnGroupRegistrationInput,
    SubmitGroupRegistrationInput,
)
from .types import GroupRegistration, ImportJob


@strawberry.type(description="导入的结果（payload）：导入任务；文件无法读取或缺列时为 userErrors。")
class ImportRosterPayload:
    job: ImportJob | None = strawberry.field(
        description="导入任务：小文件已完成，大文件在后台进行（轮询 importJob 的 progress）。"
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="集体报名变更的结果（payload）。")
class GroupRegistrationPayload:
    registration: GroupRegistration | None = strawberry.field(
        description="集体报名；被拒绝时为 null。"
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


def _unreadable_upload(path: str) -> bytes:
    raise refuse(ErrorCode.NOT_FOUND, "找不到该上传文件", "upload")


def _import_arguments(call: Call[ImportRosterInput]) -> tuple[Any, ...]:
    context = call.info.context
    return (
        context.clock_or_request(),
        DEFAULT_TIME_ZONE,
        context.read_upload or _unreadable_upload,
        call.ids["upload"],
        call.input.layout,
        call.input.dry_run,
        call.input.import_good_rows,
    )


@strawberry.type
class Mutation:
    import_roster = mutation(
        imports.import_roster,
        input=ImportRosterInput,
        payload=ImportRosterPayload,
        arguments=_import_arguments,
        present=lambda row, info: ImportJob.of(row),
        description="导入花名册（import roster，培训报名汇总表）：逐行检查身份证号、手机号、"
        "学校代码（限本人管理范围）、学段、学科、职称、岗位与重复；有错误行时不导入任何行，"
        "除非 importGoodRows；再次导入同一文件或改正后的文件按身份证号更新，不会重复。",
    )
    submit_group_registration = mutation(
        group_registration.submit_group_registration,
        input=SubmitGroupRegistrationInput,
        payload=GroupRegistrationPayload,
        arguments=lambda call: (
            call.now,
            call.ids["program_id"],
            call.ids["school_id"],
            call.ids["teacher_ids"],
        ),
        present=lambda row, info: GroupRegistration.of(row),
        description="提交集体报名（submit group registration）：学校把本校教师名单报给县区审核；"
        "待审核或被退回时可重新提交（替换名单）。",
    )
    return_group_registration = mutation(
        group_registration.return_group_registration,
        input=ReturnGroupRegistrationInput,
        payload=GroupRegistrationPayload,
        arguments=lambda call: (call.now, call.ids["registration_id"], call.input.reason),
        present=lambda row, info: GroupRegistration.of(row),
        description="退回集体报名（return group registration）：县级附原因退回学校改正。",
    )
    approve_group_registration = mutation(
        group_registration.approve_group_registration,
        input=ApproveGroupRegistrationInput,
        payload=GroupRegistrationPayload,
        arguments=lambda call: (call.now, call.ids["registration_id"]),
        present=lambda row, info: GroupRegistration.of(row),
        description="审核通过集体报名（approve group registration）：在报名日期内（R3）"
        "把名单上的教师报入其学段学科的工作室（R4、R5、R7）；报入的报入，"
        "每位未能报入的教师记下原因。",
    )
