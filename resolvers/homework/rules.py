"""Homework rules (R1, R10), pure: due dates, submission states, grading, the recommendation ladder.

Windows come from `rules.day_window`; times are judged in the program's time zone.
"""

import datetime as dt
from collections.abc import Collection
from zoneinfo import ZoneInfo

from lms_plugin.resolvers.core.calendar import Window, local_midnight
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode
from lms_plugin.storage.enums import GradeLevel, RecommendationLevel, SubmissionStatus

MAX_SCORE = 100

# R10: tutor → class showcase, workshop leader → workshop showcase, project team → home page.
LADDER = (RecommendationLevel.CLASS, RecommendationLevel.WORKSHOP, RecommendationLevel.HOME)
LEVEL_NAMES = {
    RecommendationLevel.CLASS: "班级",
    RecommendationLevel.WORKSHOP: "工作室",
    RecommendationLevel.HOME: "首页",
}


def in_time_zone(at: dt.datetime, time_zone: str) -> dt.datetime:
    """A time without an offset is read as wall-clock time in the program's time zone."""
    return at.replace(tzinfo=ZoneInfo(time_zone)) if at.tzinfo is None else at


def due_at_errors(window: Window, due_at: dt.datetime, now: dt.datetime) -> list[DomainError]:
    """An assignment is due inside its batch window (end date inclusive) and after now."""
    errors: list[DomainError] = []
    if not window.contains(due_at):
        last_day = (window.closes_at - dt.timedelta(days=1)).date()
        errors.append(
            DomainError(
                ErrorCode.INVALID_INPUT,
                f"截止时间须在研修时间{window.opens_at:%Y年%m月%d日}至{last_day:%Y年%m月%d日}之内",
                ("dueAt",),
            )
        )
    if due_at <= now:
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "截止时间须晚于当前时间", ("dueAt",)))
    return errors


def content_error(text: str, attachment_count: int) -> DomainError | None:
    if text.strip() or attachment_count:
        return None
    return DomainError(ErrorCode.INVALID_INPUT, "请填写作业内容或添加附件", ("text",))


def resubmit_error(status: SubmissionStatus | None) -> DomainError | None:
    """R10: a submission is replaced by the next one until it is graded."""
    if status is SubmissionStatus.GRADED:
        return DomainError(ErrorCode.ALREADY_GRADED, "作业已批改，不能再修改")
    return None


def return_errors(status: SubmissionStatus, window: Window, now: dt.datetime) -> list[DomainError]:
    """Returning reopens a submission, so the trainee must still be able to resubmit (R1)."""
    errors: list[DomainError] = []
    if status is SubmissionStatus.GRADED:
        errors.append(DomainError(ErrorCode.ALREADY_GRADED, "作业已批改，不能退回"))
    elif status is SubmissionStatus.RETURNED:
        errors.append(
            DomainError(ErrorCode.INVALID_INPUT, "作业已退回，等待学员修改", ("submissionId",))
        )
    if now >= window.closes_at:
        errors.append(DomainError(ErrorCode.WINDOW_CLOSED, "学员的研修时间已结束，不能再退回修改"))
    return errors


def grading_errors(
    status: SubmissionStatus,
    score: int,
    now: dt.datetime,
    *,
    assessment_ends_on: dt.date | None,
    time_zone: str,
) -> list[DomainError]:
    """R10: grading stays open after the window until the assessment end date (inclusive).

    A returned submission may be graded as it stands (the trainee may never revise it).
    """
    errors: list[DomainError] = []
    if status is SubmissionStatus.GRADED:
        errors.append(DomainError(ErrorCode.ALREADY_GRADED, "作业已批改"))
    if assessment_ends_on is not None and now >= local_midnight(
        assessment_ends_on + dt.timedelta(days=1), time_zone
    ):
        errors.append(
            DomainError(
                ErrorCode.GRADING_CLOSED, f"作业批改已于{assessment_ends_on:%Y年%m月%d日}截止"
            )
        )
    if not 0 <= score <= MAX_SCORE:
        errors.append(
            DomainError(ErrorCode.INVALID_INPUT, f"分数须在0到{MAX_SCORE}之间", ("score",))
        )
    return errors


def recommend_error(
    level: RecommendationLevel,
    status: SubmissionStatus,
    grade: GradeLevel | None,
    active: Collection[RecommendationLevel],
) -> DomainError | None:
    """R10: only graded, passing work enters the ladder, and each step needs the one below."""
    if level in active:
        return DomainError(ErrorCode.ALREADY_RECOMMENDED, f"该作业已推荐到{LEVEL_NAMES[level]}")
    position = LADDER.index(level)
    if position > 0:
        below = LADDER[position - 1]
        if below not in active:
            return DomainError(
                ErrorCode.NOT_RECOMMENDED,
                f"须先推荐到{LEVEL_NAMES[below]}，才能推荐到{LEVEL_NAMES[level]}",
            )
        return None
    if status is not SubmissionStatus.GRADED:
        return DomainError(ErrorCode.NOT_GRADED, "作业尚未批改，不能推荐")
    if grade is GradeLevel.FAIL:
        return DomainError(ErrorCode.NOT_PASSING, "不合格的作业不能推荐")
    return None


def levels_to_withdraw(
    level: RecommendationLevel, active: Collection[RecommendationLevel]
) -> list[RecommendationLevel] | DomainError:
    """R10: withdrawing a step withdraws the active steps above it too, lowest first."""
    if level not in active:
        return DomainError(ErrorCode.NOT_RECOMMENDED, f"该作业没有推荐到{LEVEL_NAMES[level]}")
    return [step for step in LADDER[LADDER.index(level) :] if step in active]


def highest_level(active: Collection[RecommendationLevel]) -> RecommendationLevel | None:
    return next((step for step in reversed(LADDER) if step in active), None)
