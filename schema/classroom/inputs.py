"""Announcements, briefings (班级简报) and discussions: the inputs."""

import strawberry

from lms_plugin.schema.core.mutations import id_of


@strawberry.input
class PostAnnouncementInput:
    class_id: strawberry.ID = id_of("TrainingClass")
    title: str
    body: str
    pinned: bool = False


@strawberry.input(description="Changes to an announcement; omitted fields stay as they are.")
class UpdateAnnouncementInput:
    id: strawberry.ID = id_of("Announcement")
    title: str | None = None
    body: str | None = None
    pinned: bool | None = strawberry.field(default=None, description="Pin or unpin it.")


@strawberry.input
class MarkAnnouncementReadInput:
    announcement_id: strawberry.ID = id_of("Announcement")


@strawberry.input
class CreateBriefingDraftInput:
    class_id: strawberry.ID = id_of("TrainingClass")


@strawberry.input(description="Changes to a draft briefing; omitted fields stay as they are.")
class UpdateBriefingInput:
    id: strawberry.ID = id_of("Briefing")
    title: str | None = None
    body: str | None = None


@strawberry.input
class PublishBriefingInput:
    id: strawberry.ID = id_of("Briefing")


@strawberry.input(
    description="Give exactly one of workshopId (the leader) and classId (its tutor)."
)
class OpenDiscussionInput:
    title: str
    body: str
    workshop_id: strawberry.ID | None = id_of("Workshop", optional=True)
    class_id: strawberry.ID | None = id_of("TrainingClass", optional=True)


@strawberry.input
class PostToDiscussionInput:
    topic_id: strawberry.ID = id_of("DiscussionTopic")
    body: str
    parent_id: strawberry.ID | None = id_of(
        "DiscussionPost", optional=True, description="The post to reply to, in the same topic."
    )
