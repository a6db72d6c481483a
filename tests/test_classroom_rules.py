"""R11 briefing deadlines and punctuality at their edges, the draft's figures, text checks."""

import datetime as dt

import pytest

from lms_plugin.resolvers.classroom.rules import (
    ClassFigures,
    active_on,
    briefing_body,
    briefing_due_at,
    briefing_on_time,
    hours_summary,
    text_errors,
)
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode
from lms_plugin.resolvers.core.hours import HourProgress, HourSplit

from .conftest import local

# Batch 1 of 2012: 4/27–5/8, twelve calendar days.
STARTS_ON, ENDS_ON = dt.date(2012, 4, 27), dt.date(2012, 5, 8)
NETWORK = HourSplit(online_hours=6, offline_hours=16)


def due(interval_days: int | None, number: int) -> dt.datetime:
    return briefing_due_at(STARTS_ON, ENDS_ON, "Asia/Shanghai", interval_days, number)


@pytest.mark.parametrize("number", [1, 2, 7])
def test_without_an_interval_every_briefing_is_due_at_the_last_second_of_the_batch(
    number: int,
) -> None:
    assert due(None, number) == local(2012, 5, 8, 23, 59, 59)


@pytest.mark.parametrize(
    ("interval", "number", "due_at"),
    [
        (3, 1, local(2012, 4, 29, 23, 59, 59)),
        (3, 2, local(2012, 5, 2, 23, 59, 59)),
        (3, 3, local(2012, 5, 5, 23, 59, 59)),
        # 3 × 4 = 12 days: the fourth period ends exactly with the window.
        (3, 4, local(2012, 5, 8, 23, 59, 59)),
        (3, 5, local(2012, 5, 8, 23, 59, 59)),
        (5, 2, local(2012, 5, 6, 23, 59, 59)),
        # 5 × 3 = 15 days reaches past the window: capped at its end.
        (5, 3, local(2012, 5, 8, 23, 59, 59)),
        (1, 1, local(2012, 4, 27, 23, 59, 59)),
        (11, 1, local(2012, 5, 7, 23, 59, 59)),
        (12, 1, local(2012, 5, 8, 23, 59, 59)),
        (10_000, 1_000, local(2012, 5, 8, 23, 59, 59)),
    ],
)
def test_period_n_ends_interval_times_n_days_after_the_window_opens(
    interval: int, number: int, due_at: dt.datetime
) -> None:
    assert due(interval, number) == due_at


def test_published_in_the_due_second_is_on_time_and_at_midnight_after_it_is_late() -> None:
    due_at = due(None, 1)
    assert briefing_on_time(local(2012, 5, 8, 23, 59, 59), due_at) is True
    assert briefing_on_time(local(2012, 5, 8, 23, 59, 59, 999_999), due_at) is True
    assert briefing_on_time(local(2012, 5, 9, 0, 0, 0), due_at) is False
    assert briefing_on_time(local(2012, 4, 20, 10, 0), due_at) is True


def test_a_title_is_one_to_128_characters_and_a_body_not_blank() -> None:
    assert text_errors("标" * 128, "正文") == []
    assert text_errors(None, None) == []
    assert text_errors(" ", "\n") == [
        DomainError(ErrorCode.INVALID_INPUT, "标题不能为空", ("title",)),
        DomainError(ErrorCode.INVALID_INPUT, "正文不能为空", ("body",)),
    ]
    assert text_errors("标" * 129, None) == [
        DomainError(ErrorCode.INVALID_INPUT, "标题不超过128个字", ("title",))
    ]


def test_active_on_counts_the_local_day_from_midnight_to_midnight() -> None:
    day = dt.date(2012, 5, 2)
    last_activity = [
        local(2012, 5, 1, 23, 59, 59),
        local(2012, 5, 2, 0, 0, 0),
        local(2012, 5, 2, 23, 59, 59),
        local(2012, 5, 3, 0, 0, 0),
        None,
    ]
    assert active_on(day, "Asia/Shanghai", last_activity) == 2


def test_hours_summary_counts_each_part_to_its_quota() -> None:
    progress = [
        # 8 online hours count as 6: a surplus never fills the offline part (R8).
        HourProgress(split=NETWORK, online_seconds=8 * 3600, offline_minutes=600),
        HourProgress(split=NETWORK, online_seconds=3 * 3600, offline_minutes=16 * 60),
    ]
    summary = hours_summary(progress)
    assert (
        summary.online_complete,
        summary.offline_complete,
        summary.complete,
        summary.average_online_hours,
        summary.average_offline_hours,
    ) == (1, 1, 0, 4.5, 13.0)
    empty = hours_summary([])
    assert (empty.complete, empty.average_online_hours) == (0, 0.0)


def test_the_draft_body_states_the_figures() -> None:
    figures = ClassFigures(
        class_name="一班",
        day=dt.date(2012, 5, 2),
        splits=(NETWORK, HourSplit(online_hours=4, offline_hours=18)),
        trainees=2,
        active_today=1,
        hours=hours_summary(
            [HourProgress(split=NETWORK, online_seconds=6 * 3600, offline_minutes=90)]
        ),
        homework_submitted=3,
        homework_graded=2,
        homework_recommended=1,
        discussion_posts=5,
        discussion_posters=2,
    )
    assert briefing_body(figures) == (
        "一班学习情况（截至2012年5月2日）\n"
        "一、学员：本班共2名学员，今日活跃1人。\n"
        "二、学时：在线学时（要求6或4学时）已完成1人，人均6.0学时；"
        "线下学时（要求16或18学时）已完成0人，人均1.5学时；学时全部完成0人。\n"
        "三、作业：已提交3份，已批阅2份，推荐优秀作业1份。\n"
        "四、研讨：学员发帖5条，2人参与。\n"
        "五、辅导教师寄语："
    )
