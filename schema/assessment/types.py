"""Courses (课程), a trainee's progress in them, and the assessment forecast (R12): the types."""

import strawberry

from lms_plugin.resolvers.assessment.rules import Assessment, Component
from lms_plugin.resolvers.core.courses import CourseStanding
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import ComponentKind, CourseCategory, Outcome
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


@strawberry.type(
    description="考核的一个组成部分（assessment component，R12）：要求、已有、得分和所缺。"
)
class AssessmentComponent:
    kind: ComponentKind = strawberry.field(description="组成部分（kind）。")
    weight: int = strawberry.field(description="权重（weight），各部分之和为 100。")
    required: int = strawberry.field(
        description="要求（required）：学习分钟数、合格篇数、帖数或字数。"
    )
    has: int = strawberry.field(description="已有（has），与 required 同一单位。")
    score: int = strawberry.field(description="该部分得分（score），满分 100。")
    missing: str | None = strawberry.field(
        description="所缺（missing）：未达最低要求时说明差什么；已达为 null。"
    )

    @classmethod
    def of(cls, part: Component) -> "AssessmentComponent":
        return cls(
            kind=part.kind,
            weight=part.weight,
            required=part.required,
            has=part.has,
            score=part.score,
            missing=part.missing,
        )


@strawberry.type(
    description="考核预测（assessment forecast，R12）：按目前的学习记录，过程性考核会得出的"
    "结果、总分和逐项说明；考核开始之前供学员和辅导教师查看。"
)
class AssessmentForecast:
    outcome: Outcome = strawberry.field(description="预测结果（outcome）。")
    score: int = strawberry.field(description="总分（score），满分 100，按权重计、向下取整。")
    explanation: str = strawberry.field(
        description="说明（explanation）：合格时为得分；否则为改变结果的那一项。"
    )
    components: list[AssessmentComponent] = strawberry.field(
        description="逐项（components）：项目考核的各部分（权重为 0 的不列）。"
    )

    @classmethod
    def of(cls, assessment: Assessment) -> "AssessmentForecast":
        return cls(
            outcome=assessment.outcome,
            score=assessment.score,
            explanation=assessment.explanation,
            components=[AssessmentComponent.of(c) for c in assessment.components],
        )
