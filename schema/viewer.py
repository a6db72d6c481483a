"""`viewer` (the signed-in person and what they do here), teacher rosters, people by id."""

from typing import Annotated

import strawberry

from lms_plugin.resolvers.core.access import Viewer as SignedIn
from lms_plugin.resolvers.enrollment import use_cases as enrollments
from lms_plugin.resolvers.people import use_cases
from lms_plugin.storage import models as db

from .context import Info
from .enrollment import Enrollment
from .ids import found_pk, names_nothing
from .node import node_loader
from .pagination import Connection, connection, list_connection
from .people import Person, Region, RoleGrant, School
from .workshops import TrainingClass, Workshop


@strawberry.type(description="The signed-in person: roles, workshops, classes, enrollments.")
class Viewer:
    signed_in: strawberry.Private[SignedIn]

    @strawberry.field
    def person(self) -> Person:
        return Person.of(self.signed_in.person)

    @strawberry.field(description="Administrative roles and where they apply.")
    def roles(self) -> list[RoleGrant]:
        return [RoleGrant.of(row) for row in self.signed_in.grants]

    @strawberry.field(description="Workshops they lead (名师, 工作室主持人).")
    async def led_workshops(self, info: Info) -> list[Workshop]:
        return await _workshops(info, await self.signed_in.led_workshop_ids())

    @strawberry.field(description="Workshops whose tutor team (辅导团队) they are in (R7: exempt).")
    async def tutor_team_workshops(self, info: Info) -> list[Workshop]:
        return await _workshops(info, await self.signed_in.team_workshop_ids())

    @strawberry.field(description="Classes (班级) they tutor.")
    async def tutored_classes(self, info: Info) -> list[TrainingClass]:
        ids = sorted(await self.signed_in.tutored_class_ids())
        rows = await info.context.loaders.by_id(db.TrainingClass).load_many(ids)
        return [TrainingClass.of(row) for row in rows if row is not None]

    @strawberry.field(
        description="As a trainee: the enrollment in a program; by default the newest program "
        "they are enrolled in. Null when not enrolled (or the id names no program)."
    )
    async def enrollment(
        self, info: Info, program_id: strawberry.ID | None = None
    ) -> Enrollment | None:
        if names_nothing(program_id, "Program"):
            return None
        row = await enrollments.viewer_enrollment(self.signed_in, found_pk(program_id, "Program"))
        return None if row is None else Enrollment.of(row)

    @strawberry.field(description="All their enrollments, newest first.")
    async def enrollments(
        self, first: int = 20, after: str | None = None
    ) -> Connection[Enrollment]:
        return await connection(
            enrollments.viewer_enrollments(self.signed_in),
            Enrollment.of,
            first=first,
            after=after,
            newest_first=True,
        )


async def _workshops(info: Info, ids: set[int]) -> list[Workshop]:
    rows = await info.context.loaders.by_id(db.Workshop).load_many(sorted(ids))
    return [Workshop.of(row) for row in rows if row is not None]


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
        first: int = 20,
        after: str | None = None,
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


@node_loader("Person")
async def load_person_node(info: Info, pk: int) -> Person | None:
    row = await info.context.loaders.by_id(db.Person).load(pk)
    if row is None or not await use_cases.can_see_person(
        info.context.viewer, row, info.context.loaders
    ):
        return None
    return Person.of(row)


# Schools and regions are the province's public organisation chart: any signed-in person.
@node_loader("School")
async def load_school_node(info: Info, pk: int) -> School | None:
    row = await info.context.loaders.by_id(db.School).load(pk)
    return None if row is None else School.of(row)


@node_loader("Region")
async def load_region_node(info: Info, pk: int) -> Region | None:
    row = await info.context.loaders.by_id(db.Region).load(pk)
    return None if row is None else Region.of(row)
