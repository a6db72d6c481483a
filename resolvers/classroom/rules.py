"""Pure rules of class communication (no database): briefing deadlines and punctuality (R11),
the figures a new briefing starts from, and the checks on what tutors write."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from lms_plugin.resolvers.core.calendar import day_window, local_midnight
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode
from lms_plugin.resolvers.core.hours import HourProgress, HourSplit

ONE_SECOND = dt.timedelta(seconds=1)
TITLE_MAX_LENGTH = 128


def briefing_due_at(
    starts_on: dt.date,
    ends_on: dt.date,
    time_zone: str,
    interval_days: int | None,
    number: int,
) -> dt.datetime:
    """R11: the last second (23:59:59 local, inclusive) of briefing period `number` (from 1).

    No interval: one period, the whole batch window. Otherwise period n ends interval×n days
    after the window opens; the last one is capped at the window's end, and so are later numbers.
    """
    closes_at = day_window(starts_on, ends_on, time_zone).closes_at
    window_days = (ends_on - starts_on).days + 1
    if interval_days is None or interval_days * number >= window_days:
        return closes_at - ONE_SECOND
    return local_midnight(starts_on + dt.timedelta(days=interval_days * number), time_zone) - (
        ONE_SECOND
    )


def briefing_on_time(published_at: dt.datetime, due_at: dt.datetime) -> bool:
    """R11: published within the due second or before it; a later one is late (and recorded)."""
    return published_at < due_at + ONE_SECOND


def briefing_title(class_name: str, number: int) -> str:
    return f"{class_name}第{number}期班级简报"


def text_errors(title: str | None, body: str | None) -> list[DomainError]:
    """A title of 1..128 characters and a body that is not blank (None: not being changed)."""
    errors: list[DomainError] = []
    if title is not None and not title.strip():
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "标题不能为空", ("title",)))
    if title is not None and len(title.strip()) > TITLE_MAX_LENGTH:
        errors.append(
            DomainError(ErrorCode.INVALID_INPUT, f"标题不超过{TITLE_MAX_LENGTH}个字", ("title",))
        )
    if body is not None and not body.strip():
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "正文不能为空", ("body",)))
    return errors


@dataclass(frozen=True)
class HoursSummary:
    """R8 progress of a class: who completed each part, and the average counted hours."""

    online_complete: int
    offline_complete: int
    complete: int
    average_online_hours: float
    average_offline_hours: float


def hours_summary(progress: Sequence[HourProgress]) -> HoursSummary:
    count = len(progress) or 1
    return HoursSummary(
        online_complete=sum(p.online_complete for p in progress),
        offline_complete=sum(p.offline_complete for p in progress),
        complete=sum(p.complete for p in progress),
        average_online_hours=sum(p.online_counted_seconds for p in progress) / 3600 / count,
        average_offline_hours=sum(p.offline_counted_minutes for p in progress) / 60 / count,
    )


def active_on(day: dt.date, time_zone: str, last_activity: Iterable[dt.datetime | None]) -> int:
    """How many trainees were last active on this local day."""
    zone = ZoneInfo(time_zone)
    return sum(1 for at in last_activity if at is not None and at.astimezone(zone).date() == day)


@dataclass(frozen=True)
class ClassFigures:
    """The live figures a new briefing is pre-filled with."""

    class_name: str
    day: dt.date
    # The splits of the class's tracks (network 6+16, transitional 4+18), at least one.
    splits: tuple[HourSplit, ...]
    trainees: int
    active_today: int
    hours: HoursSummary
    homework_submitted: int
    homework_graded: int
    homework_recommended: int
    discussion_posts: int
    discussion_posters: int


def briefing_body(figures: ClassFigures) -> str:
    """The draft text: the class's figures in plain sentences, for the tutor to edit."""
    f, h = figures, figures.hours
    online = "或".join(str(s.online_hours) for s in f.splits)
    offline = "或".join(str(s.offline_hours) for s in f.splits)
    return "\n".join(
        [
            f"{f.class_name}学习情况（截至{f.day.year}年{f.day.month}月{f.day.day}日）",
            f"一、学员：本班共{f.trainees}名学员，今日活跃{f.active_today}人。",
            f"二、学时：在线学时（要求{online}学时）已完成{h.online_complete}人，"
            f"人均{h.average_online_hours:.1f}学时；线下学时（要求{offline}学时）"
            f"已完成{h.offline_complete}人，人均{h.average_offline_hours:.1f}学时；"
            f"学时全部完成{h.complete}人。",
            f"三、作业：已提交{f.homework_submitted}份，已批阅{f.homework_graded}份，"
            f"推荐优秀作业{f.homework_recommended}份。",
            f"四、研讨：学员发帖{f.discussion_posts}条，{f.discussion_posters}人参与。",
            "五、辅导教师寄语：",
        ]
    )
