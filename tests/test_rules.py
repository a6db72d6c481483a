"""The pure rules at their exact edges, in Asia/Shanghai, with fixed instants (no database)."""

import datetime as dt

import pytest

from lms_plugin.reference import MAY_DAY_2012
from lms_plugin.resolvers.core.calendar import (
    WindowState,
    batch_window_errors,
    day_window,
    registration_error,
    study_days,
    window_error,
)
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode
from lms_plugin.resolvers.core.hours import HourProgress, HourSplit, hour_split
from lms_plugin.resolvers.core.placement import placement_error
from lms_plugin.resolvers.core.programs import batch_for
from lms_plugin.resolvers.core.stages import workshop_stage_for
from lms_plugin.storage.enums import Stage, Track
from lms_plugin.storage.models import Batch, Person, Workshop

from .conftest import local

SHANGHAI = "Asia/Shanghai"
FIRST_DAY = dt.date(2012, 4, 20)
LAST_DAY = dt.date(2012, 4, 25)
DAILY = "每日注册时间为09:00至22:00"
DATES = "注册时间为2012年04月20日至2012年04月25日"


def _registration(now: dt.datetime, *, daily_hours: bool = True) -> DomainError | None:
    """R3 with the 2012 settings: 4/20–4/25, 9:00–22:00 (admins: the dates only)."""
    return registration_error(
        now,
        time_zone=SHANGHAI,
        starts_on=FIRST_DAY,
        ends_on=LAST_DAY,
        opens_at=dt.time(9, 0) if daily_hours else None,
        closes_at=dt.time(22, 0) if daily_hours else None,
    )


def _closed(message: str) -> DomainError:
    return DomainError(ErrorCode.REGISTRATION_CLOSED, message)


@pytest.mark.parametrize("day", [20, 25], ids=["first-day", "last-day"])
@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (dt.time(8, 59, 59), _closed(DAILY)),
        (dt.time(9, 0, 0), None),
        (dt.time(21, 59, 59), None),
        (dt.time(22, 0, 0), _closed(DAILY)),
    ],
    ids=["8:59:59", "9:00:00", "21:59:59", "22:00:00"],
)
def test_r3_self_registration_daily_hours_on_the_first_and_last_day(
    day: int, at: dt.time, expected: DomainError | None
) -> None:
    now = local(2012, 4, day, at.hour, at.minute, at.second)
    assert _registration(now) == expected


@pytest.mark.parametrize(
    "now",
    [local(2012, 4, 19, 9, 0, 0), local(2012, 4, 19, 21, 59, 59), local(2012, 4, 26, 9, 0, 0)],
    ids=["day-before-9:00", "day-before-21:59:59", "day-after-9:00"],
)
def test_r3_the_days_just_outside_are_closed_at_any_hour(now: dt.datetime) -> None:
    assert _registration(now) == _closed(DATES)


def test_r3_is_judged_in_shanghai_time_whatever_the_instant_s_zone() -> None:
    # 01:00 UTC is 09:00 in Shanghai; 15:59:59 UTC on 4/25 is 23:59:59 local (after 22:00).
    assert _registration(dt.datetime(2012, 4, 20, 1, 0, tzinfo=dt.UTC)) is None
    assert _registration(dt.datetime(2012, 4, 20, 0, 59, 59, tzinfo=dt.UTC)) == _closed(DAILY)
    assert _registration(dt.datetime(2012, 4, 19, 16, 0, tzinfo=dt.UTC), daily_hours=False) is None


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (local(2012, 4, 19, 23, 59, 59), _closed(DATES)),
        (local(2012, 4, 20, 0, 0, 0), None),
        (local(2012, 4, 20, 23, 0, 0), None),
        (local(2012, 4, 25, 23, 59, 59), None),
        (local(2012, 4, 26, 0, 0, 0), _closed(DATES)),
    ],
    ids=["4/19 23:59:59", "4/20 0:00", "4/20 23:00", "4/25 23:59:59", "4/26 0:00"],
)
def test_r3_admin_registration_checks_the_dates_only(
    now: dt.datetime, expected: DomainError | None
) -> None:
    assert _registration(now, daily_hours=False) == expected


def test_r2_ten_study_days_across_may_day_are_accepted_eleven_refused() -> None:
    # 4/27–5/9: 13 calendar days minus 4/29, 4/30, 5/1.
    assert study_days(dt.date(2012, 4, 27), dt.date(2012, 5, 9), MAY_DAY_2012) == 10
    assert batch_window_errors(dt.date(2012, 4, 27), dt.date(2012, 5, 9), MAY_DAY_2012, 10) == []
    assert batch_window_errors(dt.date(2012, 4, 27), dt.date(2012, 5, 10), MAY_DAY_2012, 10) == [
        DomainError(
            ErrorCode.BATCH_TOO_LONG,
            "每批研修时间不超过10个学习日（扣除节假日），此批为11天",
            ("endsOn",),
        )
    ]


def test_r2_without_holidays_every_calendar_day_counts() -> None:
    assert batch_window_errors(dt.date(2012, 5, 10), dt.date(2012, 5, 19), (), 10) == []
    assert [
        e.code for e in batch_window_errors(dt.date(2012, 5, 10), dt.date(2012, 5, 20), (), 10)
    ] == [ErrorCode.BATCH_TOO_LONG]


def test_r2_holidays_outside_the_window_count_nothing() -> None:
    # The reference batch 1 (4/27–5/8) has 9 study days; batch 2 (5/10–5/19) all 10.
    assert study_days(dt.date(2012, 4, 27), dt.date(2012, 5, 8), MAY_DAY_2012) == 9
    assert study_days(dt.date(2012, 5, 10), dt.date(2012, 5, 19), MAY_DAY_2012) == 10


def test_r2_a_window_ending_before_it_starts_is_invalid() -> None:
    assert batch_window_errors(dt.date(2012, 5, 10), dt.date(2012, 5, 9), (), 10) == [
        DomainError(ErrorCode.INVALID_WINDOW, "结束日期早于开始日期", ("endsOn",))
    ]


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (local(2012, 4, 26, 23, 59, 59), WindowState.NOT_OPEN),
        (local(2012, 4, 27, 0, 0, 0), WindowState.OPEN),
        (local(2012, 5, 8, 23, 59, 59), WindowState.OPEN),
        (local(2012, 5, 9, 0, 0, 0), WindowState.CLOSED),
    ],
    ids=["just-before", "opening-instant", "end-date-23:59:59", "next-midnight"],
)
def test_r1_window_state_at_its_edges(now: dt.datetime, state: WindowState) -> None:
    window = day_window(dt.date(2012, 4, 27), dt.date(2012, 5, 8), SHANGHAI)
    assert window.opens_at == local(2012, 4, 27, 0, 0)
    assert window.closes_at == local(2012, 5, 9, 0, 0)
    assert window.state(now) is state
    assert window.contains(now) is (state is WindowState.OPEN)


def test_r1_window_errors_name_the_side() -> None:
    window = day_window(dt.date(2012, 4, 27), dt.date(2012, 5, 8), SHANGHAI)
    assert window_error(window, local(2012, 4, 26, 23, 59, 59)) == DomainError(
        ErrorCode.WINDOW_NOT_OPEN, "研修时间尚未开始"
    )
    assert window_error(window, local(2012, 5, 8, 23, 59, 59)) is None
    assert window_error(window, local(2012, 5, 9, 0, 0, 0)) == DomainError(
        ErrorCode.WINDOW_CLOSED, "研修时间已结束"
    )


@pytest.mark.parametrize(
    ("stage", "workshop_stage"),
    [
        (Stage.HIGH, Stage.HIGH),
        (Stage.VOCATIONAL, Stage.HIGH),
        (Stage.JUNIOR, Stage.JUNIOR),
        (Stage.PRIMARY, Stage.PRIMARY),
        (Stage.KINDERGARTEN, Stage.KINDERGARTEN),
    ],
)
def test_r4_stage_mapping(stage: Stage, workshop_stage: Stage) -> None:
    assert workshop_stage_for(stage) is workshop_stage


def _teacher(stage: Stage | None, subject: str | None) -> Person:
    return Person(id=1, username="t", real_name="教师", stage=stage, subject=subject)


def _workshop(stage: Stage, subject: str) -> Workshop:
    return Workshop(id=1, program_id=1, leader_id=2, name="工作室", stage=stage, subject=subject)


def test_r4_a_teacher_matches_only_a_workshop_of_their_stage_and_subject() -> None:
    high_math = _workshop(Stage.HIGH, "数学")
    mismatch = DomainError(ErrorCode.WORKSHOP_MISMATCH, "只能选学本人学段学科（高中数学）的工作室")
    assert (
        placement_error(_teacher(Stage.HIGH, "数学"), high_math, exempt=False, enrolled=False)
        is None
    )
    assert (
        placement_error(_teacher(Stage.VOCATIONAL, "数学"), high_math, exempt=False, enrolled=False)
        is None
    )
    assert (
        placement_error(
            _teacher(Stage.HIGH, "数学"),
            _workshop(Stage.JUNIOR, "数学"),
            exempt=False,
            enrolled=False,
        )
        == mismatch
    )
    assert (
        placement_error(
            _teacher(Stage.HIGH, "数学"),
            _workshop(Stage.HIGH, "物理"),
            exempt=False,
            enrolled=False,
        )
        == mismatch
    )


def test_placement_refusals_most_decisive_first() -> None:
    junior_math = _workshop(Stage.JUNIOR, "数学")
    teacher = _teacher(Stage.HIGH, "数学")
    assert placement_error(_teacher(None, None), junior_math, exempt=True, enrolled=True) == (
        DomainError(ErrorCode.NOT_A_TEACHER, "未登记学段和学科，不能作为学员报名")
    )
    assert placement_error(teacher, junior_math, exempt=True, enrolled=True) == DomainError(
        ErrorCode.TUTOR_EXEMPT, "工作室辅导团队成员免予选学研修，不能作为学员报名"
    )
    assert placement_error(teacher, junior_math, exempt=False, enrolled=True) == DomainError(
        ErrorCode.ALREADY_ENROLLED, "本阶段已报名，每人只能报名一次"
    )


def _batch(number: int, track: Track, *pairs: tuple[Stage, str]) -> Batch:
    return Batch(
        id=number,
        number=number,
        track=track,
        subjects=[{"stage": stage.value, "subject": subject} for stage, subject in pairs],
    )


def test_r4_the_batch_follows_from_stage_subject_and_track() -> None:
    high = _batch(1, Track.NETWORK, (Stage.HIGH, "数学"), (Stage.HIGH, "语文"))
    chinese = _batch(3, Track.NETWORK, (Stage.JUNIOR, "语文"), (Stage.PRIMARY, "语文"))
    transitional = _batch(5, Track.TRANSITIONAL)
    batches = [high, chinese, transitional]
    assert batch_for(batches, Stage.HIGH, "数学", Track.NETWORK) is high
    assert batch_for(batches, Stage.PRIMARY, "语文", Track.NETWORK) is chinese
    assert batch_for(batches, Stage.JUNIOR, "数学", Track.NETWORK) is None
    assert batch_for(batches, Stage.JUNIOR, "数学", Track.TRANSITIONAL) is transitional
    assert batch_for([high], Stage.HIGH, "数学", Track.TRANSITIONAL) is None


def test_r8_hour_split_per_track() -> None:
    settings = {"network": (6, 16), "transitional": (4, 18)}
    assert hour_split(Track.NETWORK, **settings) == HourSplit(online_hours=6, offline_hours=16)
    assert hour_split(Track.TRANSITIONAL, **settings) == HourSplit(online_hours=4, offline_hours=18)


NETWORK = HourSplit(online_hours=6, offline_hours=16)
TRANSITIONAL = HourSplit(online_hours=4, offline_hours=18)


@pytest.mark.parametrize(
    ("split", "online_seconds", "offline_minutes", "online_done", "offline_done"),
    [
        (NETWORK, 6 * 3600 - 1, 16 * 60, False, True),
        (NETWORK, 6 * 3600, 16 * 60 - 1, True, False),
        (NETWORK, 6 * 3600, 16 * 60, True, True),
        (TRANSITIONAL, 4 * 3600 - 1, 18 * 60, False, True),
        (TRANSITIONAL, 4 * 3600, 18 * 60, True, True),
    ],
    ids=["network-online-1s-short", "network-offline-1min-short", "network-complete",
         "transitional-online-1s-short", "transitional-complete"],
)  # fmt: skip
def test_r8_each_part_completes_at_its_own_quota(
    split: HourSplit,
    online_seconds: int,
    offline_minutes: int,
    online_done: bool,
    offline_done: bool,
) -> None:
    progress = HourProgress(
        split=split, online_seconds=online_seconds, offline_minutes=offline_minutes
    )
    assert (progress.online_complete, progress.offline_complete) == (online_done, offline_done)
    assert progress.complete is (online_done and offline_done)


def test_r8_a_surplus_in_one_part_never_fills_the_other() -> None:
    # 22 hours online (all of the phase's hours) and 15 offline: still not complete.
    online_heavy = HourProgress(split=NETWORK, online_seconds=22 * 3600, offline_minutes=15 * 60)
    assert online_heavy.online_counted_seconds == 6 * 3600
    assert online_heavy.offline_counted_minutes == 15 * 60
    assert (online_heavy.online_complete, online_heavy.complete) == (True, False)
    offline_heavy = HourProgress(split=NETWORK, online_seconds=5 * 3600, offline_minutes=22 * 60)
    assert offline_heavy.online_counted_seconds == 5 * 3600
    assert offline_heavy.offline_counted_minutes == 16 * 60
    assert (offline_heavy.offline_complete, offline_heavy.complete) == (True, False)
