"""Class communication: announcements (公告), class briefings (班级简报) and discussions (研讨)."""

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

import strawberry
from tortoise.models import Model
from tortoise.queryset import QuerySet

from lms_plugin.resolvers.classroom import use_cases
from lms_plugin.storage import models as db

from .context import Info
from .enrollment import Enrollment
from .enums import BriefingStatus
from .errors import UserError, attempt
from .ids import encode_id, found_pk, names_nothing, optional_pk, pk_of
from .node import Node, node_loader
from .pagination import Connection, connection, list_connection
from .people import Person, load_person
from .scalars import local_time, optional_local_time
from .workshops import TrainingClass, Workshop, load_class, load_workshop

S = TypeVar("S")
T = TypeVar("T")
M = TypeVar("M", bound=Model)


@strawberry.type(
    description="A class announcement (班级公告) by its tutor; pinned ones list first."
)
class Announcement(Node):
    row: strawberry.Private[db.Announcement]
    # The viewer tutors the class or leads its workshop: they may see who has not read it.
    staff: strawberry.Private[bool]
    viewer_id: strawberry.Private[int]
    title: str
    body: str
    pinned: bool
    published_at: dt.datetime

    async def _reads(self, info: Info) -> list[db.AnnouncementRead]:
        return await info.context.loaders.grouped(db.AnnouncementRead, "announcement_id").load(
            self.row.id
        )

    @strawberry.field
    async def author(self, info: Info) -> Person:
        return await load_person(info, self.row.author_id)

    @strawberry.field
    async def training_class(self, info: Info) -> TrainingClass:
        return await load_class(info, self.row.training_class_id)

    @strawberry.field(description="How many people have read it.")
    async def read_count(self, info: Info) -> int:
        return len(await self._reads(info))

    @strawberry.field(description="Whether the signed-in person has marked it read.")
    async def read_by_me(self, info: Info) -> bool:
        return any(read.person_id == self.viewer_id for read in await self._reads(info))

    @strawberry.field(
        description="The class's trainees who have not read it; null unless you tutor the class "
        "or lead its workshop."
    )
    async def unread_by(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[Enrollment] | None:
        if not self.staff:
            return None
        enrollments = await info.context.loaders.grouped(db.Enrollment, "training_class_id").load(
            self.row.training_class_id
        )
        unread = use_cases.unread_enrollments(enrollments, await self._reads(info))
        return list_connection(unread, Enrollment.of, first=first, after=after)

    @classmethod
    def of(cls, row: db.Announcement, scope: use_cases.Scope) -> "Announcement":
        return cls.in_zone(row, scope.time_zone, staff=scope.staff, viewer_id=scope.viewer.id)

    @classmethod
    def in_zone(
        cls, row: db.Announcement, time_zone: str, *, staff: bool, viewer_id: int
    ) -> "Announcement":
        return cls(
            id=encode_id("Announcement", row.id),
            row=row,
            staff=staff,
            viewer_id=viewer_id,
            title=row.title,
            body=row.body,
            pinned=row.pinned,
            published_at=local_time(row.published_at, time_zone),
        )


@strawberry.type(
    description="A class briefing (班级简报, R11): numbered per class, a draft until published; "
    "a published one records whether it was on time."
)
class Briefing(Node):
    row: strawberry.Private[db.Briefing]
    number: int
    title: str
    body: str
    status: BriefingStatus
    created_at: dt.datetime
    due_at: dt.datetime = strawberry.field(
        description="The period's deadline (R11): its last second, inclusive."
    )
    published_at: dt.datetime | None
    on_time: bool | None = strawberry.field(
        description="Published by the deadline; null while a draft."
    )

    @strawberry.field
    async def author(self, info: Info) -> Person:
        return await load_person(info, self.row.author_id)

    @strawberry.field
    async def training_class(self, info: Info) -> TrainingClass:
        return await load_class(info, self.row.training_class_id)

    @classmethod
    def of(cls, row: db.Briefing, time_zone: str) -> "Briefing":
        return cls(
            id=encode_id("Briefing", row.id),
            row=row,
            number=row.number,
            title=row.title,
            body=row.body,
            status=row.status,
            created_at=local_time(row.created_at, time_zone),
            due_at=local_time(row.due_at, time_zone),
            published_at=optional_local_time(row.published_at, time_zone),
            on_time=row.on_time,
        )


@strawberry.type(
    description="A discussion topic (研讨主题) of a class (by its tutor) or of a workshop "
    "(by its leader)."
)
class DiscussionTopic(Node):
    row: strawberry.Private[db.DiscussionTopic]
    title: str
    body: str
    created_at: dt.datetime
    post_count: int
    last_post_at: dt.datetime | None

    @strawberry.field
    async def author(self, info: Info) -> Person:
        return await load_person(info, self.row.author_id)

    @strawberry.field
    async def workshop(self, info: Info) -> Workshop:
        return await load_workshop(info, self.row.workshop_id)

    @strawberry.field(description="The class, for a class topic; null for a workshop-wide one.")
    async def training_class(self, info: Info) -> TrainingClass | None:
        if self.row.training_class_id is None:
            return None
        return await load_class(info, self.row.training_class_id)

    @classmethod
    def of(cls, row: db.DiscussionTopic, time_zone: str) -> "DiscussionTopic":
        return cls(
            id=encode_id("DiscussionTopic", row.id),
            row=row,
            title=row.title,
            body=row.body,
            created_at=local_time(row.created_at, time_zone),
            post_count=row.post_count,
            last_post_at=optional_local_time(row.last_post_at, time_zone),
        )


@strawberry.type(description="A post or a reply in a discussion topic.")
class DiscussionPost(Node):
    row: strawberry.Private[db.DiscussionPost]
    time_zone: strawberry.Private[str]
    body: str
    created_at: dt.datetime

    @strawberry.field
    async def author(self, info: Info) -> Person:
        return await load_person(info, self.row.author_id)

    @strawberry.field(description="Posted by a trainee (it counts for their assessment).")
    def by_trainee(self) -> bool:
        return self.row.enrollment_id is not None

    @strawberry.field(description="The post this one replies to.")
    async def parent(self, info: Info) -> "DiscussionPost | None":
        if self.row.parent_id is None:
            return None
        row = await info.context.loaders.by_id(db.DiscussionPost).load(self.row.parent_id)
        return None if row is None else DiscussionPost.of(row, self.time_zone)

    @classmethod
    def of(cls, row: db.DiscussionPost, time_zone: str) -> "DiscussionPost":
        return cls(
            id=encode_id("DiscussionPost", row.id),
            row=row,
            time_zone=time_zone,
            body=row.body,
            created_at=local_time(row.created_at, time_zone),
        )


def _scoped(present: Callable[[S, str], T]) -> Callable[[tuple[use_cases.Scope, S]], T]:
    """Presents a use case's (scope, row) in the program's time zone."""
    return lambda found: present(found[1], found[0].time_zone)


def _present_announcement(found: tuple[use_cases.Scope, db.Announcement]) -> Announcement:
    return Announcement.of(found[1], found[0])


async def _page(
    found: tuple[use_cases.Scope, QuerySet[M]] | None,
    present: Callable[[tuple[use_cases.Scope, M]], T],
    *,
    first: int,
    after: str | None,
    newest_first: bool = True,
    leading: tuple[str, ...] = (),
) -> Connection[T] | None:
    """A page of a use case's (scope, rows), each row presented in the scope; null outside it."""
    if found is None:
        return None
    scope, rows = found
    return await connection(
        rows,
        lambda row: present((scope, row)),
        first=first,
        after=after,
        newest_first=newest_first,
        leading=leading,
    )


@node_loader("Announcement")
async def load_announcement(info: Info, pk: int) -> Announcement | None:
    found = await use_cases.visible_announcement(info.context.viewer, pk)
    return None if found is None else _present_announcement(found)


@node_loader("Briefing")
async def load_briefing(info: Info, pk: int) -> Briefing | None:
    found = await use_cases.visible_briefing(info.context.viewer, pk)
    return None if found is None else _scoped(Briefing.of)(found)


@node_loader("DiscussionTopic")
async def load_topic(info: Info, pk: int) -> DiscussionTopic | None:
    found = await use_cases.visible_topic(info.context.viewer, pk)
    return None if found is None else _scoped(DiscussionTopic.of)(found)


@node_loader("DiscussionPost")
async def load_post(info: Info, pk: int) -> DiscussionPost | None:
    found = await use_cases.visible_post(info.context.viewer, pk)
    return None if found is None else _scoped(DiscussionPost.of)(found)


@strawberry.input
class PostAnnouncementInput:
    class_id: strawberry.ID
    title: str
    body: str
    pinned: bool = False


@strawberry.input(description="Changes to an announcement; omitted fields stay as they are.")
class UpdateAnnouncementInput:
    id: strawberry.ID
    title: str | None = None
    body: str | None = None
    pinned: bool | None = strawberry.field(default=None, description="Pin or unpin it.")


@strawberry.input
class MarkAnnouncementReadInput:
    announcement_id: strawberry.ID


@strawberry.input
class CreateBriefingDraftInput:
    class_id: strawberry.ID


@strawberry.input(description="Changes to a draft briefing; omitted fields stay as they are.")
class UpdateBriefingInput:
    id: strawberry.ID
    title: str | None = None
    body: str | None = None


@strawberry.input
class PublishBriefingInput:
    id: strawberry.ID


@strawberry.input(
    description="Give exactly one of workshopId (the leader) and classId (its tutor)."
)
class OpenDiscussionInput:
    title: str
    body: str
    workshop_id: strawberry.ID | None = None
    class_id: strawberry.ID | None = None


@strawberry.input
class PostToDiscussionInput:
    topic_id: strawberry.ID
    body: str
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="The post to reply to, in the same topic."
    )


@strawberry.type
class AnnouncementPayload:
    announcement: Announcement | None
    user_errors: list[UserError]


@strawberry.type
class BriefingPayload:
    briefing: Briefing | None
    user_errors: list[UserError]


@strawberry.type
class DiscussionTopicPayload:
    topic: DiscussionTopic | None
    user_errors: list[UserError]


@strawberry.type
class DiscussionPostPayload:
    post: DiscussionPost | None
    user_errors: list[UserError]


@strawberry.type
class Query:
    @strawberry.field(
        description="A class's announcements, pinned first, then newest; for its trainees, its "
        "tutor and the workshop leader (null otherwise)."
    )
    async def announcements(
        self, info: Info, class_id: strawberry.ID, first: int = 20, after: str | None = None
    ) -> Connection[Announcement] | None:
        return await _page(
            await use_cases.class_announcements(
                info.context.viewer, found_pk(class_id, "TrainingClass")
            ),
            _present_announcement,
            first=first,
            after=after,
            leading=use_cases.PINNED_FIRST,
        )

    @strawberry.field(description="The signed-in trainee's unread announcements, pinned first.")
    async def unread_announcements(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[Announcement]:
        viewer = info.context.signed_in()
        zones, unread = await use_cases.unread_announcements(viewer)
        return await connection(
            unread,
            lambda row: Announcement.in_zone(
                row, zones[row.training_class_id], staff=False, viewer_id=viewer.id
            ),
            first=first,
            after=after,
            newest_first=True,
            leading=use_cases.PINNED_FIRST,
        )

    @strawberry.field(
        description="A class's briefings, newest first: drafts for its tutor and the workshop "
        "leader, published ones for its trainees (null outside the class)."
    )
    async def briefings(
        self, info: Info, class_id: strawberry.ID, first: int = 20, after: str | None = None
    ) -> Connection[Briefing] | None:
        return await _page(
            await use_cases.class_briefings(
                info.context.viewer, found_pk(class_id, "TrainingClass")
            ),
            _scoped(Briefing.of),
            first=first,
            after=after,
        )

    @strawberry.field(
        description="Discussion topics, newest first: a class's (classId) or a workshop's "
        "workshop-wide ones (workshopId); null outside them."
    )
    async def discussions(
        self,
        info: Info,
        workshop_id: strawberry.ID | None = None,
        class_id: strawberry.ID | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[DiscussionTopic] | None:
        viewer = info.context.signed_in()
        if names_nothing(workshop_id, "Workshop") or names_nothing(class_id, "TrainingClass"):
            return None
        found = await use_cases.discussions(
            viewer, found_pk(workshop_id, "Workshop"), found_pk(class_id, "TrainingClass")
        )
        return await _page(found, _scoped(DiscussionTopic.of), first=first, after=after)

    @strawberry.field(description="The posts of a topic, oldest first (null outside it).")
    async def discussion_posts(
        self, info: Info, topic_id: strawberry.ID, first: int = 20, after: str | None = None
    ) -> Connection[DiscussionPost] | None:
        return await _page(
            await use_cases.discussion_posts(
                info.context.viewer, found_pk(topic_id, "DiscussionTopic")
            ),
            _scoped(DiscussionPost.of),
            first=first,
            after=after,
            newest_first=False,
        )


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Post an announcement to a class (its tutor).")
    async def post_announcement(
        self, info: Info, input: PostAnnouncementInput
    ) -> AnnouncementPayload:
        announcement, errors = await attempt(
            lambda: use_cases.post_announcement(
                info.context.viewer,
                pk_of(input.class_id, "TrainingClass", "classId"),
                input.title,
                input.body,
                input.pinned,
                info.context.now(),
            ),
            _present_announcement,
        )
        return AnnouncementPayload(announcement=announcement, user_errors=errors)

    @strawberry.mutation(description="Edit, pin or unpin an announcement (the class tutor).")
    async def update_announcement(
        self, info: Info, input: UpdateAnnouncementInput
    ) -> AnnouncementPayload:
        changes = use_cases.AnnouncementChanges(
            title=input.title, body=input.body, pinned=input.pinned
        )
        announcement, errors = await attempt(
            lambda: use_cases.update_announcement(
                info.context.viewer, pk_of(input.id, "Announcement", "id"), changes
            ),
            _present_announcement,
        )
        return AnnouncementPayload(announcement=announcement, user_errors=errors)

    @strawberry.mutation(
        description="Mark an announcement read (a trainee of the class; marking again is fine)."
    )
    async def mark_announcement_read(
        self, info: Info, input: MarkAnnouncementReadInput
    ) -> AnnouncementPayload:
        announcement, errors = await attempt(
            lambda: use_cases.mark_announcement_read(
                info.context.viewer,
                pk_of(input.announcement_id, "Announcement", "announcementId"),
                info.context.now(),
            ),
            _present_announcement,
        )
        return AnnouncementPayload(announcement=announcement, user_errors=errors)

    @strawberry.mutation(
        description="Start the class's next briefing (its tutor, R11), numbered and pre-filled "
        "with the class's live figures."
    )
    async def create_briefing_draft(
        self, info: Info, input: CreateBriefingDraftInput
    ) -> BriefingPayload:
        briefing, errors = await attempt(
            lambda: use_cases.create_briefing_draft(
                info.context.viewer,
                pk_of(input.class_id, "TrainingClass", "classId"),
                info.context.now(),
            ),
            _scoped(Briefing.of),
        )
        return BriefingPayload(briefing=briefing, user_errors=errors)

    @strawberry.mutation(description="Edit a draft briefing (the class tutor).")
    async def update_briefing(self, info: Info, input: UpdateBriefingInput) -> BriefingPayload:
        briefing, errors = await attempt(
            lambda: use_cases.update_briefing(
                info.context.viewer, pk_of(input.id, "Briefing", "id"), input.title, input.body
            ),
            _scoped(Briefing.of),
        )
        return BriefingPayload(briefing=briefing, user_errors=errors)

    @strawberry.mutation(
        description="Publish a draft briefing (the class tutor); records whether it was on time."
    )
    async def publish_briefing(self, info: Info, input: PublishBriefingInput) -> BriefingPayload:
        briefing, errors = await attempt(
            lambda: use_cases.publish_briefing(
                info.context.viewer, pk_of(input.id, "Briefing", "id"), info.context.now()
            ),
            _scoped(Briefing.of),
        )
        return BriefingPayload(briefing=briefing, user_errors=errors)

    @strawberry.mutation(
        description="Open a discussion topic: in a class (its tutor) or a workshop (its leader)."
    )
    async def open_discussion(
        self, info: Info, input: OpenDiscussionInput
    ) -> DiscussionTopicPayload:
        topic, errors = await attempt(
            lambda: use_cases.open_discussion(
                info.context.viewer,
                optional_pk(input.workshop_id, "Workshop", "workshopId"),
                optional_pk(input.class_id, "TrainingClass", "classId"),
                input.title,
                input.body,
                info.context.now(),
            ),
            _scoped(DiscussionTopic.of),
        )
        return DiscussionTopicPayload(topic=topic, user_errors=errors)

    @strawberry.mutation(
        description="Post or reply in a topic: trainees inside their batch window (R1), tutors "
        "and the leader any time."
    )
    async def post_to_discussion(
        self, info: Info, input: PostToDiscussionInput
    ) -> DiscussionPostPayload:
        post, errors = await attempt(
            lambda: use_cases.post_to_discussion(
                info.context.viewer,
                pk_of(input.topic_id, "DiscussionTopic", "topicId"),
                input.body,
                optional_pk(input.parent_id, "DiscussionPost", "parentId"),
                info.context.now(),
            ),
            _scoped(DiscussionPost.of),
        )
        return DiscussionPostPayload(post=post, user_errors=errors)
