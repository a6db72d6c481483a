"""The study timer (学习计时) and offline study (线下研修): the mutations."""

from typing import Any, TypeVar, cast

import strawberry

from lms_plugin.resolvers.core.access import UseCase, Viewer
from lms_plugin.resolvers.study import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.errors import USER_ERRORS, UserError
from lms_plugin.schema.core.mutations import mutation
from lms_plugin.storage import models as db

from .inputs import (
    EndStudySessionInput,
    HeartbeatInput,
    LogOfflineStudyInput,
    ReviewOfflineStudyInput,
    StartStudySessionInput,
)
from .types import Heartbeat, OfflineStudyLog, StudySession

T = TypeVar("T")


@strawberry.type
class StudySessionPayload:
    session: StudySession | None
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type
class HeartbeatPayload:
    heartbeat: Heartbeat | None
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type
class OfflineStudyLogPayload:
    log: OfflineStudyLog | None
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


def _keywords(use_case: UseCase[..., T], *names: str) -> UseCase[..., T]:
    """`use_case` with its last, keyword-only parameters `names` taken in order (the helper
    passes arguments positionally); the same requirement."""

    async def call(viewer: Viewer | None, /, *args: Any) -> T:
        split = len(args) - len(names)
        keywords = dict(zip(names, args[split:], strict=True))
        return await use_case(viewer, *args[:split], **keywords)

    call.requirement = use_case.requirement  # type: ignore[attr-defined]
    return cast(UseCase[..., T], call)


def _session(found: tuple[db.StudySession, db.Program], info: Info) -> StudySession:
    return StudySession.in_program(*found, info.context.now())


async def _log(row: db.OfflineStudyLog, info: Info) -> OfflineStudyLog:
    enrollment = await info.context.loaders.by_id(db.Enrollment).load(row.enrollment_id)
    assert enrollment is not None
    program = await info.context.loaders.by_id(db.Program).load(enrollment.program_id)
    assert program is not None
    return OfflineStudyLog.of(row, program.time_zone)


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
        _keywords(use_cases.start_study_session, "topic_id", "resource_id", "take_over"),
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
        _keywords(use_cases.review_offline_study, "confirm", "note"),
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
