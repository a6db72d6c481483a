"""Results of a whole program (R12) and their certificates (R13), in SQL-batched work.

The inputs of every enrollment are read in a fixed number of statements (one per kind of
evidence, grouped by enrollment), the pure rules decide each result in Python, and the writes
are one statement per table whatever the number of rows: the rows travel as one JSON parameter
that the database unpacks (`json_to_recordset` on PostgreSQL, `json_each` on SQLite) into an
INSERT … ON CONFLICT. So the statements issued do not grow with the enrollments
(tests/benchmarks/bench_results.py). Raw SQL: the audit log sees the mutation, not the rows.
"""

import datetime as dt
import hashlib
import json
import secrets
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from lms_plugin.resolvers.core.audit import record_change
from lms_plugin.resolvers.core.courses import Targets, yearly_target_hours
from lms_plugin.resolvers.core.hours import HourProgress
from lms_plugin.resolvers.core.programs import program_hour_split, read_policy
from lms_plugin.storage.enums import (
    AssignmentKind,
    CertificateGrade,
    ExamKind,
    GradeLevel,
    Outcome,
    Post,
    TitleRank,
    Track,
    WritingKind,
)
from lms_plugin.storage.evidence import evidence_rows
from lms_plugin.storage.models import (
    AssessmentPolicy,
    AssessmentResult,
    Certificate,
    HourPolicy,
    Program,
    TutorTeamMember,
)

from .rules import (
    Assessment,
    Evidence,
    ExamMethod,
    Weights,
    final_assessment,
    process_assessment,
    tutor_service_credit,
    tutor_service_explanation,
)

E = TypeVar("E", Post, TitleRank)


def _or_none(kind: type[E], value: str | None) -> E | None:
    return None if value is None else kind(value)


def weights_of(policy: AssessmentPolicy, track: Track) -> Weights:
    """The weights and minimums of R12, from the program's assessment policy; township
    sessions are assessed on the transitional track only (seed 002 §四(四)②)."""
    transitional = track is Track.TRANSITIONAL
    return Weights(
        study=policy.study_weight,
        homework=policy.homework_weight,
        discussion=policy.discussion_weight,
        outcome=policy.outcome_weight,
        notes=policy.notes_weight,
        reflection=policy.reflection_weight,
        homework_min_count=policy.homework_min_count,
        discussion_min_posts=policy.discussion_min_posts,
        outcome_min_count=policy.outcome_min_count,
        notes_min_characters=policy.notes_min_characters,
        reflection_min_characters=policy.reflection_min_characters,
        pass_mark=policy.pass_mark,
        township=policy.township_weight if transitional else 0,
        township_min_hours=policy.township_min_hours if transitional else 0,
    )


def targets_of(policy: AssessmentPolicy) -> Targets:
    return Targets(
        policy.target_hours, policy.new_teacher_target_hours, policy.junior_title_target_hours
    )


@dataclass(frozen=True)
class EnrollmentFacts:
    """One enrollment's row, as the batch reads it."""

    id: int
    teacher_id: int
    track: Track
    online_seconds: int
    offline_minutes: int
    make_up: bool
    target_hours: int


@dataclass
class ProgramEvidence:
    """Everything the results of a program are computed from, read in a fixed number of
    statements (each grouped by enrollment)."""

    enrollments: list[EnrollmentFacts]
    course_seconds: dict[int, int]
    grades: dict[int, dict[AssignmentKind, list[GradeLevel]]]
    posts: dict[int, int]
    writings: dict[int, dict[WritingKind, int]]
    exams: dict[int, dict[ExamKind, int | None]]
    township_hours: dict[int, int]
    # The program's tutor-team members, each with whether they hold a distinction (特级教师 /
    # 省级学科带头人) that earns their service its credit (seed 002 §二(二)).
    tutors: dict[int, bool]

    @classmethod
    async def read(
        cls, program_id: int, policy: AssessmentPolicy, enrollment_ids: list[int] | None = None
    ) -> "ProgramEvidence":
        """The program's active enrollments, or those of `enrollment_ids` as they stand: one
        statement for the evidence of every kind (`storage/evidence.py`)."""
        evidence = cls.of_rows(policy, await evidence_rows(program_id, enrollment_ids))
        if enrollment_ids is None:
            evidence.tutors = {
                person_id: distinction is not None
                for person_id, distinction in await TutorTeamMember.filter(
                    program_id=program_id
                ).values_list("person_id", "person__distinction")
            }
        return evidence

    @classmethod
    def of_rows(cls, policy: AssessmentPolicy, rows: list[dict[str, Any]]) -> "ProgramEvidence":
        """The evidence in `storage/evidence.py`'s rows, read by it or by a read model (the
        tutor's roster); no tutors."""
        targets = targets_of(policy)
        enrollments: list[EnrollmentFacts] = []
        course_seconds: dict[int, int] = {}
        grades: dict[int, dict[AssignmentKind, list[GradeLevel]]] = defaultdict(
            lambda: defaultdict(list)
        )
        posts: dict[int, int] = {}
        writings: dict[int, dict[WritingKind, int]] = defaultdict(dict)
        exams: dict[int, dict[ExamKind, int | None]] = defaultdict(dict)
        township_hours: dict[int, int] = {}
        for row in rows:
            what, enrollment_id = row["what"], row["enrollment_id"]
            if what == "e":
                enrollments.append(
                    EnrollmentFacts(
                        id=enrollment_id,
                        teacher_id=row["n4"],
                        track=Track(row["k1"]),
                        online_seconds=row["n1"],
                        offline_minutes=row["n2"],
                        make_up=row["n3"] is not None,
                        target_hours=yearly_target_hours(
                            targets, _or_none(Post, row["k2"]), _or_none(TitleRank, row["k3"])
                        ),
                    )
                )
            elif what == "c":
                course_seconds[enrollment_id] = int(row["n1"])
            elif what == "g":
                # Homework and research outcomes are both graded submissions, told apart by kind.
                grades[enrollment_id][AssignmentKind(row["k1"])].append(GradeLevel(row["k2"]))
            elif what == "p":
                posts[enrollment_id] = int(row["n1"])
            elif what == "w":
                writings[enrollment_id][WritingKind(row["k1"])] = row["n1"]
            elif what == "x":
                exams[enrollment_id][ExamKind(row["k1"])] = row["n1"]
            else:
                township_hours[enrollment_id] = int(row["n1"])
        enrollments.sort(key=lambda facts: facts.id)
        return cls(
            enrollments,
            course_seconds,
            grades,
            posts,
            writings,
            exams,
            township_hours,
            {},
        )

    def evidence(self, facts: EnrollmentFacts, hour_policy: HourPolicy) -> Evidence:
        """Study time is the year's counted minutes (the workshop's parts each up to their
        quota, R8, and the courses, each up to its hours) against the yearly target."""
        workshop = HourProgress(
            program_hour_split(hour_policy, facts.track),
            facts.online_seconds,
            facts.offline_minutes,
        )
        online = workshop.online_counted_seconds + self.course_seconds.get(facts.id, 0)
        writings = self.writings.get(facts.id, {})
        grades = self.grades.get(facts.id, {})
        return Evidence(
            study_minutes=online // 60 + workshop.offline_counted_minutes,
            required_minutes=facts.target_hours * 60,
            homework_grades=tuple(grades.get(AssignmentKind.HOMEWORK, ())),
            posts=self.posts.get(facts.id, 0),
            outcome_grades=tuple(grades.get(AssignmentKind.OUTCOME, ())),
            notes_characters=writings.get(WritingKind.NOTES, 0),
            reflection_characters=writings.get(WritingKind.REFLECTION, 0),
            township_hours=self.township_hours.get(facts.id, 0),
        )


def exam_method(policy: AssessmentPolicy, track: Track) -> ExamMethod:
    return ExamMethod(
        exempt_when_complete=policy.exam_exempt_when_complete,
        pass_mark=policy.exam_pass_mark,
        transitional=track is Track.TRANSITIONAL,
        process_weight=policy.transitional_process_weight,
        combined_pass_mark=policy.transitional_pass_mark,
    )


def process_part(
    evidence: ProgramEvidence,
    facts: EnrollmentFacts,
    policy: AssessmentPolicy,
    hour_policy: HourPolicy,
) -> Assessment:
    return process_assessment(
        evidence.evidence(facts, hour_policy), weights_of(policy, facts.track)
    )


def assess(
    evidence: ProgramEvidence,
    facts: EnrollmentFacts,
    policy: AssessmentPolicy,
    hour_policy: HourPolicy,
) -> Assessment:
    """An enrollment's result: the process part, then the exam (R12)."""
    process = process_part(evidence, facts, policy, hour_policy)
    return final_assessment(
        process, evidence.exams.get(facts.id, {}), exam_method(policy, facts.track)
    )


def certificate_hours(
    outcome: Outcome, target_hours: int, policy: AssessmentPolicy, *, distinguished: bool = False
) -> int:
    """R13: a pass earns the year's hours, a distinguished tutor's service the policy's credit
    (seed 002 §二(二)); a failure or an absence is recorded with none."""
    if outcome is Outcome.PASSED:
        return target_hours
    if outcome is Outcome.EXEMPT:
        return tutor_service_credit(
            distinguished,
            hours=policy.tutor_service_hours,
            credit_for_all=policy.tutor_service_credit_for_all,
        )
    return 0


def credits_of(hours: int, hours_per_credit: int) -> Decimal:
    """R13: credits = hours / hours per credit (20), to the hundredth."""
    return (Decimal(hours) / Decimal(hours_per_credit)).quantize(Decimal("0.01"))


def new_code() -> str:
    """128 random bits, URL-safe (22 characters): not guessable, not enumerable."""
    return secrets.token_urlsafe(16)


def code_digest(code: str) -> str:
    """A stranger's lookup goes by the code's SHA-256, so no comparison leaks the code."""
    return hashlib.sha256(code.encode()).hexdigest()


# --- the batched writes ------------------------------------------------------------------------

_RESULT_COLUMNS = {
    "teacher_id": "int",
    "enrollment_id": "int",
    "outcome": "text",
    "score": "int",
    "explanation": "text",
    "components": "jsonb",
    "make_up": "boolean",
}
_CERTIFICATE_COLUMNS = {
    "teacher_id": "int",
    "hours": "int",
    "credits": "numeric",
    "outcome": "text",
    "grade": "text",
    "make_up": "boolean",
    "code": "text",
    "code_digest": "text",
}
_CHANGE_COLUMNS = {
    "teacher_id": "int",
    "outcome_before": "text",
    "score_before": "int",
    "outcome": "text",
    "score": "int",
}


class _Rows:
    """`SELECT` of the columns of a JSON array of objects (one parameter), in the dialect."""

    def __init__(self, client: BaseDBAsyncClient) -> None:
        self.postgres = client.capabilities.dialect == "postgres"
        self.params: list[Any] = []

    def param(self, value: Any) -> str:
        self.params.append(value)
        return f"${len(self.params)}" if self.postgres else "?"

    def select(self, columns: Mapping[str, str], rows: list[dict[str, Any]], *extra: str) -> str:
        data = self.param(json.dumps(rows, ensure_ascii=False))
        more = "".join(f", {e}" for e in extra)
        if self.postgres:
            names = ", ".join(f"r.{c}" for c in columns)
            types = ", ".join(f"{c} {t}" for c, t in columns.items())
            return f"SELECT {names}{more} FROM json_to_recordset({data}::json) AS r({types})"
        names = ", ".join(
            f"json_extract(value, '$.{c}')"
            if t != "jsonb"
            else f"json(json_extract(value, '$.{c}'))"
            for c, t in columns.items()
        )
        # `WHERE true`: SQLite's upsert needs it after a SELECT … FROM to parse ON CONFLICT.
        return f"SELECT {names}{more} FROM json_each({data}) WHERE true"


def _db_value(model: Any, field: str, value: Any) -> Any:
    return model._meta.fields_map[field].to_db_value(value, model)


async def _upsert_results(
    client: BaseDBAsyncClient,
    program_id: int,
    rows: list[dict[str, Any]],
    actor: int | None,
    now: dt.datetime,
) -> None:
    sql = _Rows(client)
    at = sql.param(_db_value(AssessmentResult, "computed_at", now))
    by = sql.param(actor)
    program = sql.param(program_id)
    select = sql.select(_RESULT_COLUMNS, rows, at, by, program)
    columns = ", ".join([*_RESULT_COLUMNS, "computed_at", "computed_by_id", "program_id"])
    updates = ", ".join(
        f"{c} = excluded.{c}" for c in [*_RESULT_COLUMNS, "computed_at", "computed_by_id"]
    )
    await client.execute_query(
        f"INSERT INTO assessment_result ({columns}) {select} "
        f"ON CONFLICT (program_id, teacher_id) DO UPDATE SET {updates}",
        sql.params,
    )


async def _insert_changes(
    client: BaseDBAsyncClient,
    program_id: int,
    rows: list[dict[str, Any]],
    actor: int | None,
    now: dt.datetime,
) -> None:
    sql = _Rows(client)
    at = sql.param(_db_value(AssessmentResult, "computed_at", now))
    by = sql.param(actor)
    program = sql.param(program_id)
    select = sql.select(_CHANGE_COLUMNS, rows, at, by, program)
    columns = ", ".join([*_CHANGE_COLUMNS, "changed_at", "changed_by_id", "program_id"])
    await client.execute_query(f"INSERT INTO result_change ({columns}) {select}", sql.params)


async def _upsert_certificates(
    client: BaseDBAsyncClient,
    program: Program,
    policy: AssessmentPolicy,
    rows: list[dict[str, Any]],
    now: dt.datetime,
) -> None:
    sql = _Rows(client)
    extra = [
        sql.param(program.id),
        sql.param(program.year),
        sql.param(policy.certificate_issuer),
        sql.param(_db_value(Certificate, "issued_at", now)),
    ]
    select = sql.select(_CERTIFICATE_COLUMNS, rows, *extra)
    columns = ", ".join([*_CERTIFICATE_COLUMNS, "program_id", "year", "issuer", "issued_at"])
    # The code and the issue date stay; an award's 优 stays while the result is a pass.
    await client.execute_query(
        f"INSERT INTO certificate ({columns}) {select} "
        "ON CONFLICT (program_id, teacher_id) DO UPDATE SET hours = excluded.hours, "
        "credits = excluded.credits, outcome = excluded.outcome, make_up = excluded.make_up, "
        "issuer = excluded.issuer, grade = CASE WHEN excluded.grade IS NULL THEN NULL "
        "ELSE COALESCE(certificate.grade, excluded.grade) END",
        sql.params,
    )


@dataclass(frozen=True)
class ResultsSummary:
    """How many results of each outcome a computation wrote, and how many changed."""

    program: Program
    counts: Counter[Outcome]
    changed: int


async def write_results(
    program: Program,
    policy: AssessmentPolicy,
    hour_policy: HourPolicy,
    actor_id: int | None,
    now: dt.datetime,
) -> ResultsSummary:
    """R12, R13: every teacher's result in the program and their certificate, in one
    transaction (`actor_id` None: the system, when the assessment window opened). Tutor-team
    members are EXEMPT (R7) and credited their service; a make-up that fails (or is missed) is
    never on the certificate (seed 000 §五.6)."""
    evidence = await ProgramEvidence.read(program.id, policy)
    results: list[dict[str, Any]] = []
    certificates: list[dict[str, Any]] = []
    uncertified: list[int] = []
    for facts in evidence.enrollments:
        found = assess(evidence, facts, policy, hour_policy)
        results.append(_result_row(facts.teacher_id, facts.id, found, facts.make_up))
        if facts.make_up and found.outcome in (Outcome.FAILED, Outcome.ABSENT):
            uncertified.append(facts.teacher_id)
        else:
            hours = certificate_hours(found.outcome, facts.target_hours, policy)
            certificates.append(
                _certificate_row(facts.teacher_id, found.outcome, hours, policy, facts.make_up)
            )
    enrolled = {f.teacher_id for f in evidence.enrollments}
    for tutor_id in sorted(set(evidence.tutors) - enrolled):
        hours = certificate_hours(
            Outcome.EXEMPT, 0, policy, distinguished=evidence.tutors[tutor_id]
        )
        exempt = Assessment(Outcome.EXEMPT, 0, [], tutor_service_explanation(hours))
        results.append(_result_row(tutor_id, None, exempt, False))
        certificates.append(_certificate_row(tutor_id, Outcome.EXEMPT, hours, policy, False))
    before = {
        teacher_id: (outcome, score)
        for teacher_id, outcome, score in await AssessmentResult.filter(
            program_id=program.id
        ).values_list("teacher_id", "outcome", "score")
    }
    changes = [
        {
            "teacher_id": row["teacher_id"],
            "outcome_before": None if old is None else old[0].value,
            "score_before": None if old is None else old[1],
            "outcome": row["outcome"],
            "score": row["score"],
        }
        for row in results
        if (old := before.get(row["teacher_id"])) != (Outcome(row["outcome"]), row["score"])
    ]
    async with in_transaction() as client:
        if results:
            await _upsert_results(client, program.id, results, actor_id, now)
        if changes:
            await _insert_changes(client, program.id, changes, actor_id, now)
        if certificates:
            await _upsert_certificates(client, program, policy, certificates, now)
        if uncertified:
            await (
                Certificate.filter(program_id=program.id, teacher_id__in=uncertified)
                .using_db(client)
                .delete()
            )
    outcomes = Counter(Outcome(r["outcome"]) for r in results)
    # The upserts are raw SQL: one summary row of the run, the counts, instead of a row each.
    record_change(
        Program,
        program.id,
        {
            "results": (None, len(results)),
            "changed": (None, len(changes)),
            "certificates": (None, len(certificates)),
            **{f"outcome_{o.value.lower()}": (None, n) for o, n in sorted(outcomes.items())},
        },
    )
    return ResultsSummary(program, outcomes, len(changes))


async def compute_program_results(
    program: Program, actor_id: int | None, now: dt.datetime
) -> ResultsSummary:
    """`write_results` with the program's policies, as a province admin's recomputation and the
    system's computation when the window opens both run it."""
    policy = await read_policy(AssessmentPolicy, program.id)
    hour_policy = await read_policy(HourPolicy, program.id)
    return await write_results(program, policy, hour_policy, actor_id, now)


def _result_row(
    teacher_id: int, enrollment_id: int | None, found: Assessment, make_up: bool
) -> dict[str, Any]:
    return {
        "teacher_id": teacher_id,
        "enrollment_id": enrollment_id,
        "outcome": found.outcome.value,
        "score": found.score,
        "explanation": found.explanation,
        "components": [
            {
                "kind": c.kind.value,
                "weight": c.weight,
                "required": c.required,
                "has": c.has,
                "score": c.score,
                "missing": c.missing,
            }
            for c in found.components
        ],
        "make_up": make_up,
    }


def _certificate_row(
    teacher_id: int, outcome: Outcome, hours: int, policy: AssessmentPolicy, make_up: bool
) -> dict[str, Any]:
    code = new_code()
    passed = outcome in (Outcome.PASSED, Outcome.EXEMPT)
    return {
        "teacher_id": teacher_id,
        "hours": hours,
        "credits": str(credits_of(hours, policy.hours_per_credit)),
        "outcome": outcome.value,
        "grade": CertificateGrade.PASS.value if passed else None,
        "make_up": make_up,
        "code": code,
        "code_digest": code_digest(code),
    }
