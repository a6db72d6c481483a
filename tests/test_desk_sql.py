"""The tutor's desk in a fixed number of statements (issue 11): the stub's `TutorDesk` (the
desk with its forecasts, and the grading queue) and the benchmark's, sent by hash (the fast
path) and as text (the general path), send as many statements for one class of one trainee
as for three classes of thirty, each with work waiting, and the same either way."""

from typing import Any

from lms_plugin.persisted import sha256_of
from lms_plugin.storage.models import Batch, Enrollment

from .api import Api
from .benchmarks.bench_hot_paths import TUTOR_DESK
from .classroom_world import World, make_world
from .factories import enroll, hand_in, make_class, make_person
from .sql_counter import count_sql
from .test_fast_path import DOCUMENTS

# The classes, the rosters with their figures and the forecasts' evidence, the grading queue.
STUB_STATEMENTS = 3
# The classes, the rosters with their figures.
BENCH_STATEMENTS = 2


async def _send(api: Api, world: World, document: str, *, by_hash: bool) -> tuple[Any, int]:
    body: dict[str, Any] = {"operationName": "TutorDesk", "query": document}
    if by_hash:
        extension = {"persistedQuery": {"version": 1, "sha256Hash": sha256_of(document)}}
        # Registered first (the stub's own documents are already), then sent by hash alone.
        await api.client.post(
            "/graphql", json={**body, "extensions": extension}, headers=api.headers(world.tutor)
        )
        body = {"operationName": "TutorDesk", "extensions": extension}
    with count_sql() as sql:
        response = await api.client.post("/graphql", json=body, headers=api.headers(world.tutor))
    answer = response.json()
    assert "errors" not in answer, answer
    return answer["data"], sql.count


async def _grow(world: World) -> None:
    """From one class of one trainee to three classes of thirty, each trainee with work
    waiting."""
    batch = await Batch.get(id=world.zhang_enrollment.batch_id)
    classes = [
        world.training_class,
        await make_class(world.workshop, world.tutor, "三班"),
        await make_class(world.workshop, world.tutor, "四班"),
    ]
    for n in range(89):
        klass = classes[(n + 1) % 3]
        enrollment = await enroll(await make_person(), world.workshop, batch, training_class=klass)
        if n < 20:
            await hand_in(world, enrollment, f"作业{n}")


async def test_the_desk_reads_alike_for_one_small_class_and_three_large(api: Api) -> None:
    world = await make_world()
    await Enrollment.filter(id=world.li_enrollment.id).delete()
    await hand_in(world, world.zhang_enrollment, "作业")
    counts: dict[tuple[str, bool], list[int]] = {}
    for grown in (False, True):
        if grown:
            await _grow(world)
        # New people drop the cached viewers: every way finds the tutor's.
        await api.sign_in(world.tutor)
        for name, document in (("stub", DOCUMENTS["TutorDesk"]), ("bench", TUTOR_DESK)):
            answers = []
            for by_hash in (True, False):
                data, count = await _send(api, world, document, by_hash=by_hash)
                answers.append(data)
                counts.setdefault((name, by_hash), []).append(count)
            assert answers[0] == answers[1]
            sizes = [len(c["roster"]["nodes"]) for c in answers[0]["tutorDesk"]["classes"]]
            assert sizes == ([30, 30, 30] if grown else [1])
            if name == "stub":
                assert answers[0]["gradingQueue"]["totalCount"] == (21 if grown else 1)
    assert counts == {
        ("stub", True): [STUB_STATEMENTS] * 2,
        ("stub", False): [STUB_STATEMENTS] * 2,
        ("bench", True): [BENCH_STATEMENTS] * 2,
        ("bench", False): [BENCH_STATEMENTS] * 2,
    }
