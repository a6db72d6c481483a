"""Pure rules of process-based assessment (R12): how a text's length is counted, and how the
components score and decide a result with its explanation. No database here."""

import datetime as dt
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from lms_plugin.resolvers.core.errors import DomainError, ErrorCode
from lms_plugin.storage.enums import ExamKind, GradeLevel, Outcome, Track

# --- lengths -------------------------------------------------------------------------------

# Unicode general categories that count: letters and digits. Whitespace (Z), punctuation (P),
# symbols (S) and control characters (C) do not.
_COUNTED = ("L", "N")


def counted_characters(text: str) -> int:
    """The length of notes or a reflection as the seeds count it (字数): every character but
    whitespace and punctuation (and symbols or control characters)."""
    return sum(1 for char in text if unicodedata.category(char)[0] in _COUNTED)


def length_error(text: str, minimum: int, label: str, field: str) -> DomainError | None:
    """Notes of at least 5,000 characters, a reflection of 1,000 (seed 004)."""
    length = counted_characters(text)
    if length >= minimum:
        return None
    return DomainError(ErrorCode.TOO_SHORT, f"{label}不少于{minimum}字，现有{length}字", (field,))


# --- scoring -------------------------------------------------------------------------------


class ComponentKind(StrEnum):
    STUDY = "study"
    HOMEWORK = "homework"
    DISCUSSION = "discussion"
    OUTCOME = "outcome"
    NOTES = "notes"
    REFLECTION = "reflection"
    TOWNSHIP = "township"


# The points of a graded piece of work (the tutor's grade, R10).
GRADE_POINTS = {
    GradeLevel.EXCELLENT: 100,
    GradeLevel.GOOD: 85,
    GradeLevel.PASS: 70,
    GradeLevel.FAIL: 0,
}


@dataclass(frozen=True)
class Weights:
    """Each component's weight out of 100 (0: not assessed) and its minimum."""

    study: int
    homework: int
    discussion: int
    outcome: int
    notes: int
    reflection: int
    homework_min_count: int
    discussion_min_posts: int
    outcome_min_count: int
    notes_min_characters: int
    reflection_min_characters: int
    pass_mark: int
    # Township sessions (乡镇集中): assessed on the transitional track only (weight 0 elsewhere).
    township: int = 0
    township_min_hours: int = 0


@dataclass(frozen=True)
class Evidence:
    """What a trainee has done: counted study minutes against the required ones, the grades of
    their homework and research outcomes, their posts, and the lengths of notes and reflection."""

    study_minutes: int
    required_minutes: int
    homework_grades: Sequence[GradeLevel]
    posts: int
    outcome_grades: Sequence[GradeLevel]
    notes_characters: int
    reflection_characters: int
    township_hours: int = 0

    @property
    def anything(self) -> bool:
        """Took part at all: a trainee with nothing of any kind is absent, not failed."""
        return bool(
            self.study_minutes
            or self.homework_grades
            or self.posts
            or self.outcome_grades
            or self.notes_characters
            or self.reflection_characters
            or self.township_hours
        )


@dataclass(frozen=True)
class Component:
    """One component of the assessment: what was required, what the trainee has, its score out
    of 100, its weight, and, when its minimum is not met, what is missing."""

    kind: ComponentKind
    weight: int
    required: int
    has: int
    score: int
    missing: str | None

    @property
    def met(self) -> bool:
        return self.missing is None


def _ratio_score(has: int, required: int) -> int:
    if required <= 0:
        return 100
    return min(has * 100 // required, 100)


def _graded(
    kind: ComponentKind, label: str, grades: Sequence[GradeLevel], minimum: int, weight: int
) -> Component:
    """Homework and research outcomes: the best `minimum` pieces average into the score (a
    missing piece scores 0); the minimum is that many passing pieces."""
    passing = sum(1 for g in grades if g is not GradeLevel.FAIL)
    best = sorted((GRADE_POINTS[g] for g in grades), reverse=True)[: max(minimum, 1)]
    score = sum(best) // max(minimum, 1) if best else 0
    missing = None if passing >= minimum else f"{label}未达合格：已交合格{passing}篇，需{minimum}篇"
    return Component(kind, weight, minimum, passing, min(score, 100), missing)


def _counted(
    kind: ComponentKind, label: str, unit: str, has: int, minimum: int, weight: int
) -> Component:
    missing = None if has >= minimum else f"{label}未达要求：已有{has}{unit}，需{minimum}{unit}"
    return Component(kind, weight, minimum, has, _ratio_score(has, minimum), missing)


def components(evidence: Evidence, weights: Weights) -> list[Component]:
    """Every component the program assesses (weight above 0), in the seeds' order."""
    has, needed = evidence.study_minutes, evidence.required_minutes
    study_missing = (
        None
        if has >= needed
        else f"学时未达要求：已学{has}分钟，需{needed}分钟（差{needed - has}分钟）"
    )
    every = [
        Component(
            ComponentKind.STUDY,
            weights.study,
            evidence.required_minutes,
            evidence.study_minutes,
            _ratio_score(evidence.study_minutes, evidence.required_minutes),
            study_missing,
        ),
        _graded(
            ComponentKind.HOMEWORK,
            "作业",
            evidence.homework_grades,
            weights.homework_min_count,
            weights.homework,
        ),
        _counted(
            ComponentKind.DISCUSSION,
            "研讨发帖",
            "帖",
            evidence.posts,
            weights.discussion_min_posts,
            weights.discussion,
        ),
        _graded(
            ComponentKind.OUTCOME,
            "研修成果",
            evidence.outcome_grades,
            weights.outcome_min_count,
            weights.outcome,
        ),
        _counted(
            ComponentKind.NOTES,
            "学习笔记",
            "字",
            evidence.notes_characters,
            weights.notes_min_characters,
            weights.notes,
        ),
        _counted(
            ComponentKind.REFLECTION,
            "学习心得",
            "字",
            evidence.reflection_characters,
            weights.reflection_min_characters,
            weights.reflection,
        ),
        _counted(
            ComponentKind.TOWNSHIP,
            "乡镇集中研修",
            "学时",
            evidence.township_hours,
            weights.township_min_hours,
            weights.township,
        ),
    ]
    return [c for c in every if c.weight > 0]


def weighted_score(parts: Sequence[Component]) -> int:
    """The score out of 100: the components' scores by weight, rounded down."""
    total_weight = sum(c.weight for c in parts)
    if total_weight == 0:
        return 0
    return sum(c.score * c.weight for c in parts) // total_weight


@dataclass(frozen=True)
class Assessment:
    """A result with its score, its components, and the one thing that decided it (None when
    passed)."""

    outcome: Outcome
    score: int
    components: list[Component]
    explanation: str


def process_assessment(evidence: Evidence, weights: Weights) -> Assessment:
    """R12, the process part: passed when the score reaches the pass mark and every assessed
    component meets its minimum; the explanation names the first component short of it, or
    the points missing from the pass mark."""
    parts = components(evidence, weights)
    score = weighted_score(parts)
    if not evidence.anything:
        return Assessment(Outcome.ABSENT, 0, parts, "未参加研修：没有任何学习记录")
    short = next((c for c in parts if not c.met), None)
    if short is not None:
        return Assessment(Outcome.FAILED, score, parts, short.missing or "")
    if score < weights.pass_mark:
        return Assessment(
            Outcome.FAILED,
            score,
            parts,
            f"总分未达合格：得{score}分，需{weights.pass_mark}分"
            f"（差{weights.pass_mark - score}分）",
        )
    return Assessment(
        Outcome.PASSED, score, parts, f"合格：得{score}分，合格线{weights.pass_mark}分"
    )


# --- township sessions (乡镇集中) ------------------------------------------------------------

# A session is held on one day: at most that day's hours.
TOWNSHIP_SESSION_MAX_HOURS = 24


def township_session_errors(
    track: Track, held_on: dt.date, hours: int, today: dt.date
) -> list[DomainError]:
    """Seed 002 §四(四)②: township sessions are recorded for the transitional track, for a
    day that has come (today included, in the program's zone), 1 to 24 hours."""
    errors = []
    if track is not Track.TRANSITIONAL:
        errors.append(
            DomainError(
                ErrorCode.NOT_TRANSITIONAL,
                "只有过渡学习的学员参加乡镇集中研修",
                ("enrollmentId",),
            )
        )
    if held_on > today:
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "研修日期不能晚于今天", ("heldOn",)))
    if not 1 <= hours <= TOWNSHIP_SESSION_MAX_HOURS:
        errors.append(
            DomainError(
                ErrorCode.INVALID_INPUT,
                f"学时须为1至{TOWNSHIP_SESSION_MAX_HOURS}的整数",
                ("hours",),
            )
        )
    return errors


# --- the exam and the final result -----------------------------------------------------------

EXAM_NAMES = {
    ExamKind.MOCK: "模拟考",
    ExamKind.FORMAL: "正考",
    ExamKind.MAKE_UP: "补考",
    ExamKind.ADDITIONAL: "省加试",
}


@dataclass(frozen=True)
class ExamMethod:
    """How the exam enters a result (seed 002 §四(四), 004 §二): complete process work exempts
    from it, or everyone takes it (Fujian). The transitional track (②) combines its process
    score and the province's additional test by weight (`process_weight` of 100 to the
    process) against a pass mark of its own, with no exemption."""

    exempt_when_complete: bool
    pass_mark: int
    transitional: bool
    process_weight: int = 50
    combined_pass_mark: int = 60


def combined_score(process_score: int, exam_score: int, process_weight: int) -> int:
    """The transitional track's score: process and additional test by weight, rounded down."""
    return (process_score * process_weight + exam_score * (100 - process_weight)) // 100


def _combined_assessment(
    process: Assessment, taken: Sequence[tuple[ExamKind, int]], method: ExamMethod
) -> Assessment:
    """Seed 002 §四(四)②: every process minimum must be met (township sessions included), and
    the process score combined with the additional test (or, failing that, the make-up) must
    reach the combined pass mark."""
    short = next((c for c in process.components if not c.met), None)
    scored = [(k, s, combined_score(process.score, s, method.process_weight)) for k, s in taken]
    kind, exam, combined = next(
        (t for t in scored if t[2] >= method.combined_pass_mark), scored[-1]
    )
    parts = f"过程性考核{process.score}分，{EXAM_NAMES[kind]}{exam}分，综合{combined}分"
    if short is not None:
        return replace(
            process, outcome=Outcome.FAILED, score=combined, explanation=short.missing or ""
        )
    if combined < method.combined_pass_mark:
        return replace(
            process,
            outcome=Outcome.FAILED,
            score=combined,
            explanation=f"综合成绩未达合格：{parts}，需{method.combined_pass_mark}分"
            f"（差{method.combined_pass_mark - combined}分）",
        )
    return replace(process, outcome=Outcome.PASSED, score=combined, explanation=f"合格：{parts}")


def final_assessment(
    process: Assessment, exams: Mapping[ExamKind, int | None], method: ExamMethod
) -> Assessment:
    """R12: a passed process exempts from the exam where the method says so. Otherwise the
    summative exam decides (and, where everyone is examined, the process must pass too): the
    formal exam, or the make-up when the formal is failed or missed; the mock never counts. A
    score of None is an exam recorded as missed; no exam at all is an absence. The
    transitional track combines process and the additional test (`_combined_assessment`)."""
    if (
        process.outcome is Outcome.PASSED
        and method.exempt_when_complete
        and not method.transitional
    ):
        return replace(process, explanation=f"{process.explanation}（过程性考核合格，免考）")
    summative = ExamKind.ADDITIONAL if method.transitional else ExamKind.FORMAL
    taken = [(k, s) for k in (summative, ExamKind.MAKE_UP) if (s := exams.get(k)) is not None]
    if not taken:
        if process.outcome is Outcome.ABSENT:
            return process
        return replace(
            process,
            outcome=Outcome.ABSENT,
            explanation=f"缺考：未参加{EXAM_NAMES[summative]}和补考",
        )
    if method.transitional:
        return _combined_assessment(process, taken, method)
    passing = next(((k, s) for k, s in taken if s >= method.pass_mark), None)
    if passing is None:
        kind, score = taken[-1]
        return replace(
            process,
            outcome=Outcome.FAILED,
            explanation=f"考试未达合格：{EXAM_NAMES[kind]}得{score}分，需{method.pass_mark}分",
        )
    if not method.exempt_when_complete and process.outcome is not Outcome.PASSED:
        return replace(process, outcome=Outcome.FAILED)
    kind, score = passing
    return replace(
        process,
        outcome=Outcome.PASSED,
        explanation=f"合格：{EXAM_NAMES[kind]}得{score}分，过程性考核得{process.score}分",
    )


# --- the credit ledger -----------------------------------------------------------------------


def tutor_service_credit(distinguished: bool, *, hours: int, credit_for_all: bool) -> int:
    """Seed 002 §二(二): a special-grade teacher's or provincial subject leader's service on a
    workshop's tutor team offsets the year's hours; any other member is exempt (R7) with no
    credit, unless the program's policy credits every member."""
    return hours if distinguished or credit_for_all else 0


def tutor_service_explanation(credited_hours: int) -> str:
    """An exempt tutor's result says whether the service was credited."""
    exempt = "工作室辅导团队成员，免予选学研修（R7）"
    if credited_hours:
        return f"{exempt}；辅导服务冲抵{credited_hours}学时"
    return f"{exempt}；辅导服务不冲抵学时"


class LedgerSource(StrEnum):
    CERTIFICATE = "certificate"  # a program year's certificate (a tutor's service included)
    EXTERNAL = "external"  # other county-level training (统筹培训)


@dataclass(frozen=True)
class LedgerLine:
    year: str
    hours: int
    source: LedgerSource
    title: str = ""


@dataclass(frozen=True)
class Ledger:
    """The hours of the current cycle against what the cycle asks (R13, seed 002 §二)."""

    first_year: int
    last_year: int
    lines: list[LedgerLine]
    cycle_hours: int

    @property
    def hours(self) -> int:
        return sum(line.hours for line in self.lines)

    @property
    def missing_hours(self) -> int:
        return max(self.cycle_hours - self.hours, 0)

    @property
    def complete(self) -> bool:
        return self.missing_hours == 0


def year_number(year: str) -> int | None:
    """The calendar year a program year starts in: "2011学年" → 2011."""
    head = year.strip()[:4]
    return int(head) if len(head) == 4 and head.isdigit() else None


def ledger_of(lines: Sequence[LedgerLine], *, cycle_years: int, cycle_hours: int) -> Ledger:
    """The cycle is the `cycle_years` years that end with the newest year on record; lines of
    earlier years belong to an earlier cycle."""
    years = [n for line in lines if (n := year_number(line.year)) is not None]
    last = max(years, default=0)
    first = last - cycle_years + 1
    kept = [line for line in lines if first <= (year_number(line.year) or 0) <= last]
    return Ledger(first, last, kept, cycle_hours)
