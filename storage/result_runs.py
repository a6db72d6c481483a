"""The automatic computation of a program's results once its assessment window opens (R12):
one row per program is the claim, so that of several workers or processes one computes."""

from tortoise import fields

from .programs import Program
from .tracking import Tracked


class ResultRun(Tracked):
    """A program's scheduled computation of results. The row's uniqueness is the claim: a
    second claimant's INSERT fails. `finished_at` is set in the transaction that writes the
    results; a claim left unfinished past its lease (its process died) is taken again by a
    conditional UPDATE."""

    id = fields.IntField(primary_key=True)
    program: fields.OneToOneRelation[Program] = fields.OneToOneField(
        "models.Program", related_name="result_run", on_delete=fields.CASCADE
    )
    program_id: int
    claimed_at = fields.DatetimeField()
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "result_run"
