"""The tutor's desk rosters in one statement, whatever the number of classes or trainees: each
class's page of active enrollments (keyset, by id) with the trainee, the program's hour policy,
the submissions waiting and the posts of each trainee, and the class's total.

The same SQL runs on SQLite and PostgreSQL (window functions, correlated counts); rows become
the ORM's own model instances (`_init_from_db`, as tortoise loads them), so field conversions,
and whatever a field does when it is read, stay those of the models.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from .enrollment import Enrollment, HourPolicy
from .enums import EnrollmentStatus, SubmissionStatus
from .organisation import Person
from .sql import connection, for_backend


def _columns(model: type[Enrollment | Person | HourPolicy], alias: str) -> list[str]:
    return [f'{alias}."{column}" AS "{alias}_{column}"' for column in _fields(model)]


def _fields(model: type[Enrollment | Person | HourPolicy]) -> tuple[str, ...]:
    return tuple(sorted(model._meta.db_fields))


# Per class: `total` its active trainees; `position` the row's place among those after the
# cursor (the page is position 1..first, first + 1 tells that more follow); the class's last row
# always comes back, so that a class whose page is empty still brings its total.
_ROSTERS = """
SELECT * FROM (
  SELECT {columns},
    COUNT(*) OVER (PARTITION BY e.training_class_id) AS total,
    SUM(CASE WHEN e.id > ? THEN 1 ELSE 0 END)
      OVER (PARTITION BY e.training_class_id ORDER BY e.id) AS position,
    ROW_NUMBER() OVER (PARTITION BY e.training_class_id ORDER BY e.id DESC) AS from_last,
    (SELECT COUNT(*) FROM submission s WHERE s.enrollment_id = e.id AND s.status = ?) AS waiting,
    (SELECT COUNT(*) FROM discussion_post d WHERE d.enrollment_id = e.id) AS posts
  FROM enrollment e
  JOIN person p ON p.id = e.teacher_id
  JOIN hour_policy h ON h.program_id = e.program_id
  WHERE e.training_class_id IN ({classes}) AND e.status = ?
) r
WHERE (r.e_id > ? AND r.position <= ?) OR r.from_last = 1
ORDER BY r.e_training_class_id, r.e_id"""


@cache
def _select_list() -> str:
    # Built on first use: the models know their columns once tortoise is initialised.
    return ", ".join(_columns(Enrollment, "e") + _columns(Person, "p") + _columns(HourPolicy, "h"))


@dataclass(frozen=True)
class RosterRow:
    enrollment: Enrollment
    teacher: Person
    hour_policy: HourPolicy
    submissions_waiting: int
    posts: int


@dataclass(frozen=True)
class RosterPage:
    rows: list[RosterRow]
    has_next_page: bool
    total: int


async def roster_pages(class_ids: Sequence[int], first: int, after: int | None) -> list[RosterPage]:
    """The page `first` after `after` of each class's active trainees, in the order given."""
    if not class_ids:
        return []
    client = connection()
    sql = for_backend(
        _ROSTERS.format(columns=_select_list(), classes=", ".join("?" * len(class_ids))), client
    )
    beyond = after or 0
    found = await client.execute_query_dict(
        sql,
        [
            beyond,
            SubmissionStatus.SUBMITTED.value,
            *class_ids,
            EnrollmentStatus.ACTIVE.value,
            beyond,
            first + 1,
        ],
    )
    rows: dict[int, list[RosterRow]] = {class_id: [] for class_id in class_ids}
    totals: dict[int, int] = {}
    more: set[int] = set()
    for record in found:
        class_id = record["e_training_class_id"]
        totals[class_id] = int(record["total"])
        if record["e_id"] <= beyond or record["position"] > first + 1:
            continue  # the class's last row, there for the total only
        if record["position"] == first + 1:
            more.add(class_id)
            continue
        rows[class_id].append(
            RosterRow(
                enrollment=Enrollment._init_from_db(**_part(record, "e", _fields(Enrollment))),
                teacher=Person._init_from_db(**_part(record, "p", _fields(Person))),
                hour_policy=HourPolicy._init_from_db(**_part(record, "h", _fields(HourPolicy))),
                submissions_waiting=int(record["waiting"]),
                posts=int(record["posts"]),
            )
        )
    return [
        RosterPage(rows[class_id], class_id in more, totals.get(class_id, 0))
        for class_id in class_ids
    ]


def _part(record: dict[str, object], alias: str, columns: Sequence[str]) -> dict[str, object]:
    return {column: record[f"{alias}_{column}"] for column in columns}
