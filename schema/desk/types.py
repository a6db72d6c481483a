"""The tutor's desk (辅导教师工作台): the types."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import strawberry

from lms_plugin.resolvers.assessment import use_cases as assessment
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
from lms_plugin.schema.core.selections import selects
from lms_plugin.schema.enrollment.types import Enrollment, HourProgress
from lms_plugin.schema.people.types import Person
from lms_plugin.schema.workshops.types import TrainingClass
from lms_plugin.storage import models as db
from lms_plugin.storage.desk import RosterRow


@strawberry.type(description="班级花名册上的一位学员（roster entry）及其各项数据。")
class RosterEntry:
    hour_progress: HourProgress = strawberry.field(description="学时进度（R8）。")
    submissions_waiting: int = strawberry.field(
        description="待批改的作业提交数（submissions waiting）。"
    )
    post_count: int = strawberry.field(description="该学员的研讨发帖数（post count）。")
    last_activity_at: dt.datetime | None = strawberry.field(
        description="最近一次学习活动的时刻，按项目时区；尚无活动时为 null。"
    )
    # Attributes, not resolvers: every document of the desk selects them.
    enrollment: Enrollment = strawberry.field(description="学员的报名记录（enrollment）。")
    teacher: Person = strawberry.field(description="学员（teacher）。")


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
            class_id=self.row.id,
            workshop_id=self.row.workshop_id,
            first=first,
            after=after,
            forecasts=any(selects(info, path) for path in _FORECASTS),
        )
        return await info.context.loaders.batched(load_rosters).load(request)


# Where a roster's document asks for the trainees' forecasts: the roster then reads their
# evidence in its own statement, rather than the forecasts' loader in one more.
_FORECASTS = (
    ("roster", "nodes", "enrollment", "assessmentForecast"),
    ("roster", "edges", "node", "enrollment", "assessmentForecast"),
)


@dataclass(frozen=True)
class RosterRequest:
    """One class's `roster(first, after)`, and whether its forecasts are asked for."""

    class_id: int
    workshop_id: int
    first: int
    after: str | None
    forecasts: bool


async def load_rosters(
    loaders: Loaders, requests: list[RosterRequest]
) -> list[Connection[RosterEntry] | BaseException]:
    """The rosters of every class on the desk in one step: one statement per distinct page
    request (`first`, `after`, forecasts or not), i.e. one for a desk whose classes all ask for
    the same page; the forecasts come from the evidence it read."""
    answers: dict[RosterRequest, Connection[RosterEntry] | BaseException] = {}
    asked: dict[tuple[int, int | None, bool], list[RosterRequest]] = {}
    for request in requests:
        try:
            after = page_request(request.first, request.after)
        except BadPageRequest as error:
            answers[request] = error
        else:
            asked.setdefault((request.first, after, request.forecasts), []).append(request)
    for (first, after, forecasts), group in asked.items():
        pages = await use_cases.roster_pages(
            [r.class_id for r in group], first, after, evidence=forecasts
        )
        rows = [row for page in pages for row in page.rows]
        _prime(loaders, rows)
        if forecasts:
            _hold_forecasts(loaders, rows)
        for request, page in zip(group, pages, strict=True):
            answers[request] = read_connection(
                [(row.enrollment.id, _entry(row)) for row in page.rows],
                has_next_page=page.has_next_page,
                after=after,
                total=page.total,
            )
    return [answers[request] for request in requests]


def _prime(loaders: Loaders, rows: list[RosterRow]) -> None:
    """What the roster read holds, for the fields of the entries' objects (the school, the
    hour progress): they find it without a statement. (The enrollments are plain rows, not
    the models a loader holds: the one field that would load them, their forecasts, is read
    with the roster.)"""
    loaders.prime(*{row.school.id: row.school for row in rows if row.school is not None}.values())
    policies = loaders.by_key(db.HourPolicy, "program_id")
    for program_id, policy in {r.enrollment.program_id: r.hour_policy for r in rows}.items():
        policies.prime(program_id, policy)


def _hold_forecasts(loaders: Loaders, rows: list[RosterRow]) -> None:
    by_program: dict[int, list[RosterRow]] = defaultdict(list)
    for row in rows:
        by_program[row.enrollment.program_id].append(row)
    for held in by_program.values():
        policy = held[0].assessment_policy
        assert policy is not None  # read with the evidence
        assessment.hold_forecasts(
            loaders,
            policy,
            held[0].hour_policy,
            [evidence for row in held for evidence in row.evidence],
        )


def _entry(row: RosterRow) -> RosterEntry:
    return RosterEntry(
        enrollment=Enrollment.of(row.enrollment),
        teacher=Person.of(row.teacher),
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
