"""The rates (R14), pure: a rate exactly, and as it is shown; every area reads them here."""

from fractions import Fraction


def rate(numerator: int, denominator: int) -> Fraction | None:
    """A rate exactly (R14): participants / expected, passed / participants; None over zero.
    Thresholds (96%) are judged on this, never on the rounded figure shown."""
    return None if denominator == 0 else Fraction(numerator, denominator)


def percent_shown(value: Fraction | None) -> str | None:
    """A rate as people read it: a percentage with two decimals, halves rounded up
    (2/3 → "66.67", 1/8 → "12.50", 19199/20000 → "96.00" although it is under 96%)."""
    if value is None:
        return None
    hundredths = value * 10000
    rounded = (hundredths.numerator * 2 + hundredths.denominator) // (2 * hundredths.denominator)
    return f"{rounded // 100}.{rounded % 100:02d}"
