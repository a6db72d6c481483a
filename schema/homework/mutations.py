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


@strawberry.type
class AssignmentPayload:
    assignment: Assignment | None
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type
class SubmissionPayload:
    submission: Submission | None
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type
class RecommendPayload:
    recommendation: Recommendation | None
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type
class WithdrawRecommendationPayload:
    submission: Submission | None
    withdrawn: list[Recommendation] | None = strawberry.field(
        description="The steps withdrawn: the one asked for and the active ones above it."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


def _draft(input: CreateAssignmentInput) -> use_cases.AssignmentDraft:
    return use_cases.AssignmentDraft(
        title=input.title, instructions=input.instructions, due_at=input.due_at
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
        description="Set an assignment (布置作业) in a workshop.",
    )
    update_assignment = mutation(
        use_cases.update_assignment,
        input=UpdateAssignmentInput,
        payload=AssignmentPayload,
        arguments=lambda call: (call.ids["id"], changes_of(call), call.now),
        present=lambda row, info: Assignment.of(row),
        description="Change an assignment (修改作业); omitted fields stay as they are.",
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
            "Submit homework (提交作业) inside the batch window (R1); replaces it until graded "
            "(R10)."
        ),
    )
    return_submission = mutation(
        use_cases.return_submission,
        input=ReturnSubmissionInput,
        payload=SubmissionPayload,
        arguments=lambda call: (call.ids["submission_id"], call.input.comment, call.now),
        present=_submission,
        description="Return a submission for revision (退回修改).",
    )
    grade_submission = mutation(
        use_cases.grade_submission,
        input=GradeSubmissionInput,
        payload=SubmissionPayload,
        arguments=lambda call: (call.ids["submission_id"], _grade(call.input), call.now),
        present=_submission,
        description="Grade a submission (批改作业, R10).",
    )
    recommend_submission = mutation(
        use_cases.recommend_submission,
        input=RecommendSubmissionInput,
        payload=RecommendPayload,
        arguments=lambda call: (call.ids["submission_id"], call.input.level, call.now),
        present=lambda row, info: Recommendation.of(row),
        description=(
            "Recommend (推荐) a graded, passing submission one step up the ladder (R10): "
            "CLASS, WORKSHOP, then HOME."
        ),
    )
    withdraw_recommendation = mutation(
        use_cases.withdraw_recommendation,
        input=WithdrawRecommendationInput,
        payload=WithdrawRecommendationPayload,
        arguments=lambda call: (call.ids["submission_id"], call.input.level, call.now),
        present=_withdrawn,
        description="Withdraw a step of the ladder (撤销推荐); the steps above it go too.",
    )
