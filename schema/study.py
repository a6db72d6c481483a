"""The study timer (学习计时) with its ledger, and offline study (线下研修): R1, R8, R9."""

import datetime as dt
from collections.abc import Awaitable, Callable

import strawberry

from lms_plugin.resolvers.core.programs import policy_of
from lms_plugin.resolvers.study import use_cases
from lms_plugin.resolvers.study.rules import Piece, effective_end
from lms_plugin.storage import models as db

from .context import Info
from .enrollment import Enrollment, load_enrollment
from .enums import LedgerKind, OfflineKind, ReviewStatus, SessionEndReason
from .errors import UserError, attempt
from .ids import encode_id, found_pk, names_nothing, optional_pk, pk_of
from .node import Node, node_loader
from .pagination import Connection, connection
from .people import Person, load_person
from .scalars import local_time, optional_local_time
from .workshops import Resource, Topic, load_topic

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
    time_zone: strawberry.Private[str]
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
        return None if end is None else local_time(end[0], self.time_zone)

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
    def of(
        cls, row: db.StudySession, time_zone: str, max_gap_seconds: int, now: dt.datetime
    ) -> "StudySession":
        return cls(
            id=encode_id("StudySession", row.id),
            row=row,
            time_zone=time_zone,
            max_gap_seconds=max_gap_seconds,
            now=now,
            started_at=local_time(row.started_at, time_zone),
            last_beat_at=local_time(row.last_beat_at, time_zone),
            last_sequence=row.last_sequence,
            counted_seconds=row.counted_seconds,
        )

    @classmethod
    def in_program(
        cls,
        row: db.StudySession,
        program: db.Program,
        timer: db.StudyTimerPolicy,
        now: dt.datetime,
    ) -> "StudySession":
        return cls.of(row, program.time_zone, timer.heartbeat_max_gap_seconds, now)


async def _timer(info: Info, program: db.Program) -> db.StudyTimerPolicy:
    return await policy_of(info.context.loaders, db.StudyTimerPolicy, program.id)


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
    def of(cls, piece: Piece, time_zone: str) -> "StudyTimePiece":
        return cls(
            kind=piece.kind,
            seconds=piece.seconds,
            starts_at=local_time(piece.starts_at, time_zone),
            ends_at=local_time(piece.ends_at, time_zone),
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
            pieces=[StudyTimePiece.of(p, beat.time_zone) for p in beat.pieces],
            session=StudySession.of(beat.session, beat.time_zone, beat.max_gap_seconds, now),
        )


@strawberry.type(
    description=(
        "A run of consecutive heartbeats of one kind (学习计时明细): the ledger explains every "
        f"second between heartbeats. {LEDGER_KINDS}"
    )
)
class StudyLedgerEntry:
    row: strawberry.Private[db.StudyLedgerEntry]
    time_zone: strawberry.Private[str]
    kind: LedgerKind
    seconds: int
    heartbeats: int = strawberry.field(description="Heartbeats that ended in this run.")
    first_at: dt.datetime
    last_at: dt.datetime

    @strawberry.field
    def session_id(self) -> strawberry.ID:
        return encode_id("StudySession", self.row.session_id)

    @classmethod
    def of(cls, row: db.StudyLedgerEntry, time_zone: str) -> "StudyLedgerEntry":
        return cls(
            row=row,
            time_zone=time_zone,
            kind=row.kind,
            seconds=row.seconds,
            heartbeats=row.heartbeats,
            first_at=local_time(row.first_at, time_zone),
            last_at=local_time(row.last_at, time_zone),
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
    def of(cls, row: db.OfflineStudyLog, time_zone: str) -> "OfflineStudyLog":
        return cls(
            id=encode_id("OfflineStudyLog", row.id),
            row=row,
            kind=row.kind,
            studied_on=row.studied_on,
            minutes=row.minutes,
            description=row.description,
            status=row.status,
            logged_at=local_time(row.logged_at, time_zone),
            reviewed_at=optional_local_time(row.reviewed_at, time_zone),
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
    return StudySession.in_program(row, program, await _timer(info, program), info.context.now())


@node_loader("OfflineStudyLog")
async def load_offline_study_log(info: Info, pk: int) -> OfflineStudyLog | None:
    row = await info.context.loaders.by_id(db.OfflineStudyLog).load(pk)
    program = None if row is None else await _program_of(info, row.enrollment_id)
    if row is None or program is None:
        return None
    return OfflineStudyLog.of(row, program.time_zone)


@strawberry.input(
    description="Start studying a topic or a resource (a resource brings its topic) (R9)."
)
class StartStudySessionInput:
    topic_id: strawberry.ID | None = None
    resource_id: strawberry.ID | None = None
    take_over: bool = strawberry.field(
        default=False,
        description=(
            "End the trainee's other active session (SUPERSEDED) instead of refusing with "
            "SESSION_CONFLICT."
        ),
    )


@strawberry.input
class HeartbeatInput:
    session_id: strawberry.ID
    sequence: int = strawberry.field(
        description="1, 2, 3… per session; a retry sends the same number again and counts once."
    )


@strawberry.input
class EndStudySessionInput:
    session_id: strawberry.ID


@strawberry.input(description="Offline study of one day of the batch window (R1, R8).")
class LogOfflineStudyInput:
    kind: OfflineKind
    studied_on: dt.date = strawberry.field(description="A day of the window, not after today.")
    hours: float = strawberry.field(
        description=(
            "In steps of the program's study timer policy, at most its daily limit "
            "(defaults: half-hour steps, at most 8 a day)."
        )
    )
    description: str


@strawberry.input
class ReviewOfflineStudyInput:
    log_id: strawberry.ID
    confirm: bool = strawberry.field(description="True confirms, false rejects.")
    note: str = strawberry.field(default="", description="Required when rejecting.")


@strawberry.type
class StudySessionPayload:
    session: StudySession | None
    user_errors: list[UserError]


@strawberry.type
class HeartbeatPayload:
    heartbeat: Heartbeat | None
    user_errors: list[UserError]


@strawberry.type
class OfflineStudyLogPayload:
    log: OfflineStudyLog | None
    user_errors: list[UserError]


@strawberry.type
class Query:
    @strawberry.field(
        description=(
            "The study-time ledger of an enrollment, newest first: why every second between "
            "heartbeats was counted or not. Default: the viewer's current enrollment; the "
            "trainee's class tutor may read it too (others: empty)."
        )
    )
    async def study_ledger(
        self,
        info: Info,
        enrollment_id: strawberry.ID | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[StudyLedgerEntry]:
        enrollment, program = await _readable(info, enrollment_id)
        return await connection(
            use_cases.ledger_of(enrollment),
            lambda row: StudyLedgerEntry.of(row, _time_zone(program)),
            first=first,
            after=after,
            newest_first=True,
        )

    @strawberry.field(
        description="Study sessions of an enrollment, newest first (who may read: as the ledger)."
    )
    async def study_sessions(
        self,
        info: Info,
        enrollment_id: strawberry.ID | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[StudySession]:
        enrollment, program = await _readable(info, enrollment_id)
        now = info.context.now()
        timer = None if program is None else await _timer(info, program)

        def present(row: db.StudySession) -> StudySession:
            assert program is not None
            assert timer is not None
            return StudySession.in_program(row, program, timer, now)

        return await connection(
            use_cases.sessions_of(enrollment), present, first=first, after=after, newest_first=True
        )

    @strawberry.field(
        description=(
            "Offline study logs of an enrollment, newest first, optionally of one status "
            "(who may read: as the ledger)."
        )
    )
    async def offline_study_logs(
        self,
        info: Info,
        enrollment_id: strawberry.ID | None = None,
        status: ReviewStatus | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[OfflineStudyLog]:
        enrollment, program = await _readable(info, enrollment_id)
        return await connection(
            use_cases.offline_logs_of(enrollment, status),
            lambda row: OfflineStudyLog.of(row, _time_zone(program)),
            first=first,
            after=after,
            newest_first=True,
        )


async def _readable(
    info: Info, enrollment_id: strawberry.ID | None
) -> tuple[db.Enrollment | None, db.Program | None]:
    """The enrollment a list reads with its program, or (None, None): an empty list."""
    viewer = info.context.signed_in()
    if names_nothing(enrollment_id, "Enrollment"):
        return None, None
    enrollment = await use_cases.readable_enrollment(viewer, found_pk(enrollment_id, "Enrollment"))
    if enrollment is None:
        return None, None
    info.context.loaders.prime(enrollment)
    return enrollment, await info.context.loaders.by_id(db.Program).load(enrollment.program_id)


def _time_zone(program: db.Program | None) -> str:
    assert program is not None, "rows are only listed for a readable enrollment"
    return program.time_zone


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description=(
            "The signed-in trainee starts studying a topic or resource of their workshop (R9). "
            "Allowed outside the batch window: that time is recorded, not counted (R1). Another "
            "active session refuses with SESSION_CONFLICT unless takeOver ends it (SUPERSEDED); "
            "one that has timed out is ended TIMED_OUT at its last beat."
        )
    )
    async def start_study_session(
        self, info: Info, input: StartStudySessionInput
    ) -> StudySessionPayload:
        return await _session_payload(
            info,
            lambda now: use_cases.start_study_session(
                info.context.viewer,
                now,
                topic_id=optional_pk(input.topic_id, "Topic", "topicId"),
                resource_id=optional_pk(input.resource_id, "Resource", "resourceId"),
                take_over=input.take_over,
            ),
        )

    @strawberry.mutation(
        description=(
            "A heartbeat of an open session (send one a minute while the page is visible). It "
            "credits the seconds since the previous beat up to heartbeatMaxGapSeconds; a longer "
            "gap counts nothing (IDLE_GAP); a sequence not above the last is a retry (DUPLICATE, "
            "0 s); only time inside the batch window counts (R1, a beat across the edge is "
            "split), up to the track's online quota (R8, then OVER_QUOTA). A session ended or "
            "timed out by another start answers SESSION_ENDED; one taken over, SESSION_CONFLICT."
        )
    )
    async def heartbeat(self, info: Info, input: HeartbeatInput) -> HeartbeatPayload:
        now = info.context.now()
        beat, errors = await attempt(
            lambda: use_cases.heartbeat(
                info.context.viewer,
                now,
                pk_of(input.session_id, "StudySession", "sessionId"),
                input.sequence,
            ),
            lambda result: Heartbeat.of(result, now),
        )
        return HeartbeatPayload(heartbeat=beat, user_errors=errors)

    @strawberry.mutation(
        description=(
            "The trainee ends their session (ENDED now, or TIMED_OUT at its last beat if the "
            "beats had already stopped); time since the last heartbeat is not counted."
        )
    )
    async def end_study_session(
        self, info: Info, input: EndStudySessionInput
    ) -> StudySessionPayload:
        return await _session_payload(
            info,
            lambda now: use_cases.end_study_session(
                info.context.viewer, now, pk_of(input.session_id, "StudySession", "sessionId")
            ),
        )

    @strawberry.mutation(
        description=(
            "The trainee logs offline study (线下研修) of their current enrollment, inside the "
            "batch window (R1: WINDOW_NOT_OPEN, WINDOW_CLOSED); it counts once confirmed (R8)."
        )
    )
    async def log_offline_study(
        self, info: Info, input: LogOfflineStudyInput
    ) -> OfflineStudyLogPayload:
        entry = use_cases.OfflineEntry(
            kind=input.kind,
            studied_on=input.studied_on,
            hours=input.hours,
            description=input.description,
        )
        return await _log_payload(
            info, lambda now: use_cases.log_offline_study(info.context.viewer, now, entry)
        )

    @strawberry.mutation(
        description=(
            "The trainee's class tutor confirms (the hours count at once) or rejects, with a "
            "reason, an offline log, once (ALREADY_REVIEWED). Other tutors: NOT_YOUR_CLASS."
        )
    )
    async def review_offline_study(
        self, info: Info, input: ReviewOfflineStudyInput
    ) -> OfflineStudyLogPayload:
        return await _log_payload(
            info,
            lambda now: use_cases.review_offline_study(
                info.context.viewer,
                now,
                pk_of(input.log_id, "OfflineStudyLog", "logId"),
                confirm=input.confirm,
                note=input.note,
            ),
        )


async def _session_payload(
    info: Info, run: Callable[[dt.datetime], Awaitable[tuple[db.StudySession, db.Program]]]
) -> StudySessionPayload:
    now = info.context.now()
    result, errors = await attempt(lambda: run(now), lambda result: result)
    if result is None:
        return StudySessionPayload(session=None, user_errors=errors)
    row, program = result
    session = StudySession.in_program(row, program, await _timer(info, program), now)
    return StudySessionPayload(session=session, user_errors=errors)


async def _log_payload(
    info: Info, run: Callable[[dt.datetime], Awaitable[db.OfflineStudyLog]]
) -> OfflineStudyLogPayload:
    now = info.context.now()
    row, errors = await attempt(lambda: run(now), lambda log: log)
    if row is None:
        return OfflineStudyLogPayload(log=None, user_errors=errors)
    enrollment = await info.context.loaders.by_id(db.Enrollment).load(row.enrollment_id)
    assert enrollment is not None
    program = await info.context.loaders.by_id(db.Program).load(enrollment.program_id)
    assert program is not None
    return OfflineStudyLogPayload(log=OfflineStudyLog.of(row, program.time_zone), user_errors=[])
