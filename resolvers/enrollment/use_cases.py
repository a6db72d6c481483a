"""Enrollment (报名) in a program's workshop phase: by the teacher (R3 dates and daily hours) or
by an admin of their scope (dates only), and withdrawal. R4 stage/subject, R5 one per phase,
R7 tutor-team members exempt.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from lms_plugin.resolvers.core.access import (
    REGION_ADMIN,
    TEACHER,
    Viewer,
    require_viewer,
    requires,
)
from lms_plugin.resolvers.core.calendar import registration_error
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode, Refused, refuse
from lms_plugin.resolvers.core.exemption import (
    PhaseStanding,
    lock_phase_standing,
)
from lms_plugin.resolvers.core.loaders import Loaders
from lms_plugin.resolvers.core.programs import (
    NEWEST_PROGRAM_FIRST,
    batch_for,
    read_policy,
    registration_hours,
)
from lms_plugin.storage.batch import id_set
from lms_plugin.storage.enums import EnrollmentStatus
from lms_plugin.storage.models import (
    Batch,
    Enrollment,
    Person,
    Program,
    RegistrationPolicy,
    School,
    Topic,
    Workshop,
)

from .rules import already_enrolled, no_batch_error, placement_error, teacher_track

# One request registers at most this many teachers; a county sends several for a bigger roster.
MAX_TEACHERS_PER_REQUEST = 200

Field = tuple[str, ...] | None


# Use cases.


@dataclass(frozen=True)
class Registration:
    """Who registers, when, and whether the daily hours apply (self-registration only, R3)."""

    by: Viewer
    now: dt.datetime
    daily_hours: bool


async def _program(program_id: int) -> Program:
    program = await Program.get_or_none(id=program_id)
    if program is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该项目", "programId")
    return program


async def _check_registration_open(program: Program, registration: Registration) -> None:
    opens_at: dt.time | None = None
    closes_at: dt.time | None = None
    if registration.daily_hours:
        policy = await read_policy(RegistrationPolicy, program.id)
        opens_at, closes_at = registration_hours(policy)
    error = registration_error(
        registration.now,
        time_zone=program.time_zone,
        starts_on=program.registration_starts_on,
        ends_on=program.registration_ends_on,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    if error is not None:
        raise Refused([error])


async def _workshop(program: Program, workshop_id: int) -> Workshop:
    workshop = await Workshop.get_or_none(id=workshop_id, program_id=program.id)
    if workshop is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该工作室", "workshopId")
    return workshop


async def _place(
    program: Program,
    workshop: Workshop,
    topic_id: int | None,
    teachers: Sequence[tuple[Person, Field]],
    registration: Registration,
) -> list[Enrollment]:
    """Checks R4, R5 and R7 for every teacher, then writes all or nothing.

    `teachers` pairs each teacher with the input field that names them (None when the teacher
    registers themselves). The unique key on (program, teacher) stands behind R5.
    """
    ids = [teacher.id for teacher, _ in teachers]
    batches = await Batch.filter(program_id=program.id).order_by("number")
    try:
        async with in_transaction():
            # R7 both ways: joining a tutor team locks the person too, so a concurrent add is
            # seen here (or waits and then sees this enrollment), never missed by both.
            standing = await lock_phase_standing(program.id, ids, joining_team=False)
            rows = _placements(
                program, workshop, topic_id, teachers, registration, batches, standing
            )
            await Enrollment.bulk_create(rows)
            created = await Enrollment.filter(program_id=program.id, teacher_id__in=ids)
    except IntegrityError as error:
        raise await _concurrent_duplicates(program.id, teachers, error) from error
    by_teacher = {row.teacher_id: row for row in created}
    return [by_teacher[i] for i in ids]


def _placements(
    program: Program,
    workshop: Workshop,
    topic_id: int | None,
    teachers: Sequence[tuple[Person, Field]],
    registration: Registration,
    batches: Sequence[Batch],
    standing: PhaseStanding,
) -> list[Enrollment]:
    """The rows to insert, or every teacher's refusal (R4, R5, R7): all or nothing."""
    errors: list[DomainError] = []
    rows: list[Enrollment] = []
    for teacher, field in teachers:
        error = placement_error(
            teacher,
            workshop,
            exempt=teacher.id in standing.in_team,
            enrolled=teacher.id in standing.enrolled,
        )
        track = teacher_track(teacher)
        batch = batch_for(batches, workshop.stage, workshop.subject, track)
        if error is None and batch is None:
            error = no_batch_error(workshop, track)
        if error is not None:
            errors.append(error.at(field))
            continue
        assert batch is not None
        rows.append(
            Enrollment(
                program_id=program.id,
                teacher_id=teacher.id,
                batch_id=batch.id,
                workshop_id=workshop.id,
                topic_id=topic_id,
                track=track,
                status=EnrollmentStatus.ACTIVE,
                registered_by_id=registration.by.id,
                registered_at=registration.now,
            )
        )
    if errors:
        raise Refused(errors)
    return rows


async def _concurrent_duplicates(
    program_id: int, teachers: Sequence[tuple[Person, Field]], error: IntegrityError
) -> Refused:
    """R5 behind the check: a concurrent request enrolled some of them first (unique key)."""
    ids = [teacher.id for teacher, _ in teachers]
    enrolled = await id_set(
        Enrollment.filter(program_id=program_id, teacher_id__in=ids), "teacher_id"
    )
    duplicates = [
        already_enrolled().at(field) for teacher, field in teachers if teacher.id in enrolled
    ]
    if not duplicates:
        raise error
    return Refused(duplicates)


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
    await _check_registration_open(program, registration)
    workshop = await _workshop(program, workshop_id)
    if topic_id is not None and not await Topic.exists(id=topic_id, workshop_id=workshop.id):
        raise refuse(ErrorCode.NOT_FOUND, "所选工作室没有这个专题", "topicId")
    teachers: list[tuple[Person, Field]] = [(registration.by.person, None)]
    [row] = await _place(program, workshop, topic_id, teachers, registration)
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
    await _check_registration_open(program, registration)
    workshop = await _workshop(program, workshop_id)
    teachers = await _teachers_in_scope(registration.by, teacher_ids)
    return await _place(program, workshop, None, teachers, registration)


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


async def viewer_enrollment(viewer: Viewer | None, program_id: int | None) -> Enrollment | None:
    """The viewer's enrollment in a program; by default the newest program they enrolled in."""
    signed_in = require_viewer(viewer)
    mine = Enrollment.filter(teacher_id=signed_in.id)
    if program_id is not None:
        return await mine.get_or_none(program_id=program_id)
    return await mine.order_by(*NEWEST_PROGRAM_FIRST).first()


def viewer_enrollments(viewer: Viewer | None) -> QuerySet[Enrollment]:
    return Enrollment.filter(teacher_id=require_viewer(viewer).id)
