"""The study timer over HTTP (R1, R8, R9) on the 2012 calendar with a fixed clock."""

import asyncio
from typing import Any

import aiosqlite
import pytest
from tortoise import connections

from lms_plugin.clock import FixedClock
from lms_plugin.resolvers.core.access import load_viewer
from lms_plugin.resolvers.study.use_cases import heartbeat
from lms_plugin.storage.enums import EnrollmentStatus, LedgerKind
from lms_plugin.storage.models import Enrollment, StudyLedgerEntry, StudySession

from .api import Api, error_codes, refused
from .conftest import local
from .factories import gid
from .sql_counter import count_sql
from .study_world import (
    END,
    START,
    beat,
    ledger,
    make_world,
    progress,
    start,
    start_id,
    study,
)


def piece(kind: str, seconds: int, starts_at: str, ends_at: str) -> dict[str, Any]:
    return {"kind": kind, "seconds": seconds, "startsAt": starts_at, "endsAt": ends_at}


def recorded(
    sequence: int,
    counted: int,
    online: int,
    pieces: list[dict[str, Any]],
    session_counted: int | None = None,
) -> dict[str, Any]:
    """The payload of an accepted heartbeat; the session counted `online` seconds unless told."""
    return {
        "heartbeat": {
            "sequence": sequence,
            "countedSeconds": counted,
            "onlineSeconds": online,
            "pieces": pieces,
            "session": {
                "active": True,
                "lastSequence": sequence,
                "countedSeconds": online if session_counted is None else session_counted,
            },
        },
        "userErrors": [],
    }


async def test_before_the_window_nothing_counts_and_the_first_day_counts(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    clock.set(local(2012, 4, 26, 23, 58))

    started = await start(api, world.trainee, world)
    session_id = started["session"]["id"]
    clock.set(local(2012, 4, 26, 23, 59, 30))
    before = await beat(api, world.trainee, session_id, 1)
    clock.set(local(2012, 4, 27, 0, 0, 30))
    across = await beat(api, world.trainee, session_id, 2)
    clock.set(local(2012, 4, 27, 0, 2, 30))
    first_day = await beat(api, world.trainee, session_id, 3)

    assert started == {
        "session": {
            "id": session_id,
            "active": True,
            "startedAt": "2012-04-26T23:58:00+08:00",
            "endedAt": None,
            "endReason": None,
            "lastSequence": 0,
            "countedSeconds": 0,
            "topic": {"title": "专题1"},
            "resource": None,
        },
        "userErrors": [],
    }
    assert before == recorded(
        1,
        0,
        0,
        [piece("OUTSIDE_WINDOW", 90, "2012-04-26T23:58:00+08:00", "2012-04-26T23:59:30+08:00")],
    )
    assert across == recorded(
        2,
        30,
        30,
        [
            piece("OUTSIDE_WINDOW", 30, "2012-04-26T23:59:30+08:00", "2012-04-27T00:00:00+08:00"),
            piece("COUNTED", 30, "2012-04-27T00:00:00+08:00", "2012-04-27T00:00:30+08:00"),
        ],
    )
    assert first_day == recorded(
        3,
        120,
        150,
        [piece("COUNTED", 120, "2012-04-27T00:00:30+08:00", "2012-04-27T00:02:30+08:00")],
    )
    assert await ledger(api, world.trainee) == [
        {
            "kind": "COUNTED",
            "seconds": 150,
            "heartbeats": 2,
            "firstAt": "2012-04-27T00:00:00+08:00",
            "lastAt": "2012-04-27T00:02:30+08:00",
        },
        {
            "kind": "OUTSIDE_WINDOW",
            "seconds": 120,
            "heartbeats": 1,
            "firstAt": "2012-04-26T23:58:00+08:00",
            "lastAt": "2012-04-27T00:00:00+08:00",
        },
    ]


async def test_an_idle_gap_counts_nothing_and_the_next_beat_counts_again(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 9, 0))
    session_id = await start_id(api, world.trainee, world)

    clock.set(local(2012, 5, 2, 9, 2))
    at_the_limit = await beat(api, world.trainee, session_id, 1)
    clock.set(local(2012, 5, 2, 9, 4, 1))
    one_second_over = await beat(api, world.trainee, session_id, 2)
    clock.set(local(2012, 5, 2, 9, 5))
    resumed = await beat(api, world.trainee, session_id, 3)

    assert at_the_limit == recorded(
        1,
        120,
        120,
        [piece("COUNTED", 120, "2012-05-02T09:00:00+08:00", "2012-05-02T09:02:00+08:00")],
    )
    assert one_second_over == recorded(
        2,
        0,
        120,
        [piece("IDLE_GAP", 121, "2012-05-02T09:02:00+08:00", "2012-05-02T09:04:01+08:00")],
    )
    assert resumed == recorded(
        3, 59, 179, [piece("COUNTED", 59, "2012-05-02T09:04:01+08:00", "2012-05-02T09:05:00+08:00")]
    )
    assert [
        (e["kind"], e["seconds"], e["heartbeats"]) for e in await ledger(api, world.trainee)
    ] == [
        ("COUNTED", 59, 1),
        ("IDLE_GAP", 121, 1),
        ("COUNTED", 120, 1),
    ]


async def test_a_retried_heartbeat_counts_once_even_when_the_copies_arrive_together(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 9, 0))
    session_id = await start_id(api, world.trainee, world)
    clock.set(local(2012, 5, 2, 9, 1))

    copies = await asyncio.gather(*(beat(api, world.trainee, session_id, 1) for _ in range(6)))
    clock.set(local(2012, 5, 2, 9, 1, 20))
    late_retry = await beat(api, world.trainee, session_id, 1)

    counted = recorded(
        1, 60, 60, [piece("COUNTED", 60, "2012-05-02T09:00:00+08:00", "2012-05-02T09:01:00+08:00")]
    )
    duplicate = {
        "heartbeat": {
            "sequence": 1,
            "countedSeconds": 0,
            "onlineSeconds": 60,
            "pieces": [
                piece("DUPLICATE", 0, "2012-05-02T09:01:00+08:00", "2012-05-02T09:01:00+08:00")
            ],
            "session": {"active": True, "lastSequence": 1, "countedSeconds": 60},
        },
        "userErrors": [],
    }
    assert (
        sorted(copies, key=lambda c: -c["heartbeat"]["countedSeconds"])
        == [counted] + [duplicate] * 5
    )
    assert late_retry == {
        "heartbeat": {
            **duplicate["heartbeat"],
            "pieces": [
                piece("DUPLICATE", 0, "2012-05-02T09:01:20+08:00", "2012-05-02T09:01:20+08:00")
            ],
        },
        "userErrors": [],
    }
    assert [
        (e["kind"], e["seconds"], e["heartbeats"]) for e in await ledger(api, world.trainee)
    ] == [
        ("DUPLICATE", 0, 6),
        ("COUNTED", 60, 1),
    ]
    assert (await progress(api, world.trainee))["onlineSeconds"] == 60


async def test_a_second_session_is_refused_without_take_over_and_takes_over_with_it(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 9, 0))
    first = await start_id(api, world.trainee, world)
    clock.set(local(2012, 5, 2, 9, 1))
    await beat(api, world.trainee, first, 1)

    clock.set(local(2012, 5, 2, 9, 1, 30))
    refused_start = await start(api, world.trainee, world)
    taken_over = await start(api, world.trainee, world, take_over=True)
    clock.set(local(2012, 5, 2, 9, 2))
    old_page = await beat(api, world.trainee, first, 2)
    new_page = await beat(api, world.trainee, taken_over["session"]["id"], 1)
    sessions = await api.data(
        "{ studySessions { nodes { active endedAt endReason countedSeconds } } }",
        as_=world.trainee,
    )

    assert refused_start == refused(
        "session",
        "SESSION_CONFLICT",
        "你正在另一页面学习；如需在本页继续，请选择接管（takeOver），原页面将停止计时",
        "takeOver",
    )
    assert taken_over["userErrors"] == []
    assert old_page == refused(
        "heartbeat", "SESSION_CONFLICT", "该学习会话已被另一页面接管，本页不再计时", "sessionId"
    )
    assert new_page == recorded(
        1,
        30,
        90,
        [piece("COUNTED", 30, "2012-05-02T09:01:30+08:00", "2012-05-02T09:02:00+08:00")],
        session_counted=30,
    )
    assert sessions == {
        "studySessions": {
            "nodes": [
                {"active": True, "endedAt": None, "endReason": None, "countedSeconds": 30},
                {
                    "active": False,
                    "endedAt": "2012-05-02T09:01:30+08:00",
                    "endReason": "SUPERSEDED",
                    "countedSeconds": 60,
                },
            ]
        }
    }


async def test_only_one_of_concurrent_starts_wins(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 9, 0))

    results = await asyncio.gather(*(start(api, world.trainee, world) for _ in range(8)))

    winners = [r for r in results if r["session"] is not None]
    assert len(winners) == 1
    assert sorted({e["code"] for r in results for e in r["userErrors"]}) == ["SESSION_CONFLICT"]
    enrollment = await Enrollment.get(id=world.enrollment.id)
    sessions = await StudySession.filter(enrollment_id=world.enrollment.id)
    assert [s.id for s in sessions] == [enrollment.active_session_id]


async def test_a_session_whose_beats_stopped_reads_timed_out_and_the_next_start_ends_it(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 9, 0))
    stale = await start_id(api, world.trainee, world)
    clock.set(local(2012, 5, 2, 9, 1))
    await beat(api, world.trainee, stale, 1)
    sessions = "{ studySessions { nodes { active endedAt endReason } } }"

    clock.set(local(2012, 5, 2, 9, 3))
    at_the_limit = await api.data(sessions, as_=world.trainee)
    clock.set(local(2012, 5, 2, 9, 3, 1))
    one_second_later = await api.data(sessions, as_=world.trainee)
    clock.set(local(2012, 5, 2, 9, 30))
    fresh = await start(api, world.trainee, world)
    stale_beat = await beat(api, world.trainee, stale, 2)

    assert at_the_limit == {
        "studySessions": {"nodes": [{"active": True, "endedAt": None, "endReason": None}]}
    }
    timed_out = {"active": False, "endedAt": "2012-05-02T09:01:00+08:00", "endReason": "TIMED_OUT"}
    assert one_second_later == {"studySessions": {"nodes": [timed_out]}}
    assert fresh["userErrors"] == []
    assert stale_beat == refused(
        "heartbeat", "SESSION_ENDED", "该学习会话已结束，请重新开始学习", "sessionId"
    )
    assert await api.data(sessions, as_=world.trainee) == {
        "studySessions": {
            "nodes": [{"active": True, "endedAt": None, "endReason": None}, timed_out]
        }
    }


async def test_ending_a_session_stops_its_heartbeats(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 9, 0))
    session_id = await start_id(api, world.trainee, world)
    clock.set(local(2012, 5, 2, 9, 1))
    await beat(api, world.trainee, session_id, 1)
    clock.set(local(2012, 5, 2, 9, 1, 40))
    end_input = {"input": {"sessionId": session_id}}

    ended = await api.data(END, end_input, as_=world.trainee)
    again = await api.data(END, end_input, as_=world.trainee)
    late_beat = await beat(api, world.trainee, session_id, 2)
    restarted = await start(api, world.trainee, world)

    assert ended == {
        "endStudySession": {
            "session": {
                "active": False,
                "endedAt": "2012-05-02T09:01:40+08:00",
                "endReason": "ENDED",
                "lastSequence": 1,
                "countedSeconds": 60,
            },
            "userErrors": [],
        }
    }
    ended_message = "该学习会话已结束，请重新开始学习"
    assert again == {
        "endStudySession": refused("session", "SESSION_ENDED", ended_message, "sessionId")
    }
    assert late_beat == refused("heartbeat", "SESSION_ENDED", ended_message, "sessionId")
    assert restarted["userErrors"] == []


@pytest.mark.parametrize("who", ["trainee", "other_trainee", "nobody"])
async def test_only_the_trainee_beats_and_ends_their_session(
    api: Api, clock: FixedClock, who: str
) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 9, 0))
    session_id = await start_id(api, world.trainee, world)
    clock.set(local(2012, 5, 2, 9, 1))
    caller = {"trainee": world.trainee, "other_trainee": world.transitional, "nobody": None}[who]

    beat_body = await api.gql(
        "mutation ($input: HeartbeatInput!) { heartbeat(input: $input) {"
        " heartbeat { countedSeconds } userErrors { code field message } } }",
        {"input": {"sessionId": session_id, "sequence": 1}},
        as_=caller,
    )
    end_body = await api.gql(
        "mutation ($input: EndStudySessionInput!) { endStudySession(input: $input) {"
        " session { endReason } userErrors { code field message } } }",
        {"input": {"sessionId": session_id}},
        as_=caller,
    )

    if who == "nobody":
        assert (beat_body["data"], end_body["data"]) == (None, None)
        assert error_codes(beat_body) + error_codes(end_body) == ["UNAUTHENTICATED"] * 2
        return
    if who == "trainee":
        assert beat_body == {
            "data": {"heartbeat": {"heartbeat": {"countedSeconds": 60}, "userErrors": []}}
        }
        assert end_body == {
            "data": {"endStudySession": {"session": {"endReason": "ENDED"}, "userErrors": []}}
        }
        return
    not_found = [
        {"code": "NOT_FOUND", "field": ["input", "sessionId"], "message": "找不到该学习会话"}
    ]
    assert beat_body == {"data": {"heartbeat": {"heartbeat": None, "userErrors": not_found}}}
    assert end_body == {"data": {"endStudySession": {"session": None, "userErrors": not_found}}}


@pytest.mark.parametrize("who", ["outsider", "other_workshop", "nobody"])
async def test_only_a_trainee_of_the_workshop_starts_a_session_on_its_topics(
    api: Api, clock: FixedClock, who: str
) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 9, 0))
    caller = None if who == "nobody" else world.outsider if who == "outsider" else world.trainee
    topic = world.other_topic if who == "other_workshop" else world.topic

    body = await api.gql(START, {"input": {"topicId": gid(topic)}}, as_=caller)

    if who == "nobody":
        assert body["data"] is None
        assert error_codes(body) == ["UNAUTHENTICATED"]
        return
    expected = {
        "outsider": {"code": "NOT_ENROLLED", "field": None, "message": "你尚未报名参加研修"},
        "other_workshop": {
            "code": "NOT_FOUND",
            "field": ["input", "topicId"],
            "message": "这不是你所在工作室的专题或资源",
        },
    }[who]
    assert body == {"data": {"startStudySession": {"session": None, "userErrors": [expected]}}}


async def test_a_session_on_a_resource_studies_its_topic(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 9, 0))
    resource_id = gid(world.resource)
    query = (
        "mutation ($input: StartStudySessionInput!) { startStudySession(input: $input) {"
        " session { topic { title } resource { title } } userErrors { code field message } } }"
    )

    mismatch = await api.data(
        query,
        {"input": {"resourceId": resource_id, "topicId": gid(world.other_topic)}},
        as_=world.trainee,
    )
    neither = await api.data(query, {"input": {}}, as_=world.trainee)
    on_resource = await api.data(query, {"input": {"resourceId": resource_id}}, as_=world.trainee)

    assert mismatch == {
        "startStudySession": refused("session", "NOT_FOUND", "找不到该学习资源", "resourceId")
    }
    assert neither == {
        "startStudySession": refused(
            "session", "INVALID_INPUT", "请选择要学习的专题、资源或课程", "topicId"
        )
    }
    assert on_resource == {
        "startStudySession": {
            "session": {"topic": {"title": "专题1"}, "resource": {"title": "课例视频"}},
            "userErrors": [],
        }
    }


async def test_online_hours_stop_at_the_quota_of_each_track_while_offline_hours_still_count_apart(
    api: Api, clock: FixedClock
) -> None:
    """Network 6 + 16 (batch 1), transitional 4 + 18 (from 5/10): a surplus never fills the
    other part, and every trainee's ledger adds up to their counted online seconds."""
    world = await make_world()
    clock.set(local(2012, 4, 27, 8, 0))
    network_session = await start_id(api, world.trainee, world)
    # 181 beats of two minutes: 6 h 2 min of study, of which 6 h count.
    await study(api, clock, world.trainee, network_session, 1, 181)
    clock.set(local(2012, 5, 10, 8, 0))
    transitional_session = await start_id(api, world.transitional, world)
    await study(api, clock, world.transitional, transitional_session, 1, 121)

    assert await progress(api, world.trainee) == {
        "onlineSeconds": 21600,
        "offlineMinutes": 0,
        "onlineHours": 6.0,
        "offlineHours": 0.0,
        "onlineComplete": True,
        "offlineComplete": False,
        "complete": False,
        "required": {"onlineHours": 6, "offlineHours": 16},
    }
    assert await progress(api, world.transitional) == {
        "onlineSeconds": 14400,
        "offlineMinutes": 0,
        "onlineHours": 4.0,
        "offlineHours": 0.0,
        "onlineComplete": True,
        "offlineComplete": False,
        "complete": False,
        "required": {"onlineHours": 4, "offlineHours": 18},
    }
    assert await ledger(api, world.trainee) == [
        {
            "kind": "OVER_QUOTA",
            "seconds": 120,
            "heartbeats": 1,
            "firstAt": "2012-04-27T14:00:00+08:00",
            "lastAt": "2012-04-27T14:02:00+08:00",
        },
        {
            "kind": "COUNTED",
            "seconds": 21600,
            "heartbeats": 180,
            "firstAt": "2012-04-27T08:00:00+08:00",
            "lastAt": "2012-04-27T14:00:00+08:00",
        },
    ]
    for enrollment in (world.enrollment, world.transitional_enrollment):
        row = await Enrollment.get(id=enrollment.id)
        counted = await StudyLedgerEntry.filter(
            enrollment_id=enrollment.id, kind=LedgerKind.COUNTED
        ).values_list("seconds", flat=True)
        assert sum(counted) == row.online_seconds  # type: ignore[arg-type]


async def test_the_ledger_is_read_by_the_trainee_and_their_class_tutor_only(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 9, 0))
    session_id = await start_id(api, world.trainee, world)
    clock.set(local(2012, 5, 2, 9, 1))
    await beat(api, world.trainee, session_id, 1)
    target = gid(world.enrollment)
    entry = {
        "kind": "COUNTED",
        "seconds": 60,
        "heartbeats": 1,
        "firstAt": "2012-05-02T09:00:00+08:00",
        "lastAt": "2012-05-02T09:01:00+08:00",
    }

    assert await ledger(api, world.trainee) == [entry]
    assert await ledger(api, world.trainee, target) == [entry]
    assert await ledger(api, world.tutor, target) == [entry]
    assert await ledger(api, world.other_tutor, target) == []
    assert await ledger(api, world.leader, target) == []
    assert await ledger(api, world.transitional, target) == []
    assert await ledger(api, world.tutor) == []  # a tutor has no enrollment of their own
    body = await api.gql("{ studyLedger { nodes { seconds } } }", as_=None)
    assert (body["data"], error_codes(body)) == (None, ["UNAUTHENTICATED"])


async def test_a_heartbeat_is_one_read_and_three_writes(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 9, 0))
    session_id = await start_id(api, world.trainee, world)
    await study(api, clock, world.trainee, session_id, 1, 1)
    viewer = await load_viewer(world.trainee.username)
    pk = (await StudySession.get(enrollment_id=world.enrollment.id)).id

    with count_sql() as sql:
        await heartbeat(viewer, local(2012, 5, 2, 9, 4), pk, 2)

    # The three writes: one short transaction on SQLite, one statement (CTEs) on PostgreSQL.
    writes = (
        ["WITH"]
        if connections.get("default").capabilities.dialect == "postgres"
        else [
            "UPDATE",
            "UPDATE",
            "UPDATE",
        ]
    )
    assert [s.split()[0] for s in sql.statements] == ["SELECT", *writes]


async def test_on_sqlite_a_steady_beat_is_two_calls_to_the_drivers_thread(
    api: Api, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """storage/beats.py sends the beat's transaction through aiosqlite's `_execute` (private):
    this pins that it still runs a function in the driver's thread and that the beat's writes
    are one call, after the read's."""
    if connections.get("default").capabilities.dialect != "sqlite":
        pytest.skip("aiosqlite is SQLite's driver")
    world = await make_world()
    clock.set(local(2012, 5, 2, 9, 0))
    session_id = await start_id(api, world.trainee, world)
    await study(api, clock, world.trainee, session_id, 1, 1)
    viewer = await load_viewer(world.trainee.username)
    session = await StudySession.get(enrollment_id=world.enrollment.id)
    calls: list[str] = []
    run = aiosqlite.Connection._execute

    async def spied(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(fn.__name__)
        return await run(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", spied)

    await heartbeat(viewer, local(2012, 5, 2, 9, 3), session.id, 2)

    assert calls == ["_execute_fetchall", "_guarded"]
    after = await StudySession.get(id=session.id)
    assert (after.last_sequence, after.counted_seconds) == (2, session.counted_seconds + 60)


LISTS = """
query ($first: Int) {
  studySessions(first: $first) {
    nodes { active topic { title } resource { title } enrollment { track } }
  }
  studyLedger(first: $first) { nodes { kind seconds sessionId } }
}"""


async def test_the_study_lists_take_the_same_statements_whatever_their_length(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 9, 0))
    for _ in range(4):
        session_id = await start_id(api, world.trainee, world, take_over=True)
        await study(api, clock, world.trainee, session_id, 1, 1)
        clock.advance(seconds=300)
        await beat(api, world.trainee, session_id, 2)

    with count_sql() as short:
        one = await api.data(LISTS, {"first": 1}, as_=world.trainee)
    with count_sql() as long:
        many = await api.data(LISTS, {"first": 8}, as_=world.trainee)

    assert (len(one["studySessions"]["nodes"]), len(many["studySessions"]["nodes"])) == (1, 4)
    assert (len(one["studyLedger"]["nodes"]), len(many["studyLedger"]["nodes"])) == (1, 8)
    assert short.count == long.count


async def test_a_withdrawn_trainees_heartbeats_no_longer_count(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 9, 0))
    session_id = await start_id(api, world.trainee, world)
    await Enrollment.filter(id=world.enrollment.id).update(status=EnrollmentStatus.WITHDRAWN)
    clock.set(local(2012, 5, 2, 9, 1))

    payload = await beat(api, world.trainee, session_id, 1)

    assert payload == refused(
        "heartbeat", "NOT_ENROLLED", "你已退出本次研修，学习不再计时", "sessionId"
    )


async def test_a_session_is_a_node_for_the_trainee_and_their_class_tutor(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    clock.set(local(2012, 5, 2, 9, 0))
    session_id = await start_id(api, world.trainee, world)
    query = "query ($id: ID!) { node(id: $id) { ... on StudySession { startedAt active } } }"
    found = {"node": {"startedAt": "2012-05-02T09:00:00+08:00", "active": True}}

    seen = [
        await api.data(query, {"id": session_id}, as_=who)
        for who in (world.trainee, world.tutor, world.other_tutor, world.transitional)
    ]

    assert seen == [found, found, {"node": None}, {"node": None}]
