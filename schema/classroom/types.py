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
from lms_plugin.schema.enrollment.types import Enrollment
from lms_plugin.schema.people.types import Person, load_person
from lms_plugin.schema.workshops.types import TrainingClass, Workshop, load_class, load_workshop
from lms_plugin.storage import models as db

S = TypeVar("S")


T = TypeVar("T")


@strawberry.type(description="班级公告（announcement）：由班级辅导教师发布；置顶的排在前面。")
class Announcement(Node):
    row: strawberry.Private[db.Announcement]
    # The viewer tutors the class or leads its workshop: they may see who has not read it.
    staff: strawberry.Private[bool]
    viewer_id: strawberry.Private[int]
    title: str = strawberry.field(description="公告标题（title）。")
    body: str = strawberry.field(description="公告正文（body）。")
    pinned: bool = strawberry.field(description="置顶（pinned）。")
    published_at: dt.datetime = strawberry.field(description="发布时刻（published at）。")

    async def _reads(self, info: Info) -> list[db.AnnouncementRead]:
        return await info.context.loaders.grouped(db.AnnouncementRead, "announcement_id").load(
            self.row.id
        )

    @strawberry.field(description="发布人（author）。")
    async def author(self, info: Info) -> Person:
        return await load_person(info, self.row.author_id)

    @strawberry.field(description="公告所属的班级（training class）。")
    async def training_class(self, info: Info) -> TrainingClass:
        return await load_class(info, self.row.training_class_id)

    @strawberry.field(description="已读人数（read count）。")
    async def read_count(self, info: Info) -> int:
        return len(await self._reads(info))

    @strawberry.field(description="登录者是否已标为已读（read by me）。")
    async def read_by_me(self, info: Info) -> bool:
        return any(read.person_id == self.viewer_id for read in await self._reads(info))

    @strawberry.field(
        description="班级中尚未阅读的学员（unread by）；只有班级辅导教师和工作室主持人可见，"
        "其他人为 null。"
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
        return cls.for_viewer(row, staff=scope.staff, viewer_id=scope.viewer.id)

    @classmethod
    def for_viewer(cls, row: db.Announcement, *, staff: bool, viewer_id: int) -> "Announcement":
        return cls(
            id=encode_id("Announcement", row.id),
            row=row,
            staff=staff,
            viewer_id=viewer_id,
            title=row.title,
            body=row.body,
            pinned=row.pinned,
            published_at=row.published_at,
        )


@strawberry.type(
    description="班级简报（class briefing，R11）：按班级编号，发布之前是草稿；"
    "已发布的记录是否按时。"
)
class Briefing(Node):
    row: strawberry.Private[db.Briefing]
    number: int = strawberry.field(description="期号（number）：在班级内依次编号（R11）。")
    title: str = strawberry.field(description="简报标题（title）。")
    body: str = strawberry.field(description="简报正文（body）。")
    status: BriefingStatus = strawberry.field(description="状态（status）：草稿或已发布。")
    created_at: dt.datetime = strawberry.field(description="起草时刻（created at）。")
    due_at: dt.datetime = strawberry.field(
        description="本期的截止时刻（due at，R11）：期末的最后一秒，含。"
    )
    published_at: dt.datetime | None = strawberry.field(
        description="发布时刻（published at）；草稿为 null。"
    )
    on_time: bool | None = strawberry.field(
        description="按时（on time）：在截止时刻之前发布；草稿为 null（R11）。"
    )

    @strawberry.field(description="撰写人（author）。")
    async def author(self, info: Info) -> Person:
        return await load_person(info, self.row.author_id)

    @strawberry.field(description="简报所属的班级（training class）。")
    async def training_class(self, info: Info) -> TrainingClass:
        return await load_class(info, self.row.training_class_id)

    @classmethod
    def of(cls, row: db.Briefing) -> "Briefing":
        return cls(
            id=encode_id("Briefing", row.id),
            row=row,
            number=row.number,
            title=row.title,
            body=row.body,
            status=row.status,
            created_at=row.created_at,
            due_at=row.due_at,
            published_at=row.published_at,
            on_time=row.on_time,
        )


@strawberry.type(
    description="研讨主题（discussion topic）：班级的（由辅导教师发起）或工作室的（由主持人发起）。"
)
class DiscussionTopic(Node):
    row: strawberry.Private[db.DiscussionTopic]
    title: str = strawberry.field(description="标题（title）。")
    body: str = strawberry.field(description="正文（body）。")
    created_at: dt.datetime = strawberry.field(description="发起时刻（created at）。")
    post_count: int = strawberry.field(description="帖子数（post count）。")
    last_post_at: dt.datetime | None = strawberry.field(
        description="最后一次发帖的时刻（last post at）；尚无帖子时为 null。"
    )

    @strawberry.field(description="发起人（author）。")
    async def author(self, info: Info) -> Person:
        return await load_person(info, self.row.author_id)

    @strawberry.field(description="所属工作室（workshop）。")
    async def workshop(self, info: Info) -> Workshop:
        return await load_workshop(info, self.row.workshop_id)

    @strawberry.field(description="班级研讨所属的班级（training class）；工作室研讨为 null。")
    async def training_class(self, info: Info) -> TrainingClass | None:
        if self.row.training_class_id is None:
            return None
        return await load_class(info, self.row.training_class_id)

    @classmethod
    def of(cls, row: db.DiscussionTopic) -> "DiscussionTopic":
        return cls(
            id=encode_id("DiscussionTopic", row.id),
            row=row,
            title=row.title,
            body=row.body,
            created_at=row.created_at,
            post_count=row.post_count,
            last_post_at=row.last_post_at,
        )


@strawberry.type(description="研讨帖子（discussion post）：研讨主题中的发帖或回复。")
class DiscussionPost(Node):
    row: strawberry.Private[db.DiscussionPost]
    body: str = strawberry.field(description="正文（body）。")
    created_at: dt.datetime = strawberry.field(description="发帖时刻（created at）。")

    @strawberry.field(description="发帖人（author）。")
    async def author(self, info: Info) -> Person:
        return await load_person(info, self.row.author_id)

    @strawberry.field(description="学员所发（by trainee）：计入其考核。")
    def by_trainee(self) -> bool:
        return self.row.enrollment_id is not None

    @strawberry.field(description="所回复的帖子（parent）；主帖为 null。")
    async def parent(self, info: Info) -> "DiscussionPost | None":
        if self.row.parent_id is None:
            return None
        row = await info.context.loaders.by_id(db.DiscussionPost).load(self.row.parent_id)
        return None if row is None else DiscussionPost.of(row)

    @classmethod
    def of(cls, row: db.DiscussionPost) -> "DiscussionPost":
        return cls(
            id=encode_id("DiscussionPost", row.id),
            row=row,
            body=row.body,
            created_at=row.created_at,
        )


def _scoped(present: Callable[[S], T]) -> Callable[[tuple[use_cases.Scope, S]], T]:
    """Presents the row of a use case's (scope, row)."""
    return lambda found: present(found[1])


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
