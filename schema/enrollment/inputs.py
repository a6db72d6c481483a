"""Enrollment (报名): the inputs."""

import strawberry

from lms_plugin.schema.core.mutations import id_of


@strawberry.input(description="Self-registration: a workshop of one's own stage and subject.")
class EnrollInput:
    program_id: strawberry.ID = id_of("Program")
    workshop_id: strawberry.ID = id_of("Workshop")
    topic_id: strawberry.ID | None = id_of(
        "Topic", optional=True, description="A research topic (专题) of the workshop, optional."
    )


@strawberry.input(description="An admin registers teachers of their scope into one workshop.")
class EnrollTeachersInput:
    program_id: strawberry.ID = id_of("Program")
    teacher_ids: list[strawberry.ID] = id_of(
        "Person",
        description='Person ids; refusals name the index, e.g. ["input", "teacherIds", "2"].',
    )
    workshop_id: strawberry.ID = id_of("Workshop")


@strawberry.input
class WithdrawEnrollmentInput:
    enrollment_id: strawberry.ID = id_of("Enrollment")
