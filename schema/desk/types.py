"""The tutor's desk (辅导教师工作台): the types."""

import datetime as dt

import strawberry

from lms_plugin.resolvers.desk import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.pagination import After, Connection, First, connection, map_nodes
from lms_plugin.schema.core.scalars import optional_local_time
from lms_plugin.schema.enrollment.types import Enrollment, HourProgress
from lms_plugin.schema.people.types import Person, load_person
from lms_plugin.schema.workshops.types import TrainingClass
from lms_plugin.storage import models as db


@strawberry.type(description="班级花名册上的一位学员（roster entry）及其各项数据。")
class RosterEntry:
    row: strawberry.Private[db.Enrollment]
    hour_progress: HourProgress = strawberry.field(description="学时进度（R8）。")
    submissions_waiting: int = strawberry.field(
        description="待批改的作业提交数（submissions waiting）。"
    )
    post_count: int = strawberry.field(description="该学员的研讨发帖数（post count）。")
    last_activity_at: dt.datetime | None = strawberry.field(
        description="最近一次学习活动的时刻，按项目时区；尚无活动时为 null。"
    )

    @strawberry.field(description="学员的报名记录（enrollment）。")
    def enrollment(self) -> Enrollment:
        return Enrollment.of(self.row)

    @strawberry.field(description="学员（teacher）。")
    async def teacher(self, info: Info) -> Person:
        return await load_person(info, self.row.teacher_id)


@strawberry.type(description="工作台上的一个班级（desk class）。")
class DeskClass:
    row: strawberry.Private[db.TrainingClass]

    @strawberry.field(description="班级（training class）。")
    def training_class(self) -> TrainingClass:
        return TrainingClass.of(self.row)

    @strawberry.field(description="班级花名册（roster）：有效报名的学员，按报名先后。")
    async def roster(
        self, info: Info, first: First = 20, after: After = None
    ) -> Connection[RosterEntry]:
        loaders = info.context.loaders
        workshop = await loaders.by_id(db.Workshop).load(self.row.workshop_id)
        assert workshop is not None
        program = await loaders.by_id(db.Program).load(workshop.program_id)
        assert program is not None
        page = await connection(
            use_cases.roster(self.row.id), lambda row: row, first=first, after=after
        )
        counts = await use_cases.roster_counts([edge.node.id for edge in page.edges])
        return map_nodes(
            page,
            lambda row: RosterEntry(
                row=row,
                hour_progress=HourProgress.of(row, program),
                submissions_waiting=counts.submissions_waiting.get(row.id, 0),
                post_count=counts.posts.get(row.id, 0),
                last_activity_at=optional_local_time(row.last_activity_at, program.time_zone),
            ),
        )


@strawberry.type(
    description="辅导教师工作台（tutor desk）：登录者辅导的班级；工作室主持人的工作台还包括"
    "其工作室的各班级。"
)
class TutorDesk:
    classes: list[DeskClass] = strawberry.field(
        description="工作台上的班级（classes），按 id 排序。"
    )
