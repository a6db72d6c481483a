"""Announcements, briefings (班级简报) and discussions: the queries."""

from collections.abc import Callable
from typing import Annotated, TypeVar

import strawberry

from lms_plugin.resolvers.classroom import use_cases
from lms_plugin.resolvers.core.pagination import Listing, Row
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.ids import found_pk, names_nothing
from lms_plugin.schema.core.pagination import After, Connection, First, connection

from .types import (
    Announcement,
    Briefing,
    DiscussionPost,
    DiscussionTopic,
    T,
    _present_announcement,
    _scoped,
)

M = TypeVar("M", bound=Row)

# The class argument of the class lists.
ClassArgument = Annotated[
    strawberry.ID, strawberry.argument(description="班级（training class）。")
]


async def _page(
    found: tuple[use_cases.Scope, Listing[M]] | None,
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


@strawberry.type
class Query:
    @strawberry.field(
        description="班级公告（announcements）：置顶的在前，其次新的在前；班级学员、辅导教师和"
        "工作室主持人可见（其他人为 null）。"
    )
    async def announcements(
        self, info: Info, class_id: ClassArgument, first: First = 20, after: After = None
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

    @strawberry.field(description="登录学员的未读公告（unread announcements），置顶的在前。")
    async def unread_announcements(
        self, info: Info, first: First = 20, after: After = None
    ) -> Connection[Announcement]:
        viewer = info.context.signed_in()
        return await connection(
            await use_cases.unread_announcements(viewer),
            lambda row: Announcement.for_viewer(row, staff=False, viewer_id=viewer.id),
            first=first,
            after=after,
            newest_first=True,
            leading=use_cases.PINNED_FIRST,
        )

    @strawberry.field(
        description="班级简报（briefings），新的在前：辅导教师和工作室主持人看到草稿，学员只看到"
        "已发布的（班级之外为 null）。"
    )
    async def briefings(
        self, info: Info, class_id: ClassArgument, first: First = 20, after: After = None
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
        description="研讨主题（discussions），新的在前：班级的（classId），或工作室面向全体的"
        "（workshopId）；范围之外为 null。"
    )
    async def discussions(
        self,
        info: Info,
        workshop_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="工作室：列出面向整个工作室的研讨主题。"),
        ] = None,
        class_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="班级：列出班级研讨主题。")
        ] = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[DiscussionTopic] | None:
        viewer = info.context.signed_in()
        if names_nothing(workshop_id, "Workshop") or names_nothing(class_id, "TrainingClass"):
            return None
        found = await use_cases.discussions(
            viewer, found_pk(workshop_id, "Workshop"), found_pk(class_id, "TrainingClass")
        )
        return await _page(found, _scoped(DiscussionTopic.of), first=first, after=after)

    @strawberry.field(
        description="研讨主题的帖子（discussion posts），旧的在前（范围之外为 null）。"
    )
    async def discussion_posts(
        self,
        info: Info,
        topic_id: Annotated[strawberry.ID, strawberry.argument(description="研讨主题。")],
        first: First = 20,
        after: After = None,
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
