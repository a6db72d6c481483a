"""Homework (作业) and its recommendation ladder: the inputs."""

import datetime as dt

import strawberry

from lms_plugin.schema.core.enums import AssignmentKind, GradeLevel, RecommendationLevel
from lms_plugin.schema.core.mutations import id_of


@strawberry.input(description="布置作业（create assignment）。")
class CreateAssignmentInput:
    workshop_id: strawberry.ID = id_of("Workshop", description="布置作业的工作室。")
    title: str = strawberry.field(description="作业标题（title）。")
    due_at: dt.datetime = strawberry.field(
        description="截止时刻（due at）：须在批次学习窗口内；不带时区偏移时按项目当地时间。"
    )
    instructions: str = strawberry.field(default="", description="作业要求（instructions）。")
    kind: AssignmentKind = strawberry.field(
        default=AssignmentKind.HOMEWORK,
        description="类别（kind）：作业（默认）或研修成果；提交和批改相同，考核时分别计。",
    )


@strawberry.input(description="修改作业（assignment）：省略的字段保持不变。")
class UpdateAssignmentInput:
    id: strawberry.ID = id_of("Assignment", description="要修改的作业。")
    title: str | None = strawberry.field(default=strawberry.UNSET, description="作业标题。")
    instructions: str | None = strawberry.field(default=strawberry.UNSET, description="作业要求。")
    due_at: dt.datetime | None = strawberry.field(
        default=strawberry.UNSET,
        description="截止时刻：须在批次学习窗口内；不带时区偏移时按项目当地时间。",
    )


@strawberry.input(description="提交作业（submit homework）：文字和/或学员本人上传的附件。")
class SubmitHomeworkInput:
    assignment_id: strawberry.ID = id_of("Assignment", description="所交的作业。")
    text: str = strawberry.field(default="", description="作业正文（text）。")
    # `id_of` gives no default; the list keeps its `= []`, with id_of's marking.
    attachment_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="附件（Attachment）的 id：学员本人上传的文件。",
        metadata=id_of("Attachment").metadata,
    )


@strawberry.input(description="退回作业修改（return submission）。")
class ReturnSubmissionInput:
    submission_id: strawberry.ID = id_of("Submission", description="要退回的作业提交。")
    comment: str = strawberry.field(description="修改意见（comment），必填。")


@strawberry.input(description="批改作业（grade submission，R10）。")
class GradeSubmissionInput:
    submission_id: strawberry.ID = id_of("Submission", description="要批改的作业提交。")
    score: int = strawberry.field(description="分数（score）：0 至 100。")
    level: GradeLevel = strawberry.field(description="等级（level）。")
    comment: str = strawberry.field(default="", description="批改评语（comment）。")


@strawberry.input(description="推荐作业（recommend submission，R10）。")
class RecommendSubmissionInput:
    submission_id: strawberry.ID = id_of("Submission", description="要推荐的作业提交。")
    level: RecommendationLevel = strawberry.field(
        description="推荐到的层级（level）：须已有其下一级的推荐。"
    )


@strawberry.input(description="撤销推荐（withdraw recommendation，R10）。")
class WithdrawRecommendationInput:
    submission_id: strawberry.ID = id_of("Submission", description="被推荐的作业提交。")
    level: RecommendationLevel = strawberry.field(
        description="撤销的层级（level）；其上各层级的推荐一并撤销。"
    )
