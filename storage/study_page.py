"""The study page's read model, in three statements whatever the size of the workshop (the same
SQL on SQLite and PostgreSQL): the viewer's school with their enrollment, its batch, program,
hour policy, workshop and leader, class and tutor in one joined row; then the workshop's tutor
team with its people; then its topics.

The rows the general types read whole (enrollment, batch, program, policy, workshop, class,
school) become the ORM's model instances, as tortoise loads them; people, team members and
topics, which grow with the workshop, become plain objects, and a person's sealed personal data
is opened only if a field reads it."""

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from .enrollment import Enrollment, HourPolicy
from .organisation import Person, PersonRow, School
from .programs import Batch, Program
from .sql import (
    connection,
    for_backend,
    outer_row_of,
    row_of,
    select_list,
)
from .workshops import TrainingClass, TutorTeamMember, Workshop

_TABLES = (
    ("s", School),
    ("e", Enrollment),
    ("b", Batch),
    ("pr", Program),
    ("h", HourPolicy),
    ("w", Workshop),
    ("c", TrainingClass),
)
_PEOPLE = (("l", Person), ("t", Person))

# One row even without an enrollment (the school alone); the newest program first, as the
# viewer's `enrollment` defaults to it.
_PAGE = """
SELECT {columns}
FROM (SELECT 1 AS one) one
LEFT JOIN school s ON s.id = ?
LEFT JOIN enrollment e ON e.id = (
    SELECT x.id FROM enrollment x JOIN batch y ON y.id = x.batch_id
    WHERE x.teacher_id = ? {program} ORDER BY y.starts_on DESC, x.program_id DESC LIMIT 1)
LEFT JOIN batch b ON b.id = e.batch_id
LEFT JOIN program pr ON pr.id = e.program_id
LEFT JOIN hour_policy h ON h.program_id = e.program_id
LEFT JOIN workshop w ON w.id = e.workshop_id
LEFT JOIN person l ON l.id = w.leader_id
LEFT JOIN training_class c ON c.id = e.training_class_id
LEFT JOIN person t ON t.id = c.tutor_id"""

_TEAM = """
SELECT m.added_at AS m_added_at, {people}
FROM tutor_team_member m JOIN person p ON p.id = m.person_id
WHERE m.workshop_id = ? ORDER BY m.id"""

_TOPICS = """
SELECT id, title, summary, position FROM topic WHERE workshop_id = ? ORDER BY position, id"""


_ADDED_AT = TutorTeamMember._meta.fields_map["added_at"]


@dataclass(frozen=True, slots=True)
class MemberRow:
    person: PersonRow
    stored_added_at: Any  # as the driver returns it (SQLite: text)

    @property
    def person_id(self) -> int:
        return self.person.id

    @property
    def added_at(self) -> dt.datetime:
        # Converted as tortoise converts it, only when read.
        added_at: dt.datetime = _ADDED_AT.to_python_value(self.stored_added_at)
        return added_at


@dataclass(frozen=True, slots=True)
class TopicRow:
    id: int
    title: str
    summary: str
    position: int


@dataclass(frozen=True, slots=True)
class EnrollmentPage:
    enrollment: Enrollment
    batch: Batch
    program: Program
    hour_policy: HourPolicy | None  # every program has one; read as the loaders would
    workshop: Workshop
    leader: PersonRow
    training_class: TrainingClass | None
    tutor: PersonRow | None


@dataclass(frozen=True, slots=True)
class ViewerPage:
    school: School | None
    enrollment: EnrollmentPage | None


# The statements are written once per process (the models' columns are known once
# tortoise is initialised).
@cache
def _page(by_program: bool) -> str:
    columns = select_list((*_TABLES, *_PEOPLE))
    return _PAGE.format(columns=columns, program="AND x.program_id = ?" if by_program else "")


@cache
def _team() -> str:
    return _TEAM.format(people=select_list((("p", Person),)))


async def viewer_page(teacher_id: int, school_id: int | None, program_id: int | None) -> ViewerPage:
    """The teacher's school and their enrollment in the program (default: the newest program
    they enrolled in), with what the study page shows of it, in one statement."""
    client = connection()
    values = [school_id, teacher_id] if program_id is None else [school_id, teacher_id, program_id]
    [record] = await client.execute_query_dict(
        for_backend(_page(program_id is not None), client), values
    )
    school = outer_row_of(School, record, "s")
    if record["e_id"] is None:
        return ViewerPage(school, None)
    training_class = outer_row_of(TrainingClass, record, "c")
    page = EnrollmentPage(
        enrollment=row_of(Enrollment, record, "e"),
        batch=row_of(Batch, record, "b"),
        program=row_of(Program, record, "pr"),
        hour_policy=outer_row_of(HourPolicy, record, "h"),
        workshop=row_of(Workshop, record, "w"),
        leader=PersonRow(record, "l"),
        training_class=training_class,
        tutor=None if training_class is None else PersonRow(record, "t"),
    )
    return ViewerPage(school, page)


async def tutor_team(workshop_id: int) -> list[MemberRow]:
    """The workshop's tutor team with its people, in one statement, by id."""
    client = connection()
    records = await client.execute_query_dict(for_backend(_team(), client), [workshop_id])
    return [MemberRow(PersonRow(r, "p"), r["m_added_at"]) for r in records]


async def topics(workshop_id: int) -> list[TopicRow]:
    """The workshop's topics in order, in one statement."""
    client = connection()
    records = await client.execute_query_dict(for_backend(_TOPICS, client), [workshop_id])
    return [TopicRow(r["id"], r["title"], r["summary"], r["position"]) for r in records]
