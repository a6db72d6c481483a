"""The study timer (学习计时) and offline study (线下研修): the mutations."""

from typing import TypeVar

import strawberry

from lms_plugin.resolvers.study import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.errors import UserError
from lms_plugin.schema.core.mutations import mutation
from lms_plugin.storage import models as db

from .inputs import (
    EndStudySessionInput,
    HeartbeatInput,
    LogOfflineStudyInput,
    ReviewOfflineStudyInput,
    StartStudySessionInput,
)
from .types import Heartbeat, OfflineStudyLog, StudySession, timer_of

T = TypeVar("T")


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


async def _session(found: tuple[db.StudySession, db.Program], info: Info) -> StudySession:
    row, program = found
    return StudySession.under(row, await timer_of(info, program.id), info.context.now())


def _log(row: db.OfflineStudyLog, info: Info) -> OfflineStudyLog:
    return OfflineStudyLog.of(row)


def _offline_entry(input: LogOfflineStudyInput) -> use_cases.OfflineEntry:
    return use_cases.OfflineEntry(
        kind=input.kind,
        studied_on=input.studied_on,
        hours=input.hours,
        description=input.description,
    )


@strawberry.type
class Mutation:
    start_study_session = mutation(
        use_cases.start_study_session,
        input=StartStudySessionInput,
        payload=StudySessionPayload,
        arguments=lambda call: (
            call.now,
            call.ids["topic_id"],
            call.ids["resource_id"],
            call.input.take_over,
        ),
        present=_session,
        description=(
            "Start studying (开始学习计时) a topic or resource of the trainee's workshop (R9). "
            "Allowed outside the batch window: that time is recorded, not counted (R1). Another "
            "active session refuses with SESSION_CONFLICT unless takeOver ends it (SUPERSEDED); "
            "one that has timed out is ended TIMED_OUT at its last beat."
        ),
    )
    heartbeat = mutation(
        use_cases.heartbeat,
        input=HeartbeatInput,
        payload=HeartbeatPayload,
        arguments=lambda call: (call.now, call.ids["session_id"], call.input.sequence),
        present=lambda beat, info: Heartbeat.of(beat, info.context.now()),
        description=(
            "A heartbeat (心跳) of an open session (send one a minute while the page is visible). "
            "It credits the seconds since the previous beat up to heartbeatMaxGapSeconds; a "
            "longer gap counts nothing (IDLE_GAP); a sequence not above the last is a retry "
            "(DUPLICATE, 0 s); only time inside the batch window counts (R1, a beat across the "
            "edge is split), up to the track's online quota (R8, then OVER_QUOTA). A session "
            "ended or timed out by another start answers SESSION_ENDED; one taken over, "
            "SESSION_CONFLICT."
        ),
    )
    end_study_session = mutation(
        use_cases.end_study_session,
        input=EndStudySessionInput,
        payload=StudySessionPayload,
        arguments=lambda call: (call.now, call.ids["session_id"]),
        present=_session,
        description=(
            "End the session (结束学习计时): ENDED now, or TIMED_OUT at its last beat if the "
            "beats had already stopped; time since the last heartbeat is not counted."
        ),
    )
    log_offline_study = mutation(
        use_cases.log_offline_study,
        input=LogOfflineStudyInput,
        payload=OfflineStudyLogPayload,
        arguments=lambda call: (call.now, _offline_entry(call.input)),
        present=_log,
        description=(
            "Log offline study (线下研修) of the current enrollment, inside the batch window "
            "(R1: WINDOW_NOT_OPEN, WINDOW_CLOSED); it counts once confirmed (R8)."
        ),
    )
    review_offline_study = mutation(
        use_cases.review_offline_study,
        input=ReviewOfflineStudyInput,
        payload=OfflineStudyLogPayload,
        arguments=lambda call: (
            call.now,
            call.ids["log_id"],
            call.input.confirm,
            call.input.note,
        ),
        present=_log,
        description=(
            "Confirm (the hours count at once) or reject, with a reason, an offline log "
            "(审核线下研修), once (ALREADY_REVIEWED). Other tutors: NOT_YOUR_CLASS."
        ),
    )
