"""Class communication (R1, R11): announcements, class briefings (班级简报) and discussions.

Who may do what follows from the viewer's place in the class or workshop (`Scope`): the class
tutor writes to the class, the workshop leader to the workshop and reads its classes, trainees
read and take part in their own class and workshop.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from tortoise.expressions import F, Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from lms_plugin.resolvers.core.access import (
    CLASS_MEMBER,
    CLASS_TRAINEE,
    CLASS_TUTOR,
    DISCUSSION_HOST,
    Viewer,
    require_viewer,
    requires,
)
from lms_plugin.resolvers.core.audit import (
    UNKNOWN,
    record_change,
    record_created,
    record_update,
)
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode, Forbidden, Refused, refuse
from lms_plugin.resolvers.core.hours import HourProgress
from lms_plugin.resolvers.core.programs import (
    batch_for,
    enrollment_window,
    program_hour_split,
    read_policy,
)
from lms_plugin.storage.batch import counts_by, id_set
from lms_plugin.storage.enums import BriefingStatus, EnrollmentStatus, SubmissionStatus, Track
from lms_plugin.storage.models import (
    Announcement,
    AnnouncementRead,
    Batch,
    Briefing,
    BriefingPolicy,
    DiscussionPost,
    DiscussionTopic,
    Enrollment,
    HourPolicy,
    Program,
    Recommendation,
    Submission,
    TrainingClass,
    Workshop,
)

from .rules import (
    ClassFigures,
    active_on,
    briefing_body,
    briefing_due_at,
    briefing_on_time,
    briefing_title,
    hours_summary,
    text_errors,
)

# Pinned announcements first, then the newest (a leading sort column for `paginate`).
PINNED_FIRST = ("-pinned",)


@dataclass(frozen=True)
class Scope:
    """The viewer's place in a workshop, or in one of its classes."""

    viewer: Viewer
    workshop: Workshop
    program: Program
    training_class: TrainingClass | None
    # The viewer's own active enrollment here, as a trainee.
    enrollment: Enrollment | None
    leads: bool
    # The class tutor; for the whole workshop, any member of its tutor team.
    tutors: bool

    @property
    def staff(self) -> bool:
        return self.leads or self.tutors

    @property
    def member(self) -> bool:
        return self.staff or self.enrollment is not None

    @property
    def time_zone(self) -> str:
        return self.program.time_zone


async def _scope(viewer: Viewer, workshop: Workshop, training_class: TrainingClass | None) -> Scope:
    program = await Program.get(id=workshop.program_id)
    mine = Enrollment.filter(
        teacher_id=viewer.id, workshop_id=workshop.id, status=EnrollmentStatus.ACTIVE
    )
    if training_class is None:
        tutors = workshop.id in await viewer.team_workshop_ids()
    else:
        mine = mine.filter(training_class_id=training_class.id)
        tutors = training_class.tutor_id == viewer.id
    return Scope(
        viewer=viewer,
        workshop=workshop,
        program=program,
        training_class=training_class,
        enrollment=await mine.first(),
        leads=workshop.leader_id == viewer.id,
        tutors=tutors,
    )


async def class_scope(viewer: Viewer, class_id: int) -> Scope | None:
    training_class = await TrainingClass.get_or_none(id=class_id)
    if training_class is None:
        return None
    workshop = await Workshop.get(id=training_class.workshop_id)
    return await _scope(viewer, workshop, training_class)


async def workshop_scope(viewer: Viewer, workshop_id: int) -> Scope | None:
    workshop = await Workshop.get_or_none(id=workshop_id)
    return None if workshop is None else await _scope(viewer, workshop, None)


async def topic_scope(viewer: Viewer, topic: DiscussionTopic) -> Scope | None:
    if topic.training_class_id is not None:
        return await class_scope(viewer, topic.training_class_id)
    return await workshop_scope(viewer, topic.workshop_id)


def _member(scope: Scope | None) -> Scope | None:
    """The scope where the viewer belongs (trainee, tutor or leader); reads elsewhere are None."""
    return scope if scope is not None and scope.member else None


async def _class_to_read(viewer: Viewer | None, class_id: int | None) -> Scope | None:
    """The viewer's scope in a class they belong to; None outside it, or for no class."""
    signed_in = require_viewer(viewer)
    return None if class_id is None else _member(await class_scope(signed_in, class_id))


async def _class_to_write(viewer: Viewer | None, class_id: int, *field: str) -> Scope:
    """The class tutor's scope for a write; an unknown class is refused as not found."""
    scope = await class_scope(require_viewer(viewer), class_id)
    if scope is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该班级", *field)
    _allow(scope.tutors)
    return scope


def _allow(allowed: bool) -> None:
    if not allowed:
        raise Forbidden


def _check(errors: Sequence[DomainError]) -> None:
    if errors:
        raise Refused(errors)


# Announcements.


@dataclass(frozen=True)
class AnnouncementChanges:
    """None leaves a field as it is."""

    title: str | None = None
    body: str | None = None
    pinned: bool | None = None


@requires(CLASS_TUTOR)
async def post_announcement(
    viewer: Viewer,
    class_id: int,
    title: str,
    body: str,
    pinned: bool,
    now: dt.datetime,
) -> tuple[Scope, Announcement]:
    """The class tutor posts an announcement to the class."""
    scope = await _class_to_write(viewer, class_id, "classId")
    _check(text_errors(title, body))
    announcement = await Announcement.create(
        training_class_id=class_id,
        author_id=scope.viewer.id,
        title=title.strip(),
        body=body.strip(),
        pinned=pinned,
        published_at=now,
    )
    return scope, announcement


@requires(CLASS_TUTOR)
async def update_announcement(
    viewer: Viewer, announcement_id: int, changes: AnnouncementChanges
) -> tuple[Scope, Announcement]:
    """The class tutor edits, pins or unpins an announcement."""
    announcement = await Announcement.get_or_none(id=announcement_id)
    if announcement is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该公告", "id")
    scope = await _class_to_write(viewer, announcement.training_class_id)
    _check(text_errors(changes.title, changes.body))
    if changes.title is not None:
        announcement.title = changes.title.strip()
    if changes.body is not None:
        announcement.body = changes.body.strip()
    if changes.pinned is not None:
        announcement.pinned = changes.pinned
    await announcement.save(update_fields=["title", "body", "pinned"])
    return scope, announcement


@requires(CLASS_TRAINEE)
async def mark_announcement_read(
    viewer: Viewer, announcement_id: int, now: dt.datetime
) -> tuple[Scope, Announcement]:
    """A trainee of the class has read it; marking again keeps the first reading."""
    announcement = await Announcement.get_or_none(id=announcement_id)
    if announcement is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该公告", "announcementId")
    scope = await class_scope(viewer, announcement.training_class_id)
    assert scope is not None  # the announcement's class (CASCADE)
    _allow(scope.enrollment is not None)
    # One statement that ignores the unique (announcement, person) conflict of a repeat.
    read = AnnouncementRead(announcement_id=announcement.id, person_id=viewer.id, read_at=now)
    await AnnouncementRead.bulk_create([read], ignore_conflicts=True)
    # The row as it stands: this request's reading, or the first one kept (then nothing changed).
    stored = await AnnouncementRead.get(announcement_id=announcement.id, person_id=viewer.id)
    if stored.read_at == now:
        record_created([stored])
    return scope, announcement


async def class_announcements(
    viewer: Viewer | None, class_id: int | None
) -> tuple[Scope, QuerySet[Announcement]] | None:
    """A class's announcements, for its trainees, its tutor and the workshop leader."""
    scope = await _class_to_read(viewer, class_id)
    return None if scope is None else (scope, Announcement.filter(training_class_id=class_id))


async def unread_announcements(viewer: Viewer | None) -> QuerySet[Announcement]:
    """The signed-in trainee's unread announcements of their classes."""
    signed_in = require_viewer(viewer)
    classes = await Enrollment.filter(
        teacher_id=signed_in.id, status=EnrollmentStatus.ACTIVE, training_class_id__isnull=False
    ).values_list("training_class_id", flat=True)
    read = AnnouncementRead.filter(person_id=signed_in.id).values("announcement_id")
    return Announcement.filter(training_class_id__in=list(classes)).exclude(id__in=Subquery(read))


def unread_enrollments(
    enrollments: Sequence[Enrollment], reads: Sequence[AnnouncementRead]
) -> list[Enrollment]:
    """The class's active trainees who have not read an announcement (in enrollment order)."""
    readers = {read.person_id for read in reads}
    return [
        e
        for e in enrollments
        if e.status is EnrollmentStatus.ACTIVE and e.teacher_id not in readers
    ]


# Briefings (R11).


async def _class_batch(scope: Scope) -> Batch:
    """The batch whose window the class studies in: its trainees', else its workshop's."""
    assert scope.training_class is not None
    first = (
        await Enrollment.filter(
            training_class_id=scope.training_class.id, status=EnrollmentStatus.ACTIVE
        )
        .order_by("id")
        .first()
    )
    if first is not None:
        return await Batch.get(id=first.batch_id)
    batches = await Batch.filter(program_id=scope.program.id).order_by("number")
    found = batch_for(batches, scope.workshop.stage, scope.workshop.subject, Track.NETWORK)
    if found is None:
        raise refuse(ErrorCode.NO_BATCH_FOR_SUBJECT, "该班级没有对应的研修批次", "classId")
    return found


async def class_figures(scope: Scope, now: dt.datetime) -> ClassFigures:
    """The class's live figures: trainees, activity today, hours, homework and discussion."""
    assert scope.training_class is not None
    class_id = scope.training_class.id
    trainees = await Enrollment.filter(
        training_class_id=class_id, status=EnrollmentStatus.ACTIVE
    ).values("id", "track", "online_seconds", "offline_minutes", "last_activity_at")
    hour_policy = await read_policy(HourPolicy, scope.program.id)
    split_of = {track: program_hour_split(hour_policy, track) for track in Track}
    progress = [
        HourProgress(
            split=split_of[Track(t["track"])],
            online_seconds=t["online_seconds"],
            offline_minutes=t["offline_minutes"],
        )
        for t in trainees
    ]
    # The splits the class's trainees study under; the network split for an empty class.
    tracks = {Track(t["track"]) for t in trainees} or {Track.NETWORK}
    submissions = await counts_by(Submission.filter(training_class_id=class_id), "status")
    recommended = await id_set(
        Recommendation.filter(submission__training_class_id=class_id, withdrawn_at__isnull=True),
        "submission_id",
    )
    posts = await counts_by(
        DiscussionPost.filter(enrollment_id__in=[t["id"] for t in trainees]), "enrollment_id"
    )
    today = now.astimezone(ZoneInfo(scope.time_zone)).date()
    return ClassFigures(
        class_name=scope.training_class.name,
        day=today,
        splits=tuple(split_of[track] for track in Track if track in tracks),
        trainees=len(trainees),
        active_today=active_on(today, scope.time_zone, (t["last_activity_at"] for t in trainees)),
        hours=hours_summary(progress),
        homework_submitted=sum(submissions.values()),
        homework_graded=submissions.get(SubmissionStatus.GRADED, 0),
        homework_recommended=len(recommended),
        discussion_posts=sum(posts.values()),
        discussion_posters=len(posts),
    )


@requires(CLASS_TUTOR)
async def create_briefing_draft(
    viewer: Viewer, class_id: int, now: dt.datetime
) -> tuple[Scope, Briefing]:
    """R11: the class tutor starts the next numbered briefing, pre-filled with live figures."""
    scope = await _class_to_write(viewer, class_id, "classId")
    assert scope.training_class is not None
    batch = await _class_batch(scope)
    body = briefing_body(await class_figures(scope, now))
    interval_days = (await read_policy(BriefingPolicy, scope.program.id)).interval_days
    async with in_transaction():
        # Starts with a write: it locks the class row, so concurrent drafts of one class take
        # their numbers one after another (PostgreSQL), and SQLite takes its write lock at once.
        await TrainingClass.filter(id=class_id).update(name=F("name"))
        last = await Briefing.filter(training_class_id=class_id).order_by("-number").first()
        number = 1 if last is None else last.number + 1
        briefing = await Briefing.create(
            training_class_id=class_id,
            number=number,
            title=briefing_title(scope.training_class.name, number),
            body=body,
            author_id=scope.viewer.id,
            created_at=now,
            due_at=briefing_due_at(
                batch.starts_on,
                batch.ends_on,
                scope.time_zone,
                interval_days,
                number,
            ),
        )
    return scope, briefing


async def _draft_to_change(viewer: Viewer | None, briefing_id: int) -> tuple[Scope, Briefing]:
    briefing = await Briefing.get_or_none(id=briefing_id)
    if briefing is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该简报", "id")
    return await _class_to_write(viewer, briefing.training_class_id), briefing


def _already_published() -> Refused:
    return refuse(ErrorCode.ALREADY_PUBLISHED, "简报已发布，不能再修改", "id")


@requires(CLASS_TUTOR)
async def update_briefing(
    viewer: Viewer, briefing_id: int, title: str | None, body: str | None
) -> tuple[Scope, Briefing]:
    """The class tutor edits a draft; a published briefing stays as it was published."""
    scope, briefing = await _draft_to_change(viewer, briefing_id)
    _check(text_errors(title, body))
    if title is not None:
        briefing.title = title.strip()
    if body is not None:
        briefing.body = body.strip()
    # Conditional on the status, so a publish that got in first is not overwritten.
    changed = await Briefing.filter(id=briefing.id, status=BriefingStatus.DRAFT).update(
        title=briefing.title, body=briefing.body
    )
    if not changed:
        raise _already_published()
    record_update(briefing, ["title", "body"])
    return scope, briefing


@requires(CLASS_TUTOR)
async def publish_briefing(
    viewer: Viewer, briefing_id: int, now: dt.datetime
) -> tuple[Scope, Briefing]:
    """R11: publishing records when, and whether it was on time; lateness is not refused."""
    scope, briefing = await _draft_to_change(viewer, briefing_id)
    on_time = briefing_on_time(now, briefing.due_at)
    changed = await Briefing.filter(id=briefing.id, status=BriefingStatus.DRAFT).update(
        status=BriefingStatus.PUBLISHED, published_at=now, on_time=on_time
    )
    if not changed:
        raise _already_published()
    briefing.status = BriefingStatus.PUBLISHED
    briefing.published_at = now
    briefing.on_time = on_time
    record_update(briefing, ["status", "published_at", "on_time"])
    return scope, briefing


def _briefings_seen(scope: Scope, briefings: QuerySet[Briefing]) -> QuerySet[Briefing]:
    """Drafts are the tutor's and the leader's; trainees read published briefings."""
    return briefings if scope.staff else briefings.filter(status=BriefingStatus.PUBLISHED)


async def class_briefings(
    viewer: Viewer | None, class_id: int | None
) -> tuple[Scope, QuerySet[Briefing]] | None:
    scope = await _class_to_read(viewer, class_id)
    if scope is None:
        return None
    return scope, _briefings_seen(scope, Briefing.filter(training_class_id=class_id))


# Discussions (R1 for trainees).


@requires(DISCUSSION_HOST)
async def open_discussion(
    viewer: Viewer,
    workshop_id: int | None,
    class_id: int | None,
    title: str,
    body: str,
    now: dt.datetime,
) -> tuple[Scope, DiscussionTopic]:
    """A class tutor opens a topic in their class, a workshop leader one for the workshop."""
    if (workshop_id is None) == (class_id is None):
        raise refuse(ErrorCode.INVALID_INPUT, "请指定工作室或班级（二选一）", "classId")
    if class_id is not None:
        scope = await _class_to_write(viewer, class_id, "classId")
    else:
        assert workshop_id is not None
        found = await workshop_scope(viewer, workshop_id)
        if found is None:
            raise refuse(ErrorCode.NOT_FOUND, "找不到该工作室", "workshopId")
        _allow(found.leads)
        scope = found
    _check(text_errors(title, body))
    topic = await DiscussionTopic.create(
        workshop_id=scope.workshop.id,
        training_class_id=class_id,
        author_id=viewer.id,
        title=title.strip(),
        body=body.strip(),
        created_at=now,
    )
    return scope, topic


@requires(CLASS_MEMBER)
async def post_to_discussion(
    viewer: Viewer,
    topic_id: int,
    body: str,
    parent_id: int | None,
    now: dt.datetime,
) -> tuple[Scope, DiscussionPost]:
    """Trainees post and reply inside their batch window (R1); tutors and the leader any time.

    A trainee's post records their enrollment, so posts count per trainee, and is activity.
    """
    topic = await DiscussionTopic.get_or_none(id=topic_id)
    scope = None if topic is None else await topic_scope(viewer, topic)
    if topic is None or scope is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该研讨主题", "topicId")
    _allow(scope.member)
    _check(text_errors(None, body))
    trainee = None if scope.staff else scope.enrollment
    if trainee is not None:
        (await enrollment_window(trainee)).check_open(now)
    if parent_id is not None and not await DiscussionPost.exists(id=parent_id, topic_id=topic.id):
        raise refuse(ErrorCode.NOT_FOUND, "找不到要回复的帖子", "parentId")
    async with in_transaction():
        post = await DiscussionPost.create(
            topic_id=topic.id,
            author_id=viewer.id,
            enrollment_id=None if trainee is None else trainee.id,
            parent_id=parent_id,
            body=body.strip(),
            created_at=now,
        )
        await DiscussionTopic.filter(id=topic.id).update(
            post_count=F("post_count") + 1, last_post_at=now
        )
        record_change(
            DiscussionTopic,
            topic.id,
            {"post_count": (UNKNOWN, "+1"), "last_post_at": (topic.last_post_at, now)},
        )
        if trainee is not None:
            await Enrollment.filter(id=trainee.id).update(last_activity_at=now)
            trainee.last_activity_at = now
            record_update(trainee, ["last_activity_at"])
    return scope, post


async def discussions(
    viewer: Viewer | None, workshop_id: int | None, class_id: int | None
) -> tuple[Scope, QuerySet[DiscussionTopic]] | None:
    """A class's topics (with `class_id`), or the workshop-wide topics of a workshop."""
    signed_in = require_viewer(viewer)
    if class_id is not None:
        scope = await class_scope(signed_in, class_id)
        if scope is not None and workshop_id not in (None, scope.workshop.id):
            return None
        topics = DiscussionTopic.filter(training_class_id=class_id)
    elif workshop_id is not None:
        scope = await workshop_scope(signed_in, workshop_id)
        topics = DiscussionTopic.filter(workshop_id=workshop_id, training_class_id__isnull=True)
    else:
        return None
    scope = _member(scope)
    return None if scope is None else (scope, topics)


async def visible_topic(
    viewer: Viewer | None, topic_id: int
) -> tuple[Scope, DiscussionTopic] | None:
    topic = await DiscussionTopic.get_or_none(id=topic_id)
    if topic is None:
        return None
    scope = _member(await topic_scope(require_viewer(viewer), topic))
    return None if scope is None else (scope, topic)


async def discussion_posts(
    viewer: Viewer | None, topic_id: int | None
) -> tuple[Scope, QuerySet[DiscussionPost]] | None:
    require_viewer(viewer)
    found = None if topic_id is None else await visible_topic(viewer, topic_id)
    return None if found is None else (found[0], DiscussionPost.filter(topic_id=topic_id))


# Single objects, for `node(id:)`.


async def visible_announcement(
    viewer: Viewer | None, announcement_id: int
) -> tuple[Scope, Announcement] | None:
    announcement = await Announcement.get_or_none(id=announcement_id)
    if announcement is None:
        return None
    found = await class_announcements(viewer, announcement.training_class_id)
    return None if found is None else (found[0], announcement)


async def visible_briefing(
    viewer: Viewer | None, briefing_id: int
) -> tuple[Scope, Briefing] | None:
    briefing = await Briefing.get_or_none(id=briefing_id)
    if briefing is None:
        return None
    found = await class_briefings(viewer, briefing.training_class_id)
    if found is None or not (found[0].staff or briefing.status is BriefingStatus.PUBLISHED):
        return None
    return found[0], briefing


async def visible_post(viewer: Viewer | None, post_id: int) -> tuple[Scope, DiscussionPost] | None:
    post = await DiscussionPost.get_or_none(id=post_id)
    if post is None:
        return None
    found = await visible_topic(viewer, post.topic_id)
    return None if found is None else (found[0], post)
