"""Workshops (名师网络研修工作室), topics, tutor teams, classes: the inputs."""

import strawberry

from lms_plugin.schema.core.enums import Stage
from lms_plugin.schema.core.mutations import id_of


@strawberry.input(description="A new workshop of a program; one per stage and subject.")
class CreateWorkshopInput:
    program_id: strawberry.ID = id_of("Program")
    name: str
    stage: Stage
    subject: str
    leader_id: strawberry.ID = id_of("Person", description="The person who leads it (名师).")
    description: str = ""
    research_plan: str = strawberry.field(default="", description="研修方案.")


@strawberry.input(description="Changes to a workshop; omitted fields stay as they are.")
class UpdateWorkshopInput:
    id: strawberry.ID = id_of("Workshop")
    name: str | None = strawberry.UNSET
    stage: Stage | None = strawberry.UNSET
    subject: str | None = strawberry.UNSET
    leader_id: strawberry.ID | None = id_of("Person", default=strawberry.UNSET)
    description: str | None = strawberry.UNSET
    research_plan: str | None = strawberry.UNSET


@strawberry.input(description="A new research topic (专题) of a workshop.")
class CreateTopicInput:
    workshop_id: strawberry.ID = id_of("Workshop")
    title: str
    summary: str = ""
    position: int | None = strawberry.field(
        default=None, description="Order among the topics; omitted: after the others."
    )


@strawberry.input(description="Changes to a topic; omitted fields stay as they are.")
class UpdateTopicInput:
    id: strawberry.ID = id_of("Topic")
    title: str | None = strawberry.UNSET
    summary: str | None = strawberry.UNSET
    position: int | None = strawberry.UNSET


@strawberry.input(description="A study resource of a topic.")
class AddResourceInput:
    topic_id: strawberry.ID = id_of("Topic")
    title: str
    url: str = strawberry.field(default="", description="An http(s) address, or empty.")
    minutes: int = 0


@strawberry.input(description="A person to add to, or remove from, a workshop's tutor team.")
class TutorTeamMemberInput:
    workshop_id: strawberry.ID = id_of("Workshop")
    person_id: strawberry.ID = id_of("Person")


@strawberry.input(description="A new class of a workshop, run by a member of its tutor team.")
class CreateClassInput:
    workshop_id: strawberry.ID = id_of("Workshop")
    name: str
    tutor_id: strawberry.ID = id_of("Person")


@strawberry.input(description="Trainees of the class's workshop to place in the class.")
class AssignTraineesInput:
    class_id: strawberry.ID = id_of("TrainingClass")
    enrollment_ids: list[strawberry.ID] = id_of(
        "Enrollment",
        description='1 to 100 enrollments; refusals name the index, e.g. ["input", '
        '"enrollmentIds", "2"].',
    )
