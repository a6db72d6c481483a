"""Enrollment's own rules (R4, R5), pure: what refuses one teacher in a workshop."""

from lms_plugin.resolvers.core.errors import DomainError, ErrorCode
from lms_plugin.resolvers.core.exemption import exemption_conflict
from lms_plugin.resolvers.core.stages import STAGE_NAMES, workshop_stage_for
from lms_plugin.storage.enums import Stage, Track
from lms_plugin.storage.models import Person, Workshop


def placement_error(
    teacher: Person, workshop: Workshop, *, exempt: bool, enrolled: bool
) -> DomainError | None:
    """The first rule that refuses `teacher` in `workshop`, most decisive first (field unset)."""
    if teacher.stage is None or not teacher.subject:
        return DomainError(ErrorCode.NOT_A_TEACHER, "未登记学段和学科，不能作为学员报名")
    if conflict := exemption_conflict(joining_team=False, in_team=exempt, active_trainee=False):
        return conflict
    if enrolled:
        return already_enrolled()
    return workshop_mismatch(teacher.stage, teacher.subject, workshop)


def already_enrolled() -> DomainError:
    """R5: one enrollment per teacher per phase (a withdrawn one still counts)."""
    return DomainError(ErrorCode.ALREADY_ENROLLED, "本阶段已报名，每人只能报名一次")


def workshop_mismatch(stage: Stage, subject: str, workshop: Workshop) -> DomainError | None:
    """R4: only a workshop of one's own stage and subject (vocational teachers: high school)."""
    studies_in = workshop_stage_for(stage)
    if (workshop.stage, workshop.subject) != (studies_in, subject):
        return DomainError(
            ErrorCode.WORKSHOP_MISMATCH,
            f"只能选学本人学段学科（{STAGE_NAMES[studies_in]}{subject}）的工作室",
        )
    return None


def teacher_track(teacher: Person) -> Track:
    return teacher.track or Track.NETWORK


def no_batch_error(workshop: Workshop, track: Track) -> DomainError:
    if track is Track.TRANSITIONAL:
        return DomainError(ErrorCode.NO_BATCH_FOR_SUBJECT, "本项目没有安排过渡学习批次")
    return DomainError(
        ErrorCode.NO_BATCH_FOR_SUBJECT,
        f"本项目没有安排{STAGE_NAMES[workshop.stage]}{workshop.subject}的研修批次",
    )
