"""Announcements, briefings (班级简报) and discussions: the mutations."""

from collections.abc import Callable
from typing import TypeVar

import strawberry

from lms_plugin.resolvers.classroom import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.errors import USER_ERRORS, UserError
from lms_plugin.schema.core.mutations import mutation
from lms_plugin.storage import models as db

from .inputs import (
    CreateBriefingDraftInput,
    MarkAnnouncementReadInput,
    OpenDiscussionInput,
    PostAnnouncementInput,
    PostToDiscussionInput,
    PublishBriefingInput,
    UpdateAnnouncementInput,
    UpdateBriefingInput,
)
from .types import (
    Announcement,
    Briefing,
    DiscussionPost,
    DiscussionTopic,
    _present_announcement,
    _scoped,
)

S = TypeVar("S")
T = TypeVar("T")


@strawberry.type(description="公告变更的结果（payload）：成功时为公告，被拒绝时为 userErrors。")
class AnnouncementPayload:
    announcement: Announcement | None = strawberry.field(description="公告；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="简报变更的结果（payload）：成功时为简报，被拒绝时为 userErrors。")
class BriefingPayload:
    briefing: Briefing | None = strawberry.field(description="简报；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="发起研讨的结果（payload）：成功时为研讨主题，被拒绝时为 userErrors。")
class DiscussionTopicPayload:
    topic: DiscussionTopic | None = strawberry.field(description="研讨主题；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="研讨发帖的结果（payload）：成功时为帖子，被拒绝时为 userErrors。")
class DiscussionPostPayload:
    post: DiscussionPost | None = strawberry.field(description="帖子；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


def _announcement(found: tuple[use_cases.Scope, db.Announcement], info: Info) -> Announcement:
    return _present_announcement(found)


def _row_of(present: Callable[[S], T]) -> Callable[[tuple[use_cases.Scope, S], Info], T]:
    """Presents the row of a use case's (scope, row)."""
    scoped = _scoped(present)
    return lambda found, info: scoped(found)


def _announcement_changes(input: UpdateAnnouncementInput) -> use_cases.AnnouncementChanges:
    return use_cases.AnnouncementChanges(title=input.title, body=input.body, pinned=input.pinned)


@strawberry.type
class Mutation:
    post_announcement = mutation(
        use_cases.post_announcement,
        input=PostAnnouncementInput,
        payload=AnnouncementPayload,
        arguments=lambda call: (
            call.ids["class_id"],
            call.input.title,
            call.input.body,
            call.input.pinned,
            call.now,
        ),
        present=_announcement,
        description="向班级发布公告（post announcement）。",
    )
    update_announcement = mutation(
        use_cases.update_announcement,
        input=UpdateAnnouncementInput,
        payload=AnnouncementPayload,
        arguments=lambda call: (call.ids["id"], _announcement_changes(call.input)),
        present=_announcement,
        description="修改公告，或置顶、取消置顶（update announcement）。",
    )
    mark_announcement_read = mutation(
        use_cases.mark_announcement_read,
        input=MarkAnnouncementReadInput,
        payload=AnnouncementPayload,
        arguments=lambda call: (call.ids["announcement_id"], call.now),
        present=_announcement,
        description="把公告标为已读（mark announcement read）；重复标记无妨。",
    )
    create_briefing_draft = mutation(
        use_cases.create_briefing_draft,
        input=CreateBriefingDraftInput,
        payload=BriefingPayload,
        arguments=lambda call: (call.ids["class_id"], call.now),
        present=_row_of(Briefing.of),
        description=(
            "起草班级的下一期简报（create briefing draft，R11）：按班级编号，预先填入班级的"
            "实时数据。"
        ),
    )
    update_briefing = mutation(
        use_cases.update_briefing,
        input=UpdateBriefingInput,
        payload=BriefingPayload,
        arguments=lambda call: (call.ids["id"], call.input.title, call.input.body),
        present=_row_of(Briefing.of),
        description="修改简报草稿（update briefing）。",
    )
    publish_briefing = mutation(
        use_cases.publish_briefing,
        input=PublishBriefingInput,
        payload=BriefingPayload,
        arguments=lambda call: (call.ids["id"], call.now),
        present=_row_of(Briefing.of),
        description="发布简报草稿（publish briefing）；记录是否按时（R11）。",
    )
    open_discussion = mutation(
        use_cases.open_discussion,
        input=OpenDiscussionInput,
        payload=DiscussionTopicPayload,
        arguments=lambda call: (
            call.ids["workshop_id"],
            call.ids["class_id"],
            call.input.title,
            call.input.body,
            call.now,
        ),
        present=_row_of(DiscussionTopic.of),
        description="在班级或工作室发起研讨主题（open discussion）。",
    )
    post_to_discussion = mutation(
        use_cases.post_to_discussion,
        input=PostToDiscussionInput,
        payload=DiscussionPostPayload,
        arguments=lambda call: (
            call.ids["topic_id"],
            call.input.body,
            call.ids["parent_id"],
            call.now,
        ),
        present=_row_of(DiscussionPost.of),
        description=(
            "在研讨主题中发帖或回复（post to discussion）：学员须在其批次学习窗口内（R1），"
            "辅导教师和工作室主持人随时可以。"
        ),
    )
