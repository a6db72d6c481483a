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


@strawberry.type
class AnnouncementPayload:
    announcement: Announcement | None
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type
class BriefingPayload:
    briefing: Briefing | None
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type
class DiscussionTopicPayload:
    topic: DiscussionTopic | None
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type
class DiscussionPostPayload:
    post: DiscussionPost | None
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


def _announcement(found: tuple[use_cases.Scope, db.Announcement], info: Info) -> Announcement:
    return _present_announcement(found)


def _in_zone(
    present: Callable[[S, str], T],
) -> Callable[[tuple[use_cases.Scope, S], Info], T]:
    """Presents a use case's (scope, row) in the program's time zone."""
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
        description="Post an announcement (发布班级公告) to a class.",
    )
    update_announcement = mutation(
        use_cases.update_announcement,
        input=UpdateAnnouncementInput,
        payload=AnnouncementPayload,
        arguments=lambda call: (call.ids["id"], _announcement_changes(call.input)),
        present=_announcement,
        description="Edit, pin or unpin an announcement (修改、置顶公告).",
    )
    mark_announcement_read = mutation(
        use_cases.mark_announcement_read,
        input=MarkAnnouncementReadInput,
        payload=AnnouncementPayload,
        arguments=lambda call: (call.ids["announcement_id"], call.now),
        present=_announcement,
        description="Mark an announcement read (公告已读); marking again is fine.",
    )
    create_briefing_draft = mutation(
        use_cases.create_briefing_draft,
        input=CreateBriefingDraftInput,
        payload=BriefingPayload,
        arguments=lambda call: (call.ids["class_id"], call.now),
        present=_in_zone(Briefing.of),
        description=(
            "Start the class's next briefing (班级简报, R11), numbered and pre-filled with the "
            "class's live figures."
        ),
    )
    update_briefing = mutation(
        use_cases.update_briefing,
        input=UpdateBriefingInput,
        payload=BriefingPayload,
        arguments=lambda call: (call.ids["id"], call.input.title, call.input.body),
        present=_in_zone(Briefing.of),
        description="Edit a draft briefing (修改简报草稿).",
    )
    publish_briefing = mutation(
        use_cases.publish_briefing,
        input=PublishBriefingInput,
        payload=BriefingPayload,
        arguments=lambda call: (call.ids["id"], call.now),
        present=_in_zone(Briefing.of),
        description="Publish a draft briefing (发布简报); records whether it was on time.",
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
        present=_in_zone(DiscussionTopic.of),
        description="Open a discussion topic (发起研讨) in a class or a workshop.",
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
        present=_in_zone(DiscussionPost.of),
        description=(
            "Post or reply in a topic (研讨发帖): trainees inside their batch window (R1), "
            "tutors and the leader any time."
        ),
    )
