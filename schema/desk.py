"""The tutor's desk (辅导教师工作台): classes and their rosters with each trainee's figures."""

import datetime as dt
from dataclasses import dataclass
from functools import partial

import strawberry

from lms_plugin.resolvers import desk as use_cases
from lms_plugin.resolvers.loaders import Loaders
from lms_plugin.storage import models as db

from .context import Info
from .enrollment import Enrollment, HourProgress
from .ids import found_pk, names_nothing
from .pagination import BadPageRequest, Connection, connection, map_nodes
from .people import Person
from .scalars import optional_local_time
from .workshops import TrainingClass


@strawberry.type(description="A trainee on a class roster, with their figures.")
class RosterEntry:
    row: strawberry.Private[db.Enrollment]
    teacher_row: strawberry.Private[db.Person]
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
    def teacher(self) -> Person:
        return Person.of(self.teacher_row)


@strawberry.type(description="A class on the desk.")
class DeskClass:
    row: strawberry.Private[db.TrainingClass]

    @strawberry.field
    def training_class(self) -> TrainingClass:
        return TrainingClass.of(self.row)

    @strawberry.field(description="The class's active trainees, in enrollment order.")
    async def roster(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[RosterEntry]:
        request = RosterRequest(
            class_id=self.row.id, workshop_id=self.row.workshop_id, first=first, after=after
        )
        return await info.context.loaders.batched(load_rosters).load(request)


@dataclass(frozen=True)
class RosterRequest:
    """One class's `roster(first, after)`."""

    class_id: int
    workshop_id: int
    first: int
    after: str | None


async def load_rosters(
    loaders: Loaders, requests: list[RosterRequest]
) -> list[Connection[RosterEntry] | BaseException]:
    """The rosters of every class on the desk in one step: a page per class, then one statement
    per figure and one for the trainees, for all pages together.

    Resolved class by class, each roster loaded its trainees once its own page and counts had
    returned, in one batch with the classes whose queries returned in the same tick of the event
    loop: one `person` statement or several, as the database happened to answer.
    """
    workshops = await loaders.by_id(db.Workshop).load_many([r.workshop_id for r in requests])
    program_ids: list[int] = []
    for workshop in workshops:
        assert workshop is not None
        program_ids.append(workshop.program_id)
    programs = await loaders.by_id(db.Program).load_many(program_ids)
    pages: list[Connection[db.Enrollment] | BadPageRequest] = []
    for request in requests:
        roster = use_cases.roster(request.class_id)
        try:
            found = await connection(
                roster, lambda row: row, first=request.first, after=request.after
            )
        except BadPageRequest as error:
            pages.append(error)
        else:
            pages.append(found)
    rows = [
        edge.node for page in pages if not isinstance(page, BadPageRequest) for edge in page.edges
    ]
    counts = await use_cases.roster_counts([row.id for row in rows])
    people = await loaders.by_id(db.Person).load_many(sorted({row.teacher_id for row in rows}))
    teachers = {person.id: person for person in people if person is not None}

    def entry(program: db.Program, row: db.Enrollment) -> RosterEntry:
        return RosterEntry(
            row=row,
            teacher_row=teachers[row.teacher_id],
            hour_progress=HourProgress.of(row, program),
            submissions_waiting=counts.submissions_waiting.get(row.id, 0),
            post_count=counts.posts.get(row.id, 0),
            last_activity_at=optional_local_time(row.last_activity_at, program.time_zone),
        )

    answers: list[Connection[RosterEntry] | BaseException] = []
    for page, program in zip(pages, programs, strict=True):
        assert program is not None
        answers.append(
            page if isinstance(page, BadPageRequest) else map_nodes(page, partial(entry, program))
        )
    return answers


@strawberry.type(
    description="The signed-in tutor's classes; a workshop leader's desk holds the classes of "
    "their workshops too."
)
class TutorDesk:
    classes: list[DeskClass]


@strawberry.type
class Query:
    @strawberry.field(description="The tutor's desk: classes and rosters (one class with classId).")
    async def tutor_desk(self, info: Info, class_id: strawberry.ID | None = None) -> TutorDesk:
        viewer = info.context.signed_in()
        if names_nothing(class_id, "TrainingClass"):
            return TutorDesk(classes=[])
        rows = await use_cases.desk_classes(viewer, found_pk(class_id, "TrainingClass"))
        info.context.loaders.prime(*rows)
        return TutorDesk(classes=[DeskClass(row=row) for row in rows])
