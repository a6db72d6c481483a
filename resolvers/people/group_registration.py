"""Group registration (集体报名, seed 001 §七(二)): a school hands its teachers' list up to its
county, the county approves it or returns it with a reason (the school corrects and submits
again), the city watches the counts. Approval enrolls the teachers through the same placement
as self-registration (R3 dates, R4, R5, R7; `resolvers/core/placement.py`): the accepted are
enrolled, each refused teacher is kept with the refusal. Every step keeps who and when.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count, Sum
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from lms_plugin.resolvers.core.access import Requirement, Viewer, require_viewer, requires
from lms_plugin.resolvers.core.audit import record_created, record_deleted
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode, Refused, refuse
from lms_plugin.resolvers.core.placement import (
    Placement,
    Registration,
    check_registration_open,
    place,
)
from lms_plugin.resolvers.core.stages import workshop_stage_for
from lms_plugin.storage.batch import id_set
from lms_plugin.storage.enums import GroupRegistrationStatus, Role
from lms_plugin.storage.models import (
    GroupRegistration,
    GroupRegistrationEntry,
    GroupRegistrationStep,
    Person,
    Program,
    Region,
    Workshop,
)

MAX_REASON = 500

SCHOOL_ADMIN = Requirement(
    "学校管理员，限本校（the school's admin)", lambda viewer: viewer.has_role(Role.SCHOOL_ADMIN)
)
COUNTY_ADMIN = Requirement(
    "学校所在县区的县级管理员（the admin of the school's county）",
    lambda viewer: viewer.has_role(Role.COUNTY_ADMIN),
)


async def _program(program_id: int) -> Program:
    program = await Program.get_or_none(id=program_id)
    if program is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该项目", "programId")
    return program


async def _school_teachers(school_id: int, teacher_ids: Sequence[int] | None) -> list[int]:
    """The teachers named (each of the school, else refused with its index), or all of them."""
    of_school = Person.filter(school_id=school_id)
    if teacher_ids is None:
        found = sorted(await id_set(of_school))
        if not found:
            raise refuse(ErrorCode.NOTHING_TO_SUBMIT, "本校还没有导入任何教师", "teacherIds")
        return found
    if not teacher_ids:
        raise refuse(ErrorCode.NOTHING_TO_SUBMIT, "请至少选择一名教师", "teacherIds")
    known = await id_set(of_school.filter(id__in=set(teacher_ids)))
    errors = [
        DomainError(ErrorCode.NOT_FOUND, "找不到该教师，或不是本校教师", ("teacherIds", str(i)))
        for i, pk in enumerate(teacher_ids)
        if pk not in known
    ]
    if errors:
        raise Refused(errors)
    return list(dict.fromkeys(teacher_ids))


@requires(SCHOOL_ADMIN)
async def submit_group_registration(
    viewer: Viewer,
    now: dt.datetime,
    program_id: int,
    school_id: int,
    teacher_ids: Sequence[int] | None,
) -> GroupRegistration:
    """The school's list for the program (all its teachers when none are named); submitting
    again replaces a pending or returned list."""
    if not any(g.role == Role.SCHOOL_ADMIN and g.school_id == school_id for g in viewer.grants):
        raise refuse(ErrorCode.NOT_FOUND, "找不到该学校，或不是你管理的学校", "schoolId")
    program = await _program(program_id)
    teachers = await _school_teachers(school_id, teacher_ids)
    async with in_transaction():
        registration = await (
            GroupRegistration.filter(program_id=program.id, school_id=school_id)
            .select_for_update()
            .first()
        )
        if registration is None:
            registration = await GroupRegistration.create(
                program_id=program.id,
                school_id=school_id,
                status=GroupRegistrationStatus.PENDING,
                updated_at=now,
            )
        elif registration.status == GroupRegistrationStatus.APPROVED:
            raise refuse(ErrorCode.NOT_PENDING, "本校的集体报名已审核通过，不能再提交", "schoolId")
        else:
            listed = GroupRegistrationEntry.filter(registration_id=registration.id)
            # Queryset deletes and bulk inserts save no instance: the log is told of each row.
            for entry in await listed:
                record_deleted(entry)
            await listed.delete()
            registration.status = GroupRegistrationStatus.PENDING
            registration.return_reason = None
            registration.updated_at = now
            await registration.save()
        await GroupRegistrationEntry.bulk_create(
            [
                GroupRegistrationEntry(registration_id=registration.id, teacher_id=t)
                for t in teachers
            ]
        )
        record_created(await GroupRegistrationEntry.filter(registration_id=registration.id))
        await _step(registration, viewer, now)
    return registration


async def _step(registration: GroupRegistration, viewer: Viewer, now: dt.datetime) -> None:
    await GroupRegistrationStep.create(
        registration_id=registration.id,
        status=registration.status,
        by_id=viewer.id,
        at=now,
        reason=registration.return_reason,
    )


async def _pending_in_county(viewer: Viewer, registration_id: int) -> GroupRegistration:
    """The registration, locked, if it is of a school of the viewer's counties and pending."""
    registration = await (
        GroupRegistration.filter(
            id=registration_id, school__county_id__in=viewer.region_ids(Role.COUNTY_ADMIN)
        )
        .select_for_update()
        .first()
    )
    if registration is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该集体报名", "registrationId")
    if registration.status != GroupRegistrationStatus.PENDING:
        raise refuse(ErrorCode.NOT_PENDING, "该集体报名不在待审核状态", "registrationId")
    return registration


@requires(COUNTY_ADMIN)
async def return_group_registration(
    viewer: Viewer, now: dt.datetime, registration_id: int, reason: str
) -> GroupRegistration:
    """The county sends the list back to the school with the reason."""
    text = reason.strip()
    if not 1 <= len(text) <= MAX_REASON:
        raise refuse(ErrorCode.INVALID_INPUT, f"退回原因须为1至{MAX_REASON}个字", "reason")
    async with in_transaction():
        registration = await _pending_in_county(viewer, registration_id)
        registration.status = GroupRegistrationStatus.RETURNED
        registration.return_reason = text
        registration.updated_at = now
        await registration.save()
        await _step(registration, viewer, now)
    return registration


def _no_workshop(teacher: Person) -> DomainError:
    if teacher.stage is None or not teacher.subject:
        return DomainError(ErrorCode.NOT_A_TEACHER, "未登记学段和学科，不能作为学员报名")
    return DomainError(ErrorCode.NO_BATCH_FOR_SUBJECT, "本项目没有该教师学段学科的工作室")


@requires(COUNTY_ADMIN)
async def approve_group_registration(
    viewer: Viewer, now: dt.datetime, registration_id: int
) -> GroupRegistration:
    """The county approves: each teacher is enrolled in the program's workshop of their stage
    and subject (R4) inside the registration dates (R3), once (R5), unless exempt (R7); each
    refusal is kept on the teacher's entry."""
    async with in_transaction():
        registration = await _pending_in_county(viewer, registration_id)
        program = await Program.get(id=registration.program_id)
        enrollment = Registration(by=viewer, now=now, daily_hours=False)
        await check_registration_open(program, enrollment)
        entries = await GroupRegistrationEntry.filter(registration_id=registration.id)
        teachers = {p.id: p for p in await Person.filter(id__in=[e.teacher_id for e in entries])}
        workshops = {(w.stage, w.subject): w for w in await Workshop.filter(program_id=program.id)}
        placements: list[Placement] = []
        refusals: dict[int, DomainError] = {}
        for entry in entries:
            teacher = teachers[entry.teacher_id]
            stage, subject = teacher.stage, teacher.subject
            workshop = (
                workshops.get((workshop_stage_for(stage), subject)) if stage and subject else None
            )
            if workshop is None:
                refusals[teacher.id] = _no_workshop(teacher)
            else:
                placements.append(Placement(teacher, workshop))
        enrolled, refused = await place(program, placements, None, enrollment, all_or_nothing=False)
        refusals.update({p.teacher.id: error for p, error in refused})
        accepted = {row.teacher_id for row in enrolled}
        for entry in entries:
            error = refusals.get(entry.teacher_id)
            entry.enrolled = entry.teacher_id in accepted
            entry.refusal_code = error.code if error else None
            entry.refusal_message = error.message if error else None
        await GroupRegistrationEntry.bulk_update(
            entries, fields=["enrolled", "refusal_code", "refusal_message"], batch_size=1000
        )
        registration.status = GroupRegistrationStatus.APPROVED
        registration.enrolled_count = len(accepted)
        registration.refused_count = len(refusals)
        registration.updated_at = now
        await registration.save()
        await _step(registration, viewer, now)
    return registration


# Reads.


def _in_scope(viewer: Viewer) -> Q | None:
    """The schools' registrations an admin sees (None: the whole province)."""
    if viewer.is_province_admin:
        return None
    own = {g.school_id for g in viewer.grants if g.role == Role.SCHOOL_ADMIN and g.school_id}
    return (
        Q(school__city_id__in=viewer.region_ids(Role.CITY_ADMIN))
        | Q(school__county_id__in=viewer.region_ids(Role.COUNTY_ADMIN))
        | Q(school_id__in=own)
    )


def group_registrations(
    viewer: Viewer | None, program_id: int, status: GroupRegistrationStatus | None
) -> QuerySet[GroupRegistration]:
    signed_in = require_viewer(viewer)
    rows = GroupRegistration.filter(program_id=program_id)
    scope = _in_scope(signed_in)
    if scope is not None:
        rows = rows.filter(scope)
    return rows.filter(status=status) if status is not None else rows


async def can_see_registration(viewer: Viewer | None, registration: GroupRegistration) -> bool:
    return (
        await group_registrations(viewer, registration.program_id, None)
        .filter(id=registration.id)
        .exists()
    )


@dataclass(frozen=True)
class CountyCount:
    """The registrations of one county in one status: how many schools, teachers, enrolled."""

    county: Region
    status: GroupRegistrationStatus
    schools: int
    teachers: int
    enrolled: int


async def county_counts(viewer: Viewer | None, program_id: int) -> list[CountyCount]:
    """Per county of the viewer's scope and status (the city's view of 集体报名)."""
    rows = await (
        group_registrations(viewer, program_id, None)
        .annotate(schools=Count("id", distinct=True), enrolled=Sum("enrolled_count"))
        .group_by("school__county_id", "status")
        .values("school__county_id", "status", "schools", "enrolled")
    )
    teachers = await (
        GroupRegistrationEntry.filter(
            registration_id__in=Subquery(group_registrations(viewer, program_id, None).values("id"))
        )
        .annotate(teachers=Count("id"))
        .group_by("registration__school__county_id", "registration__status")
        .values("registration__school__county_id", "registration__status", "teachers")
    )
    counted = {
        (t["registration__school__county_id"], t["registration__status"]): t["teachers"]
        for t in teachers
    }
    counties = {r.id: r for r in await Region.filter(id__in={r["school__county_id"] for r in rows})}
    found = [
        CountyCount(
            county=counties[r["school__county_id"]],
            status=GroupRegistrationStatus(r["status"]),
            schools=r["schools"],
            teachers=counted.get((r["school__county_id"], r["status"]), 0),
            enrolled=int(r["enrolled"] or 0),
        )
        for r in rows
    ]
    return sorted(found, key=lambda c: (c.county.code, c.status))
