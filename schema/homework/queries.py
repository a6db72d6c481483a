"""Homework (作业) and its recommendation ladder: the queries."""

from typing import Annotated

import strawberry

from lms_plugin.resolvers.homework import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.ids import found_pk
from lms_plugin.schema.core.pagination import (
    After,
    Connection,
    First,
    connection,
    page_request,
    read_connection,
)

from .types import Assignment, Recommendation, Submission


@strawberry.type
class Query:
    @strawberry.field(
        description="工作室的作业（assignments），先布置的在前；主持人、辅导团队和学员可见。"
    )
    async def assignments(
        self,
        info: Info,
        workshop_id: Annotated[strawberry.ID, strawberry.argument(description="工作室。")],
        first: First = 20,
        after: After = None,
    ) -> Connection[Assignment]:
        return await connection(
            await use_cases.assignments_of(info.context.viewer, found_pk(workshop_id, "Workshop")),
            Assignment.of,
            first=first,
            after=after,
        )

    @strawberry.field(description="登录者本人的作业提交（my submissions），新的在前。")
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
        description="登录者所辅导班级中待批改的作业提交（grading queue），先交的在前。"
    )
    async def grading_queue(
        self, info: Info, first: First = 20, after: After = None
    ) -> Connection[Submission]:
        viewer = info.context.signed_in()
        after_key = page_request(first, after)
        page = await use_cases.grading_queue(viewer, first, after_key)
        info.context.loaders.prime(
            *(row.assignment for row in page.rows),
            *(row.enrollment for row in page.rows),
            *(row.training_class for row in page.rows if row.training_class is not None),
        )
        return read_connection(
            [(row.submission.id, Submission.of(row.submission, row.trainee)) for row in page.rows],
            has_next_page=page.has_next_page,
            after=after_key,
            total=page.total,
        )

    @strawberry.field(description="班级推荐（class showcase）：班级辅导教师推荐的作业，新的在前。")
    async def class_showcase(
        self,
        info: Info,
        class_id: Annotated[strawberry.ID, strawberry.argument(description="班级。")],
        first: First = 20,
        after: After = None,
    ) -> Connection[Recommendation]:
        return await connection(
            use_cases.class_showcase(info.context.viewer, found_pk(class_id, "TrainingClass")),
            Recommendation.of,
            first=first,
            after=after,
            newest_first=True,
        )

    @strawberry.field(
        description="工作室推荐（workshop showcase）：工作室主持人推荐的作业，新的在前。"
    )
    async def workshop_showcase(
        self,
        info: Info,
        workshop_id: Annotated[strawberry.ID, strawberry.argument(description="工作室。")],
        first: First = 20,
        after: After = None,
    ) -> Connection[Recommendation]:
        return await connection(
            use_cases.workshop_showcase(info.context.viewer, found_pk(workshop_id, "Workshop")),
            Recommendation.of,
            first=first,
            after=after,
            newest_first=True,
        )

    @strawberry.field(description="首页推荐（home gallery）：推荐到首页的作业，新的在前。")
    async def home_gallery(
        self,
        info: Info,
        program_id: Annotated[strawberry.ID, strawberry.argument(description="项目。")],
        first: First = 20,
        after: After = None,
    ) -> Connection[Recommendation]:
        return await connection(
            use_cases.home_gallery(info.context.viewer, found_pk(program_id, "Program")),
            Recommendation.of,
            first=first,
            after=after,
            newest_first=True,
        )
