"""Enrollments: a teacher registered for a program's workshop phase."""

from tortoise import fields

from .enums import EnrollmentStatus, Track
from .organisation import Person
from .programs import Batch, Program
from .tracking import Tracked
from .workshops import Topic, TrainingClass, Workshop


class Enrollment(Tracked):
    """One per teacher per program (R5). Holds the running totals that reads need often."""

    audit_person = "teacher_id"

    id = fields.IntField(primary_key=True)
    program: fields.ForeignKeyRelation[Program] = fields.ForeignKeyField(
        "models.Program", related_name="enrollments", on_delete=fields.CASCADE
    )
    program_id: int
    teacher: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="enrollments", on_delete=fields.RESTRICT
    )
    teacher_id: int
    batch: fields.ForeignKeyRelation[Batch] = fields.ForeignKeyField(
        "models.Batch", related_name="enrollments", on_delete=fields.RESTRICT
    )
    batch_id: int
    workshop: fields.ForeignKeyRelation[Workshop] = fields.ForeignKeyField(
        "models.Workshop", related_name="enrollments", on_delete=fields.RESTRICT
    )
    workshop_id: int
    topic: fields.ForeignKeyNullableRelation[Topic] = fields.ForeignKeyField(
        "models.Topic", related_name="enrollments", null=True, on_delete=fields.SET_NULL
    )
    topic_id: int | None
    training_class: fields.ForeignKeyNullableRelation[TrainingClass] = fields.ForeignKeyField(
        "models.TrainingClass", related_name="enrollments", null=True, on_delete=fields.SET_NULL
    )
    training_class_id: int | None
    track = fields.CharEnumField(Track, max_length=16)
    status = fields.CharEnumField(EnrollmentStatus, max_length=16, default=EnrollmentStatus.ACTIVE)
    registered_by: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="registrations_made", on_delete=fields.RESTRICT
    )
    registered_by_id: int
    registered_at = fields.DatetimeField()
    # R8/R9 running totals: counted online seconds (capped at the track's quota) and the
    # confirmed offline minutes (uncapped; progress caps them at the quota).
    online_seconds = fields.IntField(default=0)
    offline_minutes = fields.IntField(default=0)
    last_activity_at = fields.DatetimeField(null=True)
    # R9: at most one open study session; set and cleared with conditional updates.
    active_session_id = fields.IntField(null=True)
    # 补修 (seed 000 §五.6): the failed or absent enrollment of an earlier program this makes up.
    make_up_of_id = fields.IntField(null=True)

    class Meta:
        table = "enrollment"
        unique_together = (("program", "teacher"),)
        # (teacher_id, program_id): a viewer's enrollments, the newest program first.
        indexes = (
            ("training_class_id",),
            ("workshop_id",),
            ("batch_id",),
            ("teacher_id", "program_id"),
        )


class HourPolicy(Tracked):
    """Hour policy of a program (R8): online and offline hours of each track."""

    id = fields.IntField(primary_key=True)
    program: fields.OneToOneRelation[Program] = fields.OneToOneField(
        "models.Program", related_name="hour_policy", on_delete=fields.CASCADE
    )
    program_id: int
    network_online_hours = fields.IntField(default=6)
    network_offline_hours = fields.IntField(default=16)
    transitional_online_hours = fields.IntField(default=4)
    transitional_offline_hours = fields.IntField(default=18)

    class Meta:
        table = "hour_policy"
