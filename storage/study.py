"""Online study sessions with their compact ledger, and offline study logs (R8, R9)."""

from tortoise import fields

from .assessment import CourseProgress
from .enrollment import Enrollment
from .enums import LedgerKind, OfflineKind, ReviewStatus, SessionEndReason
from .organisation import Person
from .programs import Program
from .tracking import Tracked
from .workshops import Resource, Topic


class StudySession(Tracked):
    """One stretch of online study. Heartbeats update this row, they are not stored one by one."""

    id = fields.IntField(primary_key=True)
    enrollment: fields.ForeignKeyRelation[Enrollment] = fields.ForeignKeyField(
        "models.Enrollment", related_name="study_sessions", on_delete=fields.CASCADE
    )
    enrollment_id: int
    topic: fields.ForeignKeyNullableRelation[Topic] = fields.ForeignKeyField(
        "models.Topic", related_name="study_sessions", null=True, on_delete=fields.SET_NULL
    )
    topic_id: int | None
    resource: fields.ForeignKeyNullableRelation[Resource] = fields.ForeignKeyField(
        "models.Resource", related_name="study_sessions", null=True, on_delete=fields.SET_NULL
    )
    resource_id: int | None
    # A course session counts into the trainee's progress in that course, not the workshop's.
    course_progress: fields.ForeignKeyNullableRelation[CourseProgress] = fields.ForeignKeyField(
        "models.CourseProgress", related_name="sessions", null=True, on_delete=fields.CASCADE
    )
    course_progress_id: int | None
    started_at = fields.DatetimeField()
    last_beat_at = fields.DatetimeField()
    last_sequence = fields.IntField(default=0)
    counted_seconds = fields.IntField(default=0)
    ended_at = fields.DatetimeField(null=True)
    end_reason = fields.CharEnumField(SessionEndReason, max_length=16, null=True)
    # The ledger entry the next beat of the same kind extends (run-length encoding).
    open_entry_id = fields.IntField(null=True)
    open_entry_kind = fields.CharEnumField(LedgerKind, max_length=16, null=True)

    class Meta:
        table = "study_session"
        indexes = (("enrollment_id", "started_at"),)


class StudyLedgerEntry(Tracked):
    """A run of consecutive heartbeats of one kind: counted, or not and why (R9)."""

    id = fields.IntField(primary_key=True)
    session: fields.ForeignKeyRelation[StudySession] = fields.ForeignKeyField(
        "models.StudySession", related_name="ledger", on_delete=fields.CASCADE
    )
    session_id: int
    enrollment: fields.ForeignKeyRelation[Enrollment] = fields.ForeignKeyField(
        "models.Enrollment", related_name="ledger", on_delete=fields.CASCADE
    )
    enrollment_id: int
    kind = fields.CharEnumField(LedgerKind, max_length=16)
    seconds = fields.IntField(default=0)
    heartbeats = fields.IntField(default=0)
    first_at = fields.DatetimeField()
    last_at = fields.DatetimeField()

    class Meta:
        table = "study_ledger_entry"
        indexes = (("enrollment_id", "id"),)


class OfflineStudyLog(Tracked):
    """线下研修: logged by the trainee, confirmed or rejected by the class tutor (R8)."""

    id = fields.IntField(primary_key=True)
    enrollment: fields.ForeignKeyRelation[Enrollment] = fields.ForeignKeyField(
        "models.Enrollment", related_name="offline_logs", on_delete=fields.CASCADE
    )
    enrollment_id: int
    kind = fields.CharEnumField(OfflineKind, max_length=32)
    studied_on = fields.DateField()
    minutes = fields.IntField()
    description = fields.TextField()
    status = fields.CharEnumField(ReviewStatus, max_length=16, default=ReviewStatus.PENDING)
    logged_at = fields.DatetimeField()
    reviewed_by: fields.ForeignKeyNullableRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="offline_reviews", null=True, on_delete=fields.RESTRICT
    )
    reviewed_by_id: int | None
    reviewed_at = fields.DatetimeField(null=True)
    review_note = fields.TextField(default="")

    class Meta:
        table = "offline_study_log"
        indexes = (("enrollment_id", "status"),)


class StudyTimerPolicy(Tracked):
    """Study timer policy of a program (R9, R8): the heartbeat gap that still counts, and the
    steps and daily limit of logged offline study."""

    id = fields.IntField(primary_key=True)
    program: fields.OneToOneRelation[Program] = fields.OneToOneField(
        "models.Program", related_name="study_timer_policy", on_delete=fields.CASCADE
    )
    program_id: int
    # R9: a heartbeat credits at most this many seconds since the previous one.
    heartbeat_max_gap_seconds = fields.IntField(default=120)
    # Offline logs: hours in steps of this many minutes, at most this many minutes on one date.
    offline_step_minutes = fields.IntField(default=30)
    offline_day_max_minutes = fields.IntField(default=8 * 60)

    class Meta:
        table = "study_timer_policy"
