"""Class announcements over HTTP: who posts, pins and reads; unread lists; no N+1."""

from typing import Any

import pytest

from lms_plugin.schema.core.ids import encode_id
from lms_plugin.storage.models import Announcement, AnnouncementRead

from .api import Api
from .classroom_world import World, make_world
from .conftest import local
from .factories import gid, make_announcement
from .sql_counter import count_sql

POST = """
mutation ($input: PostAnnouncementInput!) {
  postAnnouncement(input: $input) {
    announcement { title body pinned publishedAt author { realName } trainingClass { name }
                   readCount readByMe }
    userErrors { code field message }
  }
}"""

UPDATE = """
mutation ($input: UpdateAnnouncementInput!) {
  updateAnnouncement(input: $input) {
    announcement { title body pinned }
    userErrors { code field message }
  }
}"""

MARK_READ = """
mutation ($input: MarkAnnouncementReadInput!) {
  markAnnouncementRead(input: $input) {
    announcement { title readCount readByMe }
    userErrors { code field message }
  }
}"""

LIST = """
query ($classId: ID!, $first: Int, $after: String) {
  announcements(classId: $classId, first: $first, after: $after) {
    nodes { title pinned readCount readByMe
            unreadBy(first: 10) { totalCount nodes { teacher { realName } } } }
    pageInfo { hasNextPage endCursor }
  }
}"""

UNREAD = "{ unreadAnnouncements(first: 10) { totalCount nodes { title pinned } } }"


def post_input(world: World, title: str = "开班通知", pinned: bool = False) -> dict[str, Any]:
    return {
        "input": {
            "classId": world.class_id,
            "title": title,
            "body": "请按时学习。",
            "pinned": pinned,
        }
    }


async def announce(world: World, title: str, *, pinned: bool = False) -> Announcement:
    return await make_announcement(
        world.training_class,
        world.tutor,
        title,
        body="正文",
        at=local(2012, 4, 26, 9, 0),
        pinned=pinned,
    )


async def test_the_class_tutor_posts_an_announcement(api: Api) -> None:
    world = await make_world()

    data = await api.data(POST, post_input(world, pinned=True), as_=world.tutor)

    assert data == {
        "postAnnouncement": {
            "announcement": {
                "title": "开班通知",
                "body": "请按时学习。",
                "pinned": True,
                "publishedAt": "2012-04-20T10:00:00+08:00",
                "author": {"realName": "李辅导"},
                "trainingClass": {"name": "一班"},
                "readCount": 0,
                "readByMe": False,
            },
            "userErrors": [],
        }
    }


async def test_a_blank_title_or_an_unknown_class_is_refused(api: Api) -> None:
    world = await make_world()
    blank = post_input(world, title="  ")
    unknown = post_input(world)
    unknown["input"]["classId"] = encode_id("TrainingClass", 999)

    assert await api.data(POST, blank, as_=world.tutor) == {
        "postAnnouncement": {
            "announcement": None,
            "userErrors": [
                {"code": "INVALID_INPUT", "field": ["input", "title"], "message": "标题不能为空"}
            ],
        }
    }
    assert await api.data(POST, unknown, as_=world.tutor) == {
        "postAnnouncement": {
            "announcement": None,
            "userErrors": [
                {"code": "NOT_FOUND", "field": ["input", "classId"], "message": "找不到该班级"}
            ],
        }
    }
    assert await Announcement.all().count() == 0


@pytest.mark.parametrize(
    ("who", "code"),
    [("other_tutor", "FORBIDDEN"), ("zhang", "FORBIDDEN"), ("nobody", "UNAUTHENTICATED")],
)
async def test_only_the_class_tutor_posts(api: Api, who: str, code: str) -> None:
    world = await make_world()

    body = await api.gql(POST, post_input(world), as_=world.person(who))

    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert await Announcement.all().count() == 0


async def test_the_tutor_pins_and_edits_an_announcement(api: Api) -> None:
    world = await make_world()
    announcement = await announce(world, "旧标题")

    data = await api.data(
        UPDATE,
        {"input": {"id": gid(announcement), "title": "新标题", "pinned": True}},
        as_=world.tutor,
    )

    assert data == {
        "updateAnnouncement": {
            "announcement": {"title": "新标题", "body": "正文", "pinned": True},
            "userErrors": [],
        }
    }


@pytest.mark.parametrize(
    ("who", "code"),
    [("other_tutor", "FORBIDDEN"), ("zhang", "FORBIDDEN"), ("nobody", "UNAUTHENTICATED")],
)
async def test_only_the_class_tutor_pins(api: Api, who: str, code: str) -> None:
    world = await make_world()
    announcement = await announce(world, "通知")

    body = await api.gql(
        UPDATE,
        {"input": {"id": gid(announcement), "pinned": True}},
        as_=world.person(who),
    )

    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert (await Announcement.get(id=announcement.id)).pinned is False


async def test_marking_read_is_idempotent_and_leaves_the_unread_list(api: Api) -> None:
    world = await make_world()
    first = await announce(world, "第一条")
    await announce(world, "第二条", pinned=True)
    mark = {"input": {"announcementId": gid(first)}}

    before = await api.data(UNREAD, as_=world.zhang)
    once = await api.data(MARK_READ, mark, as_=world.zhang)
    twice = await api.data(MARK_READ, mark, as_=world.zhang)
    after = await api.data(UNREAD, as_=world.zhang)

    assert before == {
        "unreadAnnouncements": {
            "totalCount": 2,
            "nodes": [{"title": "第二条", "pinned": True}, {"title": "第一条", "pinned": False}],
        }
    }
    expected = {
        "markAnnouncementRead": {
            "announcement": {"title": "第一条", "readCount": 1, "readByMe": True},
            "userErrors": [],
        }
    }
    assert once == expected
    assert twice == expected
    assert after == {
        "unreadAnnouncements": {"totalCount": 1, "nodes": [{"title": "第二条", "pinned": True}]}
    }


@pytest.mark.parametrize(
    ("who", "code"),
    [("tutor", "FORBIDDEN"), ("wang", "FORBIDDEN"), ("nobody", "UNAUTHENTICATED")],
)
async def test_only_a_trainee_of_the_class_marks_read(api: Api, who: str, code: str) -> None:
    world = await make_world()
    announcement = await announce(world, "通知")
    mark = {"input": {"announcementId": gid(announcement)}}

    body = await api.gql(MARK_READ, mark, as_=world.person(who))

    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert await AnnouncementRead.all().count() == 0


async def test_marking_an_unknown_announcement_is_refused(api: Api) -> None:
    world = await make_world()

    data = await api.data(
        MARK_READ, {"input": {"announcementId": encode_id("Announcement", 404)}}, as_=world.zhang
    )

    assert data == {
        "markAnnouncementRead": {
            "announcement": None,
            "userErrors": [
                {
                    "code": "NOT_FOUND",
                    "field": ["input", "announcementId"],
                    "message": "找不到该公告",
                }
            ],
        }
    }


async def test_the_tutor_sees_who_has_not_read_and_trainees_do_not(api: Api) -> None:
    world = await make_world()
    announcement = await announce(world, "通知")
    await api.data(MARK_READ, {"input": {"announcementId": gid(announcement)}}, as_=world.li)
    variables = {"classId": world.class_id, "first": 10}

    as_tutor = await api.data(LIST, variables, as_=world.tutor)
    as_leader = await api.data(LIST, variables, as_=world.leader)
    as_trainee = await api.data(LIST, variables, as_=world.zhang)

    def view(unread_by: object) -> dict[str, object]:
        return {
            "announcements": {
                "nodes": [
                    {
                        "title": "通知",
                        "pinned": False,
                        "readCount": 1,
                        "readByMe": False,
                        "unreadBy": unread_by,
                    }
                ],
                "pageInfo": {
                    "hasNextPage": False,
                    "endCursor": as_tutor["announcements"]["pageInfo"]["endCursor"],
                },
            }
        }

    staff_view = view({"totalCount": 1, "nodes": [{"teacher": {"realName": "张三"}}]})
    assert as_tutor == staff_view
    assert as_leader == staff_view
    assert as_trainee == view(None)


@pytest.mark.parametrize("who", ["other_tutor", "wang", "zhao"])
async def test_outside_the_class_announcements_read_as_not_found(api: Api, who: str) -> None:
    world = await make_world()
    await announce(world, "通知")

    data = await api.data(LIST, {"classId": world.class_id}, as_=world.person(who))

    assert data == {"announcements": None}


async def test_pinned_first_then_newest_across_pages(api: Api) -> None:
    world = await make_world()
    for title, pinned in [("一", True), ("二", False), ("三", True), ("四", False), ("五", False)]:
        await announce(world, title, pinned=pinned)
    query = """
    query ($classId: ID!, $after: String) {
      announcements(classId: $classId, first: 2, after: $after) {
        nodes { title } pageInfo { hasNextPage endCursor }
      }
    }"""

    titles: list[list[str]] = []
    after = None
    while True:
        data = await api.data(query, {"classId": world.class_id, "after": after}, as_=world.tutor)
        page = data["announcements"]
        titles.append([node["title"] for node in page["nodes"]])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert titles == [["三", "一"], ["五", "四"], ["二"]]


async def test_reading_a_page_of_announcements_takes_the_same_statements_for_2_or_6(
    api: Api,
) -> None:
    world = await make_world()
    counts = []
    for total in (2, 6):
        await Announcement.all().delete()
        for n in range(total):
            await announce(world, f"通知{n}", pinned=n % 2 == 0)
        await api.sign_in(world.tutor)
        with count_sql() as sql:
            data = await api.data(LIST, {"classId": world.class_id, "first": 10}, as_=world.tutor)
        assert len(data["announcements"]["nodes"]) == total
        counts.append(sql.count)

    assert counts[0] == counts[1]


NODE = """
query ($id: ID!) { node(id: $id) { ... on Announcement { title } } }"""


@pytest.mark.parametrize(("who", "seen"), [("zhang", True), ("leader", True), ("wang", False)])
async def test_node_finds_an_announcement_only_in_scope(api: Api, who: str, seen: bool) -> None:
    world = await make_world()
    announcement = await announce(world, "通知")

    data = await api.data(NODE, {"id": gid(announcement)}, as_=world.person(who))

    assert data == {"node": {"title": "通知"} if seen else None}
