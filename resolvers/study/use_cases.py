"""Online study (R1, R8, R9): sessions, heartbeats and their ledger; offline study (R8).

A heartbeat is the hottest write of the system. It reads its session with the enrollment,
program and batch in one joined SELECT outside any transaction, then writes, with its audit row
(it `audits_itself`: the mutation opens no transaction for it). The steady beat (one more
stretch of the open ledger run's kind) is one round trip (`storage/beats.py`: one statement on
PostgreSQL, its audit row included; one short transaction on SQLite); any other beat is one
short `audited_transaction` through the ORM. Both write the session first, guarded by the
sequence and open run it was read with (optimistic: of two concurrent copies of a beat one
wins, the other is read again and counts as a duplicate), then the ledger run, then the
enrollment's total capped at the quota in SQL. Locks are taken in one order (session, ledger,
enrollment) by every use case here, so concurrent requests cannot deadlock."""

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.expressions import Case, F, When
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from lms_plugin.resolvers.core.access import (
    CLASS_TUTOR,
    TRAINEE,
    Viewer,
    require_class_tutor,
    require_viewer,
    requires,
)
from lms_plugin.resolvers.core.audit import (
    audited_transaction,
    audits_itself,
    record_change,
    take_entry,
)
from lms_plugin.resolvers.core.calendar import Window, day_window
from lms_plugin.resolvers.core.courses import CourseStanding, elective_lock_error
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode, Refused, refuse
from lms_plugin.resolvers.core.hours import hour_split
from lms_plugin.resolvers.core.programs import (
    NEWEST_ENROLLMENT_FIRST,
    enrollment_window,
    online_quota_seconds,
    read_policy,
)
from lms_plugin.storage import beats
from lms_plugin.storage.enums import (
    EnrollmentStatus,
    LedgerKind,
    OfflineKind,
    ReviewStatus,
    SessionEndReason,
)
from lms_plugin.storage.models import (
    Course,
    CourseProgress,
    Enrollment,
    OfflineStudyLog,
    Program,
    Resource,
    StudyLedgerEntry,
    StudySession,
    StudyTimerPolicy,
    Topic,
)

from .rules import (
    BeatLimits,
    LedgerPlan,
    OfflineLimits,
    Piece,
    SessionEnd,
    counted_seconds,
    credit_heartbeat,
    duplicate_beat,
    ledger_plan,
    offline_minutes_errors,
    studied_on_error,
    timed_out,
)


def offline_limits(policy: StudyTimerPolicy) -> OfflineLimits:
    """Offline logs: steps and the most of one date, from the program's study timer policy
    (seed defaults: half-hour steps, at most a working day's 8 hours)."""
    return OfflineLimits(
        step_minutes=policy.offline_step_minutes, day_minutes=policy.offline_day_max_minutes
    )


# A heartbeat overtaken by a concurrent copy is read again; a few rounds settle any race.
_BEAT_ATTEMPTS = 3


async def current_enrollment(viewer: Viewer) -> Enrollment | None:
    """The viewer's active enrollment, in the newest program if they have several."""
    return (
        await Enrollment.filter(teacher_id=viewer.id, status=EnrollmentStatus.ACTIVE)
        .order_by(*NEWEST_ENROLLMENT_FIRST)
        .first()
    )


async def readable_enrollment(
    viewer: Viewer | None, enrollment_id: int | None
) -> Enrollment | None:
    """The trainee's own enrollment (default: the current one) or one of the viewer's class;
    None when out of reach, so the lists read as empty."""
    signed_in = require_viewer(viewer)
    if enrollment_id is None:
        return await current_enrollment(signed_in)
    enrollment = await Enrollment.get_or_none(id=enrollment_id)
    if enrollment is None or not await reads_enrollment(signed_in, enrollment):
        return None
    return enrollment


async def reads_enrollment(viewer: Viewer, enrollment: Enrollment) -> bool:
    """The trainee and their class tutor read the trainee's study records."""
    return enrollment.teacher_id == viewer.id or await viewer.tutors_class(
        enrollment.training_class_id
    )


def ledger_of(enrollment: Enrollment | None) -> QuerySet[StudyLedgerEntry]:
    if enrollment is None:
        return StudyLedgerEntry.filter(id__in=[])
    return StudyLedgerEntry.filter(enrollment_id=enrollment.id)


def sessions_of(enrollment: Enrollment | None) -> QuerySet[StudySession]:
    if enrollment is None:
        return StudySession.filter(id__in=[])
    return StudySession.filter(enrollment_id=enrollment.id)


def offline_logs_of(
    enrollment: Enrollment | None, status: ReviewStatus | None
) -> QuerySet[OfflineStudyLog]:
    if enrollment is None:
        return OfflineStudyLog.filter(id__in=[])
    logs = OfflineStudyLog.filter(enrollment_id=enrollment.id)
    return logs if status is None else logs.filter(status=status)


def _ended_refusal(reason: SessionEndReason | None) -> Refused:
    if reason is SessionEndReason.SUPERSEDED:
        return refuse(
            ErrorCode.SESSION_CONFLICT, "该学习会话已被另一页面接管，本页不再计时", "sessionId"
        )
    return refuse(ErrorCode.SESSION_ENDED, "该学习会话已结束，请重新开始学习", "sessionId")


def _session_not_found() -> Refused:
    return refuse(ErrorCode.NOT_FOUND, "找不到该学习会话", "sessionId")


# --- starting and ending a session -------------------------------------------------------


@dataclass(frozen=True)
class StudyTarget:
    """A workshop's topic (专题, with its resource) or a program's course (课程)."""

    workshop_id: int | None
    topic_id: int | None
    resource_id: int | None
    course: Course | None = None


async def _study_target(
    topic_id: int | None, resource_id: int | None, course_id: int | None
) -> StudyTarget:
    """The topic and resource studied (a resource brings its own topic), or a course."""
    if course_id is not None:
        if topic_id is not None or resource_id is not None:
            raise refuse(ErrorCode.INVALID_INPUT, "课程与专题、资源只能选择一项", "courseId")
        course = await Course.get_or_none(id=course_id)
        if course is None:
            raise refuse(ErrorCode.NOT_FOUND, "找不到该课程", "courseId")
        return StudyTarget(None, None, None, course)
    resource = None if resource_id is None else await Resource.get_or_none(id=resource_id)
    if resource_id is not None and (resource is None or topic_id not in (None, resource.topic_id)):
        raise refuse(ErrorCode.NOT_FOUND, "找不到该学习资源", "resourceId")
    topic_pk = resource.topic_id if resource is not None else topic_id
    if topic_pk is None:
        raise refuse(ErrorCode.INVALID_INPUT, "请选择要学习的专题、资源或课程", "topicId")
    topic = await Topic.get_or_none(id=topic_pk)
    if topic is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该专题", "topicId")
    return StudyTarget(topic.workshop_id, topic.id, resource_id)


async def _own_enrollment_in(viewer: Viewer, target: StudyTarget) -> Enrollment:
    enrollments = await Enrollment.filter(teacher_id=viewer.id, status=EnrollmentStatus.ACTIVE)
    if not enrollments:
        raise refuse(ErrorCode.NOT_ENROLLED, "你尚未报名参加研修")
    for enrollment in enrollments:
        if target.course is not None and enrollment.program_id == target.course.program_id:
            return enrollment
        if target.course is None and enrollment.workshop_id == target.workshop_id:
            return enrollment
    if target.course is not None:
        raise refuse(ErrorCode.NOT_FOUND, "这不是你所参加项目的课程", "courseId")
    field = "topicId" if target.resource_id is None else "resourceId"
    raise refuse(ErrorCode.NOT_FOUND, "这不是你所在工作室的专题或资源", field)


async def course_standings(enrollment_id: int, courses: list[Course]) -> list[CourseStanding]:
    """The trainee's counted time in each course, in the given order (0 where not begun)."""
    seconds = dict(
        await CourseProgress.filter(
            enrollment_id=enrollment_id, course_id__in=[c.id for c in courses]
        ).values_list("course_id", "seconds")
    )
    return [CourseStanding(c.name, c.hours, seconds.get(c.id, 0)) for c in courses]


async def _course_progress(enrollment: Enrollment, course: Course) -> CourseProgress:
    """Seed 004: an elective opens once every required course of the program is complete."""
    if not course.required:
        required = await Course.filter(program_id=course.program_id, required=True).order_by(
            "position", "id"
        )
        if error := elective_lock_error(await course_standings(enrollment.id, required)):
            raise Refused([error])
    progress, _ = await CourseProgress.get_or_create(
        enrollment_id=enrollment.id, course_id=course.id
    )
    return progress


@requires(TRAINEE)
async def start_study_session(
    viewer: Viewer,
    now: dt.datetime,
    topic_id: int | None,
    resource_id: int | None,
    course_id: int | None,
    take_over: bool,
) -> tuple[StudySession, Program]:
    """R9: one active session per trainee, studying a workshop topic or a course (whose time
    counts into the course, up to its hours). An open session that still beats refuses a second
    one unless `take_over` ends it (SUPERSEDED); one whose beats stopped for longer than the gap
    limit ends by itself (TIMED_OUT at its last beat). The slot is claimed with a conditional
    update, so of two concurrent starts only one wins."""
    target = await _study_target(topic_id, resource_id, course_id)
    enrollment = await _own_enrollment_in(viewer, target)
    progress = None if target.course is None else await _course_progress(enrollment, target.course)
    program = await Program.get(id=enrollment.program_id)
    previous_id = enrollment.active_session_id
    previous = None if previous_id is None else await StudySession.get_or_none(id=previous_id)
    end: SessionEnd | None = None
    if previous is not None and previous.ended_at is None:
        timer = await read_policy(StudyTimerPolicy, program.id)
        if timed_out(previous.last_beat_at, now, timer.heartbeat_max_gap_seconds):
            end = SessionEnd(previous.last_beat_at, SessionEndReason.TIMED_OUT)
        elif take_over:
            end = SessionEnd(now, SessionEndReason.SUPERSEDED)
        else:
            raise refuse(
                ErrorCode.SESSION_CONFLICT,
                "你正在另一页面学习；如需在本页继续，请选择接管（takeOver），原页面将停止计时",
                "takeOver",
            )
    async with in_transaction():
        if previous is not None and end is not None:
            still_open = StudySession.filter(id=previous.id, ended_at__isnull=True)
            if end.reason is SessionEndReason.TIMED_OUT:
                # A beat that revived it meanwhile makes it active again: no silent time-out.
                still_open = still_open.filter(last_sequence=previous.last_sequence)
            if not await still_open.update(ended_at=end.at, end_reason=end.reason):
                raise _slot_taken()
            record_change(
                StudySession,
                previous.id,
                {"ended_at": (None, end.at), "end_reason": (None, end.reason)},
                person_id=enrollment.teacher_id,
            )
        session = await StudySession.create(
            enrollment_id=enrollment.id,
            topic_id=target.topic_id,
            resource_id=target.resource_id,
            course_progress_id=None if progress is None else progress.id,
            started_at=now,
            last_beat_at=now,
        )
        claimed = await Enrollment.filter(id=enrollment.id, active_session_id=previous_id).update(
            active_session_id=session.id, last_activity_at=now
        )
        if not claimed:
            raise _slot_taken()
        record_change(
            Enrollment,
            enrollment.id,
            {
                "active_session_id": (previous_id, session.id),
                "last_activity_at": (enrollment.last_activity_at, now),
            },
            person_id=enrollment.teacher_id,
        )
    return session, program


def _slot_taken() -> Refused:
    return refuse(ErrorCode.SESSION_CONFLICT, "另一页面的学习刚刚有了变化，请重试", "takeOver")


async def _owned_session(viewer: Viewer, session_id: int) -> tuple[StudySession, Enrollment]:
    session = await StudySession.get_or_none(id=session_id)
    enrollment = None if session is None else await Enrollment.get(id=session.enrollment_id)
    if session is None or enrollment is None or enrollment.teacher_id != viewer.id:
        raise _session_not_found()
    return session, enrollment


@requires(TRAINEE)
async def end_study_session(
    viewer: Viewer, now: dt.datetime, session_id: int
) -> tuple[StudySession, Program]:
    """Ends the viewer's session now (ENDED), or at its last beat if it had already timed out;
    the time since the last heartbeat is not counted."""
    session, enrollment = await _owned_session(viewer, session_id)
    if session.ended_at is not None:
        raise _ended_refusal(session.end_reason)
    program = await Program.get(id=enrollment.program_id)
    timer = await read_policy(StudyTimerPolicy, program.id)
    end = (
        SessionEnd(session.last_beat_at, SessionEndReason.TIMED_OUT)
        if timed_out(session.last_beat_at, now, timer.heartbeat_max_gap_seconds)
        else SessionEnd(now, SessionEndReason.ENDED)
    )
    async with in_transaction():
        ended = await StudySession.filter(id=session.id, ended_at__isnull=True).update(
            ended_at=end.at, end_reason=end.reason
        )
        if not ended:
            raise _ended_refusal(SessionEndReason.ENDED)
        record_change(
            StudySession,
            session.id,
            {"ended_at": (None, end.at), "end_reason": (None, end.reason)},
            person_id=enrollment.teacher_id,
        )
        if await Enrollment.filter(id=enrollment.id, active_session_id=session.id).update(
            active_session_id=None
        ):
            record_change(
                Enrollment,
                enrollment.id,
                {"active_session_id": (session.id, None)},
                person_id=enrollment.teacher_id,
            )
    session.ended_at, session.end_reason = end.at, end.reason
    return session, program


# --- heartbeats --------------------------------------------------------------------------


@dataclass(frozen=True)
class BeatState:
    """What one heartbeat needs, read in one joined SELECT (`storage/beats.py`)."""

    session: beats.SessionRow
    teacher_id: int
    enrolled: bool
    online_seconds: int
    quota_seconds: int
    window: Window
    max_gap_seconds: int

    @property
    def in_course(self) -> bool:
        """A course's session: its time counts into the course, up to the course's hours."""
        return self.session.course_progress_id is not None

    @classmethod
    async def read(cls, session_id: int) -> "BeatState | None":
        row = await beats.read_beat(session_id)
        if row is None:
            return None
        split = hour_split(
            row.track, network=row.network_hours, transitional=row.transitional_hours
        )
        # A course session counts against the course's hours, a topic's against the track's.
        return cls(
            session=row.session,
            teacher_id=row.teacher_id,
            enrolled=row.status is EnrollmentStatus.ACTIVE,
            online_seconds=row.online_seconds if row.course_seconds is None else row.course_seconds,
            quota_seconds=(
                row.course_hours * 3600
                if row.course_hours is not None
                else online_quota_seconds(split)
            ),
            window=day_window(row.starts_on, row.ends_on, row.time_zone),
            max_gap_seconds=row.max_gap_seconds,
        )


@dataclass(frozen=True)
class Beat:
    """A recorded heartbeat: its pieces of time, and the session as it stands after it."""

    sequence: int
    pieces: list[Piece]
    online_seconds: int
    session: beats.SessionRow
    max_gap_seconds: int

    @property
    def counted_seconds(self) -> int:
        return counted_seconds(self.pieces)


def _record_beat_changes(
    state: BeatState,
    now: dt.datetime,
    sequence: int,
    counted: int,
    open_id: int | None,
    open_kind: LedgerKind,
    duplicate: bool,
) -> None:
    """A beat's one audit row, its session's change, from the state it read (no statement of
    its own). The run it extended and the totals it added to are not logged again: the study
    ledger is the append-only record of every run of beats, and the enrollment's (or course's)
    online seconds are its capped sum (README, "The audit log")."""
    session = state.session
    changes: dict[str, tuple[Any, Any]] = {
        "open_entry_id": (session.open_entry_id, open_id),
        "open_entry_kind": (session.open_entry_kind, open_kind),
    }
    if not duplicate:
        changes |= {
            "last_sequence": (session.last_sequence, sequence),
            "last_beat_at": (session.last_beat_at, now),
            "counted_seconds": (session.counted_seconds, session.counted_seconds + counted),
        }
    record_change(StudySession, session.id, changes, person_id=state.teacher_id)


class _Overtaken(Exception):
    """A concurrent request changed the session since it was read: roll back and read again."""


@audits_itself
@requires(TRAINEE)
async def heartbeat(viewer: Viewer, now: dt.datetime, session_id: int, sequence: int) -> Beat:
    """R9: credits the time since the previous beat (see `credit_heartbeat`); a sequence not
    above the last one is a retry and counts nothing (DUPLICATE). A beat after a gap longer than
    the limit revives a session that no other start has ended; the gap is IDLE_GAP."""
    if sequence < 1:
        raise refuse(ErrorCode.INVALID_INPUT, "心跳序号须为正整数", "sequence")
    for _ in range(_BEAT_ATTEMPTS):
        state = await BeatState.read(session_id)
        if state is None or state.teacher_id != viewer.id:
            raise _session_not_found()
        if state.session.ended_at is not None:
            raise _ended_refusal(state.session.end_reason)
        if not state.enrolled:
            raise refuse(ErrorCode.NOT_ENROLLED, "你已退出本次研修，学习不再计时", "sessionId")
        try:
            return await _record_beat(state, now, sequence)
        except _Overtaken:
            continue
    raise refuse(ErrorCode.SESSION_CONFLICT, "学习计时繁忙，请稍后重试", "sessionId")


async def _record_beat(state: BeatState, now: dt.datetime, sequence: int) -> Beat:
    session = state.session
    duplicate = sequence <= session.last_sequence
    pieces = (
        duplicate_beat(now)
        if duplicate
        else credit_heartbeat(
            session.last_beat_at,
            now,
            BeatLimits(
                max_gap_seconds=state.max_gap_seconds,
                window=state.window,
                online_seconds=state.online_seconds,
                quota_seconds=state.quota_seconds,
            ),
        )
    )
    open_kind = session.open_entry_kind if session.open_entry_id is not None else None
    plan = ledger_plan(open_kind, pieces)
    counted = counted_seconds(pieces)
    # The one-statement path extends a topic's total; a course's goes the general way.
    if plan.extend is not None and not plan.new and not duplicate and not state.in_course:
        await _extend(state, now, sequence, plan.extend, counted)
        after = session
    else:
        after = await _write_beat(state, now, sequence, plan, pieces, counted)
    if not duplicate:
        after = replace(
            after,
            last_sequence=sequence,
            last_beat_at=now,
            counted_seconds=after.counted_seconds + counted,
        )
    return Beat(
        sequence=sequence,
        pieces=pieces,
        online_seconds=min(state.online_seconds + counted, state.quota_seconds),
        session=after,
        max_gap_seconds=state.max_gap_seconds,
    )


async def _extend(
    state: BeatState, now: dt.datetime, sequence: int, extend: Piece, counted: int
) -> None:
    """The steady beat, one more stretch of the open run's kind: one round trip."""
    session = state.session
    assert session.open_entry_id is not None
    _record_beat_changes(
        state, now, sequence, counted, session.open_entry_id, extend.kind, duplicate=False
    )
    won = await beats.extend_beat(
        beats.Extension(
            session_id=session.id,
            enrollment_id=session.enrollment_id,
            read_sequence=session.last_sequence,
            open_entry_id=session.open_entry_id,
            sequence=sequence,
            now=now,
            counted=counted,
            run_seconds=extend.seconds,
            run_ends_at=extend.ends_at,
            quota=state.quota_seconds,
        ),
        take_entry(now),
    )
    if not won:
        raise _Overtaken


async def _write_beat(
    state: BeatState,
    now: dt.datetime,
    sequence: int,
    plan: LedgerPlan,
    pieces: list[Piece],
    counted: int,
) -> beats.SessionRow:
    """Any other beat (a first beat, a change of kind, a retry): the session first, guarded by
    what was read, then the ledger runs, then the total. Returns the session with its open run
    as it now stands."""
    session = state.session
    duplicate = sequence <= session.last_sequence
    open_id = session.open_entry_id
    async with audited_transaction(now):
        changes: dict[str, Any] = {"open_entry_kind": pieces[-1].kind}
        if not duplicate:
            changes |= {
                "last_sequence": sequence,
                "last_beat_at": now,
                "counted_seconds": F("counted_seconds") + counted,
            }
        won = await StudySession.filter(
            id=session.id,
            last_sequence=session.last_sequence,
            open_entry_id=session.open_entry_id,
            ended_at__isnull=True,
        ).update(**changes)
        if not won:
            raise _Overtaken
        if plan.extend is not None:
            await StudyLedgerEntry.filter(id=open_id).update(
                seconds=F("seconds") + plan.extend.seconds,
                heartbeats=F("heartbeats") + (0 if plan.new else 1),
                last_at=plan.extend.ends_at,
            )
        for position, piece in enumerate(plan.new, start=1):
            entry = await StudyLedgerEntry.create(
                session_id=session.id,
                enrollment_id=session.enrollment_id,
                kind=piece.kind,
                seconds=piece.seconds,
                heartbeats=1 if position == len(plan.new) else 0,
                first_at=piece.starts_at,
                last_at=piece.ends_at,
            )
            open_id = entry.id
        if open_id != session.open_entry_id:
            await StudySession.filter(id=session.id).update(open_entry_id=open_id)
        quota = state.quota_seconds
        if session.course_progress_id is None:
            await Enrollment.filter(id=session.enrollment_id).update(
                online_seconds=_capped("online_seconds", counted, quota), last_activity_at=now
            )
        else:
            await CourseProgress.filter(id=session.course_progress_id).update(
                seconds=_capped("seconds", counted, quota)
            )
            await Enrollment.filter(id=session.enrollment_id).update(last_activity_at=now)
        _record_beat_changes(state, now, sequence, counted, open_id, pieces[-1].kind, duplicate)
    return replace(session, open_entry_id=open_id, open_entry_kind=pieces[-1].kind)


def _capped(column: str, counted: int, quota: int) -> Case:
    """The running total plus `counted`, never above the quota, in SQL (R8: time counts once,
    up to the quota, also when two beats of a trainee's sessions race)."""
    return Case(
        # tortoise wraps a constant `then` at run time; its annotation omits int.
        When(**{f"{column}__gte": quota - counted}, then=quota),  # type: ignore[arg-type]
        default=F(column) + counted,
    )


# --- offline study -----------------------------------------------------------------------


@dataclass(frozen=True)
class OfflineEntry:
    kind: OfflineKind
    studied_on: dt.date
    hours: float
    description: str


@requires(TRAINEE)
async def log_offline_study(
    viewer: Viewer, now: dt.datetime, entry: OfflineEntry
) -> OfflineStudyLog:
    """R8, R1: the trainee logs offline study (线下研修) of a day of the window, inside it."""
    enrollment = await current_enrollment(viewer)
    if enrollment is None:
        raise refuse(ErrorCode.NOT_ENROLLED, "你尚未报名参加研修")
    found = await enrollment_window(enrollment)
    found.check_open(now)
    batch, program = found.batch, found.program
    errors: list[DomainError] = []
    description = entry.description.strip()
    if not description:
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "请填写研修内容", ("description",)))
    today = now.astimezone(ZoneInfo(program.time_zone)).date()
    if wrong_day := studied_on_error(entry.studied_on, today, batch.starts_on):
        errors.append(wrong_day)
    same_day = await OfflineStudyLog.filter(
        enrollment_id=enrollment.id,
        studied_on=entry.studied_on,
        status__in=(ReviewStatus.PENDING, ReviewStatus.CONFIRMED),
    ).values_list("minutes", flat=True)
    limits = offline_limits(await read_policy(StudyTimerPolicy, program.id))
    errors += offline_minutes_errors(entry.hours, sum(same_day), limits)  # type: ignore[arg-type]
    if errors:
        raise Refused(errors)
    return await OfflineStudyLog.create(
        enrollment_id=enrollment.id,
        kind=entry.kind,
        studied_on=entry.studied_on,
        minutes=round(entry.hours * 60),
        description=description,
        logged_at=now,
    )


@requires(CLASS_TUTOR)
async def review_offline_study(
    viewer: Viewer, now: dt.datetime, log_id: int, confirm: bool, note: str
) -> OfflineStudyLog:
    """R8: the trainee's class tutor confirms (the minutes count at once) or rejects with a
    reason, once. A conditional update makes a second, concurrent review a no-op."""
    log = await OfflineStudyLog.get_or_none(id=log_id)
    enrollment = None if log is None else await Enrollment.get(id=log.enrollment_id)
    if log is None or enrollment is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该线下研修记录", "logId")
    if not await viewer.tutors_class(enrollment.training_class_id) and not (
        enrollment.teacher_id == viewer.id or await viewer.works_in_workshop(enrollment.workshop_id)
    ):
        # Outside the trainee's workshop the log is out of scope, so it reads as not found.
        raise refuse(ErrorCode.NOT_FOUND, "找不到该线下研修记录", "logId")
    await require_class_tutor(viewer, enrollment.training_class_id, "审核", "logId")
    if log.status is not ReviewStatus.PENDING:
        raise _already_reviewed()
    reason = note.strip()
    if not confirm and not reason:
        raise refuse(ErrorCode.INVALID_INPUT, "退回须填写理由", "note")
    status = ReviewStatus.CONFIRMED if confirm else ReviewStatus.REJECTED
    async with in_transaction():
        reviewed = await OfflineStudyLog.filter(id=log.id, status=ReviewStatus.PENDING).update(
            status=status, reviewed_by_id=viewer.id, reviewed_at=now, review_note=reason
        )
        if not reviewed:
            raise _already_reviewed()
        record_change(
            OfflineStudyLog,
            log.id,
            {
                "status": (log.status, status),
                "reviewed_by_id": (log.reviewed_by_id, viewer.id),
                "reviewed_at": (log.reviewed_at, now),
                "review_note": (log.review_note, reason),
            },
            person_id=enrollment.teacher_id,
        )
        if confirm:
            await Enrollment.filter(id=enrollment.id).update(
                offline_minutes=F("offline_minutes") + log.minutes
            )
            # Read before the update: a concurrent confirmation of another log may race it,
            # the log shows this one's minutes, which is the change it made.
            record_change(
                Enrollment,
                enrollment.id,
                {
                    "offline_minutes": (
                        enrollment.offline_minutes,
                        enrollment.offline_minutes + log.minutes,
                    )
                },
                person_id=enrollment.teacher_id,
            )
    log.status, log.reviewed_by_id, log.reviewed_at, log.review_note = (
        status,
        viewer.id,
        now,
        reason,
    )
    return log


def _already_reviewed() -> Refused:
    return refuse(ErrorCode.ALREADY_REVIEWED, "该记录已审核", "logId")
