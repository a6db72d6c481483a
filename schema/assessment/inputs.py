"""Courses (课程): the inputs."""

import strawberry

from lms_plugin.schema.core.enums import CourseCategory
from lms_plugin.schema.core.mutations import id_of


@strawberry.input(description="开设课程（create course）。")
class CreateCourseInput:
    program_id: strawberry.ID = id_of("Program", description="开设课程的项目。")
    name: str = strawberry.field(description="课程名称（name），项目内唯一。")
    category: CourseCategory = strawberry.field(description="课程类别（category）。")
    hours: int = strawberry.field(description="课程学时（hours），正整数。")
    required: bool = strawberry.field(description="必修（required）；false 为选修。")
    position: int = strawberry.field(default=0, description="次序（position），默认 0。")
