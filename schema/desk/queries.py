"""The tutor's desk (辅导教师工作台): the queries."""

from typing import Annotated

import strawberry

from lms_plugin.resolvers.desk import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.ids import found_pk, names_nothing

from .types import DeskClass, TutorDesk


@strawberry.type
class Query:
    @strawberry.field(
        description="辅导教师工作台（tutor desk）：班级和花名册；给出 classId 时只含该班。"
    )
    async def tutor_desk(
        self,
        info: Info,
        class_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="只看这个班级（training class）。"),
        ] = None,
    ) -> TutorDesk:
        viewer = info.context.signed_in()
        if names_nothing(class_id, "TrainingClass"):
            return TutorDesk(classes=[])
        rows = await use_cases.desk_classes(viewer, found_pk(class_id, "TrainingClass"))
        info.context.loaders.prime(*rows, *(row.workshop for row in rows))
        return TutorDesk(classes=[DeskClass(row=row) for row in rows])
