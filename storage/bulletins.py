"""Learning-status bulletins (学情通报, seed 001 §六, 003 §一(二)(5)): a frozen snapshot of
the rates of every unit below a region, and the threshold they are judged by."""

from tortoise import fields

from .enums import RateLevel
from .organisation import Person, Region
from .programs import Program
from .tracking import Tracked


class ReportPolicy(Tracked):
    """Report policy of a program (R14, R15): the rate every unit should reach, in hundredths
    of a percent (9600: 96%, seed 003 "参训率、合格率 96%以上"); judged on the exact rate."""

    id = fields.IntField(primary_key=True)
    program: fields.OneToOneRelation[Program] = fields.OneToOneField(
        "models.Program", related_name="report_policy", on_delete=fields.CASCADE
    )
    program_id: int
    threshold_basis_points = fields.IntField(default=9600)

    class Meta:
        table = "report_policy"


class Bulletin(Tracked):
    """One bulletin of a region (province, city or county) as of a date, numbered per region
    and program; its entries are the units one level below, ranked."""

    id = fields.IntField(primary_key=True)
    program: fields.ForeignKeyRelation[Program] = fields.ForeignKeyField(
        "models.Program", related_name="bulletins", on_delete=fields.CASCADE
    )
    program_id: int
    region: fields.ForeignKeyRelation[Region] = fields.ForeignKeyField(
        "models.Region", related_name="bulletins", on_delete=fields.RESTRICT
    )
    region_id: int
    number = fields.IntField()
    unit_level = fields.CharEnumField(RateLevel, max_length=16)
    as_of = fields.DateField()
    # Frozen with the figures: the threshold of the day, and the region's own totals.
    threshold_basis_points = fields.IntField()
    expected = fields.IntField()
    exempt = fields.IntField()
    participants = fields.IntField()
    complete = fields.IntField()
    passed = fields.IntField()
    passed_is_forecast = fields.BooleanField()
    published_by: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="bulletins_published", on_delete=fields.RESTRICT
    )
    published_by_id: int
    published_at = fields.DatetimeField()

    class Meta:
        table = "bulletin"
        unique_together = (("program", "region", "number"),)


class BulletinEntry(Tracked):
    """A unit's figures in a bulletin, its rank, and its figures in the previous bulletin of
    the same region (null: not in it, or no previous bulletin). Entries are stored in rank
    order, so key order is rank order."""

    id = fields.IntField(primary_key=True)
    bulletin: fields.ForeignKeyRelation[Bulletin] = fields.ForeignKeyField(
        "models.Bulletin", related_name="entries", on_delete=fields.CASCADE
    )
    bulletin_id: int
    unit_id = fields.IntField()
    name = fields.CharField(max_length=128)
    rank = fields.IntField()
    expected = fields.IntField()
    exempt = fields.IntField()
    participants = fields.IntField()
    complete = fields.IntField()
    passed = fields.IntField()
    lagging = fields.BooleanField()
    previous_rank = fields.IntField(null=True)
    previous_expected = fields.IntField(null=True)
    previous_participants = fields.IntField(null=True)
    previous_passed = fields.IntField(null=True)

    class Meta:
        table = "bulletin_entry"
        indexes = (("bulletin_id", "id"),)
