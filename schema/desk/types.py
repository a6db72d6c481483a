"""The tutor's desk (辅导教师工作台): the types."""

import datetime as dt
from dataclasses import dataclass

import strawberry

from lms_plugin.resolvers.core.loaders import Loaders
from lms_plugin.resolvers.desk import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.pagination import (
    After,
    BadPageRequest,
    Connection,
    First,
    page_request,
    read_connection,
)
from lms_plugin.schema.enrollment.types import Enrollment, HourProgress
from lms_plugin.schema.people.types import Person
from lms_plugin.schema.workshops.types import TrainingClass
from lms_plugin.storage import models as db
from lms_plugin.storage.desk import RosterRow


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
    """The rosters of every class on the desk in one step: one statement per distinct page
    request (`first`, `after`), i.e. one for a desk whose classes all ask for the same page."""
    answers: dict[RosterRequest, Connection[RosterEntry] | BaseException] = {}
    asked: dict[tuple[int, int | None], list[RosterRequest]] = {}
    for request in requests:
        try:
            after = page_request(request.first, request.after)
        except BadPageRequest as error:
            answers[request] = error
        else:
            asked.setdefault((request.first, after), []).append(request)
    for (first, after), group in asked.items():
        pages = await use_cases.roster_pages([r.class_id for r in group], first, after)
        for request, page in zip(group, pages, strict=True):
            _prime(loaders, page.rows)
            answers[request] = read_connection(
                [(row.enrollment.id, _entry(row)) for row in page.rows],
                has_next_page=page.has_next_page,
                after=after,
                total=page.total,
            )
    return [answers[request] for request in requests]


def _prime(loaders: Loaders, rows: list[RosterRow]) -> None:
    """What the roster read holds, for the fields of the entries' objects (the school, the
    assessment forecast): they find it without a statement."""
    for row in rows:
        loaders.prime(row.enrollment, *([] if row.school is None else [row.school]))
        program_id = row.enrollment.program_id
        loaders.by_key(db.HourPolicy, "program_id").prime(program_id, row.hour_policy)
        loaders.by_key(db.AssessmentPolicy, "program_id").prime(program_id, row.assessment_policy)


def _entry(row: RosterRow) -> RosterEntry:
    return RosterEntry(
        row=row.enrollment,
        teacher_row=row.teacher,
        hour_progress=HourProgress.of(row.enrollment, row.hour_policy),
        submissions_waiting=row.submissions_waiting,
        post_count=row.posts,
        last_activity_at=row.enrollment.last_activity_at,
    )


@strawberry.type(
    description="辅导教师工作台（tutor desk）：登录者辅导的班级；工作室主持人的工作台还包括"
    "其工作室的各班级。"
)
class TutorDesk:
    classes: list[DeskClass] = strawberry.field(
        description="工作台上的班级（classes），按 id 排序。"
    )
