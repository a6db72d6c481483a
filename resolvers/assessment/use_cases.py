"""Courses of a program (公共 / 专业 / 地方课程): a province admin sets them up beside the
workshops; trainees study them through the study timer (`resolvers/study`). The assessment
forecast (R12) of an enrollment: its process part as it stands."""

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from lms_plugin.resolvers.core.access import PROVINCE_ADMIN, Viewer, requires
from lms_plugin.resolvers.core.courses import Targets, yearly_target_hours
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode, Refused, refuse
from lms_plugin.resolvers.core.hours import HourProgress
from lms_plugin.resolvers.core.programs import program_hour_split, read_policy
from lms_plugin.storage.enums import CourseCategory, SubmissionStatus
from lms_plugin.storage.models import (
    AssessmentPolicy,
    Course,
    CourseProgress,
    DiscussionPost,
    Enrollment,
    HourPolicy,
    Person,
    Program,
    Submission,
)

from .rules import Assessment, Evidence, Weights, process_assessment


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


def weights_of(policy: AssessmentPolicy) -> Weights:
    """The weights and minimums of R12, from the program's assessment policy."""
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
    )


async def forecast(enrollment: Enrollment) -> Assessment:
    """R12 before the end: the process part as it would stand today. Study time is the year's
    counted minutes (workshop, each part up to its quota, R8, and courses) against the yearly
    target; homework is the tutor's grades; discussion the trainee's posts. Research outcomes,
    notes and reflections have no submissions yet, so they count as none handed in."""
    policy = await read_policy(AssessmentPolicy, enrollment.program_id)
    hour_policy = await read_policy(HourPolicy, enrollment.program_id)
    teacher = await Person.get(id=enrollment.teacher_id)
    workshop = HourProgress(
        program_hour_split(hour_policy, enrollment.track),
        enrollment.online_seconds,
        enrollment.offline_minutes,
    )
    course_seconds = sum(
        p.seconds for p in await CourseProgress.filter(enrollment_id=enrollment.id)
    )
    target = yearly_target_hours(
        Targets(
            policy.target_hours, policy.new_teacher_target_hours, policy.junior_title_target_hours
        ),
        teacher.post,
        teacher.title_rank,
    )
    grades = await Submission.filter(
        enrollment_id=enrollment.id, status=SubmissionStatus.GRADED, level__isnull=False
    ).values_list("level", flat=True)
    evidence = Evidence(
        study_minutes=(workshop.online_counted_seconds + course_seconds) // 60
        + workshop.offline_counted_minutes,
        required_minutes=target * 60,
        homework_grades=tuple(grades),  # type: ignore[arg-type]
        posts=await DiscussionPost.filter(enrollment_id=enrollment.id).count(),
        outcome_grades=(),
        notes_characters=0,
        reflection_characters=0,
    )
    return process_assessment(evidence, weights_of(policy))
