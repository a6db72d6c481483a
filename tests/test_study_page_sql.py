"""The study page (the README's `StudyPage`) reads in a fixed number of statements, whatever
the size of the tutor team and the number of topics: the viewer's school with the enrollment,
its batch, program, hour policy, workshop, leader, class and tutor in one; the team with its
people; the topics (the signed-in viewer itself comes from the viewer cache). Sent by hash (the
compiled plan) or as text (the general path), the same statements."""

from collections.abc import Callable
from typing import Any

import pytest

from lms_plugin.persisted import sha256_of
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.storage.models import Topic, TutorTeamMember, Workshop

from .api import Api
from .factories import add_tutor, make_person
from .sql_counter import count_sql
from .study_world import World, make_world
from .test_query_plans import BIG_TABLES, full_scans

STUDY_PAGE = """query StudyPage {
  viewer {
    person { realName school { name } }
    enrollment {
      batch { name studyDays window { opensAt closesAt state } }
      workshop { name leader { realName } tutorTeam { person { realName } } topics { id title } }
      trainingClass { id name }
      tutor { realName }
      hourProgress { required { onlineHours offlineHours } onlineHours offlineHours complete }
    }
  }
}"""


@pytest.mark.parametrize("more", [0, 6], ids=["team-of-2", "team-of-8"])
async def test_the_study_page_takes_three_statements(api: Api, more: int) -> None:
    world = await make_world()
    for n in range(more):
        await add_tutor(world.workshop, await make_person(f"extra{n}", real_name=f"团队{n}"))
        await Topic.create(workshop_id=world.workshop.id, title=f"加题{n}", position=10 + n)
    await api.sign_in(world.trainee)

    with count_sql() as sql:
        data = await api.data(STUDY_PAGE, as_=world.trainee)

    enrollment = data["viewer"]["enrollment"]
    assert [m["person"]["realName"] for m in enrollment["workshop"]["tutorTeam"]] == [
        "李辅导",
        "赵辅导",
        *(f"团队{n}" for n in range(more)),
    ]
    assert len(enrollment["workshop"]["topics"]) == 2 + more
    assert (enrollment["trainingClass"]["name"], enrollment["tutor"]["realName"]) == (
        "一班",
        "李辅导",
    )
    assert [s.split()[0] for s in sql.statements] == ["SELECT"] * 3


async def _resize_workshop(world: World, size: int) -> None:
    """The workshop with `size` topics and `size` team members (the class's tutor first)."""
    await Topic.filter(workshop_id=world.workshop.id).exclude(id=world.topic.id).delete()
    await (
        TutorTeamMember.filter(workshop_id=world.workshop.id)
        .exclude(person_id=world.tutor.id)
        .delete()
    )
    world.workshop.tutor_count = 1
    await Workshop.filter(id=world.workshop.id).update(tutor_count=1)
    for n in range(size - 1):
        await add_tutor(world.workshop, await make_person(f"extra{n}", real_name=f"团队{n}"))
        await Topic.create(workshop_id=world.workshop.id, title=f"加题{n}", position=10 + n)


async def _study_page(api: Api, world: World, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    with count_sql() as sql:
        response = await api.client.post("/graphql", json=body, headers=api.headers(world.trainee))
    answer: dict[str, Any] = response.json()
    assert "errors" not in answer, answer
    return answer["data"], sql.count


@pytest.mark.parametrize("size", [1, 8])
async def test_the_study_page_takes_three_statements_by_hash_and_as_text(
    api: Api, size: int
) -> None:
    world = await make_world()
    await _resize_workshop(world, size)
    await api.sign_in(world.trainee)
    text = {"operationName": "StudyPage", "query": STUDY_PAGE}
    hashed = {
        "operationName": "StudyPage",
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256_of(STUDY_PAGE)}},
    }
    await _study_page(api, world, text | hashed)  # registers the document (APQ)

    fast, by_hash = await _study_page(api, world, hashed)
    general, by_text = await _study_page(api, world, text)

    assert fast == general
    workshop = fast["viewer"]["enrollment"]["workshop"]
    assert (len(workshop["topics"]), len(workshop["tutorTeam"])) == (size, size)
    assert (by_hash, by_text) == (3, 3)


async def test_the_study_page_statements_scan_no_big_table(api: Api) -> None:
    """Explained as tests/test_query_plans.py explains the hot paths, the workshop's topics
    included (enrollment(teacher_id) is indexed by 0005's (teacher_id, program_id))."""
    world = await make_world()
    await api.sign_in(world.trainee)
    with count_sql() as sql:
        await api.data(STUDY_PAGE, as_=world.trainee)
    assert len(sql.sent) == 3
    scans = [
        found
        for statement, values in sql.sent
        if (found := await full_scans(statement, values, BIG_TABLES | {"topic"}))
    ]
    assert scans == []


SMALL = "query Small { viewer { enrollment { id } } }"
TOPICS = "query Topics { viewer { enrollment { workshop { topics { title } } } } }"
TEAM = (
    "query Team { viewer { enrollment { ...E } } }"
    " fragment E on Enrollment { workshop { tutorTeam { person { realName } } } }"
)


@pytest.mark.parametrize(
    ("document", "statements", "enrollment"),
    [
        (SMALL, 1, lambda world: {"id": encode_id("Enrollment", world.enrollment.id)}),
        (TOPICS, 2, lambda _: {"workshop": {"topics": [{"title": "专题1"}, {"title": "专题2"}]}}),
        (
            TEAM,
            2,
            lambda _: {
                "workshop": {
                    "tutorTeam": [{"person": {"realName": n}} for n in ("李辅导", "赵辅导")]
                }
            },
        ),
    ],
    ids=["enrollment-id", "topics", "team-in-a-fragment"],
)
async def test_the_viewer_reads_the_team_and_topics_only_when_selected(
    api: Api, document: str, statements: int, enrollment: Callable[[World], dict[str, Any]]
) -> None:
    """The enrollment's page is one statement; the team and the topics one more each, only in
    a document that selects them. Sent by hash or as text, the same statements and answer."""
    world = await make_world()
    await api.sign_in(world.trainee)
    text = {"query": document}
    hashed = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256_of(document)}}}
    await _study_page(api, world, text | hashed)  # registers the document (APQ)

    fast, by_hash = await _study_page(api, world, hashed)
    general, by_text = await _study_page(api, world, text)

    assert fast == general == {"viewer": {"enrollment": enrollment(world)}}
    assert (by_hash, by_text) == (statements, statements)
