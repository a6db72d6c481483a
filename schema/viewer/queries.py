"""The signed-in viewer and teacher rosters: the queries."""

from typing import Annotated

import strawberry

from lms_plugin.resolvers.people import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.ids import found_pk, names_nothing
from lms_plugin.schema.core.pagination import After, Connection, First, connection, list_connection
from lms_plugin.schema.people.types import Person

from .types import Viewer


@strawberry.type
class Query:
    @strawberry.field(description="The signed-in person.")
    def viewer(self, info: Info) -> Viewer:
        return Viewer(signed_in=info.context.signed_in())

    @strawberry.field(
        description="Teachers of the schools one reaches (admins by region or school, vendor "
        "staff by the cities they serve), in id order; personal data masked."
    )
    async def teachers(
        self,
        info: Info,
        first: First = 20,
        after: After = None,
        school_id: strawberry.ID | None = None,
        search: Annotated[
            str | None,
            strawberry.argument(description="Part of the real name or the user name."),
        ] = None,
    ) -> Connection[Person]:
        viewer = info.context.signed_in()
        if names_nothing(school_id, "School"):
            return list_connection([], Person.of, first=first, after=after)
        return await connection(
            await use_cases.teachers_visible(viewer, found_pk(school_id, "School"), search),
            Person.of,
            first=first,
            after=after,
        )
