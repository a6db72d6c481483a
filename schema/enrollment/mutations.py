"""Enrollment (报名): the mutations."""

import strawberry

from lms_plugin.resolvers.enrollment import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.errors import USER_ERRORS, UserError
from lms_plugin.schema.core.mutations import mutation
from lms_plugin.storage import models as db

from .inputs import EnrollInput, EnrollTeachersInput, WithdrawEnrollmentInput
from .types import Enrollment


@strawberry.type(description="报名变更的结果（payload）：成功时为报名记录，被拒绝时为 userErrors。")
class EnrollmentPayload:
    enrollment: Enrollment | None = strawberry.field(description="报名记录；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="集体报名的结果（payload）：全部报入，或全部不报入并给出 userErrors。")
class EnrollTeachersPayload:
    enrollments: list[Enrollment] | None = strawberry.field(
        description="报名记录，按 teacherIds 的顺序；任何一位教师被拒绝时为 null（全部未写入）。"
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


def _enrollment(row: db.Enrollment, info: Info) -> Enrollment:
    return Enrollment.of(row)


@strawberry.type
class Mutation:
    enroll = mutation(
        use_cases.enroll,
        input=EnrollInput,
        payload=EnrollmentPayload,
        arguments=lambda call: (
            call.now,
            call.ids["program_id"],
            call.ids["workshop_id"],
            call.ids["topic_id"],
        ),
        present=_enrollment,
        description="自主报名（enroll）：只在报名日期和每日时段内（R3）；选本人学段学科的工作室"
        "（R4）；每阶段一次（R5）；辅导团队成员免予选学（R7）。",
    )
    enroll_teachers = mutation(
        use_cases.enroll_teachers,
        input=EnrollTeachersInput,
        payload=EnrollTeachersPayload,
        arguments=lambda call: (
            call.now,
            call.ids["program_id"],
            call.ids["teacher_ids"],
            call.ids["workshop_id"],
        ),
        present=lambda rows, info: [Enrollment.of(row) for row in rows],
        description="集体报名（enroll teachers）：报入本地区或本校的教师；只查报名日期，"
        "不查每日时段（R3），并查 R4、R5、R7。",
    )
    withdraw_enrollment = mutation(
        use_cases.withdraw_enrollment,
        input=WithdrawEnrollmentInput,
        payload=EnrollmentPayload,
        arguments=lambda call: (call.ids["enrollment_id"],),
        present=_enrollment,
        description="退出研修（withdraw enrollment）；退出的报名仍计入每阶段一次（R5）。",
    )
