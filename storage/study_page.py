"""The study page's read model: a trainee's enrollment with its batch, program, hour policy,
workshop and leader, class and tutor, in one joined statement (the same SQL on SQLite and
PostgreSQL); rows become the ORM's own model instances, as tortoise loads them."""

from dataclasses import dataclass

from .enrollment import Enrollment, HourPolicy
from .organisation import Person
from .programs import Batch, Program
from .sql import connection, for_backend, outer_row_of, row_of, select_list
from .workshops import TrainingClass, Workshop

_TABLES = (
    ("e", Enrollment),
    ("b", Batch),
    ("pr", Program),
    ("h", HourPolicy),
    ("w", Workshop),
    ("l", Person),
    ("c", TrainingClass),
    ("t", Person),
)

_READ = """
SELECT {columns}
FROM enrollment e
JOIN batch b ON b.id = e.batch_id
JOIN program pr ON pr.id = e.program_id
LEFT JOIN hour_policy h ON h.program_id = e.program_id
JOIN workshop w ON w.id = e.workshop_id
JOIN person l ON l.id = w.leader_id
LEFT JOIN training_class c ON c.id = e.training_class_id
LEFT JOIN person t ON t.id = c.tutor_id
WHERE e.teacher_id = ? {program} ORDER BY b.starts_on DESC, e.program_id DESC LIMIT 1"""


@dataclass(frozen=True)
class EnrollmentPage:
    enrollment: Enrollment
    batch: Batch
    program: Program
    hour_policy: HourPolicy | None  # every program has one; read as the loaders would
    workshop: Workshop
    leader: Person
    training_class: TrainingClass | None
    tutor: Person | None


async def enrollment_page(teacher_id: int, program_id: int | None) -> EnrollmentPage | None:
    """The teacher's enrollment in the program (default: the newest program they enrolled
    in), with what the study page shows of it."""
    client = connection()
    sql = _READ.format(
        columns=select_list(_TABLES), program="" if program_id is None else "AND e.program_id = ?"
    )
    values = [teacher_id] if program_id is None else [teacher_id, program_id]
    found = await client.execute_query_dict(for_backend(sql, client), values)
    if not found:
        return None
    record = found[0]
    return EnrollmentPage(
        enrollment=row_of(Enrollment, record, "e"),
        batch=row_of(Batch, record, "b"),
        program=row_of(Program, record, "pr"),
        hour_policy=outer_row_of(HourPolicy, record, "h"),
        workshop=row_of(Workshop, record, "w"),
        leader=row_of(Person, record, "l"),
        training_class=outer_row_of(TrainingClass, record, "c"),
        tutor=outer_row_of(Person, record, "t"),
    )
