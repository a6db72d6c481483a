"""Roster imports (报名汇总表, issue 9) run as jobs, and group registrations (集体报名,
seed 001 §七(二)): school → county → city, each step with who and when."""

from tortoise import fields

from .enums import GroupRegistrationStatus, ImportStatus, RosterLayout
from .homework import Attachment
from .organisation import Person, School
from .programs import Program
from .tracking import Tracked


class ImportJob(Tracked):
    """One import of an uploaded sheet: its counts, its progress and its row errors.

    A job that was running when its worker stopped is found by its stale heartbeat and marked
    interrupted (never left running for ever, never lost)."""

    id = fields.IntField(primary_key=True)
    layout = fields.CharEnumField(RosterLayout, max_length=16)
    uploaded_by: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="import_jobs", on_delete=fields.RESTRICT
    )
    uploaded_by_id: int
    upload: fields.ForeignKeyNullableRelation[Attachment] = fields.ForeignKeyField(
        "models.Attachment", related_name="import_jobs", null=True, on_delete=fields.SET_NULL
    )
    upload_id: int | None
    filename = fields.CharField(max_length=255)
    dry_run = fields.BooleanField()
    import_good_rows = fields.BooleanField()
    status = fields.CharEnumField(ImportStatus, max_length=16)
    total_rows = fields.IntField(default=0)
    error_rows = fields.IntField(default=0)
    created_count = fields.IntField(default=0)
    updated_count = fields.IntField(default=0)
    unchanged_count = fields.IntField(default=0)
    progress = fields.SmallIntField(default=0)
    message = fields.CharField(max_length=255, null=True)
    started_at = fields.DatetimeField()
    heartbeat_at = fields.DatetimeField()
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "import_job"
        indexes = (("status", "heartbeat_at"),)


class ImportRowError(Tracked):
    id = fields.IntField(primary_key=True)
    job: fields.ForeignKeyRelation[ImportJob] = fields.ForeignKeyField(
        "models.ImportJob", related_name="row_errors", on_delete=fields.CASCADE
    )
    job_id: int
    row = fields.IntField()
    column = fields.CharField(max_length=64, null=True)
    code = fields.CharField(max_length=32)
    message = fields.CharField(max_length=255)

    class Meta:
        table = "import_row_error"
        indexes = (("job_id", "row"),)


class GroupRegistration(Tracked):
    """A school's list of teachers for a program, reviewed by its county."""

    id = fields.IntField(primary_key=True)
    program: fields.ForeignKeyRelation[Program] = fields.ForeignKeyField(
        "models.Program", related_name="group_registrations", on_delete=fields.CASCADE
    )
    program_id: int
    school: fields.ForeignKeyRelation[School] = fields.ForeignKeyField(
        "models.School", related_name="group_registrations", on_delete=fields.RESTRICT
    )
    school_id: int
    status = fields.CharEnumField(GroupRegistrationStatus, max_length=16)
    return_reason = fields.CharField(max_length=500, null=True)
    enrolled_count = fields.IntField(default=0)
    refused_count = fields.IntField(default=0)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "group_registration"
        unique_together = (("program", "school"),)


class GroupRegistrationEntry(Tracked):
    """One teacher of the list, and after approval what became of them (enrolled or why not)."""

    id = fields.IntField(primary_key=True)
    registration: fields.ForeignKeyRelation[GroupRegistration] = fields.ForeignKeyField(
        "models.GroupRegistration", related_name="entries", on_delete=fields.CASCADE
    )
    registration_id: int
    teacher: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="group_entries", on_delete=fields.CASCADE
    )
    teacher_id: int
    refusal_code = fields.CharField(max_length=32, null=True)
    refusal_message = fields.CharField(max_length=255, null=True)
    enrolled = fields.BooleanField(default=False)

    class Meta:
        table = "group_registration_entry"
        unique_together = (("registration", "teacher"),)


class GroupRegistrationStep(Tracked):
    """Who did what to a group registration, and when: submitted, returned (with the reason),
    approved."""

    id = fields.IntField(primary_key=True)
    registration: fields.ForeignKeyRelation[GroupRegistration] = fields.ForeignKeyField(
        "models.GroupRegistration", related_name="steps", on_delete=fields.CASCADE
    )
    registration_id: int
    status = fields.CharEnumField(GroupRegistrationStatus, max_length=16)
    by: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="group_steps", on_delete=fields.RESTRICT
    )
    by_id: int
    at = fields.DatetimeField()
    reason = fields.CharField(max_length=500, null=True)

    class Meta:
        table = "group_registration_step"
