"""Courses (课程): the mutations."""

import strawberry

from lms_plugin.resolvers.assessment import use_cases
from lms_plugin.schema.core.errors import USER_ERRORS, UserError
from lms_plugin.schema.core.mutations import mutation

from .inputs import CreateCourseInput
from .types import Course


@strawberry.type(description="createCourse 的结果（payload）。")
class CoursePayload:
    course: Course | None = strawberry.field(description="开设的课程；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type
class Mutation:
    create_course = mutation(
        use_cases.create_course,
        input=CreateCourseInput,
        payload=CoursePayload,
        arguments=lambda call: (
            call.ids["program_id"],
            use_cases.CourseSettings(
                name=call.input.name,
                category=call.input.category,
                hours=call.input.hours,
                required=call.input.required,
                position=call.input.position,
            ),
        ),
        present=lambda row, info: Course.of(row),
        description="为项目开设课程（create course）：公共、专业或地方课程，必修或选修，及其学时。",
    )
