"""Enrollment (报名): the mutations."""

import strawberry

from lms_plugin.resolvers.enrollment import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.errors import UserError
from lms_plugin.schema.core.mutations import mutation
from lms_plugin.storage import models as db

from .inputs import EnrollInput, EnrollTeachersInput, WithdrawEnrollmentInput
from .types import Enrollment


@strawberry.type
class EnrollmentPayload:
    enrollment: Enrollment | None
    user_errors: list[UserError]


@strawberry.type
class EnrollTeachersPayload:
    enrollments: list[Enrollment] | None = strawberry.field(
        description="In the order of teacherIds; null when any teacher is refused (none written)."
    )
    user_errors: list[UserError]


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
        description="Register oneself (自主报名; R3: registration dates and daily hours; "
        "R4, R5, R7).",
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
        description="Register teachers of one's region or school (集体报名; R3 dates only).",
    )
    withdraw_enrollment = mutation(
        use_cases.withdraw_enrollment,
        input=WithdrawEnrollmentInput,
        payload=EnrollmentPayload,
        arguments=lambda call: (call.ids["enrollment_id"],),
        present=_enrollment,
        description="Withdraw an enrollment (退出研修); it still counts for R5.",
    )
