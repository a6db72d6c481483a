"""Spreadsheet exports run as jobs: who asked for what and when, the progress, the file."""

from typing import Any

from tortoise import fields

from .enums import ExportKind, ExportStatus
from .organisation import Person
from .programs import Program
from .tracking import Tracked


class ExportJob(Tracked):
    """One export: its kind and parameters, its progress in rows, and the XLSX once done. An
    export of ID numbers or mobiles says so (`reveals_personal_data`) with how many people."""

    id = fields.IntField(primary_key=True)
    program: fields.ForeignKeyRelation[Program] = fields.ForeignKeyField(
        "models.Program", related_name="export_jobs", on_delete=fields.CASCADE
    )
    program_id: int
    kind = fields.CharEnumField(ExportKind, max_length=32)
    # The unit the sheet is of: {"city_id": …}, {"region_id": …, "level": …}, {"vendor_id": …}.
    parameters = fields.JSONField[dict[str, Any]](default=dict)
    status = fields.CharEnumField(ExportStatus, max_length=16, default=ExportStatus.QUEUED)
    rows_done = fields.IntField(default=0)
    rows_total = fields.IntField(null=True)
    requested_by: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="export_jobs", on_delete=fields.RESTRICT
    )
    requested_by_id: int
    requested_at = fields.DatetimeField()
    finished_at = fields.DatetimeField(null=True)
    reveals_personal_data = fields.BooleanField(default=False)
    people_revealed = fields.IntField(default=0)
    filename = fields.CharField(max_length=128, default="")
    content = fields.BinaryField(null=True)

    class Meta:
        table = "export_job"
        indexes = (("requested_by_id", "id"),)
