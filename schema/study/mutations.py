"""The study timer (学习计时) and offline study (线下研修): the mutations."""

from typing import TypeVar

import strawberry

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
from .types import Heartbeat, OfflineStudyLog, StudySession, timer_of

T = TypeVar("T")


@strawberry.type(description="学习会话变更的结果（payload）：成功时为会话，被拒绝时为 userErrors。")
class StudySessionPayload:
    session: StudySession | None = strawberry.field(description="学习会话；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="心跳的结果（payload）：成功时为记录的心跳，被拒绝时为 userErrors。")
class HeartbeatPayload:
    heartbeat: Heartbeat | None = strawberry.field(description="记录的心跳；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(
    description="线下研修记录变更的结果（payload）：成功时为记录，被拒绝时为 userErrors。"
)
class OfflineStudyLogPayload:
    log: OfflineStudyLog | None = strawberry.field(description="线下研修记录；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


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
            call.ids["course_id"],
            call.input.take_over,
        ),
        present=_session,
        description=(
            "开始学习计时（start study session，R9）：学习本人工作室的一个专题或资源。"
            "批次窗口之外也可以开始：那段时间只记录、不计入（R1）。已有另一个进行中的会话时以 "
            "SESSION_CONFLICT 拒绝，除非 takeOver 将其结束（SUPERSEDED）；已超时的会话在其"
            "最后一次心跳处记为 TIMED_OUT。"
        ),
    )
    heartbeat = mutation(
        use_cases.heartbeat,
        input=HeartbeatInput,
        payload=HeartbeatPayload,
        arguments=lambda call: (call.now, call.ids["session_id"], call.input.sequence),
        present=lambda beat, info: Heartbeat.of(beat, info.context.now()),
        description=(
            "进行中会话的一次心跳（heartbeat）：页面可见时每分钟发送一次。它计入距上一次心跳的"
            "秒数，至多 heartbeatMaxGapSeconds；间隔更长则不计（IDLE_GAP）；序号不大于上一次的"
            "是重试（DUPLICATE，0 秒，R9）；只有批次窗口内的时间计入（R1，跨越窗口边界的心跳"
            "被拆分），计至该研修方式的网上学时定额（R8，之后为 OVER_QUOTA）。已结束或因另一次"
            "开始而超时的会话答 SESSION_ENDED；被接管的会话答 SESSION_CONFLICT。"
        ),
    )
    end_study_session = mutation(
        use_cases.end_study_session,
        input=EndStudySessionInput,
        payload=StudySessionPayload,
        arguments=lambda call: (call.now, call.ids["session_id"]),
        present=_session,
        description=(
            "结束学习计时（end study session）：此刻记为 ENDED；若心跳早已中断，则在最后一次"
            "心跳处记为 TIMED_OUT；最后一次心跳之后的时间不计入（R9）。"
        ),
    )
    log_offline_study = mutation(
        use_cases.log_offline_study,
        input=LogOfflineStudyInput,
        payload=OfflineStudyLogPayload,
        arguments=lambda call: (call.now, _offline_entry(call.input)),
        present=_log,
        description=(
            "登记线下研修（log offline study）：记入当前报名，须在批次学习窗口内（R1："
            "WINDOW_NOT_OPEN、WINDOW_CLOSED）；经辅导教师确认后计入线下学时（R8）。"
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
            "审核线下研修（review offline study）：确认（学时立即计入，R8）或附理由驳回，"
            "只能审核一次（ALREADY_REVIEWED）。其他辅导教师：NOT_YOUR_CLASS。"
        ),
    )
