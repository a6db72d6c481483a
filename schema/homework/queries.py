"""Homework (作业) and its recommendation ladder: the queries."""

import strawberry

from lms_plugin.resolvers.homework import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.ids import found_pk
from lms_plugin.schema.core.pagination import After, Connection, First, connection

from .types import Assignment, Recommendation, Submission


@strawberry.type
class Query:
    @strawberry.field(
        description="A workshop's assignments, oldest first (its leader, team, trainees)."
    )
    async def assignments(
        self, info: Info, workshop_id: strawberry.ID, first: First = 20, after: After = None
    ) -> Connection[Assignment]:
        return await connection(
            await use_cases.assignments_of(info.context.viewer, found_pk(workshop_id, "Workshop")),
            Assignment.of,
            first=first,
            after=after,
        )

    @strawberry.field(description="The viewer's own submissions, newest first.")
    async def my_submissions(
        self, info: Info, first: First = 20, after: After = None
    ) -> Connection[Submission]:
        return await connection(
            use_cases.my_submissions(info.context.viewer),
            Submission.of,
            first=first,
            after=after,
            newest_first=True,
        )

    @strawberry.field(
        description="Submissions waiting for grading in the viewer's classes, oldest first."
    )
    async def grading_queue(
        self, info: Info, first: First = 20, after: After = None
    ) -> Connection[Submission]:
        return await connection(
            await use_cases.grading_queue(info.context.viewer),
            Submission.of,
            first=first,
            after=after,
            leading=("submitted_at",),
        )

    @strawberry.field(description="Work the class tutor recommended (班级推荐), newest first.")
    async def class_showcase(
        self, info: Info, class_id: strawberry.ID, first: First = 20, after: After = None
    ) -> Connection[Recommendation]:
        return await connection(
            use_cases.class_showcase(info.context.viewer, found_pk(class_id, "TrainingClass")),
            Recommendation.of,
            first=first,
            after=after,
            newest_first=True,
        )

    @strawberry.field(description="Work the workshop leader lifted (工作室推荐), newest first.")
    async def workshop_showcase(
        self, info: Info, workshop_id: strawberry.ID, first: First = 20, after: After = None
    ) -> Connection[Recommendation]:
        return await connection(
            use_cases.workshop_showcase(info.context.viewer, found_pk(workshop_id, "Workshop")),
            Recommendation.of,
            first=first,
            after=after,
            newest_first=True,
        )

    @strawberry.field(description="Work featured on the home page (首页推荐), newest first.")
    async def home_gallery(
        self, info: Info, program_id: strawberry.ID, first: First = 20, after: After = None
    ) -> Connection[Recommendation]:
        return await connection(
            use_cases.home_gallery(info.context.viewer, found_pk(program_id, "Program")),
            Recommendation.of,
            first=first,
            after=after,
            newest_first=True,
        )
