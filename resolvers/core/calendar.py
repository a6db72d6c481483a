"""The calendar rules (R1–R3), pure: windows, study days, registration dates and hours.

Each takes the program's settings as plain values, so tests call them directly with a fixed clock.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import DomainError, ErrorCode


class WindowState(StrEnum):
    NOT_OPEN = "not_open"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class Window:
    """[opens_at, closes_at): whole local days, so the end date counts to 23:59:59 (R1)."""

    opens_at: dt.datetime
    closes_at: dt.datetime

    def state(self, now: dt.datetime) -> WindowState:
        if now < self.opens_at:
            return WindowState.NOT_OPEN
        if now >= self.closes_at:
            return WindowState.CLOSED
        return WindowState.OPEN

    def contains(self, now: dt.datetime) -> bool:
        return self.opens_at <= now < self.closes_at


def local_midnight(day: dt.date, time_zone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(time_zone))


def day_window(starts_on: dt.date, ends_on: dt.date, time_zone: str) -> Window:
    return Window(
        opens_at=local_midnight(starts_on, time_zone),
        closes_at=local_midnight(ends_on + dt.timedelta(days=1), time_zone),
    )


def window_error(window: Window, now: dt.datetime) -> DomainError | None:
    """R1: trainee actions only inside the batch window."""
    state = window.state(now)
    if state is WindowState.NOT_OPEN:
        return DomainError(ErrorCode.WINDOW_NOT_OPEN, "研修时间尚未开始")
    if state is WindowState.CLOSED:
        return DomainError(ErrorCode.WINDOW_CLOSED, "研修时间已结束")
    return None


def study_days(starts_on: dt.date, ends_on: dt.date, holidays: Iterable[dt.date]) -> int:
    """R2: calendar days of the window minus the declared holidays inside it."""
    if ends_on < starts_on:
        return 0
    calendar_days = (ends_on - starts_on).days + 1
    return calendar_days - sum(1 for h in set(holidays) if starts_on <= h <= ends_on)


def batch_window_errors(
    starts_on: dt.date, ends_on: dt.date, holidays: Iterable[dt.date], max_study_days: int
) -> list[DomainError]:
    """R2: a window runs forward and has at most the program's batch length in study days."""
    if ends_on < starts_on:
        return [DomainError(ErrorCode.INVALID_WINDOW, "结束日期早于开始日期", ("endsOn",))]
    days = study_days(starts_on, ends_on, holidays)
    if days > max_study_days:
        return [
            DomainError(
                ErrorCode.BATCH_TOO_LONG,
                f"每批研修时间不超过{max_study_days}个学习日（扣除节假日），此批为{days}天",
                ("endsOn",),
            )
        ]
    return []


def parse_holidays(values: Iterable[str]) -> list[dt.date]:
    return [dt.date.fromisoformat(v) for v in values]


def registration_error(
    now: dt.datetime,
    *,
    time_zone: str,
    starts_on: dt.date,
    ends_on: dt.date,
    opens_at: dt.time | None,
    closes_at: dt.time | None,
) -> DomainError | None:
    """R3: inside the registration dates and, for self-registration, the daily hours.

    Pass `opens_at`/`closes_at` as None for a county admin's bulk registration (dates only).
    """
    local = now.astimezone(ZoneInfo(time_zone))
    if not starts_on <= local.date() <= ends_on:
        return DomainError(
            ErrorCode.REGISTRATION_CLOSED,
            f"注册时间为{starts_on:%Y年%m月%d日}至{ends_on:%Y年%m月%d日}",
        )
    daily = opens_at is not None and closes_at is not None
    if daily and not opens_at <= local.time().replace(tzinfo=None) < closes_at:  # type: ignore[operator]
        return DomainError(
            ErrorCode.REGISTRATION_CLOSED,
            f"每日注册时间为{opens_at:%H:%M}至{closes_at:%H:%M}",
        )
    return None


def is_time_zone(name: str) -> bool:
    """A name of the time zone database (Asia/Shanghai)."""
    try:
        ZoneInfo(name)
    # "Asia" names a folder of the zone database and a very long name exceeds a file name:
    # zoneinfo answers those with OSError, not ZoneInfoNotFoundError.
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True
