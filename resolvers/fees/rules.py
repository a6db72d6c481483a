"""The fee rules (R16), pure, in integer fen."""

from dataclasses import dataclass

from lms_plugin.storage.enums import FeeRule, Standing, TitleRank, Track
from lms_plugin.storage.models import FeePolicy, HourPolicy

_MIDDLE_AND_SENIOR = {TitleRank.INTERMEDIATE, TitleRank.SENIOR}


def counted_standing(rule: FeeRule) -> Standing:
    """Who is charged: by the hour, the actual participants (seed 001 §八 "实际参训人数"); by
    the year, every registered teacher (seed 004: the school pays when it registers them)."""
    return Standing.PARTICIPATING if rule is FeeRule.HOURLY else Standing.ENROLLED


@dataclass(frozen=True)
class PersonFee:
    billed_hours: int | None  # None under a yearly fee
    fee_fen: int


def person_fee(
    policy: FeePolicy, hours: HourPolicy, track: Track, title_rank: TitleRank | None
) -> PersonFee:
    """One counted teacher's fee. By the hour: the fee × the billed hours (the policy's, or
    those of the teacher's track) + the e-certificate fee (seed 002: 1.00 yuan/hour, 2 yuan a
    certificate; seed 001: 1.50 yuan/hour). By the year: 180 yuan for middle and senior titles,
    120 for junior, and a teacher with no title registered pays the junior fee (seed 004)."""
    if FeeRule(policy.rule) is FeeRule.YEARLY_BY_TITLE:
        middle_or_senior = title_rank is not None and TitleRank(title_rank) in _MIDDLE_AND_SENIOR
        yearly = (
            policy.middle_senior_yearly_fee_fen
            if middle_or_senior
            else policy.junior_yearly_fee_fen
        )
        return PersonFee(billed_hours=None, fee_fen=yearly)
    billed = policy.billed_hours
    if billed is None:
        if Track(track) is Track.NETWORK:
            billed = hours.network_online_hours + hours.network_offline_hours
        else:
            billed = hours.transitional_online_hours + hours.transitional_offline_hours
    return PersonFee(
        billed_hours=billed, fee_fen=policy.hourly_fee_fen * billed + policy.certificate_fee_fen
    )


def yuan(fen: int) -> str:
    """Fen as yuan with two decimals, exactly (12345 → "123.45", -5 → "-0.05")."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"
