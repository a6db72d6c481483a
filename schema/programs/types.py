"""Programs (全员远程培训项目) and batches (研修批次): the types."""

import datetime as dt

import strawberry

from lms_plugin.resolvers.core import calendar, hours
from lms_plugin.resolvers.core import programs as program_settings
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import Stage, Track, WindowState
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.schema.core.node import Node, node_loader
from lms_plugin.schema.policies.types import ProgramPolicies
from lms_plugin.storage import models as db


@strawberry.type(description="A time window of whole local days; the end date counts to 23:59:59.")
class StudyWindow:
    starts_on: dt.date
    ends_on: dt.date
    opens_at: dt.datetime = strawberry.field(description="First instant, with the local offset.")
    closes_at: dt.datetime = strawberry.field(
        description="The instant it closes: midnight after the end date (not included)."
    )
    state: WindowState = strawberry.field(description="Not open, open or closed at request time.")

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
    description="The hours of a track (R8): online from the study timer, offline confirmed."
)
class HourSplit:
    online_hours: int
    offline_hours: int

    @strawberry.field
    def total_hours(self) -> int:
        return self.online_hours + self.offline_hours

    @classmethod
    def of(cls, split: hours.HourSplit) -> "HourSplit":
        return cls(online_hours=split.online_hours, offline_hours=split.offline_hours)


@strawberry.type(
    description="Self-registration: these dates, and each day between the two times (R3)."
)
class RegistrationPeriod:
    starts_on: dt.date
    ends_on: dt.date
    daily_opens_at: dt.time
    daily_closes_at: dt.time
    open_now: bool


@strawberry.type(description="A stage and subject a batch serves (e.g. 高中 数学).")
class StageSubject:
    stage: Stage
    subject: str


@strawberry.type(description="A study batch (研修批次) of the workshop phase, with its window.")
class Batch(Node):
    row: strawberry.Private[db.Batch]
    program_row: strawberry.Private[db.Program]
    now: strawberry.Private[dt.datetime]
    number: int
    name: str
    track: Track
    subjects: list[StageSubject]

    @strawberry.field(description="Calendar days of the window minus the program's holidays (R2).")
    def study_days(self) -> int:
        return calendar.study_days(
            self.row.starts_on,
            self.row.ends_on,
            program_settings.program_holidays(self.program_row),
        )

    @strawberry.field
    def window(self) -> StudyWindow:
        return StudyWindow.of(
            program_settings.batch_window(self.row, self.program_row),
            self.row.starts_on,
            self.row.ends_on,
            self.now,
        )

    @strawberry.field
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
            subjects=[
                StageSubject(stage=s, subject=n) for s, n in program_settings.batch_subjects(row)
            ],
        )


@strawberry.type(
    description="A program (全员远程培训项目): one phase's calendar, rules and batches."
)
class Program(Node):
    row: strawberry.Private[db.Program]
    now: strawberry.Private[dt.datetime]
    name: str
    year: str
    time_zone: str
    holidays: list[dt.date]
    assessment_ends_on: dt.date | None = strawberry.field(
        description="Grading stays open after the windows until this date."
    )

    @strawberry.field(
        description="项目政策（program policies）：各业务领域的规则设置，每个领域一个对象。"
    )
    def policies(self) -> ProgramPolicies:
        return ProgramPolicies(program_id=self.row.id)

    # The settings below read the policies (ProgramPolicies), where they are stored.

    @strawberry.field(description="Most study days in a batch (R2).")
    async def batch_length_days(self, info: Info) -> int:
        policy = await program_settings.policy_of(info.context.loaders, db.BatchPolicy, self.row.id)
        return policy.max_study_days

    @strawberry.field(description="Most members of a tutor team (R6).")
    async def tutor_team_cap(self, info: Info) -> int:
        loaders = info.context.loaders
        return (await program_settings.policy_of(loaders, db.TutorTeamPolicy, self.row.id)).cap

    @strawberry.field(
        description="A heartbeat credits at most this many seconds since the previous one (R9)."
    )
    async def heartbeat_max_gap_seconds(self, info: Info) -> int:
        loaders = info.context.loaders
        policy = await program_settings.policy_of(loaders, db.StudyTimerPolicy, self.row.id)
        return policy.heartbeat_max_gap_seconds

    @strawberry.field(
        description="Days per class-briefing period; null: one briefing per batch (R11)."
    )
    async def briefing_interval_days(self, info: Info) -> int | None:
        loaders = info.context.loaders
        policy = await program_settings.policy_of(loaders, db.BriefingPolicy, self.row.id)
        return policy.interval_days

    @strawberry.field
    async def registration(self, info: Info) -> RegistrationPeriod:
        row = self.row
        policy = await program_settings.policy_of(
            info.context.loaders, db.RegistrationPolicy, row.id
        )
        opens_at, closes_at = program_settings.registration_hours(policy)
        return RegistrationPeriod(
            starts_on=row.registration_starts_on,
            ends_on=row.registration_ends_on,
            daily_opens_at=opens_at,
            daily_closes_at=closes_at,
            open_now=calendar.registration_error(
                self.now,
                time_zone=row.time_zone,
                starts_on=row.registration_starts_on,
                ends_on=row.registration_ends_on,
                opens_at=opens_at,
                closes_at=closes_at,
            )
            is None,
        )

    @strawberry.field(description="Hours required on a track (R8).")
    async def hour_split(self, info: Info, track: Track) -> HourSplit:
        policy = await program_settings.policy_of(info.context.loaders, db.HourPolicy, self.row.id)
        return HourSplit.of(program_settings.program_hour_split(policy, track))

    @strawberry.field
    async def batches(self, info: Info) -> list[Batch]:
        rows = await info.context.loaders.grouped(db.Batch, "program_id", ("number",)).load(
            self.row.id
        )
        return [Batch.of(row, self.row, self.now) for row in rows]

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
            assessment_ends_on=row.assessment_ends_on,
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
