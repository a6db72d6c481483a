"""The study timer (学习计时) and offline study (线下研修): the types."""

import datetime as dt

import strawberry

from lms_plugin.resolvers.core.programs import policy_of
from lms_plugin.resolvers.study import use_cases
from lms_plugin.resolvers.study.rules import Piece, effective_end
from lms_plugin.schema.assessment.types import Course
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import LedgerKind, OfflineKind, ReviewStatus, SessionEndReason
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.schema.core.node import Node, node_loader
from lms_plugin.schema.enrollment.types import Enrollment, load_enrollment
from lms_plugin.schema.people.types import Person, load_person
from lms_plugin.schema.workshops.types import Resource, Topic, load_topic
from lms_plugin.storage import models as db
from lms_plugin.storage.beats import SessionRow

SESSION_SEMANTICS = (
    "心跳不断时会话进行中。心跳中断超过项目的 heartbeatMaxGapSeconds 时，会话读作已结束："
    "endReason 为 TIMED_OUT，endedAt 为最后一次心跳。在学员开始另一个会话（届时记下这次超时）"
    "之前，对它的心跳会让它继续，中断的时间在明细中记为 IDLE_GAP，不计入。"
)


@strawberry.type(
    description=(
        f"学习会话（study session，R9）：在线学习一个专题或资源，或一门课程。{SESSION_SEMANTICS}"
    )
)
class StudySession(Node):
    # A heartbeat's session is the plain row it read (storage/beats.py), others the model.
    row: strawberry.Private[db.StudySession | SessionRow]
    max_gap_seconds: strawberry.Private[int]
    now: strawberry.Private[dt.datetime]
    started_at: dt.datetime = strawberry.field(description="开始时刻（started at）。")
    last_beat_at: dt.datetime = strawberry.field(
        description="最后一次推进序号的心跳时刻（last beat at）；尚无心跳时为开始时刻。"
    )
    last_sequence: int = strawberry.field(
        description="收到的最大心跳序号（last sequence）；第一次心跳之前为 0。"
    )
    counted_seconds: int = strawberry.field(
        description="本会话计入网上学时的秒数（counted seconds，明细类型 COUNTED）。"
    )

    def _end(self) -> tuple[dt.datetime, SessionEndReason] | None:
        row = self.row
        end = effective_end(
            row.ended_at, row.end_reason, row.last_beat_at, self.now, self.max_gap_seconds
        )
        return None if end is None else (end.at, end.reason)

    @strawberry.field(description="仍在计时（active）：请求时刻既未结束也未超时。")
    def active(self) -> bool:
        return self._end() is None

    @strawberry.field(description="结束时刻（ended at）；超时的为最后一次心跳；进行中为 null。")
    def ended_at(self) -> dt.datetime | None:
        end = self._end()
        return None if end is None else end[0]

    @strawberry.field(
        description="结束方式（end reason）：学员结束 ENDED、被接管 SUPERSEDED、超时 TIMED_OUT；"
        "进行中为 null。"
    )
    def end_reason(self) -> SessionEndReason | None:
        end = self._end()
        return None if end is None else end[1]

    @strawberry.field(description="学习的专题（topic）；未指定时为 null。")
    async def topic(self, info: Info) -> Topic | None:
        return await load_topic(info, self.row.topic_id)

    @strawberry.field(description="学习的资源（resource）；未指定时为 null。")
    async def resource(self, info: Info) -> Resource | None:
        if self.row.resource_id is None:
            return None
        row = await info.context.loaders.by_id(db.Resource).load(self.row.resource_id)
        return None if row is None else Resource.of(row)

    @strawberry.field(description="学习的课程（course）；学习专题时为 null。")
    async def course(self, info: Info) -> Course | None:
        if self.row.course_progress_id is None:
            return None
        loaders = info.context.loaders
        progress = await loaders.by_id(db.CourseProgress).load(self.row.course_progress_id)
        course = (
            None if progress is None else await loaders.by_id(db.Course).load(progress.course_id)
        )
        return None if course is None else Course.of(course)

    @strawberry.field(description="会话所属的报名记录（enrollment）。")
    async def enrollment(self, info: Info) -> Enrollment:
        return await load_enrollment(info, self.row.enrollment_id)

    @classmethod
    def of(
        cls, row: db.StudySession | SessionRow, max_gap_seconds: int, now: dt.datetime
    ) -> "StudySession":
        return cls(
            id=encode_id("StudySession", row.id),
            row=row,
            max_gap_seconds=max_gap_seconds,
            now=now,
            started_at=row.started_at,
            last_beat_at=row.last_beat_at,
            last_sequence=row.last_sequence,
            counted_seconds=row.counted_seconds,
        )

    @classmethod
    def under(
        cls, row: db.StudySession, timer: db.StudyTimerPolicy, now: dt.datetime
    ) -> "StudySession":
        """The session as its program's study timer policy reads it (time-outs, R9)."""
        return cls.of(row, timer.heartbeat_max_gap_seconds, now)


async def timer_of(info: Info, program_id: int) -> db.StudyTimerPolicy:
    return await policy_of(info.context.loaders, db.StudyTimerPolicy, program_id)


LEDGER_KINDS = (
    "COUNTED：计入网上学时；OUTSIDE_WINDOW：批次窗口之前或之后（R1）；IDLE_GAP：心跳间隔超过"
    "项目的上限；OVER_QUOTA：该研修方式的网上学时已满（R8）；DUPLICATE：重试的心跳（0 秒）。"
)


@strawberry.type(
    description=f"两次心跳之间的一段时间（study time piece），属于一种类型。{LEDGER_KINDS}"
)
class StudyTimePiece:
    kind: LedgerKind = strawberry.field(description="类型（kind）：为何计入或不计入。")
    seconds: int = strawberry.field(description="秒数（seconds）。")
    starts_at: dt.datetime = strawberry.field(description="开始时刻（starts at）。")
    ends_at: dt.datetime = strawberry.field(description="结束时刻（ends at）。")

    @classmethod
    def of(cls, piece: Piece) -> "StudyTimePiece":
        return cls(
            kind=piece.kind,
            seconds=piece.seconds,
            starts_at=piece.starts_at,
            ends_at=piece.ends_at,
        )


@strawberry.type(description="记录的心跳（heartbeat，R9）：距上一次心跳的时间，按类型拆成若干段。")
class Heartbeat:
    sequence: int = strawberry.field(description="心跳序号（sequence）。")
    counted_seconds: int = strawberry.field(description="这次心跳计入网上学时的秒数。")
    online_seconds: int = strawberry.field(
        description="这次心跳之后该报名的网上学习秒数（online seconds），计至研修方式的定额（R8）；"
        "学习课程时为该课程计入的秒数，计至课程学时。"
    )
    pieces: list[StudyTimePiece] = strawberry.field(
        description="距上一次心跳的时间，按类型拆成的各段（pieces）。"
    )
    session: StudySession = strawberry.field(description="心跳所属的学习会话（session）。")

    @classmethod
    def of(cls, beat: use_cases.Beat, now: dt.datetime) -> "Heartbeat":
        return cls(
            sequence=beat.sequence,
            counted_seconds=beat.counted_seconds,
            online_seconds=beat.online_seconds,
            pieces=[StudyTimePiece.of(p) for p in beat.pieces],
            session=StudySession.of(beat.session, beat.max_gap_seconds, now),
        )


@strawberry.type(
    description=(
        "学习计时明细（study ledger entry）：同一类型的一串连续心跳；明细说明心跳之间的每一秒。"
        f"{LEDGER_KINDS}"
    )
)
class StudyLedgerEntry:
    row: strawberry.Private[db.StudyLedgerEntry]
    kind: LedgerKind = strawberry.field(description="类型（kind）：为何计入或不计入。")
    seconds: int = strawberry.field(description="这一串的总秒数（seconds）。")
    heartbeats: int = strawberry.field(description="这一串包含的心跳次数（heartbeats）。")
    first_at: dt.datetime = strawberry.field(description="这一串的开始时刻（first at）。")
    last_at: dt.datetime = strawberry.field(description="这一串的最后时刻（last at）。")

    @strawberry.field(description="所属学习会话的全局 id（session id）。")
    def session_id(self) -> strawberry.ID:
        return encode_id("StudySession", self.row.session_id)

    @classmethod
    def of(cls, row: db.StudyLedgerEntry) -> "StudyLedgerEntry":
        return cls(
            row=row,
            kind=row.kind,
            seconds=row.seconds,
            heartbeats=row.heartbeats,
            first_at=row.first_at,
            last_at=row.last_at,
        )


@strawberry.type(
    description=(
        "线下研修记录（offline study log）：学员登记的线下研修，经班级辅导教师确认后计入线下学时"
        "（R8）。"
    )
)
class OfflineStudyLog(Node):
    row: strawberry.Private[db.OfflineStudyLog]
    kind: OfflineKind = strawberry.field(description="线下研修类型（kind）。")
    studied_on: dt.date = strawberry.field(description="研修日期（studied on）。")
    minutes: int = strawberry.field(description="登记的分钟数（minutes）。")
    description: str = strawberry.field(description="研修内容说明（description）。")
    status: ReviewStatus = strawberry.field(description="审核状态（status）。")
    logged_at: dt.datetime = strawberry.field(description="登记时刻（logged at）。")
    reviewed_at: dt.datetime | None = strawberry.field(
        description="审核时刻（reviewed at）；待审核时为 null。"
    )
    review_note: str = strawberry.field(description="辅导教师的审核意见；驳回时为驳回理由。")

    @strawberry.field(description="登记的学时（hours）：分钟数 / 60。")
    def hours(self) -> float:
        return self.row.minutes / 60

    @strawberry.field(description="确认或驳回它的班级辅导教师（reviewed by）；待审核时为 null。")
    async def reviewed_by(self, info: Info) -> Person | None:
        if self.row.reviewed_by_id is None:
            return None
        return await load_person(info, self.row.reviewed_by_id)

    @strawberry.field(description="记录所属的报名记录（enrollment）。")
    async def enrollment(self, info: Info) -> Enrollment:
        return await load_enrollment(info, self.row.enrollment_id)

    @classmethod
    def of(cls, row: db.OfflineStudyLog) -> "OfflineStudyLog":
        return cls(
            id=encode_id("OfflineStudyLog", row.id),
            row=row,
            kind=row.kind,
            studied_on=row.studied_on,
            minutes=row.minutes,
            description=row.description,
            status=row.status,
            logged_at=row.logged_at,
            reviewed_at=row.reviewed_at,
            review_note=row.review_note,
        )


async def _program_of(info: Info, enrollment_id: int) -> db.Program | None:
    """The program of an enrollment the viewer may read (trainee or class tutor), else None."""
    viewer = info.context.signed_in()
    enrollment = await info.context.loaders.by_id(db.Enrollment).load(enrollment_id)
    if enrollment is None or not await use_cases.reads_enrollment(viewer, enrollment):
        return None
    return await info.context.loaders.by_id(db.Program).load(enrollment.program_id)


@node_loader("StudySession")
async def load_study_session(info: Info, pk: int) -> StudySession | None:
    row = await info.context.loaders.by_id(db.StudySession).load(pk)
    program = None if row is None else await _program_of(info, row.enrollment_id)
    if row is None or program is None:
        return None
    return StudySession.under(row, await timer_of(info, program.id), info.context.now())


@node_loader("OfflineStudyLog")
async def load_offline_study_log(info: Info, pk: int) -> OfflineStudyLog | None:
    row = await info.context.loaders.by_id(db.OfflineStudyLog).load(pk)
    program = None if row is None else await _program_of(info, row.enrollment_id)
    if row is None or program is None:
        return None
    return OfflineStudyLog.of(row)
