"""Workshops (名师网络研修工作室): the catalogue, topics, resources, tutor teams (R6, R7), classes.

Province admins set workshops up; a province admin or the workshop's leader (主持人) runs its
topics, resources, tutor team and classes.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import TypeVar

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.models import Model
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from lms_plugin.resolvers.core.access import (
    PROVINCE_ADMIN,
    WORKSHOP_MANAGER,
    Viewer,
    require_viewer,
    requires,
)
from lms_plugin.resolvers.core.audit import UNKNOWN, record_change, record_deleted
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode, Forbidden, Refused, refuse
from lms_plugin.resolvers.core.exemption import exemption_conflict, lock_phase_standing
from lms_plugin.resolvers.core.pagination import MAX_PAGE_SIZE
from lms_plugin.resolvers.core.programs import read_policy
from lms_plugin.resolvers.core.stages import workshop_stage_for
from lms_plugin.storage.enums import EnrollmentStatus, Stage
from lms_plugin.storage.models import (
    Enrollment,
    Person,
    Program,
    Resource,
    Topic,
    TrainingClass,
    TutorTeamMember,
    TutorTeamPolicy,
    Workshop,
)

from .rules import tutor_team_full, workshop_exists

M = TypeVar("M", bound=Model)


def _found(row: M | None, message: str, field: str) -> M:
    if row is None:
        raise refuse(ErrorCode.NOT_FOUND, message, field)
    return row


async def _require_manager(viewer: Viewer, workshop_id: int) -> None:
    """A province admin, or the leader of this workshop."""
    if not (viewer.is_province_admin or await viewer.leads(workshop_id)):
        raise Forbidden


async def _managed_workshop(viewer: Viewer | None, workshop_id: int) -> Workshop:
    signed_in = require_viewer(viewer)
    workshop = _found(await Workshop.get_or_none(id=workshop_id), "找不到该工作室", "workshopId")
    await _require_manager(signed_in, workshop.id)
    return workshop


# Reads


def workshops_visible(
    viewer: Viewer | None,
    *,
    program_id: int | None = None,
    stage: Stage | None = None,
    subject: str | None = None,
) -> QuerySet[Workshop]:
    """The catalogue trainees choose from: every signed-in person sees all of it.

    A vocational stage finds the high-school workshops, as R4 matches them.
    """
    require_viewer(viewer)
    queryset = Workshop.all()
    if program_id is not None:
        queryset = queryset.filter(program_id=program_id)
    if stage is not None:
        queryset = queryset.filter(stage=workshop_stage_for(stage))
    if subject is not None:
        queryset = queryset.filter(subject=subject.strip())
    return queryset


async def class_visible(viewer: Viewer | None, training_class: TrainingClass) -> bool:
    """Its tutor, its workshop's leader and team, its trainees and province admins see a class."""
    if viewer is None:
        return False
    if viewer.is_province_admin or training_class.tutor_id == viewer.id:
        return True
    if await viewer.works_in_workshop(training_class.workshop_id):
        return True
    return await Enrollment.exists(training_class_id=training_class.id, teacher_id=viewer.id)


# Workshops


@dataclass(frozen=True)
class WorkshopSettings:
    name: str
    stage: Stage
    subject: str
    leader_id: int
    description: str = ""
    research_plan: str = ""

    def cleaned(self) -> "WorkshopSettings":
        return replace(self, name=self.name.strip(), subject=self.subject.strip())


async def _workshop_errors(
    program_id: int, settings: WorkshopSettings, current: Workshop | None
) -> list[DomainError]:
    errors: list[DomainError] = []
    if not settings.name:
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "工作室名称不能为空", ("name",)))
    if not settings.subject:
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "学科不能为空", ("subject",)))
    if settings.stage is Stage.VOCATIONAL:
        errors.append(
            DomainError(
                ErrorCode.INVALID_INPUT,
                "职业中学教师选学高中工作室，不单设职业中学工作室",
                ("stage",),
            )
        )
    if not await Person.exists(id=settings.leader_id):
        errors.append(DomainError(ErrorCode.NOT_FOUND, "找不到该主持人", ("leaderId",)))
    same_pair = Workshop.filter(
        program_id=program_id, stage=settings.stage, subject=settings.subject
    )
    if current is not None:
        same_pair = same_pair.exclude(id=current.id)
        moved = (settings.stage, settings.subject) != (current.stage, current.subject)
        # R4 matched the trainees to this stage and subject.
        if moved and await Enrollment.exists(workshop_id=current.id):
            errors.append(
                DomainError(
                    ErrorCode.INVALID_INPUT, "已有学员报名该工作室，不能修改学段或学科", ("stage",)
                )
            )
    if await same_pair.exists():
        errors.append(workshop_exists(settings.stage, settings.subject))
    return errors


async def _saved(workshop: Workshop, settings: WorkshopSettings) -> Workshop:
    """Writes the workshop; the unique (program, stage, subject) index decides a race."""
    try:
        await workshop.save()
    except IntegrityError as exc:
        raise Refused([workshop_exists(settings.stage, settings.subject)]) from exc
    return workshop


@requires(PROVINCE_ADMIN)
async def create_workshop(viewer: Viewer, program_id: int, settings: WorkshopSettings) -> Workshop:
    program = _found(await Program.get_or_none(id=program_id), "找不到该项目", "programId")
    settings = settings.cleaned()
    if errors := await _workshop_errors(program.id, settings, None):
        raise Refused(errors)
    # R6: the cap is the program's tutor team policy when the workshop is set up; the row keeps
    # a copy for the conditional UPDATE that claims a place.
    cap = (await read_policy(TutorTeamPolicy, program.id)).cap
    workshop = Workshop(program_id=program.id, tutor_cap=cap, **asdict(settings))
    return await _saved(workshop, settings)


@requires(PROVINCE_ADMIN)
async def update_workshop(viewer: Viewer, workshop_id: int, changes: dict[str, object]) -> Workshop:
    """Apply `changes` (WorkshopSettings field → value)."""
    workshop = _found(await Workshop.get_or_none(id=workshop_id), "找不到该工作室", "id")
    current = WorkshopSettings(
        name=workshop.name,
        stage=workshop.stage,
        subject=workshop.subject,
        leader_id=workshop.leader_id,
        description=workshop.description,
        research_plan=workshop.research_plan,
    )
    settings = replace(current, **changes).cleaned()  # type: ignore[arg-type]
    if errors := await _workshop_errors(workshop.program_id, settings, workshop):
        raise Refused(errors)
    return await _saved(workshop.update_from_dict(asdict(settings)), settings)


# Topics and resources


@dataclass(frozen=True)
class TopicSettings:
    title: str
    summary: str = ""
    position: int = 0


def _topic_errors(settings: TopicSettings) -> list[DomainError]:
    errors: list[DomainError] = []
    if not settings.title.strip():
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "专题名称不能为空", ("title",)))
    if settings.position < 0:
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "不能为负数", ("position",)))
    return errors


async def _saved_topic(topic: Topic, settings: TopicSettings) -> Topic:
    if errors := _topic_errors(settings):
        raise Refused(errors)
    topic.update_from_dict({**asdict(settings), "title": settings.title.strip()})
    await topic.save()
    return topic


@requires(WORKSHOP_MANAGER)
async def create_topic(
    viewer: Viewer, workshop_id: int, title: str, summary: str, position: int | None
) -> Topic:
    """A new topic; without a position it goes after the others."""
    workshop = await _managed_workshop(viewer, workshop_id)
    if position is None:
        position = await Topic.filter(workshop_id=workshop.id).count()
    settings = TopicSettings(title=title, summary=summary, position=position)
    return await _saved_topic(Topic(workshop_id=workshop.id), settings)


async def _managed_topic(viewer: Viewer | None, topic_id: int, field: str) -> Topic:
    signed_in = require_viewer(viewer)
    topic = _found(await Topic.get_or_none(id=topic_id), "找不到该专题", field)
    await _require_manager(signed_in, topic.workshop_id)
    return topic


@requires(WORKSHOP_MANAGER)
async def update_topic(viewer: Viewer, topic_id: int, changes: dict[str, object]) -> Topic:
    topic = await _managed_topic(viewer, topic_id, "id")
    current = TopicSettings(title=topic.title, summary=topic.summary, position=topic.position)
    return await _saved_topic(topic, replace(current, **changes))  # type: ignore[arg-type]


@requires(WORKSHOP_MANAGER)
async def add_resource(
    viewer: Viewer, topic_id: int, title: str, url: str, minutes: int
) -> Resource:
    topic = await _managed_topic(viewer, topic_id, "topicId")
    title, url = title.strip(), url.strip()
    errors: list[DomainError] = []
    if not title:
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "资源名称不能为空", ("title",)))
    # Front ends render the link: only web addresses, never javascript: or data: URLs.
    if url and not url.startswith(("https://", "http://")):
        errors.append(
            DomainError(ErrorCode.INVALID_INPUT, "链接须以 http:// 或 https:// 开头", ("url",))
        )
    if minutes < 0:
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "不能为负数", ("minutes",)))
    if errors:
        raise Refused(errors)
    return await Resource.create(topic_id=topic.id, title=title, url=url, minutes=minutes)


# Tutor teams (R6, R7)


def _membership(workshop_id: int, person_id: int) -> QuerySet[TutorTeamMember]:
    return TutorTeamMember.filter(workshop_id=workshop_id, person_id=person_id)


def _already_member() -> Refused:
    return refuse(ErrorCode.ALREADY_MEMBER, "该教师已是本工作室辅导团队成员", "personId")


@requires(WORKSHOP_MANAGER)
async def add_tutor_team_member(
    viewer: Viewer, workshop_id: int, person_id: int, now: dt.datetime
) -> Workshop:
    workshop = await _managed_workshop(viewer, workshop_id)
    if not await Person.exists(id=person_id):
        raise refuse(ErrorCode.NOT_FOUND, "找不到该教师", "personId")
    if await _membership(workshop.id, person_id).exists():
        raise _already_member()
    try:
        async with in_transaction():
            # R6: claim a place with one conditional UPDATE, the transaction's first statement
            # (so SQLite takes its write lock at once); concurrent claims queue on the row and
            # at most tutor_cap succeed. The CHECK constraint and the unique member stand behind.
            claimed = await Workshop.filter(id=workshop.id, tutor_count__lt=F("tutor_cap")).update(
                tutor_count=F("tutor_count") + 1
            )
            if not claimed:
                raise Refused([tutor_team_full(workshop.tutor_cap)])
            record_change(Workshop, workshop.id, {"tutor_count": (UNKNOWN, "+1")})
            # R7: a trainee of the phase cannot be exempted from it by joining a tutor team.
            standing = await lock_phase_standing(
                workshop.program_id, [person_id], joining_team=True
            )
            if conflict := exemption_conflict(
                joining_team=True, in_team=False, active_trainee=person_id in standing.active
            ):
                raise Refused([conflict.at(("personId",))])
            await TutorTeamMember.create(
                workshop_id=workshop.id,
                person_id=person_id,
                program_id=workshop.program_id,
                added_at=now,
            )
    except IntegrityError as exc:
        raise _already_member() from exc
    return await Workshop.get(id=workshop.id)


@requires(WORKSHOP_MANAGER)
async def remove_tutor_team_member(viewer: Viewer, workshop_id: int, person_id: int) -> Workshop:
    workshop = await _managed_workshop(viewer, workshop_id)
    async with in_transaction():
        # The place is released first, like a claim; never below zero (the CHECK stands behind).
        await Workshop.filter(id=workshop.id, tutor_count__gt=0).update(
            tutor_count=F("tutor_count") - 1
        )
        membership = await _membership(workshop.id, person_id).first()
        if membership is None or not await _membership(workshop.id, person_id).delete():
            raise refuse(ErrorCode.NOT_A_MEMBER, "该教师不是本工作室辅导团队成员", "personId")
        record_deleted(membership)
        record_change(
            Workshop,
            workshop.id,
            {"tutor_count": (UNKNOWN, "-1")},
        )
        # After the delete: a class created concurrently has committed by now (see create_class).
        if await TrainingClass.exists(workshop_id=workshop.id, tutor_id=person_id):
            raise refuse(
                ErrorCode.TUTOR_HAS_CLASSES,
                "该辅导教师仍负责本工作室的班级，请先将班级交给其他辅导教师",
                "personId",
            )
    return await Workshop.get(id=workshop.id)


# Classes


def _not_a_member() -> Refused:
    return refuse(ErrorCode.NOT_A_MEMBER, "班级辅导教师须为本工作室辅导团队成员", "tutorId")


@requires(WORKSHOP_MANAGER)
async def create_class(viewer: Viewer, workshop_id: int, name: str, tutor_id: int) -> TrainingClass:
    workshop = await _managed_workshop(viewer, workshop_id)
    name = name.strip()
    if not name:
        raise refuse(ErrorCode.INVALID_INPUT, "班级名称不能为空", "name")
    if not await _membership(workshop.id, tutor_id).exists():
        raise _not_a_member()
    try:
        async with in_transaction():
            created = await TrainingClass.create(
                workshop_id=workshop.id, name=name, tutor_id=tutor_id
            )
            # Locks the membership: a concurrent removal either waits and then sees this class,
            # or has deleted the member and this check refuses. (first(): tortoise's exists()
            # drops FOR UPDATE.)
            if await _membership(workshop.id, tutor_id).select_for_update().first() is None:
                raise _not_a_member()
    except IntegrityError as exc:
        raise refuse(ErrorCode.INVALID_INPUT, "本工作室已有同名班级", "name") from exc
    return created


@dataclass(frozen=True)
class Placement:
    training_class: TrainingClass
    enrollments: list[Enrollment]


async def _placement_errors(
    enrollment_ids: Sequence[int], training_class: TrainingClass
) -> list[DomainError]:
    rows = {row.id: row for row in await Enrollment.filter(id__in=set(enrollment_ids))}
    errors: list[DomainError] = []
    for index, pk in enumerate(enrollment_ids):
        row, field = rows.get(pk), ("enrollmentIds", str(index))
        if row is None:
            errors.append(DomainError(ErrorCode.NOT_FOUND, "找不到该报名", field))
        elif row.workshop_id != training_class.workshop_id:
            errors.append(
                DomainError(ErrorCode.WORKSHOP_MISMATCH, "该学员报名的不是本班所在工作室", field)
            )
        elif row.status is not EnrollmentStatus.ACTIVE:
            errors.append(DomainError(ErrorCode.NOT_ENROLLED, "该学员已退出研修", field))
    return errors


@requires(WORKSHOP_MANAGER)
async def assign_trainees(
    viewer: Viewer, class_id: int, enrollment_ids: Sequence[int]
) -> Placement:
    """Places trainees of the class's workshop in it: all of them, or none."""
    training_class = _found(await TrainingClass.get_or_none(id=class_id), "找不到该班级", "classId")
    await _require_manager(viewer, training_class.workshop_id)
    if not 1 <= len(enrollment_ids) <= MAX_PAGE_SIZE:
        raise refuse(ErrorCode.INVALID_INPUT, f"每次分配1至{MAX_PAGE_SIZE}名学员", "enrollmentIds")
    unique_ids = set(enrollment_ids)
    async with in_transaction():
        # The write comes first and checks itself: fewer rows than asked means some were not
        # placeable, and the reasons are read only then.
        placed = await Enrollment.filter(
            id__in=unique_ids,
            workshop_id=training_class.workshop_id,
            status=EnrollmentStatus.ACTIVE,
        ).update(training_class_id=training_class.id)
        if placed != len(unique_ids):
            raise Refused(await _placement_errors(enrollment_ids, training_class))
        enrollments = await Enrollment.filter(id__in=unique_ids).order_by("id")
        for enrollment in enrollments:
            # The class each was in before is not read: the log shows where they went.
            record_change(
                Enrollment,
                enrollment.id,
                {"training_class_id": (UNKNOWN, training_class.id)},
                person_id=enrollment.teacher_id,
            )
    return Placement(training_class=training_class, enrollments=list(enrollments))
