"""Homework (作业) and its recommendation ladder: the mutations."""

import strawberry

from lms_plugin.resolvers.homework import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.errors import USER_ERRORS, UserError
from lms_plugin.schema.core.mutations import changes_of, mutation
from lms_plugin.storage import models as db

from .inputs import (
    CreateAssignmentInput,
    GradeSubmissionInput,
    RecommendSubmissionInput,
    ReturnSubmissionInput,
    SubmitHomeworkInput,
    UpdateAssignmentInput,
    WithdrawRecommendationInput,
)
from .types import Assignment, Recommendation, Submission


@strawberry.type(description="作业变更的结果（payload）：成功时为作业，被拒绝时为 userErrors。")
class AssignmentPayload:
    assignment: Assignment | None = strawberry.field(description="作业；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="作业提交变更的结果（payload）：成功时为提交，被拒绝时为 userErrors。")
class SubmissionPayload:
    submission: Submission | None = strawberry.field(description="作业提交；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="推荐的结果（payload）：成功时为推荐，被拒绝时为 userErrors。")
class RecommendPayload:
    recommendation: Recommendation | None = strawberry.field(
        description="新的推荐；被拒绝时为 null。"
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(
    description="撤销推荐的结果（payload）：成功时为作业提交和撤销的推荐，被拒绝时为 userErrors。"
)
class WithdrawRecommendationPayload:
    submission: Submission | None = strawberry.field(description="作业提交；被拒绝时为 null。")
    withdrawn: list[Recommendation] | None = strawberry.field(
        description="撤销的推荐（withdrawn）：所指的层级及其上仍有效的层级；被拒绝时为 null。"
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


def _draft(input: CreateAssignmentInput) -> use_cases.AssignmentDraft:
    return use_cases.AssignmentDraft(
        title=input.title, instructions=input.instructions, due_at=input.due_at, kind=input.kind
    )


def _grade(input: GradeSubmissionInput) -> use_cases.Grade:
    return use_cases.Grade(score=input.score, level=input.level, comment=input.comment)


def _submission(row: db.Submission, info: Info) -> Submission:
    return Submission.of(row)


def _withdrawn(
    found: tuple[db.Submission, list[db.Recommendation]], info: Info
) -> WithdrawRecommendationPayload:
    submission, withdrawn = found
    return WithdrawRecommendationPayload(
        submission=Submission.of(submission),
        withdrawn=[Recommendation.of(row) for row in withdrawn],
        user_errors=[],
    )


@strawberry.type
class Mutation:
    create_assignment = mutation(
        use_cases.create_assignment,
        input=CreateAssignmentInput,
        payload=AssignmentPayload,
        arguments=lambda call: (call.ids["workshop_id"], _draft(call.input), call.now),
        present=lambda row, info: Assignment.of(row),
        description="在工作室布置作业或研修成果（create assignment）。",
    )
    update_assignment = mutation(
        use_cases.update_assignment,
        input=UpdateAssignmentInput,
        payload=AssignmentPayload,
        arguments=lambda call: (call.ids["id"], changes_of(call), call.now),
        present=lambda row, info: Assignment.of(row),
        description="修改作业（update assignment）；省略的字段保持不变。",
    )
    submit_homework = mutation(
        use_cases.submit_homework,
        input=SubmitHomeworkInput,
        payload=SubmissionPayload,
        arguments=lambda call: (
            call.ids["assignment_id"],
            call.input.text,
            call.ids["attachment_ids"],
            call.now,
        ),
        present=_submission,
        description=(
            "提交作业（submit homework）：须在批次学习窗口内（R1）；批改之前重新提交会替换"
            "当前的提交（R10）。"
        ),
    )
    return_submission = mutation(
        use_cases.return_submission,
        input=ReturnSubmissionInput,
        payload=SubmissionPayload,
        arguments=lambda call: (call.ids["submission_id"], call.input.comment, call.now),
        present=_submission,
        description="退回作业修改（return submission）：只有学员所在班级的辅导教师（R10）。",
    )
    grade_submission = mutation(
        use_cases.grade_submission,
        input=GradeSubmissionInput,
        payload=SubmissionPayload,
        arguments=lambda call: (call.ids["submission_id"], _grade(call.input), call.now),
        present=_submission,
        description="批改作业（grade submission）：只有学员所在班级的辅导教师（R10）。",
    )
    recommend_submission = mutation(
        use_cases.recommend_submission,
        input=RecommendSubmissionInput,
        payload=RecommendPayload,
        arguments=lambda call: (call.ids["submission_id"], call.input.level, call.now),
        present=lambda row, info: Recommendation.of(row),
        description=(
            "推荐作业（recommend submission）：已批改且合格的作业沿推荐层级上升一级（R10）："
            "班级 CLASS、工作室 WORKSHOP、首页 HOME。"
        ),
    )
    withdraw_recommendation = mutation(
        use_cases.withdraw_recommendation,
        input=WithdrawRecommendationInput,
        payload=WithdrawRecommendationPayload,
        arguments=lambda call: (call.ids["submission_id"], call.input.level, call.now),
        present=_withdrawn,
        description="撤销推荐（withdraw recommendation）：撤销一个层级，"
        "其上的层级一并撤销（R10）。",
    )
