"""The plans' statements (lms_plugin/fast_path.py): the stub's study page, tutor's desk and
heartbeat sent by hash send as many statements for a small page as for a large one, and the
same statements as the general path (the plans call the same resolvers)."""

from typing import Any

from lms_plugin.persisted import sha256_of
from lms_plugin.storage.models import Batch, Resource, Topic

from .api import Api
from .conftest import local
from .factories import enroll, make_person
from .sql_counter import count_sql
from .study_world import World, make_world, start_id
from .test_fast_path import DOCUMENTS


async def _post(
    api: Api, operation: str, who: Any, variables: dict[str, Any] | None, *, by_hash: bool
) -> tuple[dict[str, Any], int]:
    document = DOCUMENTS[operation]
    body: dict[str, Any] = {"operationName": operation, "variables": variables}
    if by_hash:
        body["extensions"] = {"persistedQuery": {"version": 1, "sha256Hash": sha256_of(document)}}
    else:
        body["query"] = document
    with count_sql() as sql:
        response = await api.client.post("/graphql", json=body, headers=api.headers(who))

    answer: dict[str, Any] = response.json()
    assert "errors" not in answer, answer
    return answer["data"], sql.count


async def _grow_workshop(world: World, more: int) -> None:
    for n in range(more):
        topic = await Topic.create(workshop_id=world.workshop.id, title=f"加题{n}", position=10 + n)
        for m in range(3):
            await Resource.create(topic_id=topic.id, title=f"资源{n}-{m}", minutes=20)


async def _grow_class(world: World, more: int) -> None:
    batch = await Batch.get(id=world.enrollment.batch_id)
    for n in range(more):
        teacher = await make_person(f"classmate{n}")
        await enroll(teacher, world.workshop, batch, training_class=world.training_class)


async def test_the_study_page_plan_reads_alike_for_a_small_and_a_large_workshop(
    api: Api,
) -> None:
    world = await make_world()
    await api.sign_in(world.trainee)
    counts = []
    for more in (0, 12):
        await _grow_workshop(world, more)
        fast, by_hash = await _post(api, "StudyPage", world.trainee, None, by_hash=True)
        general, by_text = await _post(api, "StudyPage", world.trainee, None, by_hash=False)
        assert fast == general
        assert len(fast["viewer"]["enrollment"]["workshop"]["topics"]) == 2 + more
        counts.append((by_hash, by_text))
    assert counts[0] == counts[1]
    assert counts[0][0] == counts[0][1]


async def test_the_desk_plan_reads_alike_for_a_class_of_2_and_of_40(api: Api) -> None:
    world = await make_world()
    counts = []
    for more in (0, 38):
        await _grow_class(world, more)
        # New people drop the cached viewers: both ways find the tutor's.
        await api.sign_in(world.tutor)
        fast, by_hash = await _post(api, "TutorDesk", world.tutor, None, by_hash=True)
        general, by_text = await _post(api, "TutorDesk", world.tutor, None, by_hash=False)
        assert fast == general
        [klass] = fast["tutorDesk"]["classes"]
        assert klass["roster"]["totalCount"] == 2 + more
        counts.append((by_hash, by_text))
    assert counts[0] == counts[1]
    assert counts[0][0] == counts[0][1]


async def test_the_heartbeat_plan_sends_the_general_paths_statements(api: Api, clock: Any) -> None:
    world = await make_world()
    classmate = await make_person("classmate")
    batch = await Batch.get(id=world.enrollment.batch_id)
    await enroll(classmate, world.workshop, batch, training_class=world.training_class)
    clock.set(local(2012, 5, 2, 9, 0))  # inside batch 1's window
    await api.sign_in(world.trainee)
    await api.sign_in(classmate)
    mine = await start_id(api, world.trainee, world)
    theirs = await start_id(api, classmate, world)
    counts = []
    for sequence in (1, 2):
        clock.advance(seconds=60)
        for who, session, by_hash in (
            (world.trainee, mine, True),
            (classmate, theirs, False),
        ):
            variables = {"input": {"sessionId": session, "sequence": sequence}}
            data, count = await _post(api, "Heartbeat", who, variables, by_hash=by_hash)
            assert data["heartbeat"]["userErrors"] == []
            assert data["heartbeat"]["heartbeat"]["countedSeconds"] == 60
            counts.append(count)
    assert counts[0] == counts[1]
    assert counts[2] == counts[3]
