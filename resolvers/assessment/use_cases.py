"""Courses of a program (公共 / 专业 / 地方课程): a province admin sets them up beside the
workshops; trainees study them through the study timer (`resolvers/study`). Assessment (R12):
the forecast, notes and reflections, exam results, the results of a program and make-up.
Certificates and the credit ledger (R13), with hours from other county-level training."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from lms_plugin.resolvers.core.access import (
    COUNTY_ADMIN,
    PROVINCE_ADMIN,
    REGION_ADMIN,
    TRAINEE,
    Viewer,
    requires,
)
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode, Forbidden, Refused, refuse
from lms_plugin.resolvers.core.loaders import Loaders
from lms_plugin.resolvers.core.programs import (
    NEWEST_CERTIFICATE_FIRST,
    NEWEST_ENROLLMENT_FIRST,
    assessment_window,
    policy_of,
    read_policy,
)
from lms_plugin.resolvers.core.sheets import RowError, read_sheet
from lms_plugin.storage.enums import (
    CourseCategory,
    Distinction,
    EnrollmentStatus,
    ExamKind,
    Outcome,
    Post,
    WritingKind,
)
from lms_plugin.storage.models import (
    AssessmentPolicy,
    AssessmentResult,
    Attachment,
    Certificate,
    Course,
    Enrollment,
    ExamResult,
    ExternalHours,
    HourPolicy,
    Person,
    Program,
    School,
    StudyWriting,
    TownshipSession,
)
from lms_plugin.storage.organisation import by_id_number

from .results import (
    ProgramEvidence,
    ResultsSummary,
    assess,
    code_digest,
    compute_program_results,
    process_part,
)
from .rules import (
    Assessment,
    Ledger,
    LedgerLine,
    LedgerSource,
    counted_characters,
    ledger_of,
    length_error,
    township_session_errors,
    year_number,
)


@dataclass(frozen=True)
class CourseSettings:
    name: str
    category: CourseCategory
    hours: int
    required: bool
    position: int


def course_settings_errors(settings: CourseSettings) -> list[DomainError]:
    errors = []
    if not settings.name.strip():
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "请填写课程名称", ("name",)))
    if settings.hours < 1:
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "学时须为正整数", ("hours",)))
    return errors


@requires(PROVINCE_ADMIN)
async def create_course(viewer: Viewer, program_id: int, settings: CourseSettings) -> Course:
    """A course of the program; its name is unique in the program."""
    async with in_transaction():
        program = await Program.get_or_none(id=program_id)
        if program is None:
            raise refuse(ErrorCode.NOT_FOUND, "找不到该项目", "programId")
        errors = course_settings_errors(settings)
        name = settings.name.strip()
        if await Course.exists(program_id=program.id, name=name):
            errors.append(DomainError(ErrorCode.INVALID_INPUT, "本项目已有同名课程", ("name",)))
        if errors:
            raise Refused(errors)
        return await Course.create(
            program_id=program.id,
            name=name,
            category=settings.category,
            hours=settings.hours,
            required=settings.required,
            position=settings.position,
        )


async def forecasts(loaders: Loaders, enrollment_ids: list[int]) -> list[Assessment]:
    """R12 before the end, for a page of enrollments (a tutor's roster) in a fixed number of
    statements per program: each result as the records stand today, computed as the
    program's results are (`results.assess`); before any exam is recorded, the process part
    (what the trainee can still change)."""
    rows = await loaders.by_id(Enrollment).load_many(enrollment_ids)
    by_program: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        assert row is not None
        by_program[row.program_id].append(row.id)
    found: dict[int, Assessment] = {}
    for program_id, ids in by_program.items():
        policy = await policy_of(loaders, AssessmentPolicy, program_id)
        hour_policy = await policy_of(loaders, HourPolicy, program_id)
        evidence = await ProgramEvidence.read(program_id, policy, ids)
        found |= _forecasts_of(evidence, policy, hour_policy)
    return [found[i] for i in enrollment_ids]


def hold_forecasts(
    loaders: Loaders,
    policy: AssessmentPolicy,
    hour_policy: HourPolicy,
    evidence_rows: list[dict[str, Any]],
) -> None:
    """The forecasts of enrollments of one program whose evidence a read model brought (the
    tutor's roster, `storage/evidence.py`'s rows), for `forecasts`' loader: no statement."""
    evidence = ProgramEvidence.of_rows(policy, evidence_rows)
    loader = loaders.batched(forecasts)
    for enrollment_id, forecast in _forecasts_of(evidence, policy, hour_policy).items():
        loader.prime(enrollment_id, forecast)


def _forecasts_of(
    evidence: ProgramEvidence, policy: AssessmentPolicy, hour_policy: HourPolicy
) -> dict[int, Assessment]:
    return {
        facts.id: (
            assess(evidence, facts, policy, hour_policy)
            if evidence.exams.get(facts.id)
            else process_part(evidence, facts, policy, hour_policy)
        )
        for facts in evidence.enrollments
    }


async def _teacher_in_scope(viewer: Viewer, teacher_id: int, field: str) -> Person:
    """The teacher, if the admin's region or school holds their school; out of scope reads as
    not found."""
    teacher = await Person.get_or_none(id=teacher_id)
    school = (
        None
        if teacher is None or teacher.school_id is None
        else await School.get_or_none(id=teacher.school_id)
    )
    if teacher is None or school is None or not viewer.administers_school(school):
        raise refuse(ErrorCode.NOT_FOUND, "找不到该教师，或不在你的管辖范围内", field)
    return teacher


async def _enrollment_in_scope(viewer: Viewer, enrollment_id: int, field: str) -> Enrollment:
    enrollment = await Enrollment.get_or_none(id=enrollment_id)
    if enrollment is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该报名记录", field)
    await _teacher_in_scope(viewer, enrollment.teacher_id, field)
    return enrollment


# --- writings and exams --------------------------------------------------------------------

_WRITING_LABELS = {WritingKind.NOTES: "学习笔记", WritingKind.REFLECTION: "学习心得"}


@requires(TRAINEE)
async def submit_study_writing(
    viewer: Viewer, now: dt.datetime, kind: WritingKind, text: str
) -> StudyWriting:
    """Seed 004: notes of at least 5,000 characters, a reflection of 1,000 (the policy's
    minimums, whitespace and punctuation not counted); a new text replaces the last."""
    enrollment = (
        await Enrollment.filter(teacher_id=viewer.id, status=EnrollmentStatus.ACTIVE)
        .order_by(*NEWEST_ENROLLMENT_FIRST)
        .first()
    )
    if enrollment is None:
        raise refuse(ErrorCode.NOT_ENROLLED, "你尚未报名参加研修")
    policy = await read_policy(AssessmentPolicy, enrollment.program_id)
    minimum = (
        policy.notes_min_characters
        if kind is WritingKind.NOTES
        else policy.reflection_min_characters
    )
    if error := length_error(text, minimum, _WRITING_LABELS[kind], "text"):
        raise Refused([error])
    async with in_transaction():
        writing, _ = await StudyWriting.update_or_create(
            defaults={"text": text, "characters": counted_characters(text), "submitted_at": now},
            enrollment_id=enrollment.id,
            kind=kind,
        )
    return writing


@dataclass(frozen=True)
class ExamEntry:
    enrollment_id: int
    kind: ExamKind
    score: int | None  # None: absent


def exam_score_error(score: int | None, field: str) -> DomainError | None:
    if score is not None and not 0 <= score <= 100:
        return DomainError(ErrorCode.INVALID_INPUT, "成绩须在0至100之间", (field,))
    return None


def _require_exam_recorder(viewer: Viewer, kind: ExamKind) -> None:
    """The province's additional test (加试, seed 002 §四(四)②) is the province's to record."""
    if kind is ExamKind.ADDITIONAL and not viewer.is_province_admin:
        raise Forbidden


@requires(REGION_ADMIN)
async def record_exam_result(viewer: Viewer, now: dt.datetime, entry: ExamEntry) -> ExamResult:
    """An exam of a trainee of the admin's scope (a score, or null for absent), replacing an
    earlier record of the same exam. The mock exam is kept but never counts (seed 004); the
    additional test is recorded by a province admin only."""
    _require_exam_recorder(viewer, entry.kind)
    enrollment = await _enrollment_in_scope(viewer, entry.enrollment_id, "enrollmentId")
    if error := exam_score_error(entry.score, "score"):
        raise Refused([error])
    async with in_transaction():
        result, _ = await ExamResult.update_or_create(
            defaults={"score": entry.score, "recorded_by_id": viewer.id, "recorded_at": now},
            enrollment_id=enrollment.id,
            kind=entry.kind,
        )
    return result


# --- township sessions and distinctions ----------------------------------------------------


async def _own_evidence(viewer: Viewer, evidence_id: int) -> DomainError | None:
    """An evidence file is one the recording admin uploaded (as homework attachments are)."""
    evidence = await Attachment.get_or_none(id=evidence_id)
    if evidence is None or evidence.owner_id != viewer.id:
        return DomainError(ErrorCode.NOT_FOUND, "找不到该证明材料（须为本人上传）", ("evidenceId",))
    return None


@dataclass(frozen=True)
class TownshipEntry:
    enrollment_id: int
    held_on: dt.date
    hours: int
    evidence_id: int


@requires(COUNTY_ADMIN)
async def record_township_session(
    viewer: Viewer, now: dt.datetime, entry: TownshipEntry
) -> TownshipSession:
    """乡镇集中 (seed 002 §四(四)②): a transitional-track trainee of the admin's county
    attended a township session on a day, for some hours, with an evidence file; one record a
    day. The hours count into the trainee's township component (R12)."""
    async with in_transaction():
        enrollment = await _enrollment_in_scope(viewer, entry.enrollment_id, "enrollmentId")
        program = await Program.get(id=enrollment.program_id)
        today = now.astimezone(ZoneInfo(program.time_zone)).date()
        errors = township_session_errors(enrollment.track, entry.held_on, entry.hours, today)
        if error := await _own_evidence(viewer, entry.evidence_id):
            errors.append(error)
        if await TownshipSession.exists(enrollment_id=enrollment.id, held_on=entry.held_on):
            errors.append(
                DomainError(ErrorCode.INVALID_INPUT, "该学员当日的乡镇集中研修已登记", ("heldOn",))
            )
        if errors:
            raise Refused(errors)
        return await TownshipSession.create(
            enrollment_id=enrollment.id,
            held_on=entry.held_on,
            hours=entry.hours,
            evidence_id=entry.evidence_id,
            recorded_by_id=viewer.id,
            recorded_at=now,
        )


@requires(PROVINCE_ADMIN)
async def set_teacher_distinction(
    viewer: Viewer, person_id: int, distinction: Distinction | None
) -> Person:
    """特级教师 / 省级学科带头人 (seed 002 §二(二)), or neither (null): the service of a teacher
    so distinguished on a workshop's tutor team is credited when results are computed."""
    async with in_transaction():
        person = await Person.get_or_none(id=person_id)
        if person is None:
            raise refuse(ErrorCode.NOT_FOUND, "找不到该人员", "personId")
        person.distinction = distinction
        await person.save(update_fields=["distinction"])
        return person


# --- results -------------------------------------------------------------------------------


@requires(PROVINCE_ADMIN)
async def compute_results(viewer: Viewer, now: dt.datetime, program_id: int) -> ResultsSummary:
    """R12, R13: once the assessment window has opened, every teacher's result and certificate
    in the program, computed again from the records (a recomputation keeps each change)."""
    program = await Program.get_or_none(id=program_id)
    if program is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该项目", "programId")
    window = await assessment_window(program.id)
    today = now.astimezone(ZoneInfo(program.time_zone)).date()
    if window is None or today < window.starts_on:
        opens = "阶段尚未设定" if window is None else f"自{window.starts_on:%Y年%m月%d日}开始"
        raise refuse(ErrorCode.ASSESSMENT_NOT_OPEN, f"考核尚未开始（考核{opens}）", "programId")
    return await compute_program_results(program, viewer.id, now)


@requires(REGION_ADMIN)
async def enroll_make_up(viewer: Viewer, enrollment_id: int, make_up_of_id: int) -> Enrollment:
    """补修 (seed 000 §五.6): a teacher's enrollment in a later program makes up a failed or
    missed one, where the earlier program's policy allows it (not in 2022)."""
    enrollment = await _enrollment_in_scope(viewer, enrollment_id, "enrollmentId")
    earlier = await Enrollment.get_or_none(id=make_up_of_id)
    if earlier is None or earlier.teacher_id != enrollment.teacher_id:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该教师要补修的报名记录", "makeUpOfId")
    policy = await read_policy(AssessmentPolicy, earlier.program_id)
    result = await AssessmentResult.get_or_none(
        program_id=earlier.program_id, teacher_id=earlier.teacher_id
    )
    if not policy.make_up_allowed:
        raise refuse(ErrorCode.MAKE_UP_NOT_ALLOWED, "原项目不安排补修", "makeUpOfId")
    if result is None or result.outcome not in (Outcome.FAILED, Outcome.ABSENT):
        raise refuse(ErrorCode.MAKE_UP_NOT_ALLOWED, "只有考核不合格或缺考的才能补修", "makeUpOfId")
    if earlier.program_id >= enrollment.program_id:
        raise refuse(ErrorCode.MAKE_UP_NOT_ALLOWED, "补修须在其后的项目中进行", "enrollmentId")
    enrollment.make_up_of_id = earlier.id
    await enrollment.save(update_fields=["make_up_of_id"])
    return enrollment


# --- certificates and the credit ledger ------------------------------------------------------


async def certificates_of(teacher_id: int) -> list[Certificate]:
    """Oldest first, as a certificate book reads."""
    return list(
        reversed(
            await Certificate.filter(teacher_id=teacher_id).order_by(*NEWEST_CERTIFICATE_FIRST)
        )
    )


async def certificate_by_code(code: str) -> Certificate | None:
    """A stranger's lookup (R13): by the code's digest, so that nothing compares the code
    itself; a code of another shape is not found without a query."""
    if not 16 <= len(code) <= 32:
        return None
    return await Certificate.get_or_none(code_digest=code_digest(code))


@dataclass(frozen=True)
class ExternalEntry:
    teacher_id: int
    year: str
    title: str
    hours: int
    evidence_id: int


@requires(COUNTY_ADMIN)
async def record_external_hours(
    viewer: Viewer, now: dt.datetime, entry: ExternalEntry
) -> ExternalHours:
    """统筹培训 (seed 001 §七(五)): hours of other county-level training, for a teacher of the
    admin's county, with an evidence file the admin uploaded (as homework attachments are)."""
    await _teacher_in_scope(viewer, entry.teacher_id, "teacherId")
    errors = []
    if not entry.title.strip():
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "请填写培训名称", ("title",)))
    if entry.hours < 1:
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "学时须为正整数", ("hours",)))
    if year_number(entry.year) is None:
        errors.append(
            DomainError(ErrorCode.INVALID_INPUT, "学年须以四位年份开头，如 2012学年", ("year",))
        )
    if error := await _own_evidence(viewer, entry.evidence_id):
        errors.append(error)
    if errors:
        raise Refused(errors)
    return await ExternalHours.create(
        teacher_id=entry.teacher_id,
        year=entry.year.strip(),
        title=entry.title.strip(),
        hours=entry.hours,
        evidence_id=entry.evidence_id,
        recorded_by_id=viewer.id,
        recorded_at=now,
    )


async def credit_ledger(teacher_id: int) -> Ledger | None:
    """R13, seed 002 §二: the teacher's hours by program year (certificates, which carry a
    tutor's credited service) and from other county-level training, in the current cycle,
    against the cycle of the newest program's policy; None for a teacher of no program."""
    certificates = await Certificate.filter(teacher_id=teacher_id).order_by(
        *NEWEST_CERTIFICATE_FIRST
    )
    enrolled = (
        await Enrollment.filter(teacher_id=teacher_id).order_by(*NEWEST_ENROLLMENT_FIRST).first()
    )
    newest = enrolled or (certificates[0] if certificates else None)
    if newest is None:
        return None
    policy = await read_policy(AssessmentPolicy, newest.program_id)
    teacher = await Person.get(id=teacher_id)
    external = await ExternalHours.filter(teacher_id=teacher_id).order_by("id")
    return ledger_of(
        [LedgerLine(c.year, c.hours, LedgerSource.CERTIFICATE) for c in reversed(certificates)]
        + [LedgerLine(e.year, e.hours, LedgerSource.EXTERNAL, e.title) for e in external],
        cycle_years=policy.cycle_years,
        cycle_hours=policy.new_teacher_cycle_hours
        if teacher.post is Post.NEW_TEACHER
        else policy.cycle_hours,
    )


# --- exam results from a spreadsheet -------------------------------------------------------

# The sheet's headings: the trainee by ID number (the name is for the reader), the score or 缺考.
EXAM_SHEET_HEADINGS = ("身份证号", "姓名", "成绩")
ABSENT_MARK = "缺考"


@dataclass(frozen=True)
class ExamImport:
    """Rows written, or (none written) every row's refusal."""

    imported: int
    row_errors: list[RowError]


def exam_cell_score(text: str) -> int | DomainError | None:
    """A score cell: a whole number 0–100, or 缺考 (absent)."""
    if text == ABSENT_MARK:
        return None
    if not text.isdigit() or not 0 <= int(text) <= 100:
        return DomainError(ErrorCode.INVALID_INPUT, "成绩须为0至100的整数，或填“缺考”")
    return int(text)


@requires(REGION_ADMIN)
async def import_exam_results(
    viewer: Viewer,
    now: dt.datetime,
    program_id: int,
    kind: ExamKind,
    data: bytes,
    filename: str,
) -> ExamImport:
    """One exam's results of a program from an XLSX sheet (身份证号, 姓名, 成绩), for trainees
    of the admin's scope. All or nothing: a sheet with any refused row writes none and answers
    each refusal with its row and column. The additional test is a province admin's sheet."""
    _require_exam_recorder(viewer, kind)
    if not await Program.exists(id=program_id):
        raise refuse(ErrorCode.NOT_FOUND, "找不到该项目", "programId")
    try:
        rows = read_sheet(data, filename, EXAM_SHEET_HEADINGS)
    except Refused as refused:
        # The sheet arrives in the input's sheetBase64: that is the field at fault.
        raise Refused([error.at(("sheetBase64",)) for error in refused.errors]) from None
    errors: list[RowError] = []
    entries: dict[int, int | None] = {}
    for row in rows:
        number = row.cells["身份证号"]
        person = await Person.filter(**by_id_number(number)).first() if number else None
        school = (
            None
            if person is None or person.school_id is None
            else await School.get_or_none(id=person.school_id)
        )
        enrollment = (
            None
            if person is None
            else await Enrollment.get_or_none(program_id=program_id, teacher_id=person.id)
        )
        if enrollment is None or school is None or not viewer.administers_school(school):
            errors.append(
                RowError(
                    row.number, "身份证号", ErrorCode.NOT_FOUND, "本项目在你管辖范围内没有该学员"
                )
            )
            continue
        score = exam_cell_score(row.cells["成绩"])
        if isinstance(score, DomainError):
            errors.append(RowError(row.number, "成绩", score.code, score.message))
        elif enrollment.id in entries:
            errors.append(
                RowError(row.number, "身份证号", ErrorCode.INVALID_INPUT, "该学员在表中重复")
            )
        else:
            entries[enrollment.id] = score
    if errors:
        return ExamImport(0, errors)
    async with in_transaction():
        for enrollment_id, score in entries.items():
            await ExamResult.update_or_create(
                defaults={"score": score, "recorded_by_id": viewer.id, "recorded_at": now},
                enrollment_id=enrollment_id,
                kind=kind,
            )
    return ExamImport(len(entries), [])
