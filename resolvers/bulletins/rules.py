"""The rules of a bulletin, pure: which units lag, how they rank, what changed."""

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from lms_plugin.storage.enums import RateLevel, RegionLevel

# A bulletin of a region names the units one level below it.
UNITS_BELOW = {
    RegionLevel.PROVINCE: RateLevel.CITY,
    RegionLevel.CITY: RateLevel.COUNTY,
    RegionLevel.COUNTY: RateLevel.SCHOOL,
}


@dataclass(frozen=True)
class UnitFigures:
    unit_id: int
    name: str
    code: str
    expected: int
    participants: int
    passed: int


def _rate(numerator: int, denominator: int) -> Fraction | None:
    return None if denominator == 0 else Fraction(numerator, denominator)


def threshold_of(basis_points: int) -> Fraction:
    """9600 hundredths of a percent: 96% exactly."""
    return Fraction(basis_points, 10000)


def is_lagging(unit: UnitFigures, basis_points: int) -> bool:
    """Under the threshold (seed 003: "参训率、合格率 96%以上"): the participation rate or the
    pass rate below it, exactly (95.99% lags, 96% does not). A unit with nobody expected has no
    rate and does not lag; one where nobody has started lags (participation 0)."""
    threshold = threshold_of(basis_points)
    participation = _rate(unit.participants, unit.expected)
    if participation is None:
        return False
    passing = _rate(unit.passed, unit.participants)
    return participation < threshold or passing is None or passing < threshold


def ranked(units: Sequence[UnitFigures]) -> list[UnitFigures]:
    """Best first: the participation rate, then the pass rate (exactly; no rate ranks last),
    then the unit's code and id, so that ties fall the same way every time."""

    def key(unit: UnitFigures) -> tuple[bool, Fraction, bool, Fraction, str, int]:
        participation = _rate(unit.participants, unit.expected)
        passing = _rate(unit.passed, unit.participants)
        return (
            participation is None,
            -(participation or Fraction(0)),
            passing is None,
            -(passing or Fraction(0)),
            unit.code,
            unit.unit_id,
        )

    return sorted(units, key=key)


def points_change(now: tuple[int, int], before: tuple[int | None, int | None]) -> str | None:
    """A rate's change in percentage points, two decimals with a sign, halves away from zero
    ((96, 100) after (90, 100) → "+6.00"); None without both rates."""
    numerator, denominator = now
    old_numerator, old_denominator = before
    if denominator == 0 or old_numerator is None or not old_denominator:
        return None
    change = (Fraction(numerator, denominator) - Fraction(old_numerator, old_denominator)) * 10000
    magnitude = abs(change)
    hundredths = (magnitude.numerator * 2 + magnitude.denominator) // (2 * magnitude.denominator)
    sign = "-" if change < 0 and hundredths else "+"
    return f"{sign}{hundredths // 100}.{hundredths % 100:02d}"
