"""The year's assessment of tutors and admins: the queries."""

from typing import Annotated

import strawberry

from lms_plugin.resolvers.staff import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import StaffRole
from lms_plugin.schema.core.ids import found_pk

from .types import StaffAssessment


@strawberry.type
class Query:
    @strawberry.field(
        description="辅导教师或管理员的学年工作考核（staff assessment）：本人、省级管理员，"
        "以及管辖其所在地区的市、县级管理员可读；不担任该身份、项目不存在或不在范围内时为 null。"
    )
    async def staff_assessment(
        self,
        info: Info,
        program_id: Annotated[
            strawberry.ID, strawberry.argument(description="项目的全局 ID（program id）。")
        ],
        person_id: Annotated[
            strawberry.ID, strawberry.argument(description="人员的全局 ID（person id）。")
        ],
        role: Annotated[StaffRole, strawberry.argument(description="考核的身份（role）。")],
    ) -> StaffAssessment | None:
        viewer = info.context.signed_in()
        program_pk, person_pk = found_pk(program_id, "Program"), found_pk(person_id, "Person")
        if program_pk is None or person_pk is None:
            return None
        found = await use_cases.staff_assessment(viewer, program_pk, person_pk, role)
        return None if found is None else StaffAssessment.of(found)
