"""One trainee of batch 1 (window 4/27–5/8 2012, Asia/Shanghai) and their class tutor, walked
over HTTP through the whole window: online study, offline study, homework up the
recommendation ladder and back, and the close of the window (R1, R8, R9, R10)."""

from typing import Any

from lms_plugin.clock import FixedClock
from lms_plugin.storage.enums import Role
from lms_plugin.storage.models import Assignment

from .api import Api, refused
from .classroom_world import class_topic
from .conftest import local
from .factories import gid, make_admin
from .homework_world import (
    CLOSED,
    IN_WINDOW,
    SUBMIT,
    first_version,
    grade,
    graded_version,
    recommend,
    shown,
    withdraw,
)
from .study_world import beat, ledger, make_world, progress, start
from .test_discussions import POST, post_input
from .test_homework import CREATE_ASSIGNMENT
from .test_offline_study import log_id, review
from .test_recommendations import SHOWCASES
from .test_study_timer import piece, recorded


def _submit_input(assignment_id: str, text: str = "函数单元教学设计（第一稿）") -> dict[str, Any]:
    return {"input": {"assignmentId": assignment_id, "text": text, "attachmentIds": []}}


def _hours(online_seconds: int, offline_minutes: int) -> dict[str, Any]:
    return {
        "onlineSeconds": online_seconds,
        "offlineMinutes": offline_minutes,
        "onlineHours": round(online_seconds / 3600, 2),
        "offlineHours": offline_minutes / 60,
        "onlineComplete": False,
        "offlineComplete": False,
        "complete": False,
        "required": {"onlineHours": 6, "offlineHours": 16},
    }


async def test_a_trainee_and_their_tutor_go_through_batch_one(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    world.trainee.real_name = "张学员"
    await world.trainee.save()
    province_admin = await make_admin("province", Role.PROVINCE_ADMIN, region=world.org.province)
    province_admin.real_name = "省培训中心"
    await province_admin.save()
    trainee, tutor = world.trainee, world.tutor

    # 1. Before the window opens a heartbeat counts nothing.
    clock.set(local(2012, 4, 26, 23, 58))
    started = await start(api, trainee, world)
    assert started["userErrors"] == []
    session_id = started["session"]["id"]
    clock.set(local(2012, 4, 26, 23, 59))
    assert await beat(api, trainee, session_id, 1) == recorded(
        1,
        0,
        0,
        [piece("OUTSIDE_WINDOW", 60, "2012-04-26T23:58:00+08:00", "2012-04-26T23:59:00+08:00")],
    )

    # 2. The first day counts; an idle gap counts nothing; a retried heartbeat counts once.
    clock.set(local(2012, 4, 27, 0, 1))
    assert await beat(api, trainee, session_id, 2) == recorded(
        2,
        60,
        60,
        [
            piece("OUTSIDE_WINDOW", 60, "2012-04-26T23:59:00+08:00", "2012-04-27T00:00:00+08:00"),
            piece("COUNTED", 60, "2012-04-27T00:00:00+08:00", "2012-04-27T00:01:00+08:00"),
        ],
    )
    clock.set(local(2012, 4, 27, 0, 3))
    assert await beat(api, trainee, session_id, 3) == recorded(
        3,
        120,
        180,
        [piece("COUNTED", 120, "2012-04-27T00:01:00+08:00", "2012-04-27T00:03:00+08:00")],
    )
    clock.set(local(2012, 4, 27, 0, 5, 1))
    assert await beat(api, trainee, session_id, 4) == recorded(
        4,
        0,
        180,
        [piece("IDLE_GAP", 121, "2012-04-27T00:03:00+08:00", "2012-04-27T00:05:01+08:00")],
    )
    clock.set(local(2012, 4, 27, 0, 6))
    assert await beat(api, trainee, session_id, 5) == recorded(
        5, 59, 239, [piece("COUNTED", 59, "2012-04-27T00:05:01+08:00", "2012-04-27T00:06:00+08:00")]
    )
    clock.set(local(2012, 4, 27, 0, 6, 20))
    assert await beat(api, trainee, session_id, 5) == recorded(
        5,
        0,
        239,
        [piece("DUPLICATE", 0, "2012-04-27T00:06:20+08:00", "2012-04-27T00:06:20+08:00")],
    )

    # 3. A second page may not start a session without taking the first one over.
    clock.set(local(2012, 4, 27, 0, 6, 30))
    assert await start(api, trainee, world) == refused(
        "session",
        "SESSION_CONFLICT",
        "你正在另一页面学习；如需在本页继续，请选择接管（takeOver），原页面将停止计时",
        "takeOver",
    )

    # 4. Offline study counts only once the class tutor confirms it.
    clock.set(local(2012, 4, 27, 20, 0))
    offline_log = await log_id(api, world, "2012-04-27", 2.0)
    assert await progress(api, trainee) == _hours(239, 0)
    confirmed = await review(api, tutor, offline_log, confirm=True)
    assert confirmed == {
        "log": {
            "status": "CONFIRMED",
            "minutes": 120,
            "reviewedAt": "2012-04-27T20:00:00+08:00",
            "reviewNote": "",
            "reviewedBy": {"username": "tutor"},
        },
        "userErrors": [],
    }
    assert await progress(api, trainee) == _hours(239, 120)

    # 5. Homework: set by the leader, submitted in the window, graded by the tutor, then up the
    # recommendation ladder and withdrawn from its first step by the tutor.
    clock.set(local(2012, 4, 26, 9, 0))
    created = await api.data(
        CREATE_ASSIGNMENT,
        {
            "input": {
                "workshopId": gid(world.workshop),
                "title": "教学设计",
                "instructions": "提交一份函数单元的教学设计",
                "dueAt": "2012-05-08T23:59:59+08:00",
            }
        },
        as_=world.leader,
    )
    assert created["createAssignment"]["userErrors"] == []
    assert created["createAssignment"]["assignment"]["createdBy"] == {"realName": "王名师"}
    assignment_id = gid(await Assignment.get(workshop_id=world.workshop.id, title="教学设计"))

    clock.set(IN_WINDOW)
    submitted = await api.data(SUBMIT, _submit_input(assignment_id), as_=trainee)
    submission_id = submitted["submitHomework"]["submission"]["id"]
    assert submitted == {
        "submitHomework": {
            "submission": {"id": submission_id, **first_version()},
            "userErrors": [],
        }
    }
    assert await grade(api, tutor, submission_id) == {
        "data": {
            "gradeSubmission": {
                "submission": {**graded_version(), "id": submission_id},
                "userErrors": [],
            }
        }
    }

    ids = {
        "classId": gid(world.training_class),
        "workshopId": gid(world.workshop),
        "programId": gid(world.program),
    }
    steps = [
        ("CLASS", tutor, local(2012, 4, 29, 9, 0), "李辅导"),
        ("WORKSHOP", world.leader, local(2012, 5, 2, 9, 0), "王名师"),
        ("HOME", province_admin, local(2012, 5, 5, 9, 0), "省培训中心"),
    ]
    for level, who, at, name in steps:
        clock.set(at)
        assert await recommend(api, who, submission_id, level) == {
            "data": {
                "recommendSubmission": {
                    "recommendation": {
                        "level": level,
                        "active": True,
                        "recommendedAt": shown(at),
                        "recommendedBy": {"realName": name},
                        "withdrawnAt": None,
                        "withdrawnBy": None,
                        "submission": {"recommendedTo": level},
                    },
                    "userErrors": [],
                }
            }
        }

    def item(level: str, at: Any, by: str) -> dict[str, Any]:
        return {
            "level": level,
            "recommendedAt": shown(at),
            "recommendedBy": {"realName": by},
            "submission": {
                "trainee": {"realName": "张学员"},
                "assignment": {"title": "教学设计"},
                "score": 95,
                "level": "EXCELLENT",
                "recommendedTo": "HOME",
            },
        }

    on_show = await api.data(SHOWCASES, ids, as_=province_admin)
    assert on_show == {
        showcase: {"totalCount": 1, "nodes": [item(level, at, name)]}
        for showcase, (level, _, at, name) in zip(
            ("classShowcase", "workshopShowcase", "homeGallery"), steps, strict=True
        )
    }

    class_off_at = local(2012, 5, 6, 9, 0)
    clock.set(class_off_at)
    assert await withdraw(api, tutor, submission_id, "CLASS") == {
        "data": {
            "withdrawRecommendation": {
                "submission": {"recommendedTo": None},
                "withdrawn": [
                    {
                        "level": level,
                        "active": False,
                        "recommendedBy": {"realName": name},
                        "withdrawnAt": shown(class_off_at),
                        "withdrawnBy": {"realName": "李辅导"},
                    }
                    for level, _, _, name in steps
                ],
                "userErrors": [],
            }
        }
    }
    assert await api.data(SHOWCASES, ids, as_=province_admin) == {
        "classShowcase": {"totalCount": 0, "nodes": []},
        "workshopShowcase": {"totalCount": 0, "nodes": []},
        "homeGallery": {"totalCount": 0, "nodes": []},
    }

    # 6. One second after the window closes, homework and posts are refused (the graded
    # submission is also past changing, and both reasons are given).
    topic = await class_topic(world)  # type: ignore[arg-type]
    clock.set(CLOSED)
    assert await api.data(SUBMIT, _submit_input(assignment_id, "迟交的第二稿"), as_=trainee) == {
        "submitHomework": {
            "submission": None,
            "userErrors": [
                {"code": "WINDOW_CLOSED", "field": None, "message": "研修时间已结束"},
                {"code": "ALREADY_GRADED", "field": None, "message": "作业已批改，不能再修改"},
            ],
        }
    }
    assert await api.data(POST, post_input(topic), as_=trainee) == {
        "postToDiscussion": refused("post", "WINDOW_CLOSED", "研修时间已结束")
    }

    # 7. The counted seconds of the ledger are the trainee's online seconds.
    entries = await ledger(api, trainee)
    assert [(e["kind"], e["seconds"], e["heartbeats"]) for e in entries] == [
        ("DUPLICATE", 0, 1),
        ("COUNTED", 59, 1),
        ("IDLE_GAP", 121, 1),
        ("COUNTED", 180, 2),
        ("OUTSIDE_WINDOW", 120, 1),
    ]
    counted = sum(e["seconds"] for e in entries if e["kind"] == "COUNTED")
    assert counted == 239
    assert (await progress(api, trainee))["onlineSeconds"] == counted
