"""The study timer (学习计时) and offline study (线下研修): the inputs."""

import datetime as dt

import strawberry

from lms_plugin.schema.core.enums import OfflineKind
from lms_plugin.schema.core.mutations import id_of


@strawberry.input(
    description="开始学习（start study session，R9）：学习一个专题或资源（资源带出其专题），"
    "或项目的一门课程。"
)
class StartStudySessionInput:
    topic_id: strawberry.ID | None = id_of(
        "Topic", optional=True, description="学习的专题（topic），可选。"
    )
    resource_id: strawberry.ID | None = id_of(
        "Resource", optional=True, description="学习的资源（resource），可选；其专题随之确定。"
    )
    course_id: strawberry.ID | None = id_of(
        "Course",
        optional=True,
        description="学习的课程（course），可选，不与专题、资源同时选择；计入该课程的学时，"
        "至多为课程学时。选修课程须在全部必修课程修完后才能学习（COURSE_LOCKED）。",
    )
    take_over: bool = strawberry.field(
        default=False,
        description=(
            "接管（take over）：结束该学员另一个进行中的会话（SUPERSEDED），而不是以 "
            "SESSION_CONFLICT 拒绝（R9）。"
        ),
    )


@strawberry.input(description="学习会话的一次心跳（heartbeat，R9）。")
class HeartbeatInput:
    session_id: strawberry.ID = id_of("StudySession", description="心跳所属的学习会话。")
    sequence: int = strawberry.field(
        description="心跳序号（sequence）：每个会话 1、2、3……；重试时发送同一序号，只计一次（R9）。"
    )


@strawberry.input(description="结束学习会话（end study session，R9）。")
class EndStudySessionInput:
    session_id: strawberry.ID = id_of("StudySession", description="要结束的学习会话。")


@strawberry.input(description="一天的线下研修（offline study），须在批次学习窗口内（R1、R8）。")
class LogOfflineStudyInput:
    kind: OfflineKind = strawberry.field(description="线下研修类型（kind）。")
    studied_on: dt.date = strawberry.field(
        description="研修日期（studied on）：窗口内的一天，不晚于今天（R1）。"
    )
    hours: float = strawberry.field(description="学时（hours）：以半小时为单位，每天至多 8 小时。")
    description: str = strawberry.field(description="研修内容说明（description）。")


@strawberry.input(description="审核线下研修记录（review offline study，R8）。")
class ReviewOfflineStudyInput:
    log_id: strawberry.ID = id_of("OfflineStudyLog", description="要审核的线下研修记录。")
    confirm: bool = strawberry.field(description="true 确认（计入线下学时），false 驳回。")
    note: str = strawberry.field(default="", description="审核意见（note）；驳回时必填。")
