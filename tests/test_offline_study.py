"""Offline study (线下研修) over HTTP (R1, R8): logged by the trainee inside the window, confirmed
or rejected once by their class tutor, counted only when confirmed and only up to the quota."""

import asyncio
from typing import Any

import pytest

from lms_plugin.clock import FixedClock
from lms_plugin.storage.models import Enrollment, OfflineStudyLog, Person

from .api import Api, error_codes
from .conftest import local
from .factories import gid
from .sql_counter import count_sql
from .study_world import World, make_world, progress

LOG = """
mutation ($input: LogOfflineStudyInput!) {
  logOfflineStudy(input: $input) {
    log { kind studiedOn hours minutes description status loggedAt reviewedAt reviewNote
          reviewedBy { username } }
    userErrors { code field message }
  }
}"""

REVIEW = """
mutation ($input: ReviewOfflineStudyInput!) {
  reviewOfflineStudy(input: $input) {
    log { status minutes reviewedAt reviewNote reviewedBy { username } }
    userErrors { code field message }
  }
}"""

LOGS = """
query ($enrollmentId: ID, $status: ReviewStatus, $first: Int) {
  offlineStudyLogs(enrollmentId: $enrollmentId, status: $status, first: $first) {
    nodes { studiedOn hours status reviewedBy { username } enrollment { track } }
  }
}"""


def log_input(
    studied_on: str,
    hours: float,
    kind: str = "SCHOOL_BASED",
    description: str = "校本研修：集体备课",
) -> dict[str, Any]:
    return {
        "input": {
            "kind": kind,
            "studiedOn": studied_on,
            "hours": hours,
            "description": description,
        }
    }


async def log(api: Api, who: Person | None, studied_on: str, hours: float) -> dict[str, Any]:
    data = await api.data(LOG, log_input(studied_on, hours), as_=who)
    payload: dict[str, Any] = data["logOfflineStudy"]
    return payload


async def log_id(api: Api, world: World, studied_on: str, hours: float) -> str:
    """Logs as the trainee; the new log's id (read back from the database)."""
    payload = await log(api, world.trainee, studied_on, hours)
    assert payload["userErrors"] == [], payload
    newest = await OfflineStudyLog.filter(enrollment_id=world.enrollment.id).order_by("-id").first()
    assert newest is not None
    return gid(newest)


async def review(
    api: Api, who: Person | None, log: str, *, confirm: bool, note: str = ""
) -> dict[str, Any]:
    data = await api.data(
        REVIEW, {"input": {"logId": log, "confirm": confirm, "note": note}}, as_=who
    )
    payload: dict[str, Any] = data["reviewOfflineStudy"]
    return payload


def user_error(code: str, field: str | None, message: str) -> dict[str, Any]:
    return {"code": code, "field": None if field is None else ["input", field], "message": message}


def logged(payload_log: dict[str, Any] | None, *errors: dict[str, Any]) -> dict[str, Any]:
    return {"log": payload_log, "userErrors": list(errors)}


async def test_a_trainee_logs_offline_study_of_a_day_of_the_window(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 20, 0))

    payload = await log(api, world.trainee, "2012-04-28", 2.5)

    assert payload == logged(
        {
            "kind": "SCHOOL_BASED",
            "studiedOn": "2012-04-28",
            "hours": 2.5,
            "minutes": 150,
            "description": "校本研修：集体备课",
            "status": "PENDING",
            "loggedAt": "2012-05-02T20:00:00+08:00",
            "reviewedAt": None,
            "reviewNote": "",
            "reviewedBy": None,
        }
    )


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (local(2012, 4, 26, 23, 59, 59), user_error("WINDOW_NOT_OPEN", None, "研修时间尚未开始")),
        (local(2012, 4, 27, 0, 0, 0), None),
        (local(2012, 5, 8, 23, 59, 59), None),
        (local(2012, 5, 9, 0, 0, 0), user_error("WINDOW_CLOSED", None, "研修时间已结束")),
    ],
)
async def test_offline_study_is_logged_only_inside_the_window_to_its_last_second(
    api: Api, clock: FixedClock, now: Any, expected: dict[str, Any] | None
) -> None:
    world = await make_world()
    clock.set(now)

    payload = await log(api, world.trainee, "2012-04-27", 1.0)

    if expected is None:
        assert (payload["log"]["status"], payload["userErrors"]) == ("PENDING", [])
    else:
        assert payload == logged(None, expected)


@pytest.mark.parametrize(
    ("studied_on", "hours", "expected"),
    [
        ("2012-04-27", 0.5, None),
        ("2012-05-02", 8.0, None),
        (
            "2012-04-26",
            1.0,
            ("WINDOW_NOT_OPEN", "studiedOn", "研修日期早于本批研修开始日期（2012年04月27日）"),
        ),
        ("2012-05-03", 1.0, ("INVALID_INPUT", "studiedOn", "不能登记今天以后的研修")),
        ("2012-05-01", 0.0, ("INVALID_INPUT", "hours", "学时须为0.5小时的正整数倍")),
        ("2012-05-01", 1.25, ("INVALID_INPUT", "hours", "学时须为0.5小时的正整数倍")),
        (
            "2012-05-01",
            8.5,
            ("INVALID_INPUT", "hours", "每天登记的线下研修不超过8小时，当天还可登记8小时"),
        ),
    ],
)
async def test_the_day_and_the_hours_of_a_log_are_checked(
    api: Api,
    clock: FixedClock,
    studied_on: str,
    hours: float,
    expected: tuple[str, str, str] | None,
) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 20, 0))

    payload = await log(api, world.trainee, studied_on, hours)

    if expected is None:
        assert payload["userErrors"] == []
    else:
        assert payload == logged(None, user_error(*expected))


async def test_a_days_logs_stop_at_eight_hours_and_a_rejected_log_frees_its_hours(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 20, 0))
    first = await log_id(api, world, "2012-05-02", 6.0)

    too_many = await log(api, world.trainee, "2012-05-02", 2.5)
    await review(api, world.tutor, first, confirm=False, note="请补充听课记录")
    after_rejection = await log(api, world.trainee, "2012-05-02", 8.0)
    blank = await api.data(LOG, log_input("2012-05-01", 1.0, description="  "), as_=world.trainee)

    assert too_many == logged(
        None,
        user_error("INVALID_INPUT", "hours", "每天登记的线下研修不超过8小时，当天还可登记2小时"),
    )
    assert after_rejection["userErrors"] == []
    assert blank == {
        "logOfflineStudy": logged(
            None, user_error("INVALID_INPUT", "description", "请填写研修内容")
        )
    }


@pytest.mark.parametrize("who", ["outsider", "tutor", "nobody"])
async def test_only_an_enrolled_trainee_logs_offline_study(
    api: Api, clock: FixedClock, who: str
) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 20, 0))
    caller = {"outsider": world.outsider, "tutor": world.tutor, "nobody": None}[who]

    body = await api.gql(LOG, log_input("2012-05-02", 1.0), as_=caller)

    if caller is None:
        assert (body["data"], error_codes(body)) == (None, ["UNAUTHENTICATED"])
    else:
        not_enrolled = user_error("NOT_ENROLLED", None, "你尚未报名参加研修")
        assert body == {"data": {"logOfflineStudy": logged(None, not_enrolled)}}


async def test_offline_hours_count_only_once_confirmed_and_never_fill_the_online_part(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 8, 21, 0))
    logs = [
        await log_id(api, world, day, hours)
        for day, hours in (("2012-04-27", 8.0), ("2012-04-28", 8.0), ("2012-05-02", 2.0))
    ]

    pending = await progress(api, world.trainee)
    clock.set(local(2012, 5, 20, 9, 0))  # after the window: reviewing is the tutor's, not R1's
    confirmed = [await review(api, world.tutor, each, confirm=True) for each in logs]
    done = await progress(api, world.trainee)

    assert pending == {
        "onlineSeconds": 0,
        "offlineMinutes": 0,
        "onlineHours": 0.0,
        "offlineHours": 0.0,
        "onlineComplete": False,
        "offlineComplete": False,
        "complete": False,
        "required": {"onlineHours": 6, "offlineHours": 16},
    }
    assert confirmed[0] == logged(
        {
            "status": "CONFIRMED",
            "minutes": 480,
            "reviewedAt": "2012-05-20T09:00:00+08:00",
            "reviewNote": "",
            "reviewedBy": {"username": "tutor"},
        }
    )
    # 18 confirmed hours: 16 count, and the surplus does not fill the online part (R8).
    assert done == {
        "onlineSeconds": 0,
        "offlineMinutes": 960,
        "onlineHours": 0.0,
        "offlineHours": 16.0,
        "onlineComplete": False,
        "offlineComplete": True,
        "complete": False,
        "required": {"onlineHours": 6, "offlineHours": 16},
    }
    assert (await Enrollment.get(id=world.enrollment.id)).offline_minutes == 18 * 60


async def test_a_transitional_trainee_still_needs_eighteen_offline_hours(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 19, 21, 0))
    for day in ("2012-05-10", "2012-05-11"):
        payload = await log(api, world.transitional, day, 8.0)
        assert payload["userErrors"] == []
    for row in await OfflineStudyLog.filter(enrollment_id=world.transitional_enrollment.id):
        confirmed = await review(api, world.tutor, gid(row), confirm=True)
        assert confirmed["userErrors"] == []

    hours = await progress(api, world.transitional)

    assert hours == {
        "onlineSeconds": 0,
        "offlineMinutes": 960,
        "onlineHours": 0.0,
        "offlineHours": 16.0,
        "onlineComplete": False,
        "offlineComplete": False,
        "complete": False,
        "required": {"onlineHours": 4, "offlineHours": 18},
    }


NOT_YOUR_CLASS = user_error("NOT_YOUR_CLASS", "logId", "只有学员所在班级的辅导教师可以审核")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("tutor", None),
        ("other_tutor", NOT_YOUR_CLASS),
        ("leader", NOT_YOUR_CLASS),
        ("trainee", NOT_YOUR_CLASS),
        ("outsider", user_error("NOT_FOUND", "logId", "找不到该线下研修记录")),
    ],
)
async def test_only_the_trainees_class_tutor_confirms(
    api: Api, clock: FixedClock, who: str, expected: dict[str, Any] | None
) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 20, 0))
    target = await log_id(api, world, "2012-05-02", 3.0)
    caller: Person = getattr(world, who)

    payload = await review(api, caller, target, confirm=True)

    minutes = (await Enrollment.get(id=world.enrollment.id)).offline_minutes
    if expected is None:
        assert (payload["log"]["status"], payload["userErrors"], minutes) == ("CONFIRMED", [], 180)
    else:
        assert (payload, minutes) == (logged(None, expected), 0)


async def test_a_review_without_a_token_is_unauthenticated(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 20, 0))
    target = await log_id(api, world, "2012-05-02", 3.0)

    body = await api.gql(REVIEW, {"input": {"logId": target, "confirm": True}}, as_=None)

    assert (body["data"], error_codes(body)) == (None, ["UNAUTHENTICATED"])


async def test_a_rejection_needs_a_reason_and_a_log_is_reviewed_once(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 20, 0))
    target = await log_id(api, world, "2012-05-02", 3.0)

    no_reason = await review(api, world.tutor, target, confirm=False, note=" ")
    rejected = await review(api, world.tutor, target, confirm=False, note="未附听课记录")
    again = await review(api, world.tutor, target, confirm=True)

    assert no_reason == logged(None, user_error("INVALID_INPUT", "note", "退回须填写理由"))
    assert rejected == logged(
        {
            "status": "REJECTED",
            "minutes": 180,
            "reviewedAt": "2012-05-02T20:00:00+08:00",
            "reviewNote": "未附听课记录",
            "reviewedBy": {"username": "tutor"},
        }
    )
    assert again == logged(None, user_error("ALREADY_REVIEWED", "logId", "该记录已审核"))
    assert (await Enrollment.get(id=world.enrollment.id)).offline_minutes == 0


async def test_concurrent_confirmations_count_the_hours_once(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 20, 0))
    target = await log_id(api, world, "2012-05-02", 3.0)

    results = await asyncio.gather(
        *(review(api, world.tutor, target, confirm=True) for _ in range(6))
    )

    assert sorted(len(r["userErrors"]) for r in results) == [0, 1, 1, 1, 1, 1]
    assert (await Enrollment.get(id=world.enrollment.id)).offline_minutes == 180


async def test_the_logs_are_listed_for_the_trainee_and_their_class_tutor(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 20, 0))
    first = await log_id(api, world, "2012-04-27", 2.0)
    second = await log_id(api, world, "2012-04-28", 1.5)
    await review(api, world.tutor, first, confirm=True)
    target = gid(world.enrollment)

    async def listed(who: Person, **variables: Any) -> list[dict[str, Any]]:
        data = await api.data(LOGS, {"first": 10, **variables}, as_=who)
        nodes: list[dict[str, Any]] = data["offlineStudyLogs"]["nodes"]
        return nodes

    pending = {"studiedOn": "2012-04-28", "hours": 1.5, "status": "PENDING", "reviewedBy": None}
    confirmed = {
        "studiedOn": "2012-04-27",
        "hours": 2.0,
        "status": "CONFIRMED",
        "reviewedBy": {"username": "tutor"},
    }
    both = [
        {**pending, "enrollment": {"track": "NETWORK"}},
        {**confirmed, "enrollment": {"track": "NETWORK"}},
    ]
    assert await listed(world.trainee) == both
    assert await listed(world.tutor, enrollmentId=target) == both
    assert await listed(world.tutor, enrollmentId=target, status="PENDING") == both[:1]
    assert await listed(world.other_tutor, enrollmentId=target) == []
    assert await listed(world.outsider, enrollmentId=target) == []
    await review(api, world.tutor, second, confirm=True)
    with count_sql() as short:
        await listed(world.tutor, enrollmentId=target, first=1)
    with count_sql() as long:
        await listed(world.tutor, enrollmentId=target, first=2)
    assert short.count == long.count
