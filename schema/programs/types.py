"""Programs (全员远程培训项目) and batches (研修批次): the types."""

import datetime as dt
from typing import Annotated

import strawberry

from lms_plugin.resolvers.core import calendar, hours
from lms_plugin.resolvers.core import programs as program_settings
from lms_plugin.resolvers.programs.rules import PHASE_ORDER
from lms_plugin.schema.assessment.types import Course
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import PhaseKind, Stage, Track, WindowState
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.schema.core.node import Node, node_loader
from lms_plugin.schema.policies.types import ProgramPolicies
from lms_plugin.storage import models as db


@strawberry.type(
    description="研修批次（study batch）的学习窗口：按项目时区的整日，结束日计至 23:59:59（R1）。"
)
class StudyWindow:
    starts_on: dt.date = strawberry.field(description="开始日（starts on），当地日期。")
    ends_on: dt.date = strawberry.field(description="结束日（ends on），当日计入。")
    opens_at: dt.datetime = strawberry.field(
        description="开放时刻（opens at）：开始日 0:00，带当地时区偏移。"
    )
    closes_at: dt.datetime = strawberry.field(
        description="关闭时刻（closes at）：结束日之后的午夜，不含。"
    )
    state: WindowState = strawberry.field(
        description="请求时刻的状态（state）：未开放、开放中或已结束。"
    )

    @classmethod
    def of(
        cls,
        window: calendar.Window,
        starts_on: dt.date,
        ends_on: dt.date,
        now: dt.datetime,
    ) -> "StudyWindow":
        return cls(
            starts_on=starts_on,
            ends_on=ends_on,
            opens_at=window.opens_at,
            closes_at=window.closes_at,
            state=window.state(now),
        )


@strawberry.type(
    description="一种研修方式的学时（hour split，R8）：网上学时来自学习计时，线下学时须经确认。"
)
class HourSplit:
    online_hours: int = strawberry.field(description="网上学时（online hours）。")
    offline_hours: int = strawberry.field(description="线下学时（offline hours）。")

    @strawberry.field(description="总学时（total hours）：网上 + 线下。")
    def total_hours(self) -> int:
        return self.online_hours + self.offline_hours

    @classmethod
    def of(cls, split: hours.HourSplit) -> "HourSplit":
        return cls(online_hours=split.online_hours, offline_hours=split.offline_hours)


@strawberry.type(
    description="自主报名时间（registration period，R3）：这些日期内，每天在两个时刻之间。"
)
class RegistrationPeriod:
    starts_on: dt.date = strawberry.field(description="报名开始日。")
    ends_on: dt.date = strawberry.field(description="报名结束日，当日计入。")
    daily_opens_at: dt.time = strawberry.field(description="每日开始时刻（含），当地时间。")
    daily_closes_at: dt.time = strawberry.field(description="每日截止时刻（不含），当地时间。")
    open_now: bool = strawberry.field(description="请求时刻是否可以自主报名（open now）。")


@strawberry.type(
    description="项目阶段（program phase，2022 年通知 §七）：准备、报名、培训者培训、学习、考核、"
    "成绩登记、检查，各有起止日期（均含当日，按项目时区）。"
)
class ProgramPhase:
    kind: PhaseKind = strawberry.field(description="阶段（kind）。")
    starts_on: dt.date = strawberry.field(description="开始日（starts on），当地日期。")
    ends_on: dt.date = strawberry.field(description="结束日（ends on），当日计入。")
    state: WindowState = strawberry.field(
        description="请求时刻的状态（state）：未开始、进行中或已结束。"
    )

    @classmethod
    def of(cls, row: db.ProgramPhase, time_zone: str, now: dt.datetime) -> "ProgramPhase":
        window = program_settings.phase_window_of(row, time_zone).window
        return cls(
            kind=row.kind, starts_on=row.starts_on, ends_on=row.ends_on, state=window.state(now)
        )


@strawberry.type(description="批次研修的学段和学科（stage and subject），如 高中 数学。")
class StageSubject:
    stage: Stage = strawberry.field(description="学段（stage）。")
    subject: str = strawberry.field(description="学科（subject）。")


@strawberry.type(
    description="研修批次（study batch）：名师工作室研修阶段的一批，有自己的学习窗口。"
)
class Batch(Node):
    row: strawberry.Private[db.Batch]
    program_row: strawberry.Private[db.Program]
    now: strawberry.Private[dt.datetime]
    number: int = strawberry.field(description="批次序号（number）。")
    name: str = strawberry.field(description="批次名称（name）。")
    track: Track = strawberry.field(description="研修方式（track）：网络学习或过渡学习（R8）。")

    # Built when selected: the study page shows none, and a batch may serve many subjects.
    @strawberry.field(description="本批次研修的学段学科（R4）。")
    def subjects(self) -> list[StageSubject]:
        return [
            StageSubject(stage=s, subject=n) for s, n in program_settings.batch_subjects(self.row)
        ]

    @strawberry.field(description="学习日（study days）：窗口的日历日减去项目的节假日（R2）。")
    def study_days(self) -> int:
        return calendar.study_days(
            self.row.starts_on,
            self.row.ends_on,
            program_settings.program_holidays(self.program_row),
        )

    @strawberry.field(
        description="学习窗口（window）：学员的学习、作业、研讨只在窗口内有效（R1）。"
    )
    def window(self) -> StudyWindow:
        return StudyWindow.of(
            program_settings.batch_window(self.row, self.program_row),
            self.row.starts_on,
            self.row.ends_on,
            self.now,
        )

    @strawberry.field(description="所属项目（program）。")
    async def program(self, info: Info) -> "Program":
        return Program.of(self.program_row, self.now)

    @classmethod
    def of(cls, row: db.Batch, program: db.Program, now: dt.datetime) -> "Batch":
        return cls(
            id=encode_id("Batch", row.id),
            row=row,
            program_row=program,
            now=now,
            number=row.number,
            name=row.name,
            track=row.track,
        )


@strawberry.type(description="全员远程培训项目（program）：一个研修阶段的日历、规则参数和批次。")
class Program(Node):
    row: strawberry.Private[db.Program]
    now: strawberry.Private[dt.datetime]
    name: str = strawberry.field(description="项目名称（name）。")
    year: str = strawberry.field(description="学年（year），如 2011 学年。")
    time_zone: str = strawberry.field(
        description="项目时区（time zone，IANA 名称，如 Asia/Shanghai）：日期和窗口按它计算（R1）。"
    )
    holidays: list[dt.date] = strawberry.field(
        description="节假日（holidays）：不计入批次的学习日（R2）。"
    )

    @strawberry.field(
        description="项目阶段（phases），按通知的顺序；依赖时段的规则（报名 R3、批改截止）读它们。"
    )
    async def phases(self, info: Info) -> list[ProgramPhase]:
        phases = await program_settings.phases_of(info.context.loaders, self.row.id)
        return [
            ProgramPhase.of(phases[kind], self.row.time_zone, self.now)
            for kind in PHASE_ORDER
            if kind in phases
        ]

    @strawberry.field(
        description="考核结束日：窗口之后仍可批改作业至此日（含）；null：批改不截止。"
        "即考核阶段（ASSESSMENT）的结束日。"
    )
    async def assessment_ends_on(self, info: Info) -> dt.date | None:
        phases = await program_settings.phases_of(info.context.loaders, self.row.id)
        assessment = phases.get(PhaseKind.ASSESSMENT)
        return None if assessment is None else assessment.ends_on

    @strawberry.field(
        description="项目政策（program policies）：各业务领域的规则设置，每个领域一个对象。"
    )
    def policies(self) -> ProgramPolicies:
        return ProgramPolicies(program_id=self.row.id)

    # The settings below read the policies (ProgramPolicies), where they are stored.

    @strawberry.field(description="一个批次最多的学习日（R2）；存于批次政策（BatchPolicy）。")
    async def batch_length_days(self, info: Info) -> int:
        policy = await program_settings.policy_of(info.context.loaders, db.BatchPolicy, self.row.id)
        return policy.max_study_days

    @strawberry.field(description="辅导团队人数上限（R6）；存于辅导团队政策（TutorTeamPolicy）。")
    async def tutor_team_cap(self, info: Info) -> int:
        loaders = info.context.loaders
        return (await program_settings.policy_of(loaders, db.TutorTeamPolicy, self.row.id)).cap

    @strawberry.field(
        description="一次心跳最多计入距上一次心跳的这么多秒（R9）；存于学习计时政策（StudyTimerPolicy）。"
    )
    async def heartbeat_max_gap_seconds(self, info: Info) -> int:
        loaders = info.context.loaders
        policy = await program_settings.policy_of(loaders, db.StudyTimerPolicy, self.row.id)
        return policy.heartbeat_max_gap_seconds

    @strawberry.field(
        description="班级简报的周期天数；null：每批次一期（R11）；存于班级简报政策（BriefingPolicy）。"
    )
    async def briefing_interval_days(self, info: Info) -> int | None:
        loaders = info.context.loaders
        policy = await program_settings.policy_of(loaders, db.BriefingPolicy, self.row.id)
        return policy.interval_days

    @strawberry.field(description="自主报名时间（registration，R3）：报名阶段的日期与每日时段。")
    async def registration(self, info: Info) -> RegistrationPeriod:
        row = self.row
        loaders = info.context.loaders
        policy = await program_settings.policy_of(loaders, db.RegistrationPolicy, row.id)
        opens_at, closes_at = program_settings.registration_hours(policy)
        # Every program has its registration phase (created with it; setProgramPhases keeps it).
        phase = (await program_settings.phases_of(loaders, row.id))[PhaseKind.REGISTRATION]
        return RegistrationPeriod(
            starts_on=phase.starts_on,
            ends_on=phase.ends_on,
            daily_opens_at=opens_at,
            daily_closes_at=closes_at,
            open_now=calendar.registration_error(
                self.now,
                time_zone=row.time_zone,
                starts_on=phase.starts_on,
                ends_on=phase.ends_on,
                opens_at=opens_at,
                closes_at=closes_at,
            )
            is None,
        )

    @strawberry.field(description="一种研修方式要求的学时（hour split，R8）。")
    async def hour_split(
        self,
        info: Info,
        track: Annotated[Track, strawberry.argument(description="研修方式（track）。")],
    ) -> HourSplit:
        policy = await program_settings.policy_of(info.context.loaders, db.HourPolicy, self.row.id)
        return HourSplit.of(program_settings.program_hour_split(policy, track))

    @strawberry.field(description="项目的研修批次（batches），按序号。")
    async def batches(self, info: Info) -> list[Batch]:
        rows = await info.context.loaders.grouped(db.Batch, "program_id", ("number",)).load(
            self.row.id
        )
        return [Batch.of(row, self.row, self.now) for row in rows]

    @strawberry.field(description="项目的课程（courses），按次序：必修在前时依次学习。")
    async def courses(self, info: Info) -> list[Course]:
        rows = await info.context.loaders.grouped(db.Course, "program_id", ("position", "id")).load(
            self.row.id
        )
        return [Course.of(row) for row in rows]

    @classmethod
    def of(cls, row: db.Program, now: dt.datetime) -> "Program":
        return cls(
            id=encode_id("Program", row.id),
            row=row,
            now=now,
            name=row.name,
            year=row.year,
            time_zone=row.time_zone,
            holidays=program_settings.program_holidays(row),
        )


@node_loader("Program")
async def load_program(info: Info, pk: int) -> Program | None:
    row = await info.context.loaders.by_id(db.Program).load(pk)
    return None if row is None else Program.of(row, info.context.now())


@node_loader("Batch")
async def load_batch(info: Info, pk: int) -> Batch | None:
    row = await info.context.loaders.by_id(db.Batch).load(pk)
    if row is None:
        return None
    program = await info.context.loaders.by_id(db.Program).load(row.program_id)
    return None if program is None else Batch.of(row, program, info.context.now())
