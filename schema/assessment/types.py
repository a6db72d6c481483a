"""Courses (课程) and a trainee's progress in them: the types."""

import strawberry

from lms_plugin.resolvers.core.courses import CourseStanding
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import CourseCategory
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.schema.core.node import Node, node_loader
from lms_plugin.storage import models as db


@strawberry.type(
    description="课程（course）：项目在工作室之外开设的公共、专业或地方课程；学时计入一次，"
    "至多为课程学时；选修课程在全部必修课程修完后开放（seed 004）。"
)
class Course(Node):
    row: strawberry.Private[db.Course]
    name: str = strawberry.field(description="课程名称（name），项目内唯一。")
    category: CourseCategory = strawberry.field(description="课程类别（category）。")
    hours: int = strawberry.field(description="课程学时（hours）：至多计入这么多学时。")
    required: bool = strawberry.field(description="必修（required）；false 为选修（elective）。")
    position: int = strawberry.field(description="在项目各课程中的次序（position）。")

    @classmethod
    def of(cls, row: db.Course) -> "Course":
        return cls(
            id=encode_id("Course", row.id),
            row=row,
            name=row.name,
            category=row.category,
            hours=row.hours,
            required=row.required,
            position=row.position,
        )


@node_loader("Course")
async def load_course(info: Info, pk: int) -> Course | None:
    info.context.signed_in()
    row = await info.context.loaders.by_id(db.Course).load(pk)
    return None if row is None else Course.of(row)


@strawberry.type(description="一门课程的学习进度（course progress）：计入的秒数，至多为课程学时。")
class CourseProgress:
    course: Course = strawberry.field(description="课程（course）。")
    standing: strawberry.Private[CourseStanding]
    open: bool = strawberry.field(
        description="可以学习（open）：必修课程，或全部必修课程已修完时的选修课程。"
    )

    @strawberry.field(description="计入的秒数（counted seconds），至多为课程学时。")
    def seconds(self) -> int:
        return self.standing.seconds

    @strawberry.field(description="计入的学时（hours），保留两位小数。")
    def hours(self) -> float:
        return round(self.standing.seconds / 3600, 2)

    @strawberry.field(description="已修完（complete）：计入的学时达到课程学时。")
    def complete(self) -> bool:
        return self.standing.complete
