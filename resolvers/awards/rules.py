"""The award rules (R15), pure: quotas, the criteria each candidate meets or not, and the order
candidates are proposed in."""

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from lms_plugin.resolvers.core.rates import percent_shown
from lms_plugin.storage.enums import AwardCategory, QuotaRounding
from lms_plugin.storage.models import AwardPolicy


def quota(base: int, basis_points: int, rounding: QuotaRounding) -> int:
    """Places for a share of a base, the share in hundredths of a percent (20% = 2000,
    3‰ = 30): 20% of 11 is 2.2 (2 down, half up or not; 3 up); 3‰ of 999 is 2.997 (2 down,
    3 half up); 3‰ of 1,000 is 3 whatever the rounding."""
    share = Fraction(base * basis_points, 10000)
    if rounding is QuotaRounding.FLOOR:
        return share.numerator // share.denominator
    if rounding is QuotaRounding.CEILING:
        return -(-share.numerator // share.denominator)
    return (share.numerator * 2 + share.denominator) // (2 * share.denominator)


def share_of(policy: AwardPolicy, category: AwardCategory) -> int:
    return {
        AwardCategory.ADVANCED_COLLECTIVE: policy.collective_basis_points,
        AwardCategory.ADVANCED_WORKER: policy.worker_basis_points,
        AwardCategory.EXCELLENT_TUTOR: policy.tutor_basis_points,
        AwardCategory.EXCELLENT_TRAINEE: policy.trainee_basis_points,
    }[category]


@dataclass(frozen=True)
class Criterion:
    """One condition of seed 003 and whether the candidate meets it, with the figure behind."""

    label: str
    met: bool
    detail: str


def percent_text(value: Fraction | None) -> str:
    """A rate in a criterion's detail: "97.50%", or 无 without one."""
    shown = percent_shown(value)
    return "无" if shown is None else f"{shown}%"


def rates_criterion(
    label: str, expected: int, participants: int, passed: int, basis_points: int
) -> Criterion:
    """参训率、合格率 at or above the threshold, exactly (95.99% is under 96%)."""
    threshold = Fraction(basis_points, 10000)
    participation = None if expected == 0 else Fraction(participants, expected)
    passing = None if participants == 0 else Fraction(passed, participants)
    met = (
        participation is not None
        and passing is not None
        and participation >= threshold
        and passing >= threshold
    )
    return Criterion(
        label, met, f"参训率 {percent_text(participation)}，合格率 {percent_text(passing)}"
    )


@dataclass(frozen=True)
class Candidate:
    """A unit or person the desk proposes for a category, with every criterion judged."""

    category: AwardCategory
    subject_type: str  # "Region" or "Person"
    subject_id: int
    name: str
    code: str
    criteria: tuple[Criterion, ...]
    participation: Fraction | None = None
    passing: Fraction | None = None
    score: int | None = None

    @property
    def eligible(self) -> bool:
        return all(criterion.met for criterion in self.criteria)


def ranked(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Eligible first; then the score, the participation rate and the pass rate, highest first
    (exactly; none last); then the code and the id, so ties fall the same way in every run."""

    def key(c: Candidate) -> tuple[bool, int, Fraction, Fraction, str, int]:
        return (
            not c.eligible,
            -(c.score if c.score is not None else -1),
            -(c.participation if c.participation is not None else Fraction(-1)),
            -(c.passing if c.passing is not None else Fraction(-1)),
            c.code,
            c.subject_id,
        )

    return sorted(candidates, key=key)
