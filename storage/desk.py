"""The tutor's desk rosters in one statement, whatever the number of classes or trainees: each
class's page of active enrollments (keyset, by id) with the trainee, the program's hour policy,
the submissions waiting and the posts of each trainee, and the class's total.

The same SQL runs on SQLite and PostgreSQL (window functions, correlated counts); rows become
the ORM's own model instances (`_init_from_db`, as tortoise loads them), so field conversions,
and whatever a field does when it is read, stay those of the models.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from .enrollment import Enrollment, HourPolicy
from .enums import EnrollmentStatus, SubmissionStatus
from .organisation import Person
from .sql import connection, for_backend, row_of, select_list

_TABLES = (("e", Enrollment), ("p", Person), ("h", HourPolicy))


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
        _ROSTERS.format(columns=select_list(_TABLES), classes=", ".join("?" * len(class_ids))),
        client,
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
                enrollment=row_of(Enrollment, record, "e"),
                teacher=row_of(Person, record, "p"),
                hour_policy=row_of(HourPolicy, record, "h"),
                submissions_waiting=int(record["waiting"]),
                posts=int(record["posts"]),
            )
        )
    return [
        RosterPage(rows[class_id], class_id in more, totals.get(class_id, 0))
        for class_id in class_ids
    ]
