"""Placing teachers in a program's workshops (R3–R7): the pure rules that refuse one teacher in a
workshop, and the write that enrolls a list of them. Self-registration, an admin's registration
and the approval of a group registration (集体报名) all place teachers through here.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from lms_plugin.storage.batch import id_set
from lms_plugin.storage.enums import EnrollmentStatus, PhaseKind, Stage, Track
from lms_plugin.storage.models import (
    Batch,
    Enrollment,
    Person,
    Program,
    RegistrationPolicy,
    Workshop,
)

from .access import Viewer
from .audit import record_created
from .calendar import registration_error
from .errors import DomainError, ErrorCode, Refused, refuse
from .exemption import PhaseStanding, exemption_conflict, lock_phase_standing
from .programs import batch_for, phase_window, read_policy, registration_hours
from .stages import STAGE_NAMES, workshop_stage_for

Field = tuple[str, ...] | None


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


# Writing.


@dataclass(frozen=True)
class Registration:
    """Who registers, when, and whether the daily hours apply (self-registration only, R3)."""

    by: Viewer
    now: dt.datetime
    daily_hours: bool


@dataclass(frozen=True)
class Placement:
    """A teacher to enroll in a workshop, with the input field that names them (None when the
    teacher registers themselves)."""

    teacher: Person
    workshop: Workshop
    field: Field = None


async def check_registration_open(program: Program, registration: Registration) -> None:
    """R3: inside the registration dates, and for self-registration the daily hours."""
    opens_at: dt.time | None = None
    closes_at: dt.time | None = None
    if registration.daily_hours:
        policy = await read_policy(RegistrationPolicy, program.id)
        opens_at, closes_at = registration_hours(policy)
    phase = await phase_window(program.id, PhaseKind.REGISTRATION)
    if phase is None:
        raise refuse(ErrorCode.REGISTRATION_CLOSED, "本项目未设报名阶段")
    error = registration_error(
        registration.now,
        time_zone=program.time_zone,
        starts_on=phase.starts_on,
        ends_on=phase.ends_on,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    if error is not None:
        raise Refused([error])


async def place(
    program: Program,
    placements: Sequence[Placement],
    topic_id: int | None,
    registration: Registration,
    *,
    all_or_nothing: bool = True,
) -> tuple[list[Enrollment], list[tuple[Placement, DomainError]]]:
    """Checks R4, R5 and R7 for every teacher and writes their enrollments.

    All or nothing: any refusal raises them all. Otherwise the accepted are enrolled and the
    refused answered beside them. The unique key on (program, teacher) stands behind R5."""
    ids = [p.teacher.id for p in placements]
    batches = await Batch.filter(program_id=program.id).order_by("number")
    try:
        async with in_transaction():
            # R7 both ways: joining a tutor team locks the person too, so a concurrent add is
            # seen here (or waits and then sees this enrollment), never missed by both.
            standing = await lock_phase_standing(program.id, ids, joining_team=False)
            rows, refused = _placements(
                program, placements, topic_id, registration, batches, standing
            )
            if refused and all_or_nothing:
                raise Refused([error.at(p.field) for p, error in refused])
            await Enrollment.bulk_create(rows)
            accepted = {row.teacher_id for row in rows}
            created = await Enrollment.filter(program_id=program.id, teacher_id__in=accepted)
            record_created(created)
    except IntegrityError as error:
        raise await _concurrent_duplicates(program.id, placements, error) from error
    by_teacher = {row.teacher_id: row for row in created}
    return [by_teacher[i] for i in ids if i in by_teacher], refused


def _placements(
    program: Program,
    placements: Sequence[Placement],
    topic_id: int | None,
    registration: Registration,
    batches: Sequence[Batch],
    standing: PhaseStanding,
) -> tuple[list[Enrollment], list[tuple[Placement, DomainError]]]:
    """The rows to insert, and each refused teacher's first refusal (R4, R5, R7)."""
    refused: list[tuple[Placement, DomainError]] = []
    rows: list[Enrollment] = []
    for placement in placements:
        teacher, workshop = placement.teacher, placement.workshop
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
            refused.append((placement, error))
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
    return rows, refused


async def _concurrent_duplicates(
    program_id: int, placements: Sequence[Placement], error: IntegrityError
) -> Refused:
    """R5 behind the check: a concurrent request enrolled some of them first (unique key)."""
    ids = [p.teacher.id for p in placements]
    enrolled = await id_set(
        Enrollment.filter(program_id=program_id, teacher_id__in=ids), "teacher_id"
    )
    duplicates = [already_enrolled().at(p.field) for p in placements if p.teacher.id in enrolled]
    if not duplicates:
        raise error
    return Refused(duplicates)
