"""Pure rules of study time (R1, R8, R9): what a heartbeat credits, the ledger runs it makes,
when a session has timed out, and what an offline log may claim. No database here."""

import datetime as dt
from dataclasses import dataclass

from lms_plugin.resolvers.core.calendar import Window
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode
from lms_plugin.storage.enums import LedgerKind, SessionEndReason


@dataclass(frozen=True)
class Piece:
    """A stretch of time between two heartbeats, of one kind: counted, or not and why."""

    kind: LedgerKind
    seconds: int
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass(frozen=True)
class BeatLimits:
    """The program settings and running totals a heartbeat is judged against."""

    max_gap_seconds: int
    window: Window
    online_seconds: int
    quota_seconds: int


def whole_seconds(start: dt.datetime, end: dt.datetime) -> int:
    """Elapsed wall-clock seconds, rounded down, so counted time never exceeds it (R9)."""
    return max(int((end - start).total_seconds()), 0)


def credit_heartbeat(previous_at: dt.datetime, now: dt.datetime, limits: BeatLimits) -> list[Piece]:
    """R9, R1, R8: the time since the previous beat, split into ledger pieces in time order.

    A gap over the limit counts nothing (IDLE_GAP). Otherwise the part outside the batch window
    is OUTSIDE_WINDOW (a beat across the window's edge is split there), and the part inside
    counts until the track's online quota is reached, the rest being OVER_QUOTA. A beat that
    adds no time yields one zero-second piece of the kind its instant has.
    """
    elapsed = whole_seconds(previous_at, now)
    if elapsed > limits.max_gap_seconds:
        return [Piece(LedgerKind.IDLE_GAP, elapsed, previous_at, now)]
    end = previous_at + dt.timedelta(seconds=elapsed)
    opens_at, closes_at = limits.window.opens_at, limits.window.closes_at
    inside_from = min(max(previous_at, opens_at), end)
    inside_to = max(min(end, closes_at), inside_from)
    inside = whole_seconds(inside_from, inside_to)
    room = max(limits.quota_seconds - limits.online_seconds, 0)
    counted_to = inside_from + dt.timedelta(seconds=min(inside, room))
    spans = [
        (LedgerKind.OUTSIDE_WINDOW, previous_at, inside_from),
        (LedgerKind.COUNTED, inside_from, counted_to),
        (LedgerKind.OVER_QUOTA, counted_to, inside_to),
        (LedgerKind.OUTSIDE_WINDOW, inside_to, end),
    ]
    pieces = [
        Piece(kind, whole_seconds(start, stop), start, stop)
        for kind, start, stop in spans
        if stop > start
    ]
    if not pieces:
        return [Piece(_kind_at(now, limits), 0, now, now)]
    last = pieces[-1]
    # The last piece ends at the beat itself (the rounded-down fraction belongs to no one).
    pieces[-1] = Piece(last.kind, last.seconds, last.starts_at, now)
    return pieces


def _kind_at(now: dt.datetime, limits: BeatLimits) -> LedgerKind:
    if not limits.window.contains(now):
        return LedgerKind.OUTSIDE_WINDOW
    if limits.online_seconds >= limits.quota_seconds:
        return LedgerKind.OVER_QUOTA
    return LedgerKind.COUNTED


def duplicate_beat(now: dt.datetime) -> list[Piece]:
    """R9: a retried heartbeat (sequence not above the last one) counts once: nothing more."""
    return [Piece(LedgerKind.DUPLICATE, 0, now, now)]


def counted_seconds(pieces: list[Piece]) -> int:
    return sum(p.seconds for p in pieces if p.kind is LedgerKind.COUNTED)


@dataclass(frozen=True)
class LedgerPlan:
    """How a beat's pieces go into the run-length ledger: the first may extend the session's
    open entry (same kind); the others start new entries, the last of which stays open. The
    beat itself is counted once, on the last piece."""

    extend: Piece | None
    new: list[Piece]


def ledger_plan(open_kind: LedgerKind | None, pieces: list[Piece]) -> LedgerPlan:
    if open_kind is not None and pieces[0].kind is open_kind:
        return LedgerPlan(extend=pieces[0], new=pieces[1:])
    return LedgerPlan(extend=None, new=pieces)


def timed_out(last_beat_at: dt.datetime, now: dt.datetime, max_gap_seconds: int) -> bool:
    """R9: a session whose last beat is older than the gap limit has stopped by itself."""
    return whole_seconds(last_beat_at, now) > max_gap_seconds


@dataclass(frozen=True)
class SessionEnd:
    at: dt.datetime
    reason: SessionEndReason


def effective_end(
    ended_at: dt.datetime | None,
    end_reason: SessionEndReason | None,
    last_beat_at: dt.datetime,
    now: dt.datetime,
    max_gap_seconds: int,
) -> SessionEnd | None:
    """How a session reads at `now`: its recorded end, or TIMED_OUT at its last beat when the
    heartbeats have stopped for longer than the gap limit, or None while it is active."""
    if ended_at is not None and end_reason is not None:
        return SessionEnd(ended_at, end_reason)
    if timed_out(last_beat_at, now, max_gap_seconds):
        return SessionEnd(last_beat_at, SessionEndReason.TIMED_OUT)
    return None


@dataclass(frozen=True)
class OfflineLimits:
    """Offline logs (R8): hours in steps of `step_minutes`, at most `day_minutes` a day."""

    step_minutes: int
    day_minutes: int


def offline_minutes_errors(
    hours: float, logged_that_day_minutes: int, limits: OfflineLimits
) -> list[DomainError]:
    """The hours of one log: positive, in whole steps, and the day's logs within the limit."""
    minutes = hours * 60
    if hours <= 0 or not (minutes / limits.step_minutes).is_integer():
        step_hours = limits.step_minutes / 60
        return [
            DomainError(
                ErrorCode.INVALID_INPUT, f"学时须为{step_hours:g}小时的正整数倍", ("hours",)
            )
        ]
    if logged_that_day_minutes + minutes > limits.day_minutes:
        day_hours = limits.day_minutes / 60
        left = max(limits.day_minutes - logged_that_day_minutes, 0) / 60
        return [
            DomainError(
                ErrorCode.INVALID_INPUT,
                f"每天登记的线下研修不超过{day_hours:g}小时，当天还可登记{left:g}小时",
                ("hours",),
            )
        ]
    return []


def studied_on_error(studied_on: dt.date, today: dt.date, starts_on: dt.date) -> DomainError | None:
    """R1: the day studied lies in the batch window (the log itself is made inside it, so the
    window's end is today at the latest) and is not after today."""
    if studied_on < starts_on:
        return DomainError(
            ErrorCode.WINDOW_NOT_OPEN,
            f"研修日期早于本批研修开始日期（{starts_on:%Y年%m月%d日}）",
            ("studiedOn",),
        )
    if studied_on > today:
        return DomainError(ErrorCode.INVALID_INPUT, "不能登记今天以后的研修", ("studiedOn",))
    return None
