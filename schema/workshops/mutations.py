"""Workshops (名师网络研修工作室), topics, tutor teams, classes: the mutations."""

import strawberry

from lms_plugin.resolvers.workshops import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.errors import USER_ERRORS, UserError
from lms_plugin.schema.core.mutations import Call, changes_of, mutation
from lms_plugin.schema.enrollment.types import Enrollment
from lms_plugin.storage import models as db

from .inputs import (
    AddResourceInput,
    AssignTraineesInput,
    CreateClassInput,
    CreateTopicInput,
    CreateWorkshopInput,
    TutorTeamMemberInput,
    UpdateTopicInput,
    UpdateWorkshopInput,
)
from .types import Resource, Topic, TrainingClass, Workshop


@strawberry.type
class WorkshopPayload:
    workshop: Workshop | None
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type
class TopicPayload:
    topic: Topic | None
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type
class ResourcePayload:
    resource: Resource | None
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type
class TrainingClassPayload:
    training_class: TrainingClass | None
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type
class AssignTraineesPayload:
    training_class: TrainingClass | None
    enrollments: list[Enrollment] | None = strawberry.field(
        description="The placed enrollments; null when refused (none placed)."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


def _workshop_settings(call: Call[CreateWorkshopInput]) -> use_cases.WorkshopSettings:
    return use_cases.WorkshopSettings(
        name=call.input.name,
        stage=call.input.stage,
        subject=call.input.subject,
        leader_id=call.ids["leader_id"],
        description=call.input.description,
        research_plan=call.input.research_plan,
    )


def _workshop(row: db.Workshop, info: Info) -> Workshop:
    return Workshop.of(row)


def _topic(row: db.Topic, info: Info) -> Topic:
    return Topic.of(row)


def _placed(placement: use_cases.Placement, info: Info) -> AssignTraineesPayload:
    return AssignTraineesPayload(
        training_class=TrainingClass.of(placement.training_class),
        enrollments=[Enrollment.of(row) for row in placement.enrollments],
        user_errors=[],
    )


@strawberry.type
class Mutation:
    create_workshop = mutation(
        use_cases.create_workshop,
        input=CreateWorkshopInput,
        payload=WorkshopPayload,
        arguments=lambda call: (call.ids["program_id"], _workshop_settings(call)),
        present=_workshop,
        description="Set up a workshop (设立名师网络研修工作室); tutorCap from the program.",
    )
    update_workshop = mutation(
        use_cases.update_workshop,
        input=UpdateWorkshopInput,
        payload=WorkshopPayload,
        arguments=lambda call: (call.ids["id"], changes_of(call)),
        present=_workshop,
        description="Change a workshop (修改工作室).",
    )
    create_topic = mutation(
        use_cases.create_topic,
        input=CreateTopicInput,
        payload=TopicPayload,
        arguments=lambda call: (
            call.ids["workshop_id"],
            call.input.title,
            call.input.summary,
            call.input.position,
        ),
        present=_topic,
        description="Add a research topic (新增研修专题).",
    )
    update_topic = mutation(
        use_cases.update_topic,
        input=UpdateTopicInput,
        payload=TopicPayload,
        arguments=lambda call: (call.ids["id"], changes_of(call)),
        present=_topic,
        description="Change a topic (修改专题).",
    )
    add_resource = mutation(
        use_cases.add_resource,
        input=AddResourceInput,
        payload=ResourcePayload,
        arguments=lambda call: (
            call.ids["topic_id"],
            call.input.title,
            call.input.url,
            call.input.minutes,
        ),
        present=lambda row, info: Resource.of(row),
        description="Add a resource to a topic (添加研修资源).",
    )
    add_tutor_team_member = mutation(
        use_cases.add_tutor_team_member,
        input=TutorTeamMemberInput,
        payload=WorkshopPayload,
        arguments=lambda call: (call.ids["workshop_id"], call.ids["person_id"], call.now),
        present=_workshop,
        description="Add a tutor-team member (加入辅导团队). "
        "R6: at most tutorCap members; R7: not a trainee of the program.",
    )
    remove_tutor_team_member = mutation(
        use_cases.remove_tutor_team_member,
        input=TutorTeamMemberInput,
        payload=WorkshopPayload,
        arguments=lambda call: (call.ids["workshop_id"], call.ids["person_id"]),
        present=_workshop,
        description="Remove a tutor-team member who runs no class of the workshop (移出辅导团队).",
    )
    create_class = mutation(
        use_cases.create_class,
        input=CreateClassInput,
        payload=TrainingClassPayload,
        arguments=lambda call: (call.ids["workshop_id"], call.input.name, call.ids["tutor_id"]),
        present=lambda row, info: TrainingClass.of(row),
        description="Open a class run by a tutor-team member (开设班级).",
    )
    assign_trainees = mutation(
        use_cases.assign_trainees,
        input=AssignTraineesInput,
        payload=AssignTraineesPayload,
        arguments=lambda call: (call.ids["class_id"], call.ids["enrollment_ids"]),
        present=_placed,
        description="Place trainees of the workshop in a class, all or none (分班).",
    )
