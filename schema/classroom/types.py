"""Announcements, briefings (班级简报) and discussions: the types."""

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

import strawberry

from lms_plugin.resolvers.classroom import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import BriefingStatus
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.schema.core.node import Node, node_loader
from lms_plugin.schema.core.pagination import After, Connection, First, list_connection
from lms_plugin.schema.core.scalars import local_time, optional_local_time
from lms_plugin.schema.enrollment.types import Enrollment
from lms_plugin.schema.people.types import Person, load_person
from lms_plugin.schema.workshops.types import TrainingClass, Workshop, load_class, load_workshop
from lms_plugin.storage import models as db

S = TypeVar("S")


T = TypeVar("T")


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
        self, info: Info, first: First = 20, after: After = None
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
