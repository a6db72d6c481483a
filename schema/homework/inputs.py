"""Homework (作业) and its recommendation ladder: the inputs."""

import datetime as dt

import strawberry

from lms_plugin.schema.core.enums import GradeLevel, RecommendationLevel
from lms_plugin.schema.core.mutations import id_of


@strawberry.input
class CreateAssignmentInput:
    workshop_id: strawberry.ID = id_of("Workshop")
    title: str
    due_at: dt.datetime = strawberry.field(
        description="Inside the batch window; without an offset, the program's local time."
    )
    instructions: str = ""


@strawberry.input(description="Changes to an assignment; omitted fields stay as they are.")
class UpdateAssignmentInput:
    id: strawberry.ID = id_of("Assignment")
    title: str | None = strawberry.UNSET
    instructions: str | None = strawberry.UNSET
    due_at: dt.datetime | None = strawberry.UNSET


@strawberry.input(description="Text and/or the ids of the trainee's own uploads.")
class SubmitHomeworkInput:
    assignment_id: strawberry.ID = id_of("Assignment")
    text: str = ""
    # `id_of` gives no default; the list keeps its `= []`, with id_of's marking.
    attachment_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, metadata=id_of("Attachment").metadata
    )


@strawberry.input
class ReturnSubmissionInput:
    submission_id: strawberry.ID = id_of("Submission")
    comment: str = strawberry.field(description="What to revise (required).")


@strawberry.input
class GradeSubmissionInput:
    submission_id: strawberry.ID = id_of("Submission")
    score: int = strawberry.field(description="0..100.")
    level: GradeLevel
    comment: str = ""


@strawberry.input
class RecommendSubmissionInput:
    submission_id: strawberry.ID = id_of("Submission")
    level: RecommendationLevel


@strawberry.input
class WithdrawRecommendationInput:
    submission_id: strawberry.ID = id_of("Submission")
    level: RecommendationLevel
