"""Registration (报名) for the workshop phase: by the teacher, by an admin, and withdrawal."""

import strawberry

from lms_plugin.resolvers.enrollment import use_cases
from lms_plugin.storage import models as db

from .context import Info
from .enrollment import Enrollment
from .errors import UserError, attempt
from .ids import optional_pk, pk_of
from .node import node_loader


@strawberry.input(description="Self-registration: a workshop of one's own stage and subject.")
class EnrollInput:
    program_id: strawberry.ID
    workshop_id: strawberry.ID
    topic_id: strawberry.ID | None = strawberry.field(
        default=None, description="A research topic (专题) of the workshop, optional."
    )


@strawberry.input(description="An admin registers teachers of their scope into one workshop.")
class EnrollTeachersInput:
    program_id: strawberry.ID
    teacher_ids: list[strawberry.ID] = strawberry.field(
        description='Person ids; refusals name the index, e.g. ["input", "teacherIds", "2"].'
    )
    workshop_id: strawberry.ID


@strawberry.input
class WithdrawEnrollmentInput:
    enrollment_id: strawberry.ID


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


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Register oneself (R3: registration dates and daily hours; R4, R5, R7)."
    )
    async def enroll(self, info: Info, input: EnrollInput) -> EnrollmentPayload:
        enrollment, errors = await attempt(
            lambda: use_cases.enroll(
                info.context.viewer,
                info.context.now(),
                pk_of(input.program_id, "Program", "programId"),
                pk_of(input.workshop_id, "Workshop", "workshopId"),
                optional_pk(input.topic_id, "Topic", "topicId"),
            ),
            Enrollment.of,
        )
        return EnrollmentPayload(enrollment=enrollment, user_errors=errors)

    @strawberry.mutation(
        description="Register teachers of one's region or school (admins; R3 dates only)."
    )
    async def enroll_teachers(
        self, info: Info, input: EnrollTeachersInput
    ) -> EnrollTeachersPayload:
        enrollments, errors = await attempt(
            lambda: use_cases.enroll_teachers(
                info.context.viewer,
                info.context.now(),
                pk_of(input.program_id, "Program", "programId"),
                [
                    pk_of(teacher_id, "Person", "teacherIds", str(index))
                    for index, teacher_id in enumerate(input.teacher_ids)
                ],
                pk_of(input.workshop_id, "Workshop", "workshopId"),
            ),
            lambda rows: [Enrollment.of(row) for row in rows],
        )
        return EnrollTeachersPayload(enrollments=enrollments, user_errors=errors)

    @strawberry.mutation(
        description="Withdraw an enrollment (admins of the teacher's scope); it still counts (R5)."
    )
    async def withdraw_enrollment(
        self, info: Info, input: WithdrawEnrollmentInput
    ) -> EnrollmentPayload:
        enrollment, errors = await attempt(
            lambda: use_cases.withdraw_enrollment(
                info.context.viewer, pk_of(input.enrollment_id, "Enrollment", "enrollmentId")
            ),
            Enrollment.of,
        )
        return EnrollmentPayload(enrollment=enrollment, user_errors=errors)


@node_loader("Enrollment")
async def load_enrollment_node(info: Info, pk: int) -> Enrollment | None:
    row = await info.context.loaders.by_id(db.Enrollment).load(pk)
    if row is None:
        return None
    visible = await use_cases.can_see_enrollment(
        info.context.signed_in(), row, info.context.loaders
    )
    return Enrollment.of(row) if visible else None
