"""Programs (one year's whole-staff training phase) and their batches."""

from tortoise import fields
from tortoise.models import Model

from .enums import Track


class Program(Model):
    """A training phase. Every number of the rules is a setting here, with the seed defaults."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=128)
    year = fields.CharField(max_length=32)
    time_zone = fields.CharField(max_length=64, default="Asia/Shanghai")
    # ISO dates (YYYY-MM-DD) of declared holidays; R2 counts them out of a window.
    holidays = fields.JSONField[list[str]](default=list)
    batch_length_days = fields.IntField(default=10)
    tutor_team_cap = fields.IntField(default=8)
    registration_starts_on = fields.DateField()
    registration_ends_on = fields.DateField()
    # R3 daily hours as minutes after local midnight (wall-clock time in `time_zone`).
    registration_opens_minute = fields.IntField(default=9 * 60)
    registration_closes_minute = fields.IntField(default=22 * 60)
    network_online_hours = fields.IntField(default=6)
    network_offline_hours = fields.IntField(default=16)
    transitional_online_hours = fields.IntField(default=4)
    transitional_offline_hours = fields.IntField(default=18)
    # R9: a heartbeat credits at most this many seconds since the previous one.
    heartbeat_max_gap_seconds = fields.IntField(default=120)
    # R11: days per briefing period; null means one briefing per batch.
    briefing_interval_days = fields.IntField(null=True)
    # Grading stays open after a batch window until this date (inclusive).
    assessment_ends_on = fields.DateField(null=True)

    class Meta:
        table = "program"


class Batch(Model):
    """A study window of the workshop phase, serving a set of stage/subject pairs."""

    id = fields.IntField(primary_key=True)
    program: fields.ForeignKeyRelation[Program] = fields.ForeignKeyField(
        "models.Program", related_name="batches", on_delete=fields.CASCADE
    )
    program_id: int
    number = fields.IntField()
    name = fields.CharField(max_length=64)
    track = fields.CharEnumField(Track, max_length=16, default=Track.NETWORK)
    starts_on = fields.DateField()
    ends_on = fields.DateField()
    # [{"stage": "high", "subject": "数学"}, ...]; empty for a transitional batch, which serves
    # every stage and subject of its track.
    subjects = fields.JSONField[list[dict[str, str]]](default=list)

    class Meta:
        table = "batch"
        unique_together = (("program", "number"),)
