"""The study timer (学习计时) and offline study (线下研修): the inputs."""

import datetime as dt

import strawberry

from lms_plugin.schema.core.enums import OfflineKind
from lms_plugin.schema.core.mutations import id_of


@strawberry.input(
    description="Start studying a topic or a resource (a resource brings its topic) (R9)."
)
class StartStudySessionInput:
    topic_id: strawberry.ID | None = id_of("Topic", optional=True)
    resource_id: strawberry.ID | None = id_of("Resource", optional=True)
    take_over: bool = strawberry.field(
        default=False,
        description=(
            "End the trainee's other active session (SUPERSEDED) instead of refusing with "
            "SESSION_CONFLICT."
        ),
    )


@strawberry.input
class HeartbeatInput:
    session_id: strawberry.ID = id_of("StudySession")
    sequence: int = strawberry.field(
        description="1, 2, 3… per session; a retry sends the same number again and counts once."
    )


@strawberry.input
class EndStudySessionInput:
    session_id: strawberry.ID = id_of("StudySession")


@strawberry.input(description="Offline study of one day of the batch window (R1, R8).")
class LogOfflineStudyInput:
    kind: OfflineKind
    studied_on: dt.date = strawberry.field(description="A day of the window, not after today.")
    hours: float = strawberry.field(description="In half-hour steps, at most 8 a day.")
    description: str


@strawberry.input
class ReviewOfflineStudyInput:
    log_id: strawberry.ID = id_of("OfflineStudyLog")
    confirm: bool = strawberry.field(description="True confirms, false rejects.")
    note: str = strawberry.field(default="", description="Required when rejecting.")
