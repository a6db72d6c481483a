"""The evidence of R12 for a program's enrollments in one statement (the results of a whole
program, the forecasts of a tutor's roster): each kind of evidence grouped by enrollment, as
rows of one shape told apart by `what`, so that the statements do not grow with the kinds.
The same SQL on SQLite and PostgreSQL."""

from collections.abc import Mapping, Sequence
from typing import Any

from .enums import EnrollmentStatus, SubmissionStatus
from .sql import connection, for_backend

# what: e (the enrollment: k1 track, k2 the teacher's post, k3 title rank, n1 online seconds,
# n2 offline minutes, n3 the enrollment it makes up, n4 the teacher), c (course seconds),
# g (a graded submission: k1 kind, k2 level), p (posts), w (a writing: k1 kind, n1 characters),
# x (an exam: k1 kind, n1 score), t (township hours).
_EVIDENCE = """
WITH ids AS (SELECT id FROM enrollment WHERE program_id = ? AND {which})
SELECT 'e' AS what, e.id AS enrollment_id, e.track AS k1, p.post AS k2, p.title_rank AS k3,
  e.online_seconds AS n1, e.offline_minutes AS n2, e.make_up_of_id AS n3, e.teacher_id AS n4
FROM enrollment e JOIN person p ON p.id = e.teacher_id WHERE e.id IN (SELECT id FROM ids)
UNION ALL
SELECT 'c', enrollment_id, {text}, {text}, {text}, SUM(seconds), NULL, NULL, NULL
FROM course_progress WHERE enrollment_id IN (SELECT id FROM ids) GROUP BY enrollment_id
UNION ALL
SELECT 'g', s.enrollment_id, a.kind, s.level, {text}, NULL, NULL, NULL, NULL
FROM submission s JOIN assignment a ON a.id = s.assignment_id
WHERE s.enrollment_id IN (SELECT id FROM ids) AND s.status = ? AND s.level IS NOT NULL
UNION ALL
SELECT 'p', enrollment_id, {text}, {text}, {text}, COUNT(*), NULL, NULL, NULL
FROM discussion_post WHERE enrollment_id IN (SELECT id FROM ids) GROUP BY enrollment_id
UNION ALL
SELECT 'w', enrollment_id, kind, {text}, {text}, characters, NULL, NULL, NULL
FROM study_writing WHERE enrollment_id IN (SELECT id FROM ids)
UNION ALL
SELECT 'x', enrollment_id, kind, {text}, {text}, score, NULL, NULL, NULL
FROM exam_result WHERE enrollment_id IN (SELECT id FROM ids)
UNION ALL
SELECT 't', enrollment_id, {text}, {text}, {text}, SUM(hours), NULL, NULL, NULL
FROM township_session WHERE enrollment_id IN (SELECT id FROM ids) GROUP BY enrollment_id"""


async def evidence_rows(
    program_id: int, enrollment_ids: Sequence[int] | None
) -> list[dict[str, Any]]:
    """The program's active enrollments' evidence, or that of `enrollment_ids` as they stand."""
    chosen: list[Any]
    if enrollment_ids is None:
        which, chosen = "status = ?", [EnrollmentStatus.ACTIVE.value]
    else:
        which = f"id IN ({', '.join('?' * len(enrollment_ids))})" if enrollment_ids else "1 = 0"
        chosen = list(enrollment_ids)
    # A typed NULL: PostgreSQL types each column of a UNION from its first rows.
    sql = _EVIDENCE.format(which=which, text="CAST(NULL AS TEXT)")
    client = connection()
    return await client.execute_query_dict(
        for_backend(sql, client), [program_id, *chosen, SubmissionStatus.GRADED.value]
    )


# The same evidence as columns of one enrollment `e` (a read model's rows, the tutor's roster):
# the sums, and each kind's pieces as `kind:value` lists (`EVIDENCE_LISTS`).
EVIDENCE_COLUMNS = """,
    (SELECT SUM(seconds) FROM course_progress WHERE enrollment_id = e.id) AS ev_course,
    (SELECT {concat}(a.kind || ':' || s.level, ',') FROM submission s
      JOIN assignment a ON a.id = s.assignment_id
      WHERE s.enrollment_id = e.id AND s.status = ? AND s.level IS NOT NULL) AS ev_grades,
    (SELECT {concat}(kind || ':' || CAST(characters AS TEXT), ',') FROM study_writing
      WHERE enrollment_id = e.id) AS ev_writings,
    (SELECT {concat}(kind || ':' || COALESCE(CAST(score AS TEXT), ''), ',') FROM exam_result
      WHERE enrollment_id = e.id) AS ev_exams,
    (SELECT SUM(hours) FROM township_session WHERE enrollment_id = e.id) AS ev_township"""
EVIDENCE_VALUES = (SubmissionStatus.GRADED.value,)


def evidence_columns(postgres: bool) -> str:
    # The one difference between the backends: the name of the string aggregate.
    return EVIDENCE_COLUMNS.format(concat="string_agg" if postgres else "group_concat")


def rows_of_columns(record: Mapping[str, Any], facts: dict[str, Any]) -> list[dict[str, Any]]:
    """One enrollment's evidence as `evidence_rows` gives it, from `EVIDENCE_COLUMNS` and the
    enrollment's facts (the `e` row's columns)."""
    enrollment_id = facts["enrollment_id"]
    rows = [{"what": "e", **facts}]
    for what, column in (("c", "ev_course"), ("p", "posts"), ("t", "ev_township")):
        if record[column]:
            rows.append({"what": what, "enrollment_id": enrollment_id, "n1": record[column]})
    for kind, level in _pieces(record["ev_grades"]):
        rows.append({"what": "g", "enrollment_id": enrollment_id, "k1": kind, "k2": level})
    for what, column in (("w", "ev_writings"), ("x", "ev_exams")):
        for kind, value in _pieces(record[column]):
            n1 = int(value) if value else None
            rows.append({"what": what, "enrollment_id": enrollment_id, "k1": kind, "n1": n1})
    return rows


def _pieces(listed: str | None) -> list[tuple[str, str]]:
    if not listed:
        return []
    return [(kind, value) for kind, _, value in (p.partition(":") for p in listed.split(","))]
