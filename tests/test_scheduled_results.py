"""Results computed by themselves when the assessment window opens (issue 7): nothing one minute
before the ASSESSMENT phase's first day, everything at its start, once however many workers
or processes claim the program, with the system as the actor of the history and the log."""

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from lms_plugin import cli
from lms_plugin.clock import FixedClock
from lms_plugin.resolvers.assessment import schedule
from lms_plugin.resolvers.assessment.schedule import (
    CLAIM_LEASE,
    OPERATION,
    DueResults,
    compute_due_results,
)
from lms_plugin.scheduled_results import compute_results_periodically
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.storage.enums import GradeLevel, Outcome
from lms_plugin.storage.models import (
    AssessmentResult,
    AuditEntry,
    Certificate,
    Enrollment,
    Program,
    ResultChange,
    ResultRun,
)

from .api import Api
from .assessment_world import Scene, make_scene
from .conftest import TEST_DATA_KEYS, local
from .factories import gid
from .test_assessment_scenarios import JIANGXI_2012

# The ASSESSMENT phase of a program whose batch starts on 4/27 begins on 5/17 (assessment_world).
OPENS = local(2012, 5, 17, 0, 0)
HISTORY = """
query ($id: ID!) { node(id: $id) { ... on Enrollment {
  result { outcome score history { outcomeBefore outcome score changedById } } } } }"""


async def _program(scene: Scene) -> tuple[Program, Enrollment, Enrollment]:
    program, batch, workshop = await scene.program(
        "江西2012", "2012学年", dt.date(2012, 4, 27), assessment=JIANGXI_2012
    )
    passer = await scene.trainee(workshop, batch, "合格者")
    await scene.study(passer, online_hours=6, offline_hours=16)
    await scene.homework(passer, GradeLevel.PASS, GradeLevel.PASS)
    await scene.discuss(passer, 2)
    absentee = await scene.trainee(workshop, batch, "缺考者")
    # Three results: the passer, the absentee and the class tutor (EXEMPT, R7).
    return program, passer, absentee


async def test_one_minute_before_the_window_nothing_at_its_start_everything(api: Api) -> None:
    scene = await make_scene(api)
    program, passer, _absentee = await _program(scene)

    early = await compute_due_results(OPENS - dt.timedelta(minutes=1))

    assert early == DueResults([], [])
    assert await AssessmentResult.all().count() == 0
    assert await ResultRun.all().count() == 0

    done = await compute_due_results(OPENS)

    assert [(s.program.id, dict(s.counts), s.changed) for s in done.computed] == [
        (program.id, {Outcome.PASSED: 1, Outcome.ABSENT: 1, Outcome.EXEMPT: 1}, 3)
    ]
    assert done.failed == []
    assert await api.data(HISTORY, {"id": gid(passer)}, as_=scene.admin) == {
        "node": {
            "result": {
                "outcome": "PASSED",
                "score": 91,
                "history": [
                    {"outcomeBefore": None, "outcome": "PASSED", "score": 91, "changedById": None}
                ],
            }
        }
    }
    assert await AssessmentResult.filter(computed_by_id__isnull=True).count() == 3
    assert await Certificate.filter(program_id=program.id).count() == 3
    run = await ResultRun.get(program_id=program.id)
    logged = (
        await AuditEntry.filter(operation=OPERATION)
        .order_by("id")
        .values_list("actor_id", "object_type", "object_id")
    )
    assert logged == [(None, "Program", program.id), (None, "ResultRun", run.id)]
    assert (run.claimed_at, run.finished_at) == (OPENS, OPENS)

    # Computed once: later passes leave the program alone, and so does a second program's.
    assert await compute_due_results(OPENS + dt.timedelta(hours=1)) == DueResults([], [])
    assert await ResultChange.all().count() == 3


async def test_a_program_an_admin_computed_is_not_computed_again(
    api: Api, clock: FixedClock
) -> None:
    scene = await make_scene(api)
    program, _, _ = await _program(scene)
    clock.set(OPENS)
    await scene.compute(program)

    assert await compute_due_results(OPENS + dt.timedelta(minutes=5)) == DueResults([], [])
    assert await ResultChange.filter(changed_by_id=scene.admin.id).count() == 3
    assert await ResultChange.filter(changed_by_id__isnull=True).count() == 0


async def test_two_claimants_at_once_compute_the_program_once(api: Api) -> None:
    scene = await make_scene(api)
    program, _, _ = await _program(scene)

    first, second = await asyncio.gather(compute_due_results(OPENS), compute_due_results(OPENS))

    assert sorted([len(first.computed), len(second.computed)]) == [0, 1]
    assert first.failed == second.failed == []
    assert await ResultChange.filter(program_id=program.id).count() == 3
    assert await AuditEntry.filter(operation=OPERATION, object_type="Program").count() == 1


async def test_a_live_claim_elsewhere_is_left_to_it_and_a_dead_one_is_taken(api: Api) -> None:
    scene = await make_scene(api)
    program, _, _ = await _program(scene)
    # Another process claimed the program and is computing it (or died doing so).
    await ResultRun.create(program_id=program.id, claimed_at=OPENS)

    assert await compute_due_results(OPENS + CLAIM_LEASE - dt.timedelta(seconds=1)) == (
        DueResults([], [])
    )
    assert await AssessmentResult.all().count() == 0

    done = await compute_due_results(OPENS + CLAIM_LEASE + dt.timedelta(seconds=1))

    assert [s.program.id for s in done.computed] == [program.id]
    assert await AssessmentResult.all().count() == 3


async def test_a_failed_computation_releases_its_claim_and_the_next_pass_computes(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    scene = await make_scene(api)
    program, _, _ = await _program(scene)

    async def broken(*args: object) -> None:
        raise RuntimeError("the database went away")

    with monkeypatch.context() as patched:
        patched.setattr(schedule, "compute_program_results", broken)
        assert await compute_due_results(OPENS) == DueResults([], [program.id])
    assert await ResultRun.all().count() == 0
    assert await AssessmentResult.all().count() == 0

    assert len((await compute_due_results(OPENS)).computed) == 1


async def test_only_the_program_asked_for_is_computed(api: Api) -> None:
    scene = await make_scene(api)
    program, _, _ = await _program(scene)

    assert await compute_due_results(OPENS, program.id + 1) == DueResults([], [])
    assert [s.program.id for s in (await compute_due_results(OPENS, program.id)).computed] == [
        program.id
    ]


async def test_the_app_computes_on_its_period_until_cancelled(api: Api) -> None:
    scene = await make_scene(api)
    program, _, _ = await _program(scene)
    task = asyncio.create_task(compute_results_periodically(FixedClock(OPENS), 3600))
    try:
        for _ in range(500):
            if await ResultRun.filter(program_id=program.id, finished_at__isnull=False).exists():
                break
            await asyncio.sleep(0.01)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert await AssessmentResult.filter(program_id=program.id).count() == 3


def test_compute_results_takes_a_programs_global_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.program_pk(str(encode_id("Program", 7))) == 7
    with pytest.raises(SystemExit):
        cli.main(["compute-results", "--program", "7"])
    assert "not a program's id: '7'" in capsys.readouterr().err


def test_compute_results_on_a_fresh_database_says_nothing_was_due(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LMS_DATABASE_URL", f"sqlite://{tmp_path / 'lms.sqlite3'}")
    monkeypatch.setenv("LMS_DATA_KEYS", TEST_DATA_KEYS["data_keys"])
    monkeypatch.setenv("LMS_DATA_KEY_ID", TEST_DATA_KEYS["data_key_id"])
    monkeypatch.setenv("LMS_DATA_HASH_KEY", TEST_DATA_KEYS["data_hash_key"])

    cli.main(["compute-results", "--at", "2012-05-17T00:00"])

    assert capsys.readouterr().out == "no program's assessment window has opened without results\n"
