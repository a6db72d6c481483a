"""Announcements, briefings (班级简报) and discussions: the inputs."""

import strawberry

from lms_plugin.schema.core.mutations import id_of


@strawberry.input(description="发布班级公告（post announcement）。")
class PostAnnouncementInput:
    class_id: strawberry.ID = id_of("TrainingClass", description="发布公告的班级。")
    title: str = strawberry.field(description="公告标题（title）。")
    body: str = strawberry.field(description="公告正文（body）。")
    pinned: bool = strawberry.field(default=False, description="置顶（pinned）。")


@strawberry.input(description="修改公告（announcement）：省略的字段保持不变。")
class UpdateAnnouncementInput:
    id: strawberry.ID = id_of("Announcement", description="要修改的公告。")
    title: str | None = strawberry.field(default=None, description="公告标题。")
    body: str | None = strawberry.field(default=None, description="公告正文。")
    pinned: bool | None = strawberry.field(default=None, description="置顶或取消置顶。")


@strawberry.input(description="把公告标为已读（mark announcement read）。")
class MarkAnnouncementReadInput:
    announcement_id: strawberry.ID = id_of("Announcement", description="已读的公告。")


@strawberry.input(description="起草班级的下一期简报（create briefing draft，R11）。")
class CreateBriefingDraftInput:
    class_id: strawberry.ID = id_of("TrainingClass", description="简报所属的班级。")


@strawberry.input(description="修改简报草稿（briefing draft）：省略的字段保持不变。")
class UpdateBriefingInput:
    id: strawberry.ID = id_of("Briefing", description="要修改的简报草稿。")
    title: str | None = strawberry.field(default=None, description="简报标题。")
    body: str | None = strawberry.field(default=None, description="简报正文。")


@strawberry.input(description="发布简报草稿（publish briefing，R11）。")
class PublishBriefingInput:
    id: strawberry.ID = id_of("Briefing", description="要发布的简报草稿。")


@strawberry.input(
    description="发起研讨（open discussion）：workshopId（工作室主持人）和 classId（班级辅导教师）"
    "恰好给出一个。"
)
class OpenDiscussionInput:
    title: str = strawberry.field(description="研讨主题的标题（title）。")
    body: str = strawberry.field(description="研讨主题的正文（body）。")
    workshop_id: strawberry.ID | None = id_of(
        "Workshop", optional=True, description="工作室：发起面向整个工作室的研讨。"
    )
    class_id: strawberry.ID | None = id_of(
        "TrainingClass", optional=True, description="班级：发起班级研讨。"
    )


@strawberry.input(description="在研讨主题中发帖或回复（post to discussion）。")
class PostToDiscussionInput:
    topic_id: strawberry.ID = id_of("DiscussionTopic", description="研讨主题。")
    body: str = strawberry.field(description="帖子正文（body）。")
    parent_id: strawberry.ID | None = id_of(
        "DiscussionPost", optional=True, description="回复的帖子（parent），须在同一主题中。"
    )
