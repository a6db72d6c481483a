"""The tutor's desk read models, each one statement whatever the number of classes, trainees or
submissions: every class's roster page with its trainees, their schools, the program's hour
and assessment policies, the submissions waiting and the posts of each trainee, and the
class's total; and the grading queue's page with each submission's assignment, enrollment,
trainee and class, and the queue's total.

The same SQL runs on SQLite and PostgreSQL (window functions, correlated counts). The roster's
enrollments and the people, one per trainee, become plain rows (`EnrollmentRow`, `PersonRow`:
converted column by column as tortoise converts its own rows, `sql.plain_values_of`, without
the cost of building a model instance); the other rows become the ORM's own model instances
(`_init_from_db`, as tortoise loads them). People come with their sealed values unopened:
nothing is opened that the desk does not show.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from tortoise.fields import DatetimeField
from tortoise.models import Model

from .assessment import AssessmentPolicy
from .enrollment import Enrollment, HourPolicy
from .enums import EnrollmentStatus, SubmissionStatus, Track
from .evidence import EVIDENCE_VALUES, evidence_columns, rows_of_columns
from .homework import Assignment, Submission
from .organisation import Person, PersonRow, School
from .sql import (
    connection,
    for_backend,
    is_postgres,
    outer_row_of,
    plain_values_of,
    row_of,
    select_list,
)
from .workshops import TrainingClass

M = TypeVar("M", bound=Model)


@dataclass(frozen=True, slots=True)
class EnrollmentRow:
    """An enrollment as the roster reads it: every field of the model, with the model's
    values; the schema's enrollment types read it as they read the model."""

    id: int
    program_id: int
    teacher_id: int
    batch_id: int
    workshop_id: int
    topic_id: int | None
    training_class_id: int | None
    track: Track
    status: EnrollmentStatus
    registered_by_id: int
    registered_at: dt.datetime
    online_seconds: int
    offline_minutes: int
    last_activity_at: dt.datetime | None
    active_session_id: int | None
    make_up_of_id: int | None


_ROSTER_TABLES = (("e", Enrollment), ("h", HourPolicy), ("s", School))
# With the evidence, the program's assessment policy too (what the forecasts are judged by).
_POLICY = (("ap", AssessmentPolicy),)

# Per class: `total` its active trainees; `position` the row's place among those after the
# cursor (the page is position 1..first, first + 1 tells that more follow); the class's last row
# always comes back, so that a class whose page is empty still brings its total.
_ROSTERS = """
SELECT * FROM (
  SELECT {columns}, {person},
    COUNT(*) OVER (PARTITION BY e.training_class_id) AS total,
    SUM(CASE WHEN e.id > ? THEN 1 ELSE 0 END)
      OVER (PARTITION BY e.training_class_id ORDER BY e.id) AS position,
    ROW_NUMBER() OVER (PARTITION BY e.training_class_id ORDER BY e.id DESC) AS from_last,
    (SELECT COUNT(*) FROM submission q WHERE q.enrollment_id = e.id AND q.status = ?) AS waiting,
    (SELECT COUNT(*) FROM discussion_post d WHERE d.enrollment_id = e.id) AS posts{evidence}
  FROM enrollment e
  JOIN person p ON p.id = e.teacher_id
  JOIN hour_policy h ON h.program_id = e.program_id
{policy_join}
  LEFT JOIN school s ON s.id = p.school_id
  WHERE e.training_class_id IN ({classes}) AND e.status = ?
) r
WHERE (r.e_id > ? AND r.position <= ?) OR r.from_last = 1
ORDER BY r.e_training_class_id, r.e_id"""


@dataclass(frozen=True, slots=True)
class RosterRow:
    enrollment: EnrollmentRow
    teacher: PersonRow
    school: School | None
    hour_policy: HourPolicy
    submissions_waiting: int
    posts: int
    # The forecasts' policy and evidence (storage/evidence.py's rows), when asked for.
    assessment_policy: AssessmentPolicy | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class RosterPage:
    rows: list[RosterRow]
    has_next_page: bool
    total: int


async def roster_pages(
    class_ids: Sequence[int], first: int, after: int | None, *, evidence: bool = False
) -> list[RosterPage]:
    """The page `first` after `after` of each class's active trainees, in the order given;
    with `evidence`, each trainee's evidence of R12 too (for their forecasts)."""
    if not class_ids:
        return []
    client = connection()
    sql = for_backend(
        _ROSTERS.format(
            columns=select_list(_ROSTER_TABLES + (_POLICY if evidence else ())),
            person=select_list((("p", Person),)),
            evidence=evidence_columns(is_postgres(client)) if evidence else "",
            policy_join="  JOIN assessment_policy ap ON ap.program_id = e.program_id"
            if evidence
            else "",
            classes=", ".join("?" * len(class_ids)),
        ),
        client,
    )
    beyond = after or 0
    found = await client.execute_query_dict(
        sql,
        [
            beyond,
            SubmissionStatus.SUBMITTED.value,
            *(EVIDENCE_VALUES if evidence else ()),
            *class_ids,
            EnrollmentStatus.ACTIVE.value,
            beyond,
            first + 1,
        ],
    )
    rows: dict[int, list[RosterRow]] = {class_id: [] for class_id in class_ids}
    totals: dict[int, int] = {}
    more: set[int] = set()
    shared: dict[tuple[str, object], Any] = {}
    for record in found:
        class_id = record["e_training_class_id"]
        totals[class_id] = int(record["total"])
        if record["e_id"] <= beyond or record["position"] > first + 1:
            continue  # the class's last row, there for the total only
        if record["position"] == first + 1:
            more.add(class_id)
            continue
        _parse_times(record, _ROSTER_TABLES)
        program_id = record["e_program_id"]
        hour_policy = _shared(shared, HourPolicy, record, "h", program_id)
        assert hour_policy is not None  # an inner join
        rows[class_id].append(
            RosterRow(
                enrollment=EnrollmentRow(**plain_values_of(Enrollment, record, "e")),
                teacher=PersonRow(record, "p"),
                school=_shared(shared, School, record, "s", record["s_id"]),
                hour_policy=hour_policy,
                submissions_waiting=int(record["waiting"]),
                posts=int(record["posts"]),
                assessment_policy=_shared(shared, AssessmentPolicy, record, "ap", program_id)
                if evidence
                else None,
                evidence=rows_of_columns(record, _facts(record)) if evidence else [],
            )
        )
    return [
        RosterPage(rows[class_id], class_id in more, totals.get(class_id, 0))
        for class_id in class_ids
    ]


@cache
def _datetime_columns(model: type[Model]) -> tuple[str, ...]:
    return tuple(
        field.source_field or name
        for name, field in model._meta.fields_map.items()
        if isinstance(field, DatetimeField)
    )


def _parse_times(record: dict[str, Any], tables: Sequence[tuple[str, type[Model]]]) -> None:
    """SQLite gives datetimes as ISO text, which tortoise parses in Python (about 20 µs each,
    most of a roster row's cost); the C parser gives the same value when it carries its offset
    (as tortoise writes them), and tortoise then only moves it to its time zone."""
    for alias, model in tables:
        for column in _datetime_columns(model):
            key = f"{alias}_{column}"
            if isinstance(value := record[key], str):
                parsed = dt.datetime.fromisoformat(value)
                if parsed.tzinfo is not None:
                    record[key] = parsed


def _shared(
    shared: dict[tuple[str, object], Any],
    model: type[M],
    record: Mapping[str, Any],
    alias: str,
    key: object,
) -> M | None:
    """A row that repeats on every trainee's (their program's, their school's), built once;
    an outer join's missing row is None."""
    if (alias, key) not in shared:
        shared[alias, key] = outer_row_of(model, record, alias)
    found: M | None = shared[alias, key]
    return found


def _facts(record: Mapping[str, Any]) -> dict[str, Any]:
    """The enrollment's facts as storage/evidence.py's `e` row holds them."""
    return {
        "enrollment_id": record["e_id"],
        "k1": record["e_track"],
        "k2": record["p_post"],
        "k3": record["p_title_rank"],
        "n1": record["e_online_seconds"],
        "n2": record["e_offline_minutes"],
        "n3": record["e_make_up_of_id"],
        "n4": record["e_teacher_id"],
    }


_QUEUE_TABLES = (("q", Submission), ("a", Assignment), ("e", Enrollment), ("c", TrainingClass))

# The queue's total comes with the page (one row with no page when the page is empty). After a
# cursor: the rows that sort after the cursor row (by submitted_at, then id), or, when that row
# has left the queue, those after its id (as resolvers/core/pagination.py pages).
_QUEUE = """
WITH queue AS (
  SELECT * FROM submission
  WHERE status = ? AND training_class_id IN (SELECT id FROM training_class WHERE tutor_id = ?)
){cursor}
SELECT t.total, page.* FROM (SELECT COUNT(*) AS total FROM queue) t
LEFT JOIN (
  SELECT {columns}, {person}
  FROM queue q{after_join}
  JOIN assignment a ON a.id = q.assignment_id
  JOIN enrollment e ON e.id = q.enrollment_id
  JOIN person p ON p.id = e.teacher_id
  LEFT JOIN training_class c ON c.id = q.training_class_id{after}
  ORDER BY q.submitted_at, q.id
  LIMIT ?
) page ON 1 = 1
ORDER BY page.q_submitted_at, page.q_id"""
_CURSOR = ", cursor_row AS (SELECT submitted_at AS at FROM queue WHERE id = ?)"
_AFTER_JOIN = " LEFT JOIN cursor_row ON 1 = 1"
_AFTER = """
  WHERE (cursor_row.at IS NULL AND q.id > ?) OR q.submitted_at > cursor_row.at
    OR (q.submitted_at = cursor_row.at AND q.id > ?)"""


@dataclass(frozen=True)
class QueueRow:
    submission: Submission
    assignment: Assignment
    enrollment: Enrollment
    trainee: PersonRow
    training_class: TrainingClass | None


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    has_next_page: bool
    total: int


async def grading_queue(tutor_id: int, first: int, after: int | None) -> QueuePage:
    """The submissions waiting in the tutor's classes, oldest first: `first` after `after`."""
    client = connection()
    paged = after is not None
    sql = _QUEUE.format(
        cursor=_CURSOR if paged else "",
        columns=select_list(_QUEUE_TABLES),
        person=select_list((("p", Person),)),
        after_join=_AFTER_JOIN if paged else "",
        after=_AFTER if paged else "",
    )
    values: list[object] = [SubmissionStatus.SUBMITTED.value, tutor_id]
    if after is not None:
        values += [after, after, after]
    found = await client.execute_query_dict(for_backend(sql, client), [*values, first + 1])
    for record in found:
        _parse_times(record, _QUEUE_TABLES)
    rows = [
        QueueRow(
            submission=row_of(Submission, record, "q"),
            assignment=row_of(Assignment, record, "a"),
            enrollment=row_of(Enrollment, record, "e"),
            trainee=PersonRow(record, "p"),
            training_class=outer_row_of(TrainingClass, record, "c"),
        )
        for record in found
        if record["q_id"] is not None
    ]
    return QueuePage(rows[:first], len(rows) > first, int(found[0]["total"]))
