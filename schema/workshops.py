"""Workshops (名师网络研修工作室): topics (专题), resources, tutor teams and classes (班级)."""

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, TypeVar

import strawberry
from tortoise.models import Model

from lms_plugin.resolvers.workshops import use_cases
from lms_plugin.storage import models as db

from .context import Info
from .enums import Stage
from .errors import UserError, attempt
from .ids import encode_id, found_pk, names_nothing, pk_of
from .node import Node, node_loader
from .pagination import Connection, connection, list_connection
from .people import Person, load_person
from .programs import Program, changes_of

if TYPE_CHECKING:
    from .enrollment import Enrollment

M = TypeVar("M", bound=Model)


@strawberry.type(description="A study resource of a topic.")
class Resource(Node):
    row: strawberry.Private[db.Resource]
    title: str
    url: str
    minutes: int

    @classmethod
    def of(cls, row: db.Resource) -> "Resource":
        return cls(
            id=encode_id("Resource", row.id),
            row=row,
            title=row.title,
            url=row.url,
            minutes=row.minutes,
        )


@strawberry.type(description="A research topic (专题) of a workshop.")
class Topic(Node):
    row: strawberry.Private[db.Topic]
    title: str
    summary: str
    position: int

    @strawberry.field
    async def resources(self, info: Info) -> list[Resource]:
        rows = await info.context.loaders.grouped(db.Resource, "topic_id").load(self.row.id)
        return [Resource.of(row) for row in rows]

    @classmethod
    def of(cls, row: db.Topic) -> "Topic":
        return cls(
            id=encode_id("Topic", row.id),
            row=row,
            title=row.title,
            summary=row.summary,
            position=row.position,
        )


@strawberry.type(description="A member of a tutor team (辅导团队成员), exempt from studying (R7).")
class TutorTeamMember:
    row: strawberry.Private[db.TutorTeamMember]
    added_at: dt.datetime

    @strawberry.field
    async def person(self, info: Info) -> Person:
        return await load_person(info, self.row.person_id)

    @classmethod
    def of(cls, row: db.TutorTeamMember) -> "TutorTeamMember":
        return cls(row=row, added_at=row.added_at)


@strawberry.type(description="A workshop (名师网络研修工作室) of one stage and subject.")
class Workshop(Node):
    row: strawberry.Private[db.Workshop]
    name: str
    stage: Stage
    subject: str
    description: str
    research_plan: str = strawberry.field(description="研修方案.")
    tutor_cap: int = strawberry.field(description="Most members of the tutor team (R6).")

    @strawberry.field(description="Places left in the tutor team.")
    def places_left(self) -> int:
        return max(self.row.tutor_cap - self.row.tutor_count, 0)

    @strawberry.field(description="The master teacher who leads it (名师, 工作室主持人).")
    async def leader(self, info: Info) -> Person:
        return await load_person(info, self.row.leader_id)

    @strawberry.field
    async def topics(self, info: Info) -> list[Topic]:
        rows = await info.context.loaders.grouped(db.Topic, "workshop_id", ("position", "id")).load(
            self.row.id
        )
        return [Topic.of(row) for row in rows]

    @strawberry.field
    async def tutor_team(self, info: Info) -> list[TutorTeamMember]:
        rows = await info.context.loaders.grouped(db.TutorTeamMember, "workshop_id").load(
            self.row.id
        )
        return [TutorTeamMember.of(row) for row in rows]

    @strawberry.field
    async def classes(self, info: Info) -> list["TrainingClass"]:
        rows = await info.context.loaders.grouped(db.TrainingClass, "workshop_id").load(self.row.id)
        return [TrainingClass.of(row) for row in rows]

    @strawberry.field
    async def program(self, info: Info) -> Program:
        row = await info.context.loaders.by_id(db.Program).load(self.row.program_id)
        assert row is not None
        return Program.of(row, info.context.now())

    @classmethod
    def of(cls, row: db.Workshop) -> "Workshop":
        return cls(
            id=encode_id("Workshop", row.id),
            row=row,
            name=row.name,
            stage=row.stage,
            subject=row.subject,
            description=row.description,
            research_plan=row.research_plan,
            tutor_cap=row.tutor_cap,
        )


@strawberry.type(description="A class (班级) of trainees in a workshop, run by one tutor.")
class TrainingClass(Node):
    row: strawberry.Private[db.TrainingClass]
    name: str

    @strawberry.field(description="The class tutor (辅导教师).")
    async def tutor(self, info: Info) -> Person:
        return await load_person(info, self.row.tutor_id)

    @strawberry.field
    async def workshop(self, info: Info) -> Workshop:
        return await load_workshop(info, self.row.workshop_id)

    @classmethod
    def of(cls, row: db.TrainingClass) -> "TrainingClass":
        return cls(id=encode_id("TrainingClass", row.id), row=row, name=row.name)


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


@strawberry.input(description="A new workshop of a program; one per stage and subject.")
class CreateWorkshopInput:
    program_id: strawberry.ID
    name: str
    stage: Stage
    subject: str
    leader_id: strawberry.ID = strawberry.field(description="The person who leads it (名师).")
    description: str = ""
    research_plan: str = strawberry.field(default="", description="研修方案.")


@strawberry.input(description="Changes to a workshop; omitted fields stay as they are.")
class UpdateWorkshopInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    stage: Stage | None = strawberry.UNSET
    subject: str | None = strawberry.UNSET
    leader_id: strawberry.ID | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    research_plan: str | None = strawberry.UNSET


@strawberry.input(description="A new research topic (专题) of a workshop.")
class CreateTopicInput:
    workshop_id: strawberry.ID
    title: str
    summary: str = ""
    position: int | None = strawberry.field(
        default=None, description="Order among the topics; omitted: after the others."
    )


@strawberry.input(description="Changes to a topic; omitted fields stay as they are.")
class UpdateTopicInput:
    id: strawberry.ID
    title: str | None = strawberry.UNSET
    summary: str | None = strawberry.UNSET
    position: int | None = strawberry.UNSET


@strawberry.input(description="A study resource of a topic.")
class AddResourceInput:
    topic_id: strawberry.ID
    title: str
    url: str = strawberry.field(default="", description="An http(s) address, or empty.")
    minutes: int = 0


@strawberry.input(description="A person to add to, or remove from, a workshop's tutor team.")
class TutorTeamMemberInput:
    workshop_id: strawberry.ID
    person_id: strawberry.ID


@strawberry.input(description="A new class of a workshop, run by a member of its tutor team.")
class CreateClassInput:
    workshop_id: strawberry.ID
    name: str
    tutor_id: strawberry.ID


@strawberry.input(description="Trainees of the class's workshop to place in the class.")
class AssignTraineesInput:
    class_id: strawberry.ID
    enrollment_ids: list[strawberry.ID] = strawberry.field(
        description='1 to 100 enrollments; refusals name the index, e.g. ["input", '
        '"enrollmentIds", "2"].'
    )


@strawberry.type
class WorkshopPayload:
    workshop: Workshop | None
    user_errors: list[UserError]


@strawberry.type
class TopicPayload:
    topic: Topic | None
    user_errors: list[UserError]


@strawberry.type
class ResourcePayload:
    resource: Resource | None
    user_errors: list[UserError]


@strawberry.type
class TrainingClassPayload:
    training_class: TrainingClass | None
    user_errors: list[UserError]


@strawberry.type
class AssignTraineesPayload:
    training_class: TrainingClass | None
    enrollments: (
        list[Annotated["Enrollment", strawberry.lazy("lms_plugin.schema.enrollment")]] | None
    ) = strawberry.field(description="The placed enrollments; null when refused (none placed).")
    user_errors: list[UserError]


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
        first: int = 20,
        after: str | None = None,
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


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Set up a workshop (province admin); tutorCap from the program."
    )
    async def create_workshop(self, info: Info, input: CreateWorkshopInput) -> WorkshopPayload:
        def run() -> Awaitable[db.Workshop]:
            settings = use_cases.WorkshopSettings(
                name=input.name,
                stage=input.stage,
                subject=input.subject,
                leader_id=pk_of(input.leader_id, "Person", "leaderId"),
                description=input.description,
                research_plan=input.research_plan,
            )
            program_id = pk_of(input.program_id, "Program", "programId")
            return use_cases.create_workshop(info.context.viewer, program_id, settings)

        workshop, errors = await attempt(run, Workshop.of)
        return WorkshopPayload(workshop=workshop, user_errors=errors)

    @strawberry.mutation(description="Change a workshop (province admin).")
    async def update_workshop(self, info: Info, input: UpdateWorkshopInput) -> WorkshopPayload:
        def run() -> Awaitable[db.Workshop]:
            changes = changes_of(input, {"id", "leader_id"})
            if input.leader_id:
                changes["leader_id"] = pk_of(input.leader_id, "Person", "leaderId")
            workshop_id = pk_of(input.id, "Workshop", "id")
            return use_cases.update_workshop(info.context.viewer, workshop_id, changes)

        workshop, errors = await attempt(run, Workshop.of)
        return WorkshopPayload(workshop=workshop, user_errors=errors)

    @strawberry.mutation(description="Add a topic (province admin or the workshop's leader).")
    async def create_topic(self, info: Info, input: CreateTopicInput) -> TopicPayload:
        topic, errors = await attempt(
            lambda: use_cases.create_topic(
                info.context.viewer,
                pk_of(input.workshop_id, "Workshop", "workshopId"),
                input.title,
                input.summary,
                input.position,
            ),
            Topic.of,
        )
        return TopicPayload(topic=topic, user_errors=errors)

    @strawberry.mutation(description="Change a topic (province admin or the workshop's leader).")
    async def update_topic(self, info: Info, input: UpdateTopicInput) -> TopicPayload:
        topic, errors = await attempt(
            lambda: use_cases.update_topic(
                info.context.viewer, pk_of(input.id, "Topic", "id"), changes_of(input, {"id"})
            ),
            Topic.of,
        )
        return TopicPayload(topic=topic, user_errors=errors)

    @strawberry.mutation(
        description="Add a resource to a topic (province admin or the workshop's leader)."
    )
    async def add_resource(self, info: Info, input: AddResourceInput) -> ResourcePayload:
        resource, errors = await attempt(
            lambda: use_cases.add_resource(
                info.context.viewer,
                pk_of(input.topic_id, "Topic", "topicId"),
                input.title,
                input.url,
                input.minutes,
            ),
            Resource.of,
        )
        return ResourcePayload(resource=resource, user_errors=errors)

    @strawberry.mutation(
        description="Add a tutor-team member (province admin or the workshop's leader). "
        "R6: at most tutorCap members; R7: not a trainee of the program."
    )
    async def add_tutor_team_member(
        self, info: Info, input: TutorTeamMemberInput
    ) -> WorkshopPayload:
        now = info.context.now()
        workshop, errors = await attempt(
            lambda: use_cases.add_tutor_team_member(info.context.viewer, *_member_pks(input), now),
            Workshop.of,
        )
        return WorkshopPayload(workshop=workshop, user_errors=errors)

    @strawberry.mutation(
        description="Remove a tutor-team member who runs no class of the workshop "
        "(province admin or the workshop's leader)."
    )
    async def remove_tutor_team_member(
        self, info: Info, input: TutorTeamMemberInput
    ) -> WorkshopPayload:
        workshop, errors = await attempt(
            lambda: use_cases.remove_tutor_team_member(info.context.viewer, *_member_pks(input)),
            Workshop.of,
        )
        return WorkshopPayload(workshop=workshop, user_errors=errors)

    @strawberry.mutation(
        description="Open a class run by a tutor-team member "
        "(province admin or the workshop's leader)."
    )
    async def create_class(self, info: Info, input: CreateClassInput) -> TrainingClassPayload:
        training_class, errors = await attempt(
            lambda: use_cases.create_class(
                info.context.viewer,
                pk_of(input.workshop_id, "Workshop", "workshopId"),
                input.name,
                pk_of(input.tutor_id, "Person", "tutorId"),
            ),
            TrainingClass.of,
        )
        return TrainingClassPayload(training_class=training_class, user_errors=errors)

    @strawberry.mutation(
        description="Place trainees of the workshop in a class, all or none "
        "(province admin or the workshop's leader)."
    )
    async def assign_trainees(
        self, info: Info, input: AssignTraineesInput
    ) -> AssignTraineesPayload:
        from .enrollment import Enrollment  # schema.enrollment imports this module

        def run() -> Awaitable[use_cases.Placement]:
            enrollment_ids = [
                pk_of(global_id, "Enrollment", "enrollmentIds", str(index))
                for index, global_id in enumerate(input.enrollment_ids)
            ]
            class_id = pk_of(input.class_id, "TrainingClass", "classId")
            return use_cases.assign_trainees(info.context.viewer, class_id, enrollment_ids)

        placement, errors = await attempt(run, lambda placed: placed)
        if placement is None:
            return AssignTraineesPayload(training_class=None, enrollments=None, user_errors=errors)
        return AssignTraineesPayload(
            training_class=TrainingClass.of(placement.training_class),
            enrollments=[Enrollment.of(row) for row in placement.enrollments],
            user_errors=[],
        )


def _member_pks(input: TutorTeamMemberInput) -> tuple[int, int]:
    return (
        pk_of(input.workshop_id, "Workshop", "workshopId"),
        pk_of(input.person_id, "Person", "personId"),
    )
