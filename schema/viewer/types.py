"""The signed-in viewer and teacher rosters: the types."""

import asyncio
from dataclasses import field
from typing import Annotated

import strawberry

from lms_plugin.resolvers.core.access import Viewer as SignedIn
from lms_plugin.resolvers.enrollment import use_cases as enrollments
from lms_plugin.resolvers.people import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.ids import found_pk, names_nothing
from lms_plugin.schema.core.node import node_loader
from lms_plugin.schema.core.pagination import After, Connection, First, connection
from lms_plugin.schema.core.selections import selects
from lms_plugin.schema.enrollment.types import Enrollment, study_page_enrollment
from lms_plugin.schema.people.types import Person, Region, RoleGrant, School
from lms_plugin.schema.workshops.types import TrainingClass, Workshop
from lms_plugin.storage import models as db
from lms_plugin.storage.study_page import ViewerPage

# Where a document shows what grows with the enrollment's workshop: read with the page then, in a
# statement each, and not at all for a document that shows neither.
_TUTOR_TEAM = ("enrollment", "workshop", "tutorTeam")
_TOPICS = ("enrollment", "workshop", "topics")


@strawberry.type(description="当前登录的人（viewer）：角色、工作室、班级和报名。")
class Viewer:
    signed_in: strawberry.Private[SignedIn]
    # The page reads by program (None: the newest), each shared by the fields that need it:
    # the person's school and the enrollment come from one statement.
    pages: strawberry.Private[dict[int | None, "asyncio.Future[ViewerPage]"]] = field(
        default_factory=dict
    )

    def _page(self, program_id: int | None) -> "asyncio.Future[ViewerPage]":
        page = self.pages.get(program_id)
        if page is None:
            page = asyncio.ensure_future(enrollments.viewer_study_page(self.signed_in, program_id))
            self.pages[program_id] = page
        return page

    async def _school(self) -> School | None:
        row = (await self._page(None)).school
        return None if row is None else School.of(row)

    @strawberry.field(description="登录者本人（person）。")
    def person(self) -> Person:
        return Person.of(self.signed_in.person, school_of_viewer=self._school)

    @strawberry.field(description="管理角色（roles）及其适用范围。")
    async def roles(self) -> list[RoleGrant]:
        return [RoleGrant.of(row) for row in await self.signed_in.role_grants()]

    @strawberry.field(description="主持的工作室（led workshops）：作为名师、工作室主持人。")
    async def led_workshops(self, info: Info) -> list[Workshop]:
        return await _workshops(info, await self.signed_in.led_workshop_ids())

    @strawberry.field(
        description="所在辅导团队的工作室（tutor team workshops）；团队成员免予选学（R7）。"
    )
    async def tutor_team_workshops(self, info: Info) -> list[Workshop]:
        return await _workshops(info, await self.signed_in.team_workshop_ids())

    @strawberry.field(description="担任辅导教师的班级（tutored classes）。")
    async def tutored_classes(self, info: Info) -> list[TrainingClass]:
        ids = sorted(await self.signed_in.tutored_class_ids())
        rows = await info.context.loaders.by_id(db.TrainingClass).load_many(ids)
        return [TrainingClass.of(row) for row in rows if row is not None]

    @strawberry.field(
        description="作为学员在某项目中的报名记录（enrollment）；默认取已报名的最新项目。"
        "未报名（或 id 不指向项目）时为 null。"
    )
    async def enrollment(
        self,
        info: Info,
        program_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="项目（program）；省略：已报名的最新项目。"),
        ] = None,
    ) -> Enrollment | None:
        if names_nothing(program_id, "Program"):
            return None
        page = (await self._page(found_pk(program_id, "Program"))).enrollment
        if page is None:
            return None
        team, topics = await enrollments.workshop_team_and_topics(
            page.workshop.id, team=selects(info, _TUTOR_TEAM), topics=selects(info, _TOPICS)
        )
        # Fields the page does not show (in other documents) find its rows in the loaders.
        loaders = info.context.loaders
        loaders.prime(page.enrollment, page.batch, page.program, page.workshop)
        if page.hour_policy is not None:
            loaders.by_key(db.HourPolicy, "program_id").prime(page.program.id, page.hour_policy)
        if page.training_class is not None:
            loaders.prime(page.training_class)
        return study_page_enrollment(page, team, topics, info.context.now())

    @strawberry.field(description="本人的全部报名记录（enrollments），新的在前。")
    async def enrollments(self, first: First = 20, after: After = None) -> Connection[Enrollment]:
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
