"""Programs' own rules, pure: what makes a program's and a batch's settings valid."""

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lms_plugin.resolvers.core.calendar import is_time_zone
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode
from lms_plugin.storage.enums import PhaseKind, Stage, Track


@dataclass(frozen=True)
class ProgramSettings:
    """Everything a province admin sets on a program with createProgram / updateProgram: its
    own columns and the settings of its policies that those mutations have always taken (the
    API's input holds the defaults, the 2012 seed values)."""

    name: str
    year: str
    registration_starts_on: dt.date
    registration_ends_on: dt.date
    time_zone: str
    holidays: tuple[dt.date, ...]
    batch_length_days: int
    tutor_team_cap: int
    registration_opens_at: dt.time
    registration_closes_at: dt.time
    network_online_hours: int
    network_offline_hours: int
    transitional_online_hours: int
    transitional_offline_hours: int
    heartbeat_max_gap_seconds: int
    briefing_interval_days: int | None
    assessment_ends_on: dt.date | None


@dataclass(frozen=True)
class BatchSettings:
    number: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    track: Track = Track.NETWORK
    subjects: tuple[tuple[Stage, str], ...] = ()


def positive_errors(values: Mapping[str, int | None]) -> list[DomainError]:
    """Settings that must be whole numbers of at least 1 (None: not set, nothing to check)."""
    return [
        DomainError(ErrorCode.INVALID_INPUT, "须为正整数", (name,))
        for name, value in values.items()
        if value is not None and value < 1
    ]


def non_negative_errors(values: Mapping[str, int]) -> list[DomainError]:
    return [
        DomainError(ErrorCode.INVALID_INPUT, "不能为负数", (name,))
        for name, value in values.items()
        if value < 0
    ]


def daily_hours_errors(
    opens_at: dt.time, closes_at: dt.time, opens_name: str, closes_name: str
) -> list[DomainError]:
    """R3 daily hours: whole minutes of wall-clock time in the program's zone (no offset), the
    close after the opening."""
    unclear = [
        name
        for name, at in ((opens_name, opens_at), (closes_name, closes_at))
        if at.tzinfo is not None or at.second or at.microsecond
    ]
    errors = [
        DomainError(ErrorCode.INVALID_INPUT, "请填写当地时间（时:分），不带时区和秒", (name,))
        for name in unclear
    ]
    if not unclear and closes_at <= opens_at:
        errors.append(
            DomainError(ErrorCode.INVALID_WINDOW, "每日注册结束时间须晚于开始时间", (closes_name,))
        )
    return errors


def program_settings_errors(settings: ProgramSettings) -> list[DomainError]:
    """What refuses a program's settings (R2, R3, R6, R8, R9, R11 numbers), each with its field."""
    errors: list[DomainError] = []
    if not settings.name.strip():
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "项目名称不能为空", ("name",)))
    if not is_time_zone(settings.time_zone):
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "无效的时区", ("timeZone",)))
    if settings.registration_ends_on < settings.registration_starts_on:
        errors.append(
            DomainError(
                ErrorCode.INVALID_WINDOW, "注册结束日期早于开始日期", ("registrationEndsOn",)
            )
        )
    errors += daily_hours_errors(
        settings.registration_opens_at,
        settings.registration_closes_at,
        "registrationOpensAt",
        "registrationClosesAt",
    )
    errors += positive_errors(
        {
            "batchLengthDays": settings.batch_length_days,
            "tutorTeamCap": settings.tutor_team_cap,
            "heartbeatMaxGapSeconds": settings.heartbeat_max_gap_seconds,
            "briefingIntervalDays": settings.briefing_interval_days,
        }
    )
    errors += non_negative_errors(
        {
            "networkOnlineHours": settings.network_online_hours,
            "networkOfflineHours": settings.network_offline_hours,
            "transitionalOnlineHours": settings.transitional_online_hours,
            "transitionalOfflineHours": settings.transitional_offline_hours,
        }
    )
    return errors


def batch_settings_errors(settings: BatchSettings) -> list[DomainError]:
    """What refuses a batch's own settings; its window (R2) and its neighbours are checked
    where the program and the other batches are at hand."""
    errors: list[DomainError] = []
    if not settings.name.strip():
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "批次名称不能为空", ("name",)))
    if settings.track is Track.TRANSITIONAL and settings.subjects:
        errors.append(
            DomainError(
                ErrorCode.INVALID_INPUT, "过渡学习批次面向所有学段学科，不设学科", ("subjects",)
            )
        )
    pairs = [(stage, subject.strip()) for stage, subject in settings.subjects]
    if len(set(pairs)) != len(pairs) or any(not subject for _, subject in pairs):
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "学科重复或为空", ("subjects",)))
    return errors


@dataclass(frozen=True)
class PhaseDates:
    """One phase of a program as a province admin sets it (seed 001 §七)."""

    kind: PhaseKind
    starts_on: dt.date
    ends_on: dt.date


# The phases the notice runs one after another (seed 001 §七: preparation to 7/10, registration
# 7/11–7/22, study 7/23–9/30, assessment 10/1–10/15, grade registration 10/16–11/10, inspection
# 11/11–11/30): each starts after the one before it ends. The training of trainers runs beside
# the study (by 8/5), so it has no place in this order.
PHASE_SEQUENCE = (
    PhaseKind.PREPARATION,
    PhaseKind.REGISTRATION,
    PhaseKind.STUDY,
    PhaseKind.ASSESSMENT,
    PhaseKind.GRADE_REGISTRATION,
    PhaseKind.INSPECTION,
)
# How phases are listed: the notice's order.
PHASE_ORDER = tuple(PhaseKind)

_PHASE_NAMES = {
    PhaseKind.PREPARATION: "准备",
    PhaseKind.REGISTRATION: "报名",
    PhaseKind.TRAINER_TRAINING: "培训者培训",
    PhaseKind.STUDY: "学习",
    PhaseKind.ASSESSMENT: "考核",
    PhaseKind.GRADE_REGISTRATION: "成绩登记",
    PhaseKind.INSPECTION: "检查",
}


def phase_name(kind: PhaseKind) -> str:
    return _PHASE_NAMES[kind]


def phase_errors(
    phases: Sequence[PhaseDates], field: tuple[str, ...] | None = ("phases",)
) -> list[DomainError]:
    """What refuses a program's phases: a kind given twice, an end before its start, a missing
    registration phase (R3 reads it), and phases of the notice's sequence out of order or
    overlapping (each starts after the one before it ends; absent ones are skipped)."""
    errors: list[DomainError] = []
    kinds = [p.kind for p in phases]
    for kind in sorted(set(kinds), key=PHASE_ORDER.index):
        if kinds.count(kind) > 1:
            errors.append(
                DomainError(ErrorCode.INVALID_PHASES, f"{phase_name(kind)}阶段重复", field)
            )
    if PhaseKind.REGISTRATION not in kinds:
        errors.append(DomainError(ErrorCode.INVALID_PHASES, "须设报名阶段（R3）", field))
    for phase in phases:
        if phase.ends_on < phase.starts_on:
            errors.append(
                DomainError(
                    ErrorCode.INVALID_PHASES,
                    f"{phase_name(phase.kind)}阶段的结束日期早于开始日期",
                    field,
                )
            )
    if errors:
        return errors
    in_sequence = sorted(
        (p for p in phases if p.kind in PHASE_SEQUENCE), key=lambda p: PHASE_SEQUENCE.index(p.kind)
    )
    for before, after in itertools.pairwise(in_sequence):
        if after.starts_on <= before.ends_on:
            errors.append(
                DomainError(
                    ErrorCode.INVALID_PHASES,
                    f"{phase_name(after.kind)}阶段须在{phase_name(before.kind)}阶段结束之后开始",
                    field,
                )
            )
    return errors


# The staff assessment policy (seed 002 §五(一), seed 003 §一(二)(三)): its columns by field.
STAFF_TUTOR_WEIGHTS = {
    "tutor_briefing_weight": "tutorBriefingWeight",
    "tutor_grading_weight": "tutorGradingWeight",
    "tutor_announcement_weight": "tutorAnnouncementWeight",
    "tutor_discussion_weight": "tutorDiscussionWeight",
    "tutor_participation_weight": "tutorParticipationWeight",
    "tutor_passing_weight": "tutorPassingWeight",
}
STAFF_ADMIN_WEIGHTS = {
    "admin_participation_weight": "adminParticipationWeight",
    "admin_passing_weight": "adminPassingWeight",
    "admin_bulletin_weight": "adminBulletinWeight",
}
STAFF_COUNTS = {
    "briefings_per_class": "briefingsPerClass",
    "announcements_per_class": "announcementsPerClass",
    "discussions_per_class": "discussionsPerClass",
    "bulletins_expected": "bulletinsExpected",
}
STAFF_MARKS = {"tutor_pass_mark": "tutorPassMark", "admin_pass_mark": "adminPassMark"}


def staff_policy_errors(values: Mapping[str, int]) -> list[DomainError]:
    """The staff assessment policy whole: nothing negative, pass marks at most 100, and each
    role's weights summing to 100."""
    every = {**STAFF_TUTOR_WEIGHTS, **STAFF_ADMIN_WEIGHTS, **STAFF_COUNTS, **STAFF_MARKS}
    errors = non_negative_errors({field: values[name] for name, field in every.items()})
    errors += [
        DomainError(ErrorCode.INVALID_INPUT, "须在 0 到 100 之间", (field,))
        for name, field in STAFF_MARKS.items()
        if values[name] > 100
    ]
    if errors:
        return errors
    for weights, label in ((STAFF_TUTOR_WEIGHTS, "辅导教师"), (STAFF_ADMIN_WEIGHTS, "管理员")):
        if sum(values[name] for name in weights) != 100:
            first = next(iter(weights.values()))
            errors.append(
                DomainError(ErrorCode.INVALID_INPUT, f"{label}各项权重之和须为100", (first,))
            )
    return errors
