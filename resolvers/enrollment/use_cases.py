"""Enrollment (报名) in a program's workshop phase: by the teacher (R3 dates and daily hours) or
by an admin of their scope (dates only), and withdrawal. R4 stage/subject, R5 one per phase,
R7 tutor-team members exempt.
"""

import datetime as dt
from collections.abc import Sequence

from tortoise.queryset import QuerySet

from lms_plugin.resolvers.core.access import (
    REGION_ADMIN,
    TEACHER,
    Viewer,
    require_viewer,
    requires,
)
from lms_plugin.resolvers.core.audit import record_update
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode, Refused, refuse
from lms_plugin.resolvers.core.loaders import Loaders
from lms_plugin.resolvers.core.placement import (
    Field,
    Placement,
    Registration,
    check_registration_open,
    place,
)
from lms_plugin.storage import study_page
from lms_plugin.storage.enums import EnrollmentStatus
from lms_plugin.storage.models import (
    Enrollment,
    Person,
    Program,
    School,
    Topic,
    Workshop,
)

# One request registers at most this many teachers; a county sends several for a bigger roster.
MAX_TEACHERS_PER_REQUEST = 200


# Use cases.


async def _program(program_id: int) -> Program:
    program = await Program.get_or_none(id=program_id)
    if program is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该项目", "programId")
    return program


async def _workshop(program: Program, workshop_id: int) -> Workshop:
    workshop = await Workshop.get_or_none(id=workshop_id, program_id=program.id)
    if workshop is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该工作室", "workshopId")
    return workshop


@requires(TEACHER)
async def enroll(
    viewer: Viewer,
    now: dt.datetime,
    program_id: int,
    workshop_id: int,
    topic_id: int | None,
) -> Enrollment:
    """Self-registration of the signed-in teacher (R3 with the daily hours, R4, R5, R7)."""
    registration = Registration(by=viewer, now=now, daily_hours=True)
    program = await _program(program_id)
    await check_registration_open(program, registration)
    workshop = await _workshop(program, workshop_id)
    if topic_id is not None and not await Topic.exists(id=topic_id, workshop_id=workshop.id):
        raise refuse(ErrorCode.NOT_FOUND, "所选工作室没有这个专题", "topicId")
    [row], _ = await place(
        program, [Placement(registration.by.person, workshop)], topic_id, registration
    )
    return row


@requires(REGION_ADMIN)
async def enroll_teachers(
    viewer: Viewer,
    now: dt.datetime,
    program_id: int,
    teacher_ids: Sequence[int],
    workshop_id: int,
) -> list[Enrollment]:
    """An admin registers teachers of their scope (R3 dates only: seed 000 §二, county bulk
    registration of transitional learners). All or nothing."""
    registration = Registration(by=viewer, now=now, daily_hours=False)
    if not 1 <= len(teacher_ids) <= MAX_TEACHERS_PER_REQUEST:
        raise refuse(
            ErrorCode.INVALID_INPUT,
            f"每次报名1至{MAX_TEACHERS_PER_REQUEST}名教师",
            "teacherIds",
        )
    program = await _program(program_id)
    await check_registration_open(program, registration)
    workshop = await _workshop(program, workshop_id)
    teachers = await _teachers_in_scope(registration.by, teacher_ids)
    placements = [Placement(teacher, workshop, field) for teacher, field in teachers]
    enrolled, _ = await place(program, placements, None, registration)
    return enrolled


async def _teachers_in_scope(
    admin: Viewer, teacher_ids: Sequence[int]
) -> list[tuple[Person, Field]]:
    """The teachers named, each with its input field; refuses those out of the admin's scope."""
    people = {p.id: p for p in await Person.filter(id__in=set(teacher_ids))}
    school_ids = {p.school_id for p in people.values() if p.school_id is not None}
    schools = {s.id: s for s in await School.filter(id__in=school_ids)}
    found: list[tuple[Person, Field]] = []
    errors: list[DomainError] = []
    seen: set[int] = set()
    for index, teacher_id in enumerate(teacher_ids):
        field = ("teacherIds", str(index))
        person = people.get(teacher_id)
        school = schools.get(person.school_id) if person and person.school_id else None
        if person is None or school is None or not admin.administers_school(school):
            errors.append(
                DomainError(ErrorCode.NOT_FOUND, "找不到该教师，或不在您的管理范围内", field)
            )
        elif teacher_id in seen:
            errors.append(DomainError(ErrorCode.INVALID_INPUT, "教师重复", field))
        else:
            found.append((person, field))
        seen.add(teacher_id)
    if errors:
        raise Refused(errors)
    return found


@requires(REGION_ADMIN)
async def withdraw_enrollment(viewer: Viewer, enrollment_id: int) -> Enrollment:
    """An admin of the teacher's scope withdraws an enrollment; it still counts for R5."""
    admin = viewer
    row = await Enrollment.get_or_none(id=enrollment_id)
    school = None if row is None else await School.get_or_none(teachers__id=row.teacher_id)
    if row is None or school is None or not admin.administers_school(school):
        raise refuse(ErrorCode.NOT_FOUND, "找不到该报名记录", "enrollmentId")
    # One statement, so no transaction; withdrawing twice changes nothing.
    await Enrollment.filter(id=row.id).update(status=EnrollmentStatus.WITHDRAWN)
    row.status = EnrollmentStatus.WITHDRAWN
    record_update(row, ["status"])
    return row


# Reads.


async def can_see_enrollment(viewer: Viewer, row: Enrollment, loaders: Loaders) -> bool:
    """The trainee, their class tutor, their workshop's leader, admins reaching the school."""
    if row.teacher_id == viewer.id:
        return True
    if await viewer.tutors_class(row.training_class_id) or await viewer.leads(row.workshop_id):
        return True
    teacher = await loaders.by_id(Person).load(row.teacher_id)
    if teacher is None or teacher.school_id is None:
        return False
    school = await loaders.by_id(School).load(teacher.school_id)
    return school is not None and await viewer.reaches_school(school)


async def viewer_study_page(viewer: Viewer | None, program_id: int | None) -> study_page.ViewerPage:
    """The viewer's school and their enrollment in a program (by default the newest program
    they enrolled in) with what the study page shows of it, in one statement."""
    signed_in = require_viewer(viewer)
    return await study_page.viewer_page(signed_in.id, signed_in.person.school_id, program_id)


async def workshop_team_and_topics(
    workshop_id: int, team: bool, topics: bool
) -> tuple[list[study_page.MemberRow] | None, list[study_page.TopicRow] | None]:
    """What the study page shows of the workshop that grows with it, in a statement each, each
    read only when asked for (None otherwise)."""
    members = await study_page.tutor_team(workshop_id) if team else None
    return members, await study_page.topics(workshop_id) if topics else None


def viewer_enrollments(viewer: Viewer | None) -> QuerySet[Enrollment]:
    return Enrollment.filter(teacher_id=require_viewer(viewer).id)
