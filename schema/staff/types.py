"""The year's assessment of tutors and admins: the types."""

import strawberry

from lms_plugin.resolvers.core.staff_scores import StaffComponent as Part
from lms_plugin.resolvers.core.staff_scores import StaffScore
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import StaffComponentKind, StaffRole
from lms_plugin.schema.people.types import Person
from lms_plugin.storage import models as db


@strawberry.type(
    description="工作考核的一个组成部分（staff component）：权重、得分（满分 100）、折合分与依据。"
)
class StaffComponent:
    kind: StaffComponentKind = strawberry.field(description="组成部分（kind）。")
    weight: int = strawberry.field(description="权重（weight），各部分之和为 100。")
    score: int = strawberry.field(
        description="本部分得分（score），满分 100：次数按应有次数折算，比率即百分数，均向下取整。"
    )
    points: str = strawberry.field(
        description='折合分（points）= 得分 × 权重 / 100，两位小数，如 "11.25"。'
    )
    detail: str = strawberry.field(description="依据（detail），如“按时发表 1 期，逾期 0 期”。")

    @classmethod
    def of(cls, part: Part) -> "StaffComponent":
        hundredths = part.score * part.weight
        return cls(
            kind=part.kind,
            weight=part.weight,
            score=part.score,
            points=f"{hundredths // 100}.{hundredths % 100:02d}",
            detail=part.detail,
        )


@strawberry.type(
    description="辅导教师或管理员的学年工作考核（staff assessment，seed 002 §五(一)：经工作考核"
    "合格后支付；seed 003 §一(三)：考核合格的辅导教师方可评优）：各部分按权重相加为成绩，"
    "不低于合格线为合格。权重、应有次数与合格线见项目的人员考核政策。"
)
class StaffAssessment:
    person_id: strawberry.Private[int]
    role: StaffRole = strawberry.field(description="身份（role）。")
    score: int = strawberry.field(
        description="成绩（score），满分 100：各部分折合分之和，向下取整；即附件2 的管理员成绩、"
        "附件3 的辅导教师成绩。"
    )
    pass_mark: int = strawberry.field(description="合格线（pass mark）。")
    passed: bool = strawberry.field(description="是否考核合格（passed）：成绩不低于合格线。")
    components: list[StaffComponent] = strawberry.field(
        description="各组成部分（components），权重为 0 的不列出。"
    )

    @strawberry.field(description="被考核的人员（person）。")
    async def person(self, info: Info) -> Person:
        row = await info.context.loaders.by_id(db.Person).load(self.person_id)
        assert row is not None
        return Person.of(row)

    @classmethod
    def of(cls, found: StaffScore) -> "StaffAssessment":
        return cls(
            person_id=found.person_id,
            role=found.role,
            score=found.score,
            pass_mark=found.pass_mark,
            passed=found.passed,
            components=[StaffComponent.of(part) for part in found.components],
        )
