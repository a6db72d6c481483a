"""Homework (R1, R10): assignments, uploads, submissions, grading and the recommendation ladder.

Who sees a submission: the trainee, their class tutor, the workshop's leader and tutor team,
admins of the trainee's school (and vendor staff serving its city). Writes lock the submission
row (`SELECT … FOR UPDATE` on PostgreSQL; SQLite runs one transaction at a time per process).
"""

import datetime as dt
from dataclasses import dataclass, replace

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from lms_plugin.resolvers.core.access import (
    CLASS_TUTOR,
    RECOMMENDER,
    TRAINEE,
    WORKSHOP_STAFF,
    Viewer,
    require_class_tutor,
    require_viewer,
    requires,
)
from lms_plugin.resolvers.core.audit import record_update
from lms_plugin.resolvers.core.calendar import window_error
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode, Forbidden, Refused, refuse
from lms_plugin.resolvers.core.loaders import Loaders
from lms_plugin.resolvers.core.programs import (
    batch_for,
    batch_window,
    enrollment_window,
    phase_window,
)
from lms_plugin.storage import desk
from lms_plugin.storage.enums import (
    AssignmentKind,
    EnrollmentStatus,
    GradeLevel,
    PhaseKind,
    RecommendationLevel,
    Role,
    SubmissionStatus,
    Track,
)
from lms_plugin.storage.models import (
    Assignment,
    Attachment,
    Batch,
    Enrollment,
    Person,
    Program,
    Recommendation,
    School,
    Submission,
    SubmissionRevision,
    VendorCity,
    Workshop,
)

from . import rules as homework_rules

# ---------------------------------------------------------------- scope (reads)


async def _enrolled_in(viewer: Viewer, workshop_id: int) -> Enrollment | None:
    return await Enrollment.get_or_none(teacher_id=viewer.id, workshop_id=workshop_id)


async def sees_workshop_homework(viewer: Viewer, workshop_id: int) -> bool:
    """Province admins, the workshop's leader and tutor team, and its trainees."""
    return (
        viewer.is_province_admin
        or await viewer.works_in_workshop(workshop_id)
        or await _enrolled_in(viewer, workshop_id) is not None
    )


async def sees_submission(
    viewer: Viewer, submission: Submission, enrollment: Enrollment, school: School | None
) -> bool:
    if enrollment.teacher_id == viewer.id or viewer.is_province_admin:
        return True
    if await viewer.tutors_class(submission.training_class_id):
        return True
    if await viewer.works_in_workshop(enrollment.workshop_id):
        return True
    return school is not None and await viewer.reaches_school(school)


async def visible_assignment(
    viewer: Viewer | None, assignment_id: int, loaders: Loaders
) -> Assignment | None:
    signed_in = require_viewer(viewer)
    row = await loaders.by_id(Assignment).load(assignment_id)
    if row is None or not await sees_workshop_homework(signed_in, row.workshop_id):
        return None
    return row


async def visible_submission(
    viewer: Viewer | None, submission_id: int, loaders: Loaders
) -> Submission | None:
    signed_in = require_viewer(viewer)
    row = await loaders.by_id(Submission).load(submission_id)
    if row is None:
        return None
    enrollment = await loaders.by_id(Enrollment).load(row.enrollment_id)
    assert enrollment is not None
    trainee = await loaders.by_id(Person).load(enrollment.teacher_id)
    assert trainee is not None
    school = (
        None if trainee.school_id is None else await loaders.by_id(School).load(trainee.school_id)
    )
    return row if await sees_submission(signed_in, row, enrollment, school) else None


async def visible_recommendation(
    viewer: Viewer | None, recommendation_id: int, loaders: Loaders
) -> Recommendation | None:
    """Active steps are on a showcase, open to everyone signed in; withdrawn ones are not."""
    require_viewer(viewer)
    row = await loaders.by_id(Recommendation).load(recommendation_id)
    if row is None or row.withdrawn_at is None:
        return row
    return row if await visible_submission(viewer, row.submission_id, loaders) else None


async def visible_attachment(viewer: Viewer | None, attachment_id: int) -> Attachment | None:
    """The owner, and the class tutor and workshop leader of any of the owner's enrollments."""
    signed_in = require_viewer(viewer)
    row = await Attachment.get_or_none(id=attachment_id)
    if row is None or row.owner_id == signed_in.id:
        return row
    places = await Enrollment.filter(teacher_id=row.owner_id).values_list(
        "training_class_id", "workshop_id"
    )
    for class_id, workshop_id in places:
        if await signed_in.tutors_class(class_id) or await signed_in.leads(workshop_id):
            return row
    return None


async def assignments_of(viewer: Viewer | None, workshop_id: int | None) -> QuerySet[Assignment]:
    """A workshop's assignments; none outside it, or for no workshop."""
    signed_in = require_viewer(viewer)
    if workshop_id is None or not await sees_workshop_homework(signed_in, workshop_id):
        return Assignment.filter(id__in=[])
    return Assignment.filter(workshop_id=workshop_id)


def my_submissions(viewer: Viewer | None) -> QuerySet[Submission]:
    signed_in = require_viewer(viewer)
    return Submission.filter(enrollment__teacher_id=signed_in.id)


async def my_submission_for(
    viewer: Viewer, assignment: Assignment, loaders: Loaders
) -> Submission | None:
    """The viewer's own submission for an assignment, batched across a page of assignments."""
    enrollments = await loaders.grouped(Enrollment, "teacher_id").load(viewer.id)
    enrollment = next((e for e in enrollments if e.workshop_id == assignment.workshop_id), None)
    if enrollment is None:
        return None
    submissions = await loaders.grouped(Submission, "enrollment_id").load(enrollment.id)
    return next((s for s in submissions if s.assignment_id == assignment.id), None)


async def grading_queue(viewer: Viewer | None, first: int, after: int | None) -> desk.QueuePage:
    """Submissions waiting for grading in the viewer's classes (R10: only the class tutor),
    oldest first, a page with what the desk shows of each: one statement."""
    signed_in = require_viewer(viewer)
    return await desk.grading_queue(signed_in.id, first, after)


def _showcase(
    viewer: Viewer | None, level: RecommendationLevel, place: Q | None
) -> QuerySet[Recommendation]:
    """Showcases are public to everyone signed in: that is what they are for. The showcase of
    no place (None, when the query named none) is empty."""
    require_viewer(viewer)
    if place is None:
        return Recommendation.filter(id__in=[])
    return Recommendation.filter(place, level=level, withdrawn_at__isnull=True)


def class_showcase(viewer: Viewer | None, class_id: int | None) -> QuerySet[Recommendation]:
    place = None if class_id is None else Q(training_class_id=class_id)
    return _showcase(viewer, RecommendationLevel.CLASS, place)


def workshop_showcase(viewer: Viewer | None, workshop_id: int | None) -> QuerySet[Recommendation]:
    place = None if workshop_id is None else Q(workshop_id=workshop_id)
    return _showcase(viewer, RecommendationLevel.WORKSHOP, place)


def home_gallery(viewer: Viewer | None, program_id: int | None) -> QuerySet[Recommendation]:
    workshops = Workshop.filter(program_id=program_id).values("id")
    place = None if program_id is None else Q(workshop_id__in=Subquery(workshops))
    return _showcase(viewer, RecommendationLevel.HOME, place)


# ---------------------------------------------------------------- assignments


@dataclass(frozen=True)
class AssignmentDraft:
    title: str
    instructions: str
    due_at: dt.datetime
    # A research outcome (研修成果) is asked for, submitted and graded as homework is (R10).
    kind: AssignmentKind = AssignmentKind.HOMEWORK


_TITLE_MAX = Assignment._meta.fields_map["title"].max_length  # type: ignore[attr-defined]


async def _workshop_batch(workshop: Workshop) -> Batch | None:
    """The network batch that serves the workshop's stage and subject (R4)."""
    batches = await Batch.filter(program_id=workshop.program_id, track=Track.NETWORK)
    return batch_for(batches, workshop.stage, workshop.subject, Track.NETWORK)


async def _assignment_errors(
    workshop: Workshop,
    program: Program,
    draft: AssignmentDraft,
    now: dt.datetime,
    *,
    due_changed: bool,
) -> list[DomainError]:
    errors: list[DomainError] = []
    title = draft.title.strip()
    if not title or len(title) > _TITLE_MAX:
        errors.append(
            DomainError(ErrorCode.INVALID_INPUT, f"标题须为1到{_TITLE_MAX}个字", ("title",))
        )
    if not due_changed:
        return errors
    batch = await _workshop_batch(workshop)
    if batch is None:
        errors.append(DomainError(ErrorCode.NO_BATCH_FOR_SUBJECT, "该工作室的学科没有研修批次"))
        return errors
    return errors + homework_rules.due_at_errors(batch_window(batch, program), draft.due_at, now)


async def _workshop_for_homework(
    viewer: Viewer, workshop_id: int, field: str
) -> tuple[Workshop, Program]:
    """The workshop, if the viewer leads it or is on its tutor team (else FORBIDDEN)."""
    workshop = await Workshop.get_or_none(id=workshop_id)
    if workshop is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该工作室", field)
    if not await viewer.works_in_workshop(workshop.id):
        raise Forbidden
    return workshop, await Program.get(id=workshop.program_id)


def _in_zone(draft: AssignmentDraft, program: Program) -> AssignmentDraft:
    return replace(draft, due_at=homework_rules.in_time_zone(draft.due_at, program.time_zone))


@requires(WORKSHOP_STAFF)
async def create_assignment(
    viewer: Viewer, workshop_id: int, draft: AssignmentDraft, now: dt.datetime
) -> Assignment:
    workshop, program = await _workshop_for_homework(viewer, workshop_id, "workshopId")
    draft = _in_zone(draft, program)
    if errors := await _assignment_errors(workshop, program, draft, now, due_changed=True):
        raise Refused(errors)
    return await Assignment.create(
        workshop_id=workshop.id,
        kind=draft.kind,
        title=draft.title.strip(),
        instructions=draft.instructions,
        due_at=draft.due_at,
        created_by_id=viewer.id,
        created_at=now,
    )


@requires(WORKSHOP_STAFF)
async def update_assignment(
    viewer: Viewer, assignment_id: int, changes: dict[str, object], now: dt.datetime
) -> Assignment:
    """Apply `changes` (draft field → value); the due time is checked again when it changes."""
    async with in_transaction():
        assignment = await Assignment.filter(id=assignment_id).select_for_update().get_or_none()
        if assignment is None:
            raise refuse(ErrorCode.NOT_FOUND, "找不到该作业", "id")
        workshop, program = await _workshop_for_homework(viewer, assignment.workshop_id, "id")
        current = AssignmentDraft(
            assignment.title, assignment.instructions, assignment.due_at, assignment.kind
        )
        draft = _in_zone(replace(current, **changes), program)  # type: ignore[arg-type]
        errors = await _assignment_errors(
            workshop, program, draft, now, due_changed="due_at" in changes
        )
        if errors:
            raise Refused(errors)
        assignment.title = draft.title.strip()
        assignment.instructions = draft.instructions
        assignment.due_at = draft.due_at
        await assignment.save()
        return assignment


# ---------------------------------------------------------------- submissions


async def _own_attachments(viewer: Viewer, attachment_ids: list[int]) -> list[int]:
    """R10: a trainee attaches only their own uploads; ids keep their order, once each."""
    wanted = list(dict.fromkeys(attachment_ids))
    # Locked (PostgreSQL) so that the clean-up of unattached uploads, which locks its candidates
    # the same way, cannot remove one while this submission attaches it (uploads.py). Models, not
    # `values_list`: tortoise drops FOR UPDATE from a values query.
    owned = (
        await Attachment.filter(id__in=wanted, owner_id=viewer.id)
        .order_by("id")
        .select_for_update()
        .only("id")
    )
    if len(owned) != len(wanted):
        raise refuse(ErrorCode.NOT_FOUND, "找不到附件，或附件不是你上传的", "attachmentIds")
    return wanted


async def _trainee_enrollment(viewer: Viewer, assignment: Assignment) -> Enrollment:
    # A teacher may be enrolled in the workshop in more than one program (a make-up year): the
    # active enrollment of the newest program (no join: the row lock stays on the enrollment).
    enrollment = (
        await Enrollment.filter(
            teacher_id=viewer.id,
            workshop_id=assignment.workshop_id,
            status=EnrollmentStatus.ACTIVE,
        )
        .order_by("-program_id")
        .select_for_update()
        .first()
    )
    if enrollment is not None:
        return enrollment
    if await sees_workshop_homework(viewer, assignment.workshop_id):
        raise refuse(ErrorCode.NOT_ENROLLED, "你不是该工作室的学员", "assignmentId")
    raise refuse(ErrorCode.NOT_FOUND, "找不到该作业", "assignmentId")


@requires(TRAINEE)
async def submit_homework(
    viewer: Viewer,
    assignment_id: int,
    text: str,
    attachment_ids: list[int],
    now: dt.datetime,
) -> Submission:
    """R1: inside the enrollment's batch window; R10: replaces the current one until graded."""
    async with in_transaction():
        assignment = await Assignment.get_or_none(id=assignment_id)
        if assignment is None:
            raise refuse(ErrorCode.NOT_FOUND, "找不到该作业", "assignmentId")
        # Locking the enrollment serialises one trainee's submissions (first ones included).
        enrollment = await _trainee_enrollment(viewer, assignment)
        attachments = await _own_attachments(viewer, attachment_ids)
        window = (await enrollment_window(enrollment)).window
        current = await Submission.get_or_none(
            assignment_id=assignment.id, enrollment_id=enrollment.id
        )
        found = [
            window_error(window, now),
            homework_rules.content_error(text, len(attachments)),
            homework_rules.resubmit_error(None if current is None else current.status),
        ]
        if errors := [e for e in found if e is not None]:
            raise Refused(errors)
        await Enrollment.filter(id=enrollment.id).update(last_activity_at=now)
        enrollment.last_activity_at = now
        record_update(enrollment, ["last_activity_at"])
        if current is None:
            return await Submission.create(
                assignment_id=assignment.id,
                enrollment_id=enrollment.id,
                training_class_id=enrollment.training_class_id,
                text=text,
                attachment_ids=attachments,
                status=SubmissionStatus.SUBMITTED,
                submitted_at=now,
            )
        await SubmissionRevision.create(
            submission_id=current.id,
            version=current.version,
            text=current.text,
            attachment_ids=current.attachment_ids,
            submitted_at=current.submitted_at,
            return_comment=current.comment if current.status is SubmissionStatus.RETURNED else "",
        )
        current.version += 1
        current.text = text
        current.attachment_ids = attachments
        current.status = SubmissionStatus.SUBMITTED
        current.submitted_at = now
        current.comment = ""
        current.training_class_id = enrollment.training_class_id
        await current.save()
        return current


@dataclass(frozen=True)
class _Work:
    """A submission locked for a tutor's or reviewer's write, with what decides who may act."""

    submission: Submission
    enrollment: Enrollment
    school: School | None


async def _work_for_update(viewer: Viewer, submission_id: int) -> _Work:
    submission = await Submission.filter(id=submission_id).select_for_update().get_or_none()
    if submission is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该作业提交", "submissionId")
    enrollment = await Enrollment.get(id=submission.enrollment_id)
    trainee = await Person.get(id=enrollment.teacher_id)
    school = None if trainee.school_id is None else await School.get(id=trainee.school_id)
    if not await sees_submission(viewer, submission, enrollment, school):
        raise refuse(ErrorCode.NOT_FOUND, "找不到该作业提交", "submissionId")
    return _Work(submission, enrollment, school)


@requires(CLASS_TUTOR)
async def return_submission(
    viewer: Viewer, submission_id: int, comment: str, now: dt.datetime
) -> Submission:
    """The class tutor reopens a submission for revision; the comment is kept."""
    async with in_transaction():
        work = await _work_for_update(viewer, submission_id)
        await require_class_tutor(
            viewer, work.submission.training_class_id, "退回作业", "submissionId"
        )
        window = (await enrollment_window(work.enrollment)).window
        errors = homework_rules.return_errors(work.submission.status, window, now)
        if not comment.strip():
            errors.append(DomainError(ErrorCode.INVALID_INPUT, "请填写退回意见", ("comment",)))
        if errors:
            raise Refused(errors)
        work.submission.status = SubmissionStatus.RETURNED
        work.submission.comment = comment
        await work.submission.save(update_fields=["status", "comment"])
        return work.submission


@dataclass(frozen=True)
class Grade:
    score: int
    level: GradeLevel
    comment: str


@requires(CLASS_TUTOR)
async def grade_submission(
    viewer: Viewer, submission_id: int, grade: Grade, now: dt.datetime
) -> Submission:
    """R10: only the class tutor grades, until the program's assessment end date."""
    async with in_transaction():
        work = await _work_for_update(viewer, submission_id)
        await require_class_tutor(
            viewer, work.submission.training_class_id, "批改作业", "submissionId"
        )
        program = await Program.get(id=work.enrollment.program_id)
        assessment = await phase_window(program.id, PhaseKind.ASSESSMENT)
        errors = homework_rules.grading_errors(
            work.submission.status,
            grade.score,
            now,
            assessment_ends_on=None if assessment is None else assessment.ends_on,
            time_zone=program.time_zone,
        )
        if errors:
            raise Refused(errors)
        submission = work.submission
        submission.status = SubmissionStatus.GRADED
        submission.score = grade.score
        submission.level = grade.level
        submission.comment = grade.comment
        submission.graded_by_id = viewer.id
        submission.graded_at = now
        await submission.save()
        return submission


# ---------------------------------------------------------------- the recommendation ladder


async def _serves_trainee_city(viewer: Viewer, work: _Work) -> bool:
    """Vendor staff whose vendor serves the trainee's city in the program (项目团队)."""
    vendor_ids = {g.vendor_id for g in viewer.grants if g.role == Role.VENDOR_STAFF}
    if not vendor_ids or work.school is None:
        return False
    return await VendorCity.exists(
        vendor_id__in=vendor_ids,
        program_id=work.enrollment.program_id,
        city_id=work.school.city_id,
    )


async def _require_ladder_role(viewer: Viewer, work: _Work, level: RecommendationLevel) -> None:
    """R10: class tutor → class, workshop leader → workshop, province admin or vendor → home."""
    if level is RecommendationLevel.CLASS:
        await require_class_tutor(
            viewer, work.submission.training_class_id, "推荐到班级或撤销班级推荐", "submissionId"
        )
    elif level is RecommendationLevel.WORKSHOP:
        if not await viewer.leads(work.enrollment.workshop_id):
            raise Forbidden
    elif not (viewer.is_province_admin or await _serves_trainee_city(viewer, work)):
        raise Forbidden


async def _active_steps(submission: Submission) -> dict[RecommendationLevel, Recommendation]:
    rows = await Recommendation.filter(submission_id=submission.id, withdrawn_at__isnull=True)
    return {row.level: row for row in rows}


@requires(RECOMMENDER)
async def recommend_submission(
    viewer: Viewer, submission_id: int, level: RecommendationLevel, now: dt.datetime
) -> Recommendation:
    async with in_transaction():
        work = await _work_for_update(viewer, submission_id)
        await _require_ladder_role(viewer, work, level)
        submission = work.submission
        active = await _active_steps(submission)
        if error := homework_rules.recommend_error(
            level, submission.status, submission.level, active
        ):
            raise Refused([error])
        return await Recommendation.create(
            submission_id=submission.id,
            level=level,
            training_class_id=submission.training_class_id,
            workshop_id=work.enrollment.workshop_id,
            recommended_by_id=viewer.id,
            recommended_at=now,
        )


@requires(RECOMMENDER)
async def withdraw_recommendation(
    viewer: Viewer, submission_id: int, level: RecommendationLevel, now: dt.datetime
) -> tuple[Submission, list[Recommendation]]:
    """Withdraws the step and the active steps above it; the rows keep who and when."""
    async with in_transaction():
        work = await _work_for_update(viewer, submission_id)
        await _require_ladder_role(viewer, work, level)
        active = await _active_steps(work.submission)
        levels = homework_rules.levels_to_withdraw(level, active)
        if isinstance(levels, DomainError):
            raise Refused([levels])
        withdrawn = [active[step] for step in levels]
        await Recommendation.filter(id__in=[row.id for row in withdrawn]).update(
            withdrawn_by_id=viewer.id, withdrawn_at=now
        )
        for row in withdrawn:
            row.withdrawn_by_id = viewer.id
            row.withdrawn_at = now
            record_update(row, ["withdrawn_by_id", "withdrawn_at"])
        return work.submission, withdrawn
