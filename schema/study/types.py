"""The study timer (学习计时) and offline study (线下研修): the types."""

import datetime as dt

import strawberry

from lms_plugin.resolvers.core.programs import policy_of
from lms_plugin.resolvers.study import use_cases
from lms_plugin.resolvers.study.rules import Piece, effective_end
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import LedgerKind, OfflineKind, ReviewStatus, SessionEndReason
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.schema.core.node import Node, node_loader
from lms_plugin.schema.enrollment.types import Enrollment, load_enrollment
from lms_plugin.schema.people.types import Person, load_person
from lms_plugin.schema.workshops.types import Resource, Topic, load_topic
from lms_plugin.storage import models as db

SESSION_SEMANTICS = (
    "A session is active while its heartbeats keep coming. When they stop for longer than the "
    "program's heartbeatMaxGapSeconds it reads as ended: endReason TIMED_OUT, endedAt its last "
    "beat. Until the trainee starts another session (which records that time-out), a heartbeat "
    "on it resumes it and the gap is in the ledger as IDLE_GAP, counted as nothing."
)


@strawberry.type(
    description=f"Online study (学习会话) of a topic or resource (R9). {SESSION_SEMANTICS}"
)
class StudySession(Node):
    row: strawberry.Private[db.StudySession]
    max_gap_seconds: strawberry.Private[int]
    now: strawberry.Private[dt.datetime]
    started_at: dt.datetime
    last_beat_at: dt.datetime = strawberry.field(
        description="The last heartbeat that advanced the sequence (the start before any)."
    )
    last_sequence: int = strawberry.field(
        description="The highest heartbeat sequence received; 0 before the first."
    )
    counted_seconds: int = strawberry.field(
        description="Seconds this session added to the online hours (ledger kind COUNTED)."
    )

    def _end(self) -> tuple[dt.datetime, SessionEndReason] | None:
        row = self.row
        end = effective_end(
            row.ended_at, row.end_reason, row.last_beat_at, self.now, self.max_gap_seconds
        )
        return None if end is None else (end.at, end.reason)

    @strawberry.field(description="Still counting: not ended and not timed out at request time.")
    def active(self) -> bool:
        return self._end() is None

    @strawberry.field(description="When it ended; for a time-out, its last heartbeat.")
    def ended_at(self) -> dt.datetime | None:
        end = self._end()
        return None if end is None else end[0]

    @strawberry.field(
        description="ENDED by the trainee, SUPERSEDED by a session that took over, TIMED_OUT."
    )
    def end_reason(self) -> SessionEndReason | None:
        end = self._end()
        return None if end is None else end[1]

    @strawberry.field
    async def topic(self, info: Info) -> Topic | None:
        return await load_topic(info, self.row.topic_id)

    @strawberry.field
    async def resource(self, info: Info) -> Resource | None:
        if self.row.resource_id is None:
            return None
        row = await info.context.loaders.by_id(db.Resource).load(self.row.resource_id)
        return None if row is None else Resource.of(row)

    @strawberry.field
    async def enrollment(self, info: Info) -> Enrollment:
        return await load_enrollment(info, self.row.enrollment_id)

    @classmethod
    def of(cls, row: db.StudySession, max_gap_seconds: int, now: dt.datetime) -> "StudySession":
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
    "COUNTED: added to the online hours; OUTSIDE_WINDOW: before or after the batch window (R1); "
    "IDLE_GAP: a gap between heartbeats longer than the program's limit; OVER_QUOTA: the "
    "track's online hours were already complete (R8); DUPLICATE: a retried heartbeat (0 s)."
)


@strawberry.type(description=f"Time between two heartbeats, of one kind. {LEDGER_KINDS}")
class StudyTimePiece:
    kind: LedgerKind
    seconds: int
    starts_at: dt.datetime
    ends_at: dt.datetime

    @classmethod
    def of(cls, piece: Piece) -> "StudyTimePiece":
        return cls(
            kind=piece.kind,
            seconds=piece.seconds,
            starts_at=piece.starts_at,
            ends_at=piece.ends_at,
        )


@strawberry.type(
    description="A recorded heartbeat: the time since the previous one, split into pieces (R9)."
)
class Heartbeat:
    sequence: int
    counted_seconds: int = strawberry.field(description="Seconds added to the online hours.")
    online_seconds: int = strawberry.field(
        description="The enrollment's online seconds after this beat, up to the track's quota."
    )
    pieces: list[StudyTimePiece]
    session: StudySession

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
        "A run of consecutive heartbeats of one kind (学习计时明细): the ledger explains every "
        f"second between heartbeats. {LEDGER_KINDS}"
    )
)
class StudyLedgerEntry:
    row: strawberry.Private[db.StudyLedgerEntry]
    kind: LedgerKind
    seconds: int
    heartbeats: int = strawberry.field(description="Heartbeats that ended in this run.")
    first_at: dt.datetime
    last_at: dt.datetime

    @strawberry.field
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
        "Offline study (线下研修) logged by a trainee; it counts toward the offline hours once the "
        "class tutor confirms it (R8)."
    )
)
class OfflineStudyLog(Node):
    row: strawberry.Private[db.OfflineStudyLog]
    kind: OfflineKind
    studied_on: dt.date
    minutes: int
    description: str
    status: ReviewStatus
    logged_at: dt.datetime
    reviewed_at: dt.datetime | None
    review_note: str = strawberry.field(description="The tutor's note; a rejection's reason.")

    @strawberry.field
    def hours(self) -> float:
        return self.row.minutes / 60

    @strawberry.field(description="The class tutor who confirmed or rejected it.")
    async def reviewed_by(self, info: Info) -> Person | None:
        if self.row.reviewed_by_id is None:
            return None
        return await load_person(info, self.row.reviewed_by_id)

    @strawberry.field
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
