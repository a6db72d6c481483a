"""Workshops (名师网络研修工作室), topics, tutor teams, classes: the types."""

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import strawberry

from lms_plugin.resolvers.core.pagination import Row
from lms_plugin.resolvers.workshops import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import Stage
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.schema.core.node import Node, node_loader
from lms_plugin.schema.people.types import Person, load_person
from lms_plugin.schema.programs.types import Program
from lms_plugin.storage import models as db
from lms_plugin.storage.study_page import MemberRow, TopicRow

M = TypeVar("M", bound=Row)


@strawberry.type(description="研修资源（study resource）：专题下供学习的资源。")
class Resource(Node):
    row: strawberry.Private[db.Resource]
    title: str = strawberry.field(description="资源标题（title）。")
    url: str = strawberry.field(description="资源地址（url）：http(s) 地址，或为空。")
    minutes: int = strawberry.field(description="建议学习时长（minutes），分钟。")

    @classmethod
    def of(cls, row: db.Resource) -> "Resource":
        return cls(
            id=encode_id("Resource", row.id),
            row=row,
            title=row.title,
            url=row.url,
            minutes=row.minutes,
        )


@strawberry.type(description="研修专题（research topic）：工作室提供的专题。")
class Topic(Node):
    row: strawberry.Private[db.Topic | TopicRow]
    title: str = strawberry.field(description="专题标题（title）。")
    summary: str = strawberry.field(description="专题简介（summary）。")
    position: int = strawberry.field(description="在工作室各专题中的次序（position）。")

    @strawberry.field(description="专题的研修资源（resources）。")
    async def resources(self, info: Info) -> list[Resource]:
        rows = await info.context.loaders.grouped(db.Resource, "topic_id").load(self.row.id)
        return [Resource.of(row) for row in rows]

    @classmethod
    def of(cls, row: db.Topic | TopicRow) -> "Topic":
        return cls(
            id=encode_id("Topic", row.id),
            row=row,
            title=row.title,
            summary=row.summary,
            position=row.position,
        )


@strawberry.type(description="辅导团队成员（tutor-team member）：免予选学研修（R7）。")
class TutorTeamMember:
    row: strawberry.Private[db.TutorTeamMember | MemberRow]
    # The member's person when the read that found the member read them too.
    known_person: strawberry.Private[Person | None] = None

    @strawberry.field(description="加入团队的时刻（added at）。")
    def added_at(self) -> dt.datetime:
        return self.row.added_at

    @strawberry.field(description="成员本人（person）。", graphql_type=Person)
    def person(self, info: Info) -> Person | Awaitable[Person]:
        if self.known_person is not None:
            return self.known_person
        return load_person(info, self.row.person_id)

    @classmethod
    def of(cls, row: db.TutorTeamMember) -> "TutorTeamMember":
        return cls(row=row)

    @classmethod
    def of_member(cls, member: MemberRow) -> "TutorTeamMember":
        return cls(row=member, known_person=Person.of(member.person))


@dataclass(frozen=True, slots=True)
class WorkshopParts:
    """What a read model found of a workshop beside its row (the study page's); None: not read,
    the field reads it itself."""

    leader: Person
    topics: list[Topic] | None
    tutor_team: list[TutorTeamMember] | None


@strawberry.type(description="名师网络研修工作室（workshop）：属于一个学段和学科。")
class Workshop(Node):
    row: strawberry.Private[db.Workshop]
    parts: strawberry.Private[WorkshopParts | None] = None
    name: str = strawberry.field(description="工作室名称（name）。")
    stage: Stage = strawberry.field(description="学段（stage）；职业中学教师选高中工作室（R4）。")
    subject: str = strawberry.field(description="学科（subject）。")
    description: str = strawberry.field(description="工作室简介（description）。")
    research_plan: str = strawberry.field(description="研修方案（research plan）。")
    tutor_cap: int = strawberry.field(description="辅导团队人数上限（tutor cap，R6）。")

    @strawberry.field(description="辅导团队的剩余名额（places left，R6）。")
    def places_left(self) -> int:
        return max(self.row.tutor_cap - self.row.tutor_count, 0)

    @strawberry.field(description="主持人（leader）：主持工作室的名师。", graphql_type=Person)
    def leader(self, info: Info) -> Person | Awaitable[Person]:
        if self.parts is not None:
            return self.parts.leader
        return load_person(info, self.row.leader_id)

    @strawberry.field(description="研修专题（topics），按次序。", graphql_type=list[Topic])
    def topics(self, info: Info) -> list[Topic] | Awaitable[list[Topic]]:
        if self.parts is not None and self.parts.topics is not None:
            return self.parts.topics
        return self._topics(info)

    async def _topics(self, info: Info) -> list[Topic]:
        rows = await info.context.loaders.grouped(db.Topic, "workshop_id", ("position", "id")).load(
            self.row.id
        )
        return [Topic.of(row) for row in rows]

    @strawberry.field(
        description="辅导团队（tutor team）的成员（R6、R7）。", graphql_type=list[TutorTeamMember]
    )
    def tutor_team(self, info: Info) -> list[TutorTeamMember] | Awaitable[list[TutorTeamMember]]:
        if self.parts is not None and self.parts.tutor_team is not None:
            return self.parts.tutor_team
        return self._tutor_team(info)

    async def _tutor_team(self, info: Info) -> list[TutorTeamMember]:
        # The members' persons in the same statement: `person` then finds them loaded.
        rows = await info.context.loaders.grouped(
            db.TutorTeamMember, "workshop_id", related=("person",)
        ).load(self.row.id)
        return [TutorTeamMember.of(row) for row in rows]

    @strawberry.field(description="工作室的班级（classes）。")
    async def classes(self, info: Info) -> list["TrainingClass"]:
        rows = await info.context.loaders.grouped(db.TrainingClass, "workshop_id").load(self.row.id)
        return [TrainingClass.of(row) for row in rows]

    @strawberry.field(description="所属项目（program）。")
    async def program(self, info: Info) -> Program:
        row = await info.context.loaders.by_id(db.Program).load(self.row.program_id)
        assert row is not None
        return Program.of(row, info.context.now())

    @classmethod
    def of(cls, row: db.Workshop, parts: WorkshopParts | None = None) -> "Workshop":
        return cls(
            id=encode_id("Workshop", row.id),
            row=row,
            parts=parts,
            name=row.name,
            stage=row.stage,
            subject=row.subject,
            description=row.description,
            research_plan=row.research_plan,
            tutor_cap=row.tutor_cap,
        )


@strawberry.type(description="班级（training class）：工作室的一班学员，由一位辅导教师负责。")
class TrainingClass(Node):
    row: strawberry.Private[db.TrainingClass]
    # The tutor when the read that found the class read them too (the study page's).
    known_tutor: strawberry.Private[Person | None] = None
    name: str = strawberry.field(description="班级名称（name）。")

    @strawberry.field(description="班级辅导教师（tutor），辅导团队成员之一。", graphql_type=Person)
    def tutor(self, info: Info) -> Person | Awaitable[Person]:
        if self.known_tutor is not None:
            return self.known_tutor
        return load_person(info, self.row.tutor_id)

    @strawberry.field(description="班级所属的工作室（workshop）。")
    async def workshop(self, info: Info) -> Workshop:
        return await load_workshop(info, self.row.workshop_id)

    @classmethod
    def of(cls, row: db.TrainingClass, known_tutor: Person | None = None) -> "TrainingClass":
        return cls(
            id=encode_id("TrainingClass", row.id), row=row, known_tutor=known_tutor, name=row.name
        )


async def load_workshop(info: Info, workshop_id: int) -> Workshop:
    row = await info.context.loaders.by_id(db.Workshop).load(workshop_id)
    assert row is not None
    return Workshop.of(row)


async def load_topic(info: Info, topic_id: int | None) -> Topic | None:
    """The topic a record may name (an enrollment, a study session); None when it names none."""
    if topic_id is None:
        return None
    row = await info.context.loaders.by_id(db.Topic).load(topic_id)
    return None if row is None else Topic.of(row)


async def load_class(info: Info, class_id: int) -> TrainingClass:
    row = await info.context.loaders.by_id(db.TrainingClass).load(class_id)
    assert row is not None
    return TrainingClass.of(row)


def _catalogue_node(type_name: str, model: type[M], present: Callable[[M], Node]) -> None:
    """The catalogue is public to anyone signed in (node(id:) checks the sign-in)."""

    async def load(info: Info, pk: int) -> Node | None:
        row = await info.context.loaders.by_id(model).load(pk)
        return None if row is None else present(row)

    node_loader(type_name)(load)


_catalogue_node("Workshop", db.Workshop, Workshop.of)


_catalogue_node("Topic", db.Topic, Topic.of)


_catalogue_node("Resource", db.Resource, Resource.of)


@node_loader("TrainingClass")
async def load_class_node(info: Info, pk: int) -> TrainingClass | None:
    row = await info.context.loaders.by_id(db.TrainingClass).load(pk)
    if row is None or not await use_cases.class_visible(info.context.viewer, row):
        return None
    return TrainingClass.of(row)
