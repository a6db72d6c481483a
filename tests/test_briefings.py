"""Class briefings (R11) over HTTP: numbered drafts pre-filled with live figures, edits of drafts
only, publishing on time or late (recorded, not refused), who may write and read them."""

import asyncio
from typing import Any

import pytest

from lms_plugin.clock import FixedClock
from lms_plugin.storage.enums import GradeLevel, RecommendationLevel, SubmissionStatus
from lms_plugin.storage.models import (
    Briefing,
    BriefingPolicy,
    Enrollment,
)

from .api import Api
from .classroom_world import World, class_topic, make_world
from .conftest import local
from .factories import (
    DUE_AT,
    gid,
    make_assignment,
    make_briefing,
    make_submission,
    post,
    recommend,
    studied,
)

CREATE = """
mutation ($input: CreateBriefingDraftInput!) {
  createBriefingDraft(input: $input) {
    briefing { number title body status createdAt dueAt publishedAt onTime
               author { realName } trainingClass { name } }
    userErrors { code field message }
  }
}"""

UPDATE = """
mutation ($input: UpdateBriefingInput!) {
  updateBriefing(input: $input) {
    briefing { number title body status }
    userErrors { code field message }
  }
}"""

PUBLISH = """
mutation ($input: PublishBriefingInput!) {
  publishBriefing(input: $input) {
    briefing { number status dueAt publishedAt onTime }
    userErrors { code field message }
  }
}"""

LIST = """
query ($classId: ID!) {
  briefings(classId: $classId, first: 10) { nodes { number status } }
}"""

EMPTY_BODY = (
    "一班学习情况（截至2012年4月20日）\n"
    "一、学员：本班共0名学员，今日活跃0人。\n"
    "二、学时：在线学时（要求6学时）已完成0人，人均0.0学时；"
    "线下学时（要求16学时）已完成0人，人均0.0学时；学时全部完成0人。\n"
    "三、作业：已提交0份，已批阅0份，推荐优秀作业0份。\n"
    "四、研讨：学员发帖0条，0人参与。\n"
    "五、辅导教师寄语："
)


def create_input(world: World) -> dict[str, Any]:
    return {"input": {"classId": world.class_id}}


async def draft(world: World, number: int) -> Briefing:
    return await make_briefing(
        world.training_class,
        world.tutor,
        number,
        f"第{number}期",
        created_at=local(2012, 5, 1, 9, 0),
        due_at=DUE_AT,
    )


async def class_activity(world: World) -> None:
    """张三: 6 online hours, 10 offline, active today, graded and recommended work, 2 posts.
    李四: 3 online hours, 16 offline, active yesterday, work waiting for grading."""
    today, yesterday = local(2012, 5, 2, 8, 0), local(2012, 5, 1, 23, 59, 59)
    await studied(world.zhang_enrollment, online_hours=6, offline_hours=10, active_at=today)
    await studied(world.li_enrollment, online_hours=3, offline_hours=16, active_at=yesterday)
    assignment = await make_assignment(
        world.workshop,
        world.leader,
        "教学设计",
        instructions="提交一份教学设计",
        created_at=today,
    )
    graded = await make_submission(
        assignment,
        world.zhang_enrollment,
        "设计",
        status=SubmissionStatus.GRADED,
        at=today,
        score=92,
        level=GradeLevel.EXCELLENT,
    )
    await make_submission(assignment, world.li_enrollment, "设计", at=today)
    for level in (RecommendationLevel.CLASS, RecommendationLevel.WORKSHOP):
        await recommend(graded, world.workshop, level, world.tutor, today)
    topic = await class_topic(world, "研讨", today)
    for _ in range(2):
        await post(topic, "发言", today, by=world.zhang_enrollment)
    # The tutor's own post does not count as a trainee's.
    await post(topic, "回复", today, by=world.tutor)


async def test_a_draft_is_numbered_and_pre_filled_with_the_class_figures(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    await class_activity(world)
    clock.set(local(2012, 5, 2, 20, 0))

    data = await api.data(CREATE, create_input(world), as_=world.tutor)

    assert data == {
        "createBriefingDraft": {
            "briefing": {
                "number": 1,
                "title": "一班第1期班级简报",
                "body": (
                    "一班学习情况（截至2012年5月2日）\n"
                    "一、学员：本班共2名学员，今日活跃1人。\n"
                    "二、学时：在线学时（要求6学时）已完成1人，人均4.5学时；"
                    "线下学时（要求16学时）已完成1人，人均13.0学时；学时全部完成0人。\n"
                    "三、作业：已提交2份，已批阅1份，推荐优秀作业1份。\n"
                    "四、研讨：学员发帖2条，1人参与。\n"
                    "五、辅导教师寄语："
                ),
                "status": "DRAFT",
                "createdAt": "2012-05-02T20:00:00+08:00",
                "dueAt": "2012-05-08T23:59:59+08:00",
                "publishedAt": None,
                "onTime": None,
                "author": {"realName": "李辅导"},
                "trainingClass": {"name": "一班"},
            },
            "userErrors": [],
        }
    }


async def test_drafts_follow_the_program_interval(api: Api) -> None:
    world = await make_world()
    await BriefingPolicy.filter(program_id=world.program.id).update(interval_days=5)

    created = [await api.data(CREATE, create_input(world), as_=world.tutor) for _ in range(3)]

    assert [
        (
            c["createBriefingDraft"]["briefing"]["number"],
            c["createBriefingDraft"]["briefing"]["dueAt"],
        )
        for c in created
    ] == [
        (1, "2012-05-01T23:59:59+08:00"),
        (2, "2012-05-06T23:59:59+08:00"),
        (3, "2012-05-08T23:59:59+08:00"),
    ]


async def test_concurrent_drafts_of_one_class_take_distinct_numbers(api: Api) -> None:
    world = await make_world()

    results = await asyncio.gather(
        *(api.data(CREATE, create_input(world), as_=world.tutor) for _ in range(8))
    )

    numbers = sorted(r["createBriefingDraft"]["briefing"]["number"] for r in results)
    assert numbers == list(range(1, 9))


@pytest.mark.parametrize(
    ("published_at", "on_time"),
    [((2012, 5, 8, 23, 59, 59), True), ((2012, 5, 9, 0, 0, 0), False)],
)
async def test_publishing_records_whether_it_was_on_time(
    api: Api, clock: FixedClock, published_at: tuple[int, ...], on_time: bool
) -> None:
    world = await make_world()
    briefing = await draft(world, 1)
    clock.set(local(*published_at))

    data = await api.data(PUBLISH, {"input": {"id": gid(briefing)}}, as_=world.tutor)

    stamp = "2012-05-08T23:59:59+08:00" if on_time else "2012-05-09T00:00:00+08:00"
    assert data == {
        "publishBriefing": {
            "briefing": {
                "number": 1,
                "status": "PUBLISHED",
                "dueAt": "2012-05-08T23:59:59+08:00",
                "publishedAt": stamp,
                "onTime": on_time,
            },
            "userErrors": [],
        }
    }


async def test_a_published_briefing_is_neither_edited_nor_published_again(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    briefing = await draft(world, 1)
    ref = {"id": gid(briefing)}
    await api.data(PUBLISH, {"input": ref}, as_=world.tutor)
    clock.advance(hours=1)

    edited = await api.data(UPDATE, {"input": {**ref, "body": "改动"}}, as_=world.tutor)
    again = await api.data(PUBLISH, {"input": ref}, as_=world.tutor)

    refusal = [
        {"code": "ALREADY_PUBLISHED", "field": ["input", "id"], "message": "简报已发布，不能再修改"}
    ]
    assert edited == {"updateBriefing": {"briefing": None, "userErrors": refusal}}
    assert again == {"publishBriefing": {"briefing": None, "userErrors": refusal}}
    stored = await Briefing.get(id=briefing.id)
    assert (stored.body, stored.published_at) == ("草稿", local(2012, 4, 20, 10, 0))


async def test_the_tutor_edits_a_draft(api: Api) -> None:
    world = await make_world()
    briefing = await draft(world, 1)

    data = await api.data(
        UPDATE,
        {"input": {"id": gid(briefing), "title": "第一期简报", "body": "本周小结"}},
        as_=world.tutor,
    )
    blank = await api.data(UPDATE, {"input": {"id": gid(briefing), "body": " "}}, as_=world.tutor)

    assert data == {
        "updateBriefing": {
            "briefing": {"number": 1, "title": "第一期简报", "body": "本周小结", "status": "DRAFT"},
            "userErrors": [],
        }
    }
    assert blank == {
        "updateBriefing": {
            "briefing": None,
            "userErrors": [
                {"code": "INVALID_INPUT", "field": ["input", "body"], "message": "正文不能为空"}
            ],
        }
    }


async def test_an_empty_class_still_gets_a_draft(api: Api) -> None:
    world = await make_world()
    await Enrollment.filter(training_class_id=world.training_class.id).update(
        training_class_id=None
    )

    data = await api.data(CREATE, create_input(world), as_=world.tutor)

    assert data["createBriefingDraft"]["briefing"]["body"] == EMPTY_BODY
    assert data["createBriefingDraft"]["briefing"]["dueAt"] == "2012-05-08T23:59:59+08:00"


MUTATIONS = ["create", "update", "publish"]


async def _attempt(api: Api, world: World, which: str, who: str) -> dict[str, Any]:
    briefing = await draft(world, 1)
    ref = {"id": gid(briefing)}
    document, variables = {
        "create": (CREATE, create_input(world)),
        "update": (UPDATE, {"input": {**ref, "body": "改动"}}),
        "publish": (PUBLISH, {"input": ref}),
    }[which]
    return await api.gql(document, variables, as_=world.person(who))


@pytest.mark.parametrize("which", MUTATIONS)
@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("other_tutor", "FORBIDDEN"),
        ("leader", "FORBIDDEN"),
        ("zhang", "FORBIDDEN"),
        ("nobody", "UNAUTHENTICATED"),
    ],
)
async def test_only_the_class_tutor_writes_briefings(
    api: Api, which: str, who: str, code: str
) -> None:
    world = await make_world()

    body = await _attempt(api, world, which, who)

    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    stored = await Briefing.all().values_list("number", "body", "published_at")
    assert stored == [(1, "草稿", None)]


@pytest.mark.parametrize("which", MUTATIONS)
async def test_the_class_tutor_may_write_briefings(api: Api, which: str) -> None:
    world = await make_world()

    body = await _attempt(api, world, which, "tutor")

    assert "errors" not in body
    assert [payload["userErrors"] for payload in body["data"].values()] == [[]]


async def test_trainees_read_published_briefings_and_the_tutor_drafts_too(api: Api) -> None:
    world = await make_world()
    await draft(world, 1)
    second = await draft(world, 2)
    await Briefing.filter(id=second.id).update(status="published")
    variables = {"classId": world.class_id}

    assert await api.data(LIST, variables, as_=world.tutor) == {
        "briefings": {
            "nodes": [{"number": 2, "status": "PUBLISHED"}, {"number": 1, "status": "DRAFT"}]
        }
    }
    assert await api.data(LIST, variables, as_=world.leader) == await api.data(
        LIST, variables, as_=world.tutor
    )
    assert await api.data(LIST, variables, as_=world.zhang) == {
        "briefings": {"nodes": [{"number": 2, "status": "PUBLISHED"}]}
    }
    assert await api.data(LIST, variables, as_=world.wang) == {"briefings": None}
    assert await api.data(LIST, variables, as_=world.other_tutor) == {"briefings": None}


NODE = """
query ($id: ID!) { node(id: $id) { ... on Briefing { number status } } }"""


@pytest.mark.parametrize(("who", "seen"), [("tutor", True), ("leader", True), ("zhang", False)])
async def test_node_shows_a_draft_only_to_the_tutor_and_the_leader(
    api: Api, who: str, seen: bool
) -> None:
    world = await make_world()
    briefing = await draft(world, 1)

    data = await api.data(NODE, {"id": gid(briefing)}, as_=world.person(who))

    assert data == {"node": {"number": 1, "status": "DRAFT"} if seen else None}
