"""The tutor's desk (辅导教师工作台): the types."""

import datetime as dt
from dataclasses import dataclass
from functools import partial

import strawberry

from lms_plugin.resolvers.core.loaders import Loaders
from lms_plugin.resolvers.desk import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.pagination import (
    After,
    BadPageRequest,
    Connection,
    First,
    connection,
    map_nodes,
)
from lms_plugin.schema.enrollment.types import Enrollment, HourProgress
from lms_plugin.schema.people.types import Person
from lms_plugin.schema.workshops.types import TrainingClass
from lms_plugin.storage import models as db


@strawberry.type(description="班级花名册上的一位学员（roster entry）及其各项数据。")
class RosterEntry:
    row: strawberry.Private[db.Enrollment]
    teacher_row: strawberry.Private[db.Person]
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
    def teacher(self) -> Person:
        return Person.of(self.teacher_row)


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
    hour_policies = await loaders.by_key(db.HourPolicy, "program_id").load_many(program_ids)
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

    def entry(hour_policy: db.HourPolicy, row: db.Enrollment) -> RosterEntry:
        return RosterEntry(
            row=row,
            teacher_row=teachers[row.teacher_id],
            hour_progress=HourProgress.of(row, hour_policy),
            submissions_waiting=counts.submissions_waiting.get(row.id, 0),
            post_count=counts.posts.get(row.id, 0),
            last_activity_at=row.last_activity_at,
        )

    answers: list[Connection[RosterEntry] | BaseException] = []
    for page, hour_policy in zip(pages, hour_policies, strict=True):
        assert hour_policy is not None, "every program has its policies"
        answers.append(
            page
            if isinstance(page, BadPageRequest)
            else map_nodes(page, partial(entry, hour_policy))
        )
    return answers


@strawberry.type(
    description="辅导教师工作台（tutor desk）：登录者辅导的班级；工作室主持人的工作台还包括"
    "其工作室的各班级。"
)
class TutorDesk:
    classes: list[DeskClass] = strawberry.field(
        description="工作台上的班级（classes），按 id 排序。"
    )
