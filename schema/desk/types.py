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


@strawberry.type(description="A trainee on a class roster, with their figures.")
class RosterEntry:
    row: strawberry.Private[db.Enrollment]
    hour_progress: HourProgress = strawberry.field(description="Hours against the split (R8).")
    submissions_waiting: int = strawberry.field(
        description="Homework submissions waiting for grading."
    )
    post_count: int = strawberry.field(description="Discussion posts by the trainee.")
    last_activity_at: dt.datetime | None

    @strawberry.field
    def enrollment(self) -> Enrollment:
        return Enrollment.of(self.row)

    @strawberry.field
    async def teacher(self, info: Info) -> Person:
        return await load_person(info, self.row.teacher_id)


@strawberry.type(description="A class on the desk.")
class DeskClass:
    row: strawberry.Private[db.TrainingClass]

    @strawberry.field
    def training_class(self) -> TrainingClass:
        return TrainingClass.of(self.row)

    @strawberry.field(description="The class's active trainees, in enrollment order.")
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
    description="The signed-in tutor's classes; a workshop leader's desk holds the classes of "
    "their workshops too."
)
class TutorDesk:
    classes: list[DeskClass]
