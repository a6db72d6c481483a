"""Results of a whole program (R12): the SQL-batched computation for 10,000 and 100,000
enrollments, its statements (which must not grow with the enrollments), beside a hand-written
single INSERT … SELECT that scores study time alone. Run with `make bench-results` (PostgreSQL
when LMS_TEST_POSTGRES_URL is set, and SQLite); it prints a table and asserts only that every
enrollment got its result and that both sizes issued the same statements.

Knobs: LMS_BENCH_RESULT_SIZES ("10000,100000").
"""

import datetime as dt
import os
import time

from tortoise import connections

from lms_plugin.resolvers.assessment.results import write_results
from lms_plugin.resolvers.core.programs import read_policy
from lms_plugin.storage.enums import ExamKind, Stage, Track
from lms_plugin.storage.models import (
    AssessmentPolicy,
    AssessmentResult,
    Batch,
    Enrollment,
    ExamResult,
    HourPolicy,
    Person,
    Program,
)
from lms_plugin.storage.policies import create_policies
from tests.conftest import local
from tests.factories import (
    Org,
    batch_number,
    make_org,
    make_person,
    make_workshop,
    reference_program,
)
from tests.sql_counter import count_sql

SIZES = [int(n) for n in os.environ.get("LMS_BENCH_RESULT_SIZES", "10000,100000").split(",")]
NOW = local(2012, 10, 2, 10, 0)
BATCH = 5000


async def _program(name: str) -> Program:
    program = await Program.create(
        name=name,
        year="2012学年",
        registration_starts_on=dt.date(2012, 4, 20),
        registration_ends_on=dt.date(2012, 4, 25),
    )
    await create_policies(program.id)
    return program


async def _seed(size: int, label: str, org: Org, batch: Batch) -> Program:
    """`size` trainees: two in three complete, every fifth with a formal exam."""
    program = await _program(label)
    leader = await make_person(f"{label}-leader", school=org.school)
    workshop = await make_workshop(program, leader)
    names = [f"{label}{n:06d}" for n in range(size)]
    for start in range(0, size, BATCH):
        await Person.bulk_create(
            [
                Person(
                    username=name,
                    real_name=name,
                    school_id=org.school.id,
                    stage=Stage.HIGH,
                    subject="数学",
                    track=Track.NETWORK,
                )
                for name in names[start : start + BATCH]
            ],
            batch_size=1000,
        )
    people = (
        await Person.filter(username__startswith=label).order_by("id").values_list("id", flat=True)
    )
    for start in range(0, size, BATCH):
        await Enrollment.bulk_create(
            [
                Enrollment(
                    program_id=program.id,
                    teacher_id=pid,
                    batch_id=batch.id,
                    workshop_id=workshop.id,
                    track=Track.NETWORK,
                    registered_by_id=pid,
                    registered_at=NOW,
                    online_seconds=6 * 3600 if n % 3 else 3600,
                    offline_minutes=16 * 60 if n % 3 else 60,
                )
                for n, pid in enumerate(people[start : start + BATCH], start=start)
            ],
            batch_size=1000,
        )
    enrollments = await Enrollment.filter(program_id=program.id).values_list("id", flat=True)
    await ExamResult.bulk_create(
        [
            ExamResult(
                enrollment_id=eid,
                kind=ExamKind.FORMAL,
                score=70,
                recorded_by_id=leader.id,
                recorded_at=NOW,
            )
            for eid in enrollments[::5]
        ],
        batch_size=1000,
    )
    await AssessmentPolicy.filter(program_id=program.id).update(
        target_hours=22,
        new_teacher_target_hours=22,
        study_weight=100,
        homework_weight=0,
        discussion_weight=0,
        outcome_weight=0,
    )
    return program


async def _ours(program: Program, actor: int) -> tuple[float, int]:
    policy = await read_policy(AssessmentPolicy, program.id)
    hours = await read_policy(HourPolicy, program.id)
    with count_sql() as counter:
        started = time.perf_counter()
        await write_results(program, policy, hours, actor, NOW)
        seconds = time.perf_counter() - started
    return seconds, counter.count


async def _raw(program: Program, actor: int) -> float:
    """The same table written by one statement that scores study time only (no exams, no
    explanation beyond the score): the floor the batched path is compared with."""
    connection = connections.get("default")
    postgres = connection.capabilities.dialect == "postgres"
    p = (lambda n: f"${n}") if postgres else (lambda n: "?")
    now = AssessmentResult._meta.fields_map["computed_at"].to_db_value(NOW, AssessmentResult)
    sql = (
        "INSERT INTO assessment_result (program_id, teacher_id, enrollment_id, outcome, score,"
        " explanation, components, make_up, computed_at, computed_by_id)"
        f" SELECT program_id, teacher_id, id,"
        " CASE WHEN MIN(online_seconds, 21600) / 60 + MIN(offline_minutes, 960) >= 1320"
        " THEN 'passed' ELSE 'failed' END,"
        " (MIN(online_seconds, 21600) / 60 + MIN(offline_minutes, 960)) * 100 / 1320, '', '[]',"
        f" {'FALSE' if postgres else '0'}, {p(1)}, {p(2)} FROM enrollment WHERE program_id = {p(3)}"
        " AND true ON CONFLICT (program_id, teacher_id) DO UPDATE SET outcome = excluded.outcome,"
        " score = excluded.score, computed_at = excluded.computed_at"
    )
    if postgres:
        sql = sql.replace("MIN(", "LEAST(")
    started = time.perf_counter()
    await connection.execute_query(sql, [now, actor, program.id])
    return time.perf_counter() - started


async def test_results_are_batched_whatever_the_number_of_enrollments(
    backend: str, db: str
) -> None:
    actor = await make_person("bench-admin")
    org = await make_org()
    batch = await batch_number(await reference_program(), 1)
    rows = []
    for size in SIZES:
        program = await _seed(size, f"b{size}-", org, batch)
        first, first_statements = await _ours(program, actor.id)
        again, again_statements = await _ours(program, actor.id)
        raw = await _raw(program, actor.id)
        assert await AssessmentResult.filter(program_id=program.id).count() == size
        rows.append((size, first, first_statements, again, again_statements, raw))
    print(f"\nresults on {backend}:")
    heads = ("enrollments", "first s", "stmts", "again s", "stmts", "raw s", "ratio")
    print(" ".join(f"{h:>12}" for h in heads))
    for size, first, first_statements, again, again_statements, raw in rows:
        cells = (size, f"{first:.2f}", first_statements, f"{again:.2f}", again_statements)
        print(" ".join(f"{c:>12}" for c in (*cells, f"{raw:.2f}", f"{first / raw:.1f}")))
    # The statements of a computation do not grow with the enrollments.
    assert len({r[2] for r in rows}) == 1, rows
    assert len({r[4] for r in rows}) == 1, rows
