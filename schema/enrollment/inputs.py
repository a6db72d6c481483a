"""Enrollment (报名): the inputs."""

import strawberry

from lms_plugin.schema.core.mutations import id_of


@strawberry.input(description="自主报名（self-registration）：选本人学段学科的工作室（R4）。")
class EnrollInput:
    program_id: strawberry.ID = id_of("Program", description="报名的项目。")
    workshop_id: strawberry.ID = id_of(
        "Workshop", description="选学的工作室，须与本人学段学科相符（R4）；批次随之确定。"
    )
    topic_id: strawberry.ID | None = id_of(
        "Topic", optional=True, description="该工作室的研修专题（topic），可选。"
    )


@strawberry.input(
    description="集体报名（bulk registration）：管理员把本范围的教师报入同一个工作室。"
)
class EnrollTeachersInput:
    program_id: strawberry.ID = id_of("Program", description="报名的项目。")
    teacher_ids: list[strawberry.ID] = id_of(
        "Person",
        description="1 至 200 位教师（Person）的 id；拒绝时指明序号，"
        '如 ["input", "teacherIds", "2"]。',
    )
    workshop_id: strawberry.ID = id_of(
        "Workshop", description="报入的工作室，须与每位教师的学段学科相符（R4）。"
    )


@strawberry.input(description="退出研修（withdraw enrollment）。")
class WithdrawEnrollmentInput:
    enrollment_id: strawberry.ID = id_of("Enrollment", description="要退出的报名记录。")
