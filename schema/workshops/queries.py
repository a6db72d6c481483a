"""Workshops (名师网络研修工作室), topics, tutor teams, classes: the queries."""

import strawberry

from lms_plugin.resolvers.workshops import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import Stage
from lms_plugin.schema.core.ids import found_pk, names_nothing
from lms_plugin.schema.core.pagination import After, Connection, First, connection, list_connection

from .types import Workshop


@strawberry.type
class Query:
    @strawberry.field(
        description="The workshop catalogue (any signed-in person), oldest first. "
        "stage VOCATIONAL finds the high-school workshops (R4)."
    )
    async def workshops(
        self,
        info: Info,
        program_id: strawberry.ID | None = None,
        stage: Stage | None = None,
        subject: str | None = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[Workshop]:
        viewer = info.context.signed_in()
        if names_nothing(program_id, "Program"):
            return list_connection([], Workshop.of, first=first, after=after)
        return await connection(
            use_cases.workshops_visible(
                viewer,
                program_id=found_pk(program_id, "Program"),
                stage=stage,
                subject=subject,
            ),
            Workshop.of,
            first=first,
            after=after,
        )
