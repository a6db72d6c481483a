"""Fees (R16): the fee policy of a program."""

from tortoise import fields

from .enums import FeeRule
from .programs import Program
from .tracking import Tracked


class FeePolicy(Tracked):
    """Fee policy of a program (R16), money in integer fen. The defaults are the 2011 Jiangxi
    plan's (seed 002 §五(四)): 1.00 yuan an hour and 2 yuan an e-certificate per participant;
    2022 charged 1.50 yuan an hour and no certificate (seed 001 §八); Fujian 2009 a yearly
    180 yuan for middle and senior titles, 120 for junior (seed 004 §四)."""

    id = fields.IntField(primary_key=True)
    program: fields.OneToOneRelation[Program] = fields.OneToOneField(
        "models.Program", related_name="fee_policy", on_delete=fields.CASCADE
    )
    program_id: int
    rule = fields.CharEnumField(FeeRule, max_length=16, default=FeeRule.HOURLY)
    hourly_fee_fen = fields.IntField(default=100)
    # Hours billed a participant; None: the hours of their track (hour policy, R8).
    billed_hours = fields.IntField(null=True)
    certificate_fee_fen = fields.IntField(default=200)
    middle_senior_yearly_fee_fen = fields.IntField(default=18000)
    junior_yearly_fee_fen = fields.IntField(default=12000)

    class Meta:
        table = "fee_policy"
