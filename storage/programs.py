"""Programs (one year's whole-staff training phase) and their batches."""

from tortoise import fields

from .enums import PhaseKind, Track
from .tracking import Tracked


class Program(Tracked):
    """A training phase: its name and holidays; its periods are its phases (`ProgramPhase`).
    The numbers of the rules live in the policies of its areas, one row each, created with the
    program."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=128)
    year = fields.CharField(max_length=32)
    time_zone = fields.CharField(max_length=64, default="Asia/Shanghai")
    # ISO dates (YYYY-MM-DD) of declared holidays; R2 counts them out of a window.
    holidays = fields.JSONField[list[str]](default=list)

    class Meta:
        table = "program"


class ProgramPhase(Tracked):
    """One phase of a program (seed 001 §七) with its dates, both inclusive, local dates in the
    program's time zone. Rules that depend on a period read it: registration (R3) the
    REGISTRATION phase, grading the end of ASSESSMENT."""

    id = fields.IntField(primary_key=True)
    program: fields.ForeignKeyRelation[Program] = fields.ForeignKeyField(
        "models.Program", related_name="phases", on_delete=fields.CASCADE
    )
    program_id: int
    kind = fields.CharEnumField(PhaseKind, max_length=32)
    starts_on = fields.DateField()
    ends_on = fields.DateField()

    class Meta:
        table = "program_phase"
        unique_together = (("program", "kind"),)


class Batch(Tracked):
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


class BatchPolicy(Tracked):
    """Batch policy of a program (R2): the most study days of a batch window."""

    id = fields.IntField(primary_key=True)
    program: fields.OneToOneRelation[Program] = fields.OneToOneField(
        "models.Program", related_name="batch_policy", on_delete=fields.CASCADE
    )
    program_id: int
    max_study_days = fields.IntField(default=10)

    class Meta:
        table = "batch_policy"


class RegistrationPolicy(Tracked):
    """Registration policy of a program (R3): the daily hours of self-registration."""

    id = fields.IntField(primary_key=True)
    program: fields.OneToOneRelation[Program] = fields.OneToOneField(
        "models.Program", related_name="registration_policy", on_delete=fields.CASCADE
    )
    program_id: int
    # Minutes after local midnight (wall-clock time in the program's zone): 9:00 to 22:00.
    daily_opens_minute = fields.IntField(default=9 * 60)
    daily_closes_minute = fields.IntField(default=22 * 60)

    class Meta:
        table = "registration_policy"
