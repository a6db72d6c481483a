"""Discussions over HTTP: who opens topics, trainees post only inside their batch window (R1),
staff any time, posts count per trainee; reads in scope only."""

from typing import Any

import pytest

from lms_plugin.clock import FixedClock
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.storage.models import DiscussionPost, DiscussionTopic, Enrollment

from .api import Api
from .classroom_world import World, class_topic, make_world, workshop_topic
from .conftest import local
from .factories import gid, post

OPEN = """
mutation ($input: OpenDiscussionInput!) {
  openDiscussion(input: $input) {
    topic { title body createdAt postCount lastPostAt author { realName }
            workshop { subject } trainingClass { name } }
    userErrors { code field message }
  }
}"""

POST = """
mutation ($input: PostToDiscussionInput!) {
  postToDiscussion(input: $input) {
    post { body createdAt byTrainee author { realName } parent { body } }
    userErrors { code field message }
  }
}"""

POSTS = """
query ($topicId: ID!, $after: String) {
  discussionPosts(topicId: $topicId, first: 2, after: $after) {
    totalCount nodes { body author { realName } } pageInfo { hasNextPage endCursor }
  }
}"""

TOPICS = """
query ($workshopId: ID, $classId: ID) {
  discussions(workshopId: $workshopId, classId: $classId, first: 10) {
    nodes { title postCount }
  }
}"""


def post_input(topic: DiscussionTopic, body: str = "我的看法", parent: int | None = None) -> Any:
    parent_id = None if parent is None else encode_id("DiscussionPost", parent)
    return {"input": {"topicId": gid(topic), "body": body, "parentId": parent_id}}


def open_input(world: World, *, workshop: bool = False, klass: bool = True) -> dict[str, Any]:
    return {
        "input": {
            "title": "课堂提问的艺术",
            "body": "谈谈你的做法。",
            "workshopId": world.workshop_id if workshop else None,
            "classId": world.class_id if klass else None,
        }
    }


async def test_the_class_tutor_opens_a_class_topic(api: Api) -> None:
    world = await make_world()

    data = await api.data(OPEN, open_input(world), as_=world.tutor)

    assert data == {
        "openDiscussion": {
            "topic": {
                "title": "课堂提问的艺术",
                "body": "谈谈你的做法。",
                "createdAt": "2012-04-20T10:00:00+08:00",
                "postCount": 0,
                "lastPostAt": None,
                "author": {"realName": "李辅导"},
                "workshop": {"subject": "数学"},
                "trainingClass": {"name": "一班"},
            },
            "userErrors": [],
        }
    }


async def test_the_leader_opens_a_workshop_topic(api: Api) -> None:
    world = await make_world()

    data = await api.data(OPEN, open_input(world, workshop=True, klass=False), as_=world.leader)

    topic = data["openDiscussion"]["topic"]
    assert (topic["author"], topic["trainingClass"], data["openDiscussion"]["userErrors"]) == (
        {"realName": "王名师"},
        None,
        [],
    )


@pytest.mark.parametrize(("workshop", "klass"), [(True, True), (False, False)])
async def test_exactly_one_of_workshop_and_class_is_given(
    api: Api, workshop: bool, klass: bool
) -> None:
    world = await make_world()

    data = await api.data(OPEN, open_input(world, workshop=workshop, klass=klass), as_=world.tutor)

    assert data == {
        "openDiscussion": {
            "topic": None,
            "userErrors": [
                {
                    "code": "INVALID_INPUT",
                    "field": ["input", "classId"],
                    "message": "请指定工作室或班级（二选一）",
                }
            ],
        }
    }


@pytest.mark.parametrize(
    ("who", "workshop", "code"),
    [
        ("other_tutor", False, "FORBIDDEN"),
        ("zhang", False, "FORBIDDEN"),
        ("nobody", False, "UNAUTHENTICATED"),
        ("tutor", True, "FORBIDDEN"),
        ("zhang", True, "FORBIDDEN"),
        ("nobody", True, "UNAUTHENTICATED"),
    ],
)
async def test_topics_are_opened_only_by_the_class_tutor_or_the_workshop_leader(
    api: Api, who: str, workshop: bool, code: str
) -> None:
    world = await make_world()

    body = await api.gql(
        OPEN, open_input(world, workshop=workshop, klass=not workshop), as_=world.person(who)
    )

    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert await DiscussionTopic.all().count() == 0


@pytest.mark.parametrize(
    ("at", "code", "message"),
    [
        ((2012, 4, 26, 23, 59, 59), "WINDOW_NOT_OPEN", "研修时间尚未开始"),
        ((2012, 4, 27, 0, 0, 0), None, None),
        ((2012, 5, 8, 23, 59, 59), None, None),
        ((2012, 5, 9, 0, 0, 0), "WINDOW_CLOSED", "研修时间已结束"),
    ],
)
async def test_a_trainee_posts_only_inside_the_batch_window(
    api: Api, clock: FixedClock, at: tuple[int, ...], code: str | None, message: str | None
) -> None:
    world = await make_world()
    topic = await class_topic(world)
    clock.set(local(*at))

    data = await api.data(POST, post_input(topic), as_=world.zhang)

    if code is None:
        stamp = local(*at).isoformat()
        assert data == {
            "postToDiscussion": {
                "post": {
                    "body": "我的看法",
                    "createdAt": stamp,
                    "byTrainee": True,
                    "author": {"realName": "张三"},
                    "parent": None,
                },
                "userErrors": [],
            }
        }
        stored = await DiscussionTopic.get(id=topic.id)
        assert (stored.post_count, stored.last_post_at) == (1, local(*at))
        enrollment = await Enrollment.get(id=world.zhang_enrollment.id)
        assert enrollment.last_activity_at == local(*at)
        assert await DiscussionPost.all().values_list("enrollment_id", flat=True) == [
            world.zhang_enrollment.id
        ]
    else:
        assert data == {
            "postToDiscussion": {
                "post": None,
                "userErrors": [{"code": code, "field": None, "message": message}],
            }
        }
        assert await DiscussionPost.all().count() == 0
        assert (await DiscussionTopic.get(id=topic.id)).post_count == 0


@pytest.mark.parametrize("who", ["tutor", "leader"])
async def test_staff_post_and_reply_any_time(api: Api, clock: FixedClock, who: str) -> None:
    world = await make_world()
    topic = await class_topic(world)
    clock.set(local(2012, 5, 8, 12, 0))
    first = await api.data(POST, post_input(topic, "学员的问题"), as_=world.zhang)
    assert first["postToDiscussion"]["userErrors"] == []
    question = await DiscussionPost.get(topic_id=topic.id)
    clock.set(local(2012, 5, 20, 9, 0))

    data = await api.data(POST, post_input(topic, "老师的回答", question.id), as_=world.person(who))

    assert data == {
        "postToDiscussion": {
            "post": {
                "body": "老师的回答",
                "createdAt": "2012-05-20T09:00:00+08:00",
                "byTrainee": False,
                "author": {"realName": {"tutor": "李辅导", "leader": "王名师"}[who]},
                "parent": {"body": "学员的问题"},
            },
            "userErrors": [],
        }
    }
    assert (await DiscussionTopic.get(id=topic.id)).post_count == 2


async def test_a_reply_must_answer_a_post_of_the_same_topic(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    topic = await class_topic(world)
    elsewhere = await class_topic(world, "另一个主题")
    other_post = await post(elsewhere, "别处", local(2012, 4, 26), by=world.tutor)
    clock.set(local(2012, 5, 2, 9, 0))

    data = await api.data(POST, post_input(topic, parent=other_post.id), as_=world.zhang)

    assert data == {
        "postToDiscussion": {
            "post": None,
            "userErrors": [
                {
                    "code": "NOT_FOUND",
                    "field": ["input", "parentId"],
                    "message": "找不到要回复的帖子",
                }
            ],
        }
    }


@pytest.mark.parametrize(
    ("who", "workshop_wide", "code"),
    [
        ("wang", False, "FORBIDDEN"),
        ("other_tutor", False, "FORBIDDEN"),
        ("zhao", False, "FORBIDDEN"),
        ("nobody", False, "UNAUTHENTICATED"),
        ("zhao", True, "FORBIDDEN"),
        ("nobody", True, "UNAUTHENTICATED"),
    ],
)
async def test_outsiders_do_not_post(
    api: Api, clock: FixedClock, who: str, workshop_wide: bool, code: str
) -> None:
    world = await make_world()
    topic = await (workshop_topic(world) if workshop_wide else class_topic(world))
    clock.set(local(2012, 5, 2, 9, 0))

    body = await api.gql(POST, post_input(topic), as_=world.person(who))

    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert await DiscussionPost.all().count() == 0


@pytest.mark.parametrize("who", ["zhang", "wang", "other_tutor", "tutor", "leader"])
async def test_the_workshop_s_trainees_and_team_post_in_a_workshop_topic(
    api: Api, clock: FixedClock, who: str
) -> None:
    world = await make_world()
    topic = await workshop_topic(world)
    clock.set(local(2012, 5, 2, 9, 0))

    data = await api.data(POST, post_input(topic), as_=world.person(who))

    assert data["postToDiscussion"]["userErrors"] == []
    assert data["postToDiscussion"]["post"]["byTrainee"] is (who in ("zhang", "wang"))


async def test_posts_read_oldest_first_across_pages(api: Api, clock: FixedClock) -> None:
    world = await make_world()
    topic = await class_topic(world)
    clock.set(local(2012, 5, 2, 9, 0))
    for who, text in [(world.zhang, "一"), (world.li, "二"), (world.tutor, "三")]:
        await api.data(POST, post_input(topic, text), as_=who)
    variables: dict[str, Any] = {"topicId": gid(topic)}

    first = await api.data(POSTS, variables, as_=world.li)
    second = await api.data(
        POSTS,
        {**variables, "after": first["discussionPosts"]["pageInfo"]["endCursor"]},
        as_=world.li,
    )

    assert first["discussionPosts"]["nodes"] == [
        {"body": "一", "author": {"realName": "张三"}},
        {"body": "二", "author": {"realName": "李四"}},
    ]
    assert (
        first["discussionPosts"]["totalCount"],
        first["discussionPosts"]["pageInfo"]["hasNextPage"],
    ) == (3, True)
    assert second["discussionPosts"]["nodes"] == [{"body": "三", "author": {"realName": "李辅导"}}]
    assert await api.data(POSTS, variables, as_=world.wang) == {"discussionPosts": None}


async def test_topic_lists_of_a_class_and_of_the_workshop(api: Api) -> None:
    world = await make_world()
    await class_topic(world, "班级主题")
    await workshop_topic(world, "工作室主题")
    by_class = {"classId": world.class_id}
    by_workshop = {"workshopId": world.workshop_id}

    assert await api.data(TOPICS, by_class, as_=world.zhang) == {
        "discussions": {"nodes": [{"title": "班级主题", "postCount": 0}]}
    }
    assert await api.data(TOPICS, by_workshop, as_=world.wang) == {
        "discussions": {"nodes": [{"title": "工作室主题", "postCount": 0}]}
    }
    assert await api.data(TOPICS, by_class, as_=world.leader) == {
        "discussions": {"nodes": [{"title": "班级主题", "postCount": 0}]}
    }
    assert await api.data(TOPICS, by_class, as_=world.wang) == {"discussions": None}
    assert await api.data(TOPICS, by_workshop, as_=world.zhao) == {"discussions": None}
    assert await api.data(TOPICS, {}, as_=world.zhang) == {"discussions": None}


NODE = """
query ($id: ID!) {
  node(id: $id) {
    ... on DiscussionTopic { title }
    ... on DiscussionPost { body }
  }
}"""


@pytest.mark.parametrize(("who", "seen"), [("li", True), ("tutor", True), ("wang", False)])
async def test_node_finds_topics_and_posts_only_in_scope(api: Api, who: str, seen: bool) -> None:
    world = await make_world()
    topic = await class_topic(world, "班级主题")
    welcome = await post(topic, "欢迎", local(2012, 4, 26), by=world.tutor)

    found_topic = await api.data(NODE, {"id": gid(topic)}, as_=world.person(who))
    found_post = await api.data(NODE, {"id": gid(welcome)}, as_=world.person(who))

    assert (found_topic, found_post) == (
        ({"node": {"title": "班级主题"}}, {"node": {"body": "欢迎"}})
        if seen
        else ({"node": None}, {"node": None})
    )
