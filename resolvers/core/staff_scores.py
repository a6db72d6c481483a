"""The year's assessment of tutors and admins (seed 002 §五(一), seed 003 §一(二)(三)), pure:
each component's score out of 100 from what the person has against what earns it in full,
the weighted score, and the pass mark. No database here."""

from dataclasses import dataclass, fields
from enum import StrEnum
from fractions import Fraction

from lms_plugin.storage.models import StaffAssessmentPolicy

from .rates import percent_shown


class StaffRole(StrEnum):
    TUTOR = "tutor"
    ADMIN = "admin"


class StaffComponentKind(StrEnum):
    BRIEFINGS = "briefings"
    GRADING = "grading"
    ANNOUNCEMENTS = "announcements"
    DISCUSSIONS = "discussions"
    PARTICIPATION = "participation"
    PASSING = "passing"
    BULLETINS = "bulletins"


@dataclass(frozen=True)
class StaffComponent:
    """One component: its weight, its score out of 100 and why (the figures behind it)."""

    kind: StaffComponentKind
    weight: int
    score: int
    detail: str

    @property
    def points(self) -> Fraction:
        """What the component adds to the score: score × weight / 100, exactly."""
        return Fraction(self.score * self.weight, 100)


@dataclass(frozen=True)
class StaffScore:
    """A person's assessment in one role: the components, the score and the pass mark."""

    person_id: int
    role: StaffRole
    components: tuple[StaffComponent, ...]
    pass_mark: int

    @property
    def score(self) -> int:
        return weighted_staff_score(self.components)

    @property
    def passed(self) -> bool:
        return self.score >= self.pass_mark


@dataclass(frozen=True)
class StaffWeights:
    """The program's staff assessment policy as the rules read it (its columns, by name)."""

    tutor_briefing_weight: int
    tutor_grading_weight: int
    tutor_announcement_weight: int
    tutor_discussion_weight: int
    tutor_participation_weight: int
    tutor_passing_weight: int
    briefings_per_class: int
    announcements_per_class: int
    discussions_per_class: int
    tutor_pass_mark: int
    admin_participation_weight: int
    admin_passing_weight: int
    admin_bulletin_weight: int
    bulletins_expected: int
    admin_pass_mark: int

    @classmethod
    def of(cls, policy: StaffAssessmentPolicy) -> "StaffWeights":
        return cls(**{f.name: getattr(policy, f.name) for f in fields(cls)})


@dataclass(frozen=True)
class TutorEvidence:
    """What the system knows of a tutor's year: their classes, briefings published on time
    and late, the current submissions of their classes and how many are still to grade, their
    announcements, the topics they started and the replies they wrote, and the classes' counts."""

    classes: int
    briefings_on_time: int
    briefings_late: int
    submissions: int
    to_grade: int
    announcements: int
    topics: int
    replies: int
    expected: int
    participants: int
    passed: int


@dataclass(frozen=True)
class AdminEvidence:
    """An admin's region: its counts (R14) and the bulletins published for it."""

    expected: int
    participants: int
    passed: int
    bulletins: int


def count_score(has: int, needed: int) -> int:
    """A count against what earns it in full, out of 100, rounded down (needed 0: full)."""
    if needed <= 0:
        return 100
    return min(has * 100 // needed, 100)


def rate_score(numerator: int, denominator: int) -> int:
    """A rate as a score: the percentage, rounded down (no one to count: 0)."""
    if denominator == 0:
        return 0
    return numerator * 100 // denominator


def _rate_detail(label: str, numerator: int, denominator: int) -> str:
    shown = percent_shown(None if denominator == 0 else Fraction(numerator, denominator))
    return f"{label} {'无' if shown is None else shown + '%'}（{numerator}/{denominator}）"


def weighted_staff_score(components: tuple[StaffComponent, ...]) -> int:
    """The score out of 100: the components' scores by weight, summed exactly, rounded down."""
    total = sum((c.points for c in components), Fraction(0))
    return total.numerator // total.denominator


def assessed(parts: tuple[StaffComponent, ...]) -> tuple[StaffComponent, ...]:
    """The components the program assesses: a weight of 0 is not assessed."""
    return tuple(c for c in parts if c.weight > 0)


def tutor_score(person_id: int, e: TutorEvidence, policy: StaffWeights) -> StaffScore:
    """A tutor's assessment (seed 003 §一(三)3): briefings on time (R11), grading done,
    announcements, discussions led or replied, the class's participation and pass rates."""
    briefings = policy.briefings_per_class * e.classes
    notices = policy.announcements_per_class * e.classes
    discussions = policy.discussions_per_class * e.classes
    graded = e.submissions - e.to_grade

    def tutored(score: int) -> int:
        # Seed 003 §一(三)1: a tutor "参与辅导" — without a class, nothing is earned.
        return score if e.classes > 0 else 0

    parts = (
        StaffComponent(
            StaffComponentKind.BRIEFINGS,
            policy.tutor_briefing_weight,
            tutored(count_score(e.briefings_on_time, briefings)),
            f"按时发表 {e.briefings_on_time} 期，逾期 {e.briefings_late} 期，应发表 {briefings} 期",
        ),
        StaffComponent(
            StaffComponentKind.GRADING,
            policy.tutor_grading_weight,
            tutored(count_score(graded, e.submissions)),
            f"已批改 {graded} 份，共 {e.submissions} 份，待批改 {e.to_grade} 份",
        ),
        StaffComponent(
            StaffComponentKind.ANNOUNCEMENTS,
            policy.tutor_announcement_weight,
            tutored(count_score(e.announcements, notices)),
            f"发布公告 {e.announcements} 条，应发布 {notices} 条",
        ),
        StaffComponent(
            StaffComponentKind.DISCUSSIONS,
            policy.tutor_discussion_weight,
            tutored(count_score(e.topics + e.replies, discussions)),
            f"发起主题 {e.topics} 个，回复 {e.replies} 条，应有 {discussions} 次",
        ),
        StaffComponent(
            StaffComponentKind.PARTICIPATION,
            policy.tutor_participation_weight,
            rate_score(e.participants, e.expected),
            _rate_detail("班级参训率", e.participants, e.expected),
        ),
        StaffComponent(
            StaffComponentKind.PASSING,
            policy.tutor_passing_weight,
            rate_score(e.passed, e.participants),
            _rate_detail("班级合格率", e.passed, e.participants),
        ),
    )
    return StaffScore(person_id, StaffRole.TUTOR, assessed(parts), policy.tutor_pass_mark)


def admin_score(person_id: int, e: AdminEvidence, policy: StaffWeights) -> StaffScore:
    """An admin's assessment (seed 003 §一(二)3): the participation and pass rates of their
    region, and its learning-status bulletins (通报学情)."""
    parts = (
        StaffComponent(
            StaffComponentKind.PARTICIPATION,
            policy.admin_participation_weight,
            rate_score(e.participants, e.expected),
            _rate_detail("管辖范围参训率", e.participants, e.expected),
        ),
        StaffComponent(
            StaffComponentKind.PASSING,
            policy.admin_passing_weight,
            rate_score(e.passed, e.participants),
            _rate_detail("管辖范围合格率", e.passed, e.participants),
        ),
        StaffComponent(
            StaffComponentKind.BULLETINS,
            policy.admin_bulletin_weight,
            count_score(e.bulletins, policy.bulletins_expected),
            f"学情通报 {e.bulletins} 期，应有 {policy.bulletins_expected} 期",
        ),
    )
    return StaffScore(person_id, StaffRole.ADMIN, assessed(parts), policy.admin_pass_mark)
