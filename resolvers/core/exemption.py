"""R7: tutor-team members are exempt from studying in that phase (seed 000 §三), so one person
is never both a trainee and a tutor-team member of a program, also under concurrent requests."""

from collections.abc import Sequence
from dataclasses import dataclass

from lms_plugin.storage.batch import id_set, lock_rows
from lms_plugin.storage.enums import EnrollmentStatus
from lms_plugin.storage.models import Enrollment, Person, TutorTeamMember

from .errors import DomainError, ErrorCode


def exemption_conflict(
    *, joining_team: bool, in_team: bool, active_trainee: bool
) -> DomainError | None:
    """R7 both ways: a member of a tutor team cannot enroll, an active trainee cannot join one."""
    if joining_team and active_trainee:
        return DomainError(
            ErrorCode.ALREADY_ENROLLED,
            "该教师已报名参加本项目研修，不能再加入辅导团队（辅导团队成员免予选学研修）",
        )
    if not joining_team and in_team:
        return DomainError(
            ErrorCode.TUTOR_EXEMPT, "工作室辅导团队成员免予选学研修，不能作为学员报名"
        )
    return None


@dataclass(frozen=True)
class PhaseStanding:
    """Who among some people is on a tutor team, enrolled at all (R5), or an active trainee."""

    in_team: set[int]
    enrolled: set[int]
    active: set[int]


async def lock_phase_standing(
    program_id: int, person_ids: Sequence[int], *, joining_team: bool
) -> PhaseStanding:
    """Inside the writing transaction: enrolling and joining a team both lock the person rows
    first, so a concurrent request of the other kind is seen here, or waits and sees this one.
    Joining a team needs no memberships read (a unique key stands behind it)."""
    await lock_rows(Person, person_ids)
    members = TutorTeamMember.filter(program_id=program_id, person_id__in=person_ids)
    in_team = set() if joining_team else await id_set(members, "person_id")
    rows = await Enrollment.filter(program_id=program_id, teacher_id__in=person_ids).values(
        "teacher_id", "status"
    )
    return PhaseStanding(
        in_team=in_team,
        enrolled={row["teacher_id"] for row in rows},
        active={
            row["teacher_id"]
            for row in rows
            if EnrollmentStatus(row["status"]) is EnrollmentStatus.ACTIVE
        },
    )
