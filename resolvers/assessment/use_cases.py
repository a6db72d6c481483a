"""Courses of a program (公共 / 专业 / 地方课程): a province admin sets them up beside the
workshops; trainees study them through the study timer (`resolvers/study`). The assessment
forecast (R12) of an enrollment: its process part as it stands."""

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from lms_plugin.resolvers.core.access import PROVINCE_ADMIN, Viewer, requires
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode, Refused, refuse
from lms_plugin.resolvers.core.programs import read_policy
from lms_plugin.storage.enums import CourseCategory
from lms_plugin.storage.models import AssessmentPolicy, Course, Enrollment, HourPolicy, Program

from .results import ProgramEvidence, assess, process_part
from .rules import Assessment


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


async def forecast(enrollment: Enrollment) -> Assessment:
    """R12 before the end: the result as the records stand today, computed as the program's
    results are (`results.assess`), for one enrollment; before any exam is recorded, the
    process part (what the trainee can still change)."""
    policy = await read_policy(AssessmentPolicy, enrollment.program_id)
    hour_policy = await read_policy(HourPolicy, enrollment.program_id)
    evidence = await ProgramEvidence.read(enrollment.program_id, policy, [enrollment.id])
    [facts] = evidence.enrollments
    if not evidence.exams.get(facts.id):
        return process_part(evidence, facts, policy, hour_policy)
    return assess(evidence, facts, policy, hour_policy)
