"""Enrollment (报名): the types."""

import datetime as dt
from collections.abc import Awaitable
from dataclasses import dataclass

import strawberry

from lms_plugin.resolvers.assessment import use_cases as assessment
from lms_plugin.resolvers.core import hours
from lms_plugin.resolvers.core.courses import CourseStanding, Targets, yearly_target_hours
from lms_plugin.resolvers.core.programs import policy_of, program_hour_split
from lms_plugin.resolvers.enrollment import use_cases
from lms_plugin.schema.assessment.types import (
    AssessmentForecast,
    AssessmentResult,
    Course,
    CourseProgress,
    ExamResult,
    TownshipSession,
)
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import EnrollmentStatus, Track
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.schema.core.node import Node, node_loader
from lms_plugin.schema.people.types import Person, load_person
from lms_plugin.schema.programs.types import Batch, HourSplit, Program
from lms_plugin.schema.workshops.types import (
    Topic,
    TrainingClass,
    TutorTeamMember,
    Workshop,
    WorkshopParts,
    load_class,
    load_topic,
    load_workshop,
)
from lms_plugin.storage import models as db
from lms_plugin.storage.desk import EnrollmentRow
from lms_plugin.storage.study_page import EnrollmentPage, MemberRow, TopicRow


@strawberry.type(
    description="学时进度（hour progress，R8）：对照研修方式的学时要求，网上和线下各计至其定额，"
    "一部分的盈余不补另一部分。"
)
class HourProgress:
    progress: strawberry.Private[hours.HourProgress]
    required: HourSplit = strawberry.field(description="要求的学时（required），按研修方式。")
    # Worked out once, in `of`: plain attributes cost a page (or a desk of a hundred trainees)
    # less than a resolver each.
    online_hours: float = strawberry.field(
        description="学习计时计入的网上学时（online hours），计至定额，保留两位小数。"
    )
    offline_hours: float = strawberry.field(
        description="已确认的线下学时（offline hours），计至定额，保留两位小数。"
    )
    online_seconds: int = strawberry.field(
        description="计入的网上学习秒数（online seconds），计至定额。"
    )
    offline_minutes: int = strawberry.field(
        description="计入的线下研修分钟数（offline minutes），计至定额。"
    )
    online_complete: bool = strawberry.field(description="网上学时已满（online complete）。")
    offline_complete: bool = strawberry.field(description="线下学时已满（offline complete）。")
    complete: bool = strawberry.field(
        description="学时完成（complete）：网上和线下两部分都已满（R8）。"
    )

    @classmethod
    def of(cls, row: db.Enrollment | EnrollmentRow, policy: db.HourPolicy) -> "HourProgress":
        split = program_hour_split(policy, row.track)
        progress = hours.HourProgress(
            split=split, online_seconds=row.online_seconds, offline_minutes=row.offline_minutes
        )
        return cls(
            progress=progress,
            required=HourSplit.of(split),
            online_hours=round(progress.online_counted_seconds / 3600, 2),
            offline_hours=round(progress.offline_counted_minutes / 60, 2),
            online_seconds=progress.online_counted_seconds,
            offline_minutes=progress.offline_counted_minutes,
            online_complete=progress.online_complete,
            offline_complete=progress.offline_complete,
            complete=progress.complete,
        )


@strawberry.type(
    description="本学年学时（year hours）：教师按岗位和职称应完成的学时，与课程和工作室研修"
    "已计入的学时（seed 002 §三、004 §二）。"
)
class YearHours:
    target_hours: int = strawberry.field(
        description="应完成学时（target hours）：按项目的考核政策、教师的岗位和职称。"
    )
    course_minutes: int = strawberry.field(description="课程计入的分钟数（course minutes）。")
    workshop_minutes: int = strawberry.field(
        description="工作室研修计入的分钟数（workshop minutes）：网上和线下，各计至定额（R8）。"
    )

    @strawberry.field(description="已计入的学时（counted hours），保留两位小数。")
    def counted_hours(self) -> float:
        return round((self.course_minutes + self.workshop_minutes) / 60, 2)

    @strawberry.field(description="尚缺的学时（missing hours），保留两位小数；已完成为 0。")
    def missing_hours(self) -> float:
        missing = self.target_hours * 60 - self.course_minutes - self.workshop_minutes
        return round(max(missing, 0) / 60, 2)


@dataclass(frozen=True, slots=True)
class EnrollmentParts:
    """What a read model found of an enrollment beside its row (the study page's)."""

    program: db.Program
    batch: Batch
    workshop: Workshop
    training_class: TrainingClass | None
    tutor: Person | None
    hour_progress: HourProgress | None  # None: no policy, which the general path reports


@strawberry.type(
    description="报名记录（enrollment）：一位教师参加项目名师工作室研修阶段的报名（R5）。"
)
class Enrollment(Node):
    row: strawberry.Private[db.Enrollment | EnrollmentRow]
    parts: strawberry.Private[EnrollmentParts | None] = None
    track: Track = strawberry.field(description="研修方式（track），决定学时要求（R8）。")
    status: EnrollmentStatus = strawberry.field(description="报名状态（status）：有效或已退出。")
    registered_at: dt.datetime = strawberry.field(description="报名时刻（registered at）。")
    last_activity_at: dt.datetime | None = strawberry.field(
        description="最近一次学习活动的时刻（学习计时、提交作业、研讨发帖）；尚无活动时为 null。"
    )

    async def _program(self, info: Info) -> db.Program:
        if self.parts is not None:
            return self.parts.program
        row = await info.context.loaders.by_id(db.Program).load(self.row.program_id)
        assert row is not None
        return row

    @strawberry.field(description="报名的教师（teacher），即学员。")
    async def teacher(self, info: Info) -> Person:
        return await load_person(info, self.row.teacher_id)

    @strawberry.field(description="办理报名的人（registered by）：教师本人，或其范围内的管理员。")
    async def registered_by(self, info: Info) -> Person:
        return await load_person(info, self.row.registered_by_id)

    @strawberry.field(description="报名的项目（program）。")
    async def program(self, info: Info) -> Program:
        return Program.of(await self._program(info), info.context.now())

    @strawberry.field(
        description="研修批次（batch）：其学习窗口限定学员的每项操作（R1）。", graphql_type=Batch
    )
    def batch(self, info: Info) -> Batch | Awaitable[Batch]:
        if self.parts is not None:
            return self.parts.batch
        return self._batch(info)

    async def _batch(self, info: Info) -> Batch:
        row = await info.context.loaders.by_id(db.Batch).load(self.row.batch_id)
        assert row is not None
        return Batch.of(row, await self._program(info), info.context.now())

    @strawberry.field(description="选学的工作室（workshop）。", graphql_type=Workshop)
    def workshop(self, info: Info) -> Workshop | Awaitable[Workshop]:
        if self.parts is not None:
            return self.parts.workshop
        return load_workshop(info, self.row.workshop_id)

    @strawberry.field(description="选学的研修专题（topic）；未选时为 null。")
    async def topic(self, info: Info) -> Topic | None:
        return await load_topic(info, self.row.topic_id)

    @strawberry.field(
        description="所在班级（training class）；分班之前为 null。",
        graphql_type=TrainingClass | None,
    )
    def training_class(self, info: Info) -> TrainingClass | Awaitable[TrainingClass] | None:
        if self.row.training_class_id is None:
            return None
        if self.parts is not None:
            return self.parts.training_class
        return load_class(info, self.row.training_class_id)

    @strawberry.field(
        description="班级辅导教师（tutor）；分班之前为 null。", graphql_type=Person | None
    )
    def tutor(self, info: Info) -> Person | Awaitable[Person | None] | None:
        if self.row.training_class_id is None:
            return None
        if self.parts is not None:
            return self.parts.tutor
        return self._tutor(info)

    async def _tutor(self, info: Info) -> Person | None:
        assert self.row.training_class_id is not None
        training_class = await info.context.loaders.by_id(db.TrainingClass).load(
            self.row.training_class_id
        )
        return None if training_class is None else await load_person(info, training_class.tutor_id)

    @strawberry.field(description="学时进度（hour progress，R8）。", graphql_type=HourProgress)
    def hour_progress(self, info: Info) -> HourProgress | Awaitable[HourProgress]:
        if self.parts is not None and self.parts.hour_progress is not None:
            return self.parts.hour_progress
        return self._hour_progress(info)

    async def _hour_progress(self, info: Info) -> HourProgress:
        policy = await policy_of(info.context.loaders, db.HourPolicy, self.row.program_id)
        return HourProgress.of(self.row, policy)

    async def _course_standings(self, info: Info) -> list[tuple[db.Course, CourseStanding]]:
        loaders = info.context.loaders
        courses = await loaders.grouped(db.Course, "program_id", ("position", "id")).load(
            self.row.program_id
        )
        progress = await loaders.grouped(db.CourseProgress, "enrollment_id").load(self.row.id)
        seconds = {p.course_id: p.seconds for p in progress}
        return [(c, CourseStanding(c.name, c.hours, seconds.get(c.id, 0))) for c in courses]

    @strawberry.field(
        description="课程学习进度（courses），按课程次序；选修课程在必修课程全部修完后开放。"
    )
    async def courses(self, info: Info) -> list[CourseProgress]:
        standings = await self._course_standings(info)
        required_done = all(s.complete for c, s in standings if c.required)
        return [
            CourseProgress(course=Course.of(c), standing=s, open=c.required or required_done)
            for c, s in standings
        ]

    @strawberry.field(description="本学年学时（year hours）：应完成、已计入和尚缺的学时。")
    async def year_hours(self, info: Info) -> YearHours:
        loaders = info.context.loaders
        policy = await policy_of(loaders, db.AssessmentPolicy, self.row.program_id)
        teacher = await loaders.by_id(db.Person).load(self.row.teacher_id)
        assert teacher is not None
        targets = Targets(
            policy.target_hours, policy.new_teacher_target_hours, policy.junior_title_target_hours
        )
        progress = HourProgress.of(
            self.row, await policy_of(loaders, db.HourPolicy, self.row.program_id)
        ).progress
        return YearHours(
            target_hours=yearly_target_hours(targets, teacher.post, teacher.title_rank),
            course_minutes=sum(s.seconds for _, s in await self._course_standings(info)) // 60,
            workshop_minutes=progress.online_counted_seconds // 60
            + progress.offline_counted_minutes,
        )

    @strawberry.field(
        description="考核预测（assessment forecast，R12）：按目前的学习记录得出的过程性考核结果，"
        "逐项说明要求、已有、得分和所缺。"
    )
    async def assessment_forecast(self, info: Info) -> AssessmentForecast:
        loader = info.context.loaders.batched(assessment.forecasts)
        return AssessmentForecast.of(await loader.load(self.row.id))

    @strawberry.field(
        description="考核结果（result，R12）：项目计算结果之后才有；"
        "之前为 null（见 assessmentForecast）。"
    )
    async def result(self, info: Info) -> AssessmentResult | None:
        row = await info.context.loaders.by_key(db.AssessmentResult, "enrollment_id").load(
            self.row.id
        )
        return None if row is None else AssessmentResult.of(row)

    @strawberry.field(description="登记的考试成绩（exam results），含不计入的模拟考。")
    async def exam_results(self, info: Info) -> list[ExamResult]:
        rows = await info.context.loaders.grouped(db.ExamResult, "enrollment_id").load(self.row.id)
        return [ExamResult.of(row) for row in rows]

    @strawberry.field(
        description="登记的乡镇集中研修（township sessions，过渡学习），按研修日期排列。"
    )
    async def township_sessions(self, info: Info) -> list[TownshipSession]:
        loader = info.context.loaders.grouped(db.TownshipSession, "enrollment_id", ("held_on",))
        return [TownshipSession.of(row) for row in await loader.load(self.row.id)]

    @strawberry.field(description="补修（make-up）：补修此前不合格或缺考的项目。")
    def make_up(self) -> bool:
        return self.row.make_up_of_id is not None

    @classmethod
    def of(
        cls, row: db.Enrollment | EnrollmentRow, parts: EnrollmentParts | None = None
    ) -> "Enrollment":
        return cls(
            id=encode_id("Enrollment", row.id),
            row=row,
            parts=parts,
            track=row.track,
            status=row.status,
            registered_at=row.registered_at,
            last_activity_at=row.last_activity_at,
        )


def study_page_enrollment(
    page: EnrollmentPage,
    team: list[MemberRow] | None,
    topics: list[TopicRow] | None,
    now: dt.datetime,
) -> Enrollment:
    """The enrollment the study page's read model found, with its parts (the team and the
    topics when it read them)."""
    tutor = None if page.tutor is None else Person.of(page.tutor)
    workshop = WorkshopParts(
        leader=Person.of(page.leader),
        topics=None if topics is None else [Topic.of(row) for row in topics],
        tutor_team=None if team is None else [TutorTeamMember.of_member(m) for m in team],
    )
    parts = EnrollmentParts(
        program=page.program,
        batch=Batch.of(page.batch, page.program, now),
        workshop=Workshop.of(page.workshop, workshop),
        training_class=None
        if page.training_class is None
        else TrainingClass.of(page.training_class, tutor),
        tutor=tutor,
        hour_progress=None
        if page.hour_policy is None
        else HourProgress.of(page.enrollment, page.hour_policy),
    )
    return Enrollment.of(page.enrollment, parts)


async def load_enrollment(info: Info, enrollment_id: int) -> Enrollment:
    """An enrollment another object belongs to (a study record): always exists (CASCADE)."""
    row = await info.context.loaders.by_id(db.Enrollment).load(enrollment_id)
    assert row is not None
    return Enrollment.of(row)


@node_loader("Enrollment")
async def load_enrollment_node(info: Info, pk: int) -> Enrollment | None:
    row = await info.context.loaders.by_id(db.Enrollment).load(pk)
    if row is None:
        return None
    visible = await use_cases.can_see_enrollment(
        info.context.signed_in(), row, info.context.loaders
    )
    return Enrollment.of(row) if visible else None
