"""The tutor's desk over HTTP: classes and rosters with hours, waiting work, posts and last
activity; who sees which classes; a constant number of statements whatever the page size."""

import pytest

from lms_plugin.storage.enums import SubmissionStatus
from lms_plugin.storage.models import Batch, DiscussionTopic, Enrollment

from .api import Api, error_codes
from .classroom_world import World, class_topic, make_world
from .conftest import local
from .factories import enroll, hand_in, make_person, post, studied
from .sql_counter import count_sql

DESK = """
query ($classId: ID, $first: Int, $after: String) {
  tutorDesk(classId: $classId) {
    classes {
      trainingClass { name }
      roster(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage }
        nodes {
          enrollment { status }
          teacher { realName }
          hourProgress { onlineHours offlineHours onlineComplete offlineComplete complete
                         required { onlineHours offlineHours } }
          submissionsWaiting
          postCount
          lastActivityAt
        }
      }
    }
  }
}"""

CLASS_NAMES = "{ tutorDesk { classes { trainingClass { name } } } }"


async def activity(world: World) -> None:
    """张三: 6.5 online hours, 2 offline, 2 posts, 2 submissions waiting and 1 returned."""
    await studied(
        world.zhang_enrollment,
        online_hours=6.5,
        offline_hours=2,
        active_at=local(2012, 5, 2, 9, 30),
    )
    topic = await class_topic(world, "研讨", local(2012, 5, 1))
    for _ in range(2):
        await post(topic, "发言", local(2012, 5, 2), by=world.zhang_enrollment)
    for n, status in enumerate(
        [SubmissionStatus.SUBMITTED, SubmissionStatus.SUBMITTED, SubmissionStatus.RETURNED]
    ):
        await hand_in(world, world.zhang_enrollment, f"作业{n}", status=status)


def entry(name: str, online: float, offline: float, **figures: object) -> dict[str, object]:
    return {
        "enrollment": {"status": "ACTIVE"},
        "teacher": {"realName": name},
        "hourProgress": {
            "onlineHours": online,
            "offlineHours": offline,
            "onlineComplete": online >= 6,
            "offlineComplete": offline >= 16,
            "complete": False,
            "required": {"onlineHours": 6, "offlineHours": 16},
        },
        "submissionsWaiting": 0,
        "postCount": 0,
        "lastActivityAt": None,
        **figures,
    }


async def test_the_tutor_sees_their_class_roster_with_figures(api: Api) -> None:
    world = await make_world()
    await activity(world)

    data = await api.data(DESK, {"first": 10}, as_=world.tutor)

    assert data == {
        "tutorDesk": {
            "classes": [
                {
                    "trainingClass": {"name": "一班"},
                    "roster": {
                        "totalCount": 2,
                        "pageInfo": {"hasNextPage": False},
                        "nodes": [
                            entry(
                                "张三",
                                6.0,
                                2.0,
                                submissionsWaiting=2,
                                postCount=2,
                                lastActivityAt="2012-05-02T09:30:00+08:00",
                            ),
                            entry("李四", 0.0, 0.0),
                        ],
                    },
                }
            ]
        }
    }


@pytest.mark.parametrize(
    ("who", "classes"),
    [
        ("tutor", ["一班"]),
        ("other_tutor", ["二班"]),
        ("leader", ["一班", "二班"]),
        ("zhang", []),
        ("zhao", []),
    ],
)
async def test_the_desk_holds_one_s_own_classes_and_a_leader_s_workshop_classes(
    api: Api, who: str, classes: list[str]
) -> None:
    world = await make_world()

    data = await api.data(CLASS_NAMES, as_=world.person(who))

    assert data == {"tutorDesk": {"classes": [{"trainingClass": {"name": n}} for n in classes]}}


async def test_one_class_of_the_desk_and_never_another_tutor_s(api: Api) -> None:
    world = await make_world()
    query = """
    query ($classId: ID) { tutorDesk(classId: $classId) { classes { trainingClass { name } } } }"""

    as_leader = await api.data(query, {"classId": world.other_class_id}, as_=world.leader)
    as_tutor = await api.data(query, {"classId": world.other_class_id}, as_=world.tutor)

    assert as_leader == {"tutorDesk": {"classes": [{"trainingClass": {"name": "二班"}}]}}
    assert as_tutor == {"tutorDesk": {"classes": []}}


async def test_the_desk_needs_a_token(api: Api) -> None:
    await make_world()

    body = await api.gql(CLASS_NAMES, as_=None)

    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


async def test_withdrawn_trainees_leave_the_roster(api: Api) -> None:
    world = await make_world()
    await Enrollment.filter(id=world.li_enrollment.id).update(status="withdrawn")

    data = await api.data(DESK, {"first": 10}, as_=world.tutor)

    nodes = data["tutorDesk"]["classes"][0]["roster"]["nodes"]
    assert [n["teacher"]["realName"] for n in nodes] == ["张三"]


async def _fill_classes(world: World, per_class: int) -> None:
    batch = await Batch.get(id=world.zhang_enrollment.batch_id)
    for klass in (world.training_class, world.other_class):
        for _ in range(per_class):
            teacher = await make_person()
            enrollment = await enroll(teacher, world.workshop, batch, training_class=klass)
            await post(await _topic(world), "发言", local(2012, 5, 2), by=enrollment)


async def _topic(world: World) -> DiscussionTopic:
    topic, _ = await DiscussionTopic.get_or_create(
        workshop_id=world.workshop.id,
        title="研讨",
        defaults={"author_id": world.leader.id, "body": "议题", "created_at": local(2012, 5, 1)},
    )
    return topic


# The classes with their workshops, then every class's roster page with its trainees, hour
# policy, figures and total in one statement (the viewer comes from the cache): the leader's
# two classes cost what the tutor's one does.
@pytest.mark.parametrize(
    ("who", "statements"),
    [pytest.param("tutor", 2, id="tutor"), pytest.param("leader", 2, id="leader")],
)
async def test_the_desk_reads_in_the_same_statements_for_pages_of_5_and_50(
    api: Api, who: str, statements: int
) -> None:
    world = await make_world()
    await activity(world)
    await _fill_classes(world, 55)
    counts = []
    await api.sign_in(world.person(who))

    for first in (5, 50):
        with count_sql() as sql:
            data = await api.data(DESK, {"first": first}, as_=world.person(who))
        assert [len(c["roster"]["nodes"]) for c in data["tutorDesk"]["classes"]] == [first] * len(
            data["tutorDesk"]["classes"]
        )
        counts.append(sql.count)

    assert counts == [statements, statements]


async def test_a_bad_roster_page_request_is_refused(api: Api) -> None:
    world = await make_world()

    body = await api.gql(DESK, {"first": 0}, as_=world.leader)

    assert body["data"] is None
    assert set(error_codes(body)) == {"BAD_PAGE_REQUEST"}
