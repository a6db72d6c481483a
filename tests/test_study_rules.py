"""The pure rules of study time (R1, R8, R9), without a database, at their exact edges."""

import datetime as dt

import pytest

from lms_plugin.resolvers.core.calendar import day_window
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode
from lms_plugin.resolvers.study.rules import (
    BeatLimits,
    LedgerPlan,
    OfflineLimits,
    Piece,
    SessionEnd,
    credit_heartbeat,
    duplicate_beat,
    effective_end,
    ledger_plan,
    offline_minutes_errors,
    studied_on_error,
    timed_out,
)
from lms_plugin.storage.enums import LedgerKind, SessionEndReason

from .conftest import local

# Batch 1 of 2012: 4/27 00:00 to 5/9 00:00 in Shanghai; 6 online hours on the network track.
WINDOW = day_window(dt.date(2012, 4, 27), dt.date(2012, 5, 8), "Asia/Shanghai")
SIX_HOURS = 6 * 3600
COUNTED, OUTSIDE, IDLE, OVER, DUPLICATE = (
    LedgerKind.COUNTED,
    LedgerKind.OUTSIDE_WINDOW,
    LedgerKind.IDLE_GAP,
    LedgerKind.OVER_QUOTA,
    LedgerKind.DUPLICATE,
)


def limits(online_seconds: int = 0, max_gap: int = 120) -> BeatLimits:
    return BeatLimits(
        max_gap_seconds=max_gap,
        window=WINDOW,
        online_seconds=online_seconds,
        quota_seconds=SIX_HOURS,
    )


def at(hour: int, minute: int, second: int = 0, day: int = 2) -> dt.datetime:
    return local(2012, 5, day, hour, minute, second)


def test_a_beat_inside_the_window_counts_the_time_since_the_previous_one() -> None:
    assert credit_heartbeat(at(9, 0), at(9, 1), limits()) == [
        Piece(COUNTED, 60, at(9, 0), at(9, 1))
    ]


def test_a_gap_of_exactly_the_limit_counts_and_one_second_more_counts_nothing() -> None:
    assert credit_heartbeat(at(9, 0), at(9, 2), limits()) == [
        Piece(COUNTED, 120, at(9, 0), at(9, 2))
    ]
    assert credit_heartbeat(at(9, 0), at(9, 2, 1), limits()) == [
        Piece(IDLE, 121, at(9, 0), at(9, 2, 1))
    ]


def test_the_gap_limit_is_the_programs_setting() -> None:
    assert credit_heartbeat(at(9, 0), at(9, 5), limits(max_gap=300)) == [
        Piece(COUNTED, 300, at(9, 0), at(9, 5))
    ]


def test_fractions_of_a_second_are_dropped_so_counted_time_never_exceeds_wall_clock() -> None:
    previous = at(9, 0) + dt.timedelta(microseconds=900_000)
    now = at(9, 1) + dt.timedelta(microseconds=100_000)

    assert credit_heartbeat(previous, now, limits()) == [Piece(COUNTED, 59, previous, now)]


def test_a_beat_before_the_window_counts_nothing() -> None:
    before = local(2012, 4, 26, 23, 58)
    assert credit_heartbeat(before, local(2012, 4, 26, 23, 59), limits()) == [
        Piece(OUTSIDE, 60, before, local(2012, 4, 26, 23, 59))
    ]


def test_a_beat_across_the_opening_is_split_at_midnight() -> None:
    previous, now = local(2012, 4, 26, 23, 59, 30), local(2012, 4, 27, 0, 0, 45)

    assert credit_heartbeat(previous, now, limits()) == [
        Piece(OUTSIDE, 30, previous, local(2012, 4, 27)),
        Piece(COUNTED, 45, local(2012, 4, 27), now),
    ]


def test_a_beat_across_the_close_counts_up_to_2359_59_of_the_last_day() -> None:
    previous, now = local(2012, 5, 8, 23, 59), local(2012, 5, 9, 0, 0, 30)

    assert credit_heartbeat(previous, now, limits()) == [
        Piece(COUNTED, 60, previous, local(2012, 5, 9)),
        Piece(OUTSIDE, 30, local(2012, 5, 9), now),
    ]


def test_the_online_quota_stops_the_count_and_the_rest_is_over_quota() -> None:
    assert credit_heartbeat(at(9, 0), at(9, 1), limits(online_seconds=SIX_HOURS - 20)) == [
        Piece(COUNTED, 20, at(9, 0), at(9, 0, 20)),
        Piece(OVER, 40, at(9, 0, 20), at(9, 1)),
    ]
    assert credit_heartbeat(at(9, 0), at(9, 1), limits(online_seconds=SIX_HOURS)) == [
        Piece(OVER, 60, at(9, 0), at(9, 1))
    ]


def test_a_beat_across_the_close_and_the_quota_has_three_pieces() -> None:
    previous, now = local(2012, 5, 8, 23, 59), local(2012, 5, 9, 0, 0, 30)

    assert credit_heartbeat(previous, now, limits(online_seconds=SIX_HOURS - 10)) == [
        Piece(COUNTED, 10, previous, local(2012, 5, 8, 23, 59, 10)),
        Piece(OVER, 50, local(2012, 5, 8, 23, 59, 10), local(2012, 5, 9)),
        Piece(OUTSIDE, 30, local(2012, 5, 9), now),
    ]


@pytest.mark.parametrize(
    ("now", "online", "kind"),
    [
        (at(9, 0), 0, COUNTED),
        (at(9, 0), SIX_HOURS, OVER),
        (local(2012, 5, 9), 0, OUTSIDE),
    ],
)
def test_a_beat_that_adds_no_time_is_one_empty_piece_of_its_instants_kind(
    now: dt.datetime, online: int, kind: LedgerKind
) -> None:
    assert credit_heartbeat(now, now, limits(online_seconds=online)) == [Piece(kind, 0, now, now)]


def test_a_retried_beat_is_one_empty_duplicate_piece() -> None:
    assert duplicate_beat(at(9, 1)) == [Piece(DUPLICATE, 0, at(9, 1), at(9, 1))]


def test_the_first_piece_extends_the_open_run_of_its_kind_and_the_rest_start_new_runs() -> None:
    pieces = [
        Piece(OUTSIDE, 30, at(9, 0), at(9, 0, 30)),
        Piece(COUNTED, 45, at(9, 0, 30), at(9, 1)),
    ]

    assert ledger_plan(OUTSIDE, pieces) == LedgerPlan(extend=pieces[0], new=pieces[1:])
    assert ledger_plan(COUNTED, pieces) == LedgerPlan(extend=None, new=pieces)
    assert ledger_plan(None, pieces) == LedgerPlan(extend=None, new=pieces)


def test_a_session_times_out_one_second_after_the_gap_limit() -> None:
    assert not timed_out(at(9, 0), at(9, 2), 120)
    assert timed_out(at(9, 0), at(9, 2, 1), 120)


def test_a_session_reads_as_its_recorded_end_or_timed_out_at_its_last_beat() -> None:
    ended = effective_end(at(9, 5), SessionEndReason.ENDED, at(9, 4), at(10, 0), 120)
    idle = effective_end(None, None, at(9, 4), at(9, 6, 1), 120)
    active = effective_end(None, None, at(9, 4), at(9, 6), 120)

    assert (ended, idle, active) == (
        SessionEnd(at(9, 5), SessionEndReason.ENDED),
        SessionEnd(at(9, 4), SessionEndReason.TIMED_OUT),
        None,
    )


OFFLINE = OfflineLimits(step_minutes=30, day_minutes=480)


@pytest.mark.parametrize("hours", [0.5, 1.0, 7.5, 8.0])
def test_offline_hours_in_half_hour_steps_up_to_eight_a_day_are_accepted(hours: float) -> None:
    assert offline_minutes_errors(hours, 0, OFFLINE) == []


@pytest.mark.parametrize("hours", [0.0, -1.0, 0.25, 1.2])
def test_offline_hours_must_be_positive_half_hour_steps(hours: float) -> None:
    assert offline_minutes_errors(hours, 0, OFFLINE) == [
        DomainError(ErrorCode.INVALID_INPUT, "学时须为0.5小时的正整数倍", ("hours",))
    ]


def test_a_days_offline_hours_stop_at_eight() -> None:
    assert offline_minutes_errors(2.0, 360, OFFLINE) == []
    assert offline_minutes_errors(2.5, 360, OFFLINE) == [
        DomainError(
            ErrorCode.INVALID_INPUT, "每天登记的线下研修不超过8小时，当天还可登记2小时", ("hours",)
        )
    ]


def test_the_day_studied_lies_between_the_window_start_and_today() -> None:
    starts_on, today = dt.date(2012, 4, 27), dt.date(2012, 5, 2)

    assert studied_on_error(starts_on, today, starts_on) is None
    assert studied_on_error(today, today, starts_on) is None
    assert studied_on_error(dt.date(2012, 4, 26), today, starts_on) == DomainError(
        ErrorCode.WINDOW_NOT_OPEN, "研修日期早于本批研修开始日期（2012年04月27日）", ("studiedOn",)
    )
    assert studied_on_error(dt.date(2012, 5, 3), today, starts_on) == DomainError(
        ErrorCode.INVALID_INPUT, "不能登记今天以后的研修", ("studiedOn",)
    )
