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


@strawberry.type(description="工作室变更的结果（payload）：成功时为工作室，被拒绝时为 userErrors。")
class WorkshopPayload:
    workshop: Workshop | None = strawberry.field(description="变更后的工作室；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="专题变更的结果（payload）：成功时为专题，被拒绝时为 userErrors。")
class TopicPayload:
    topic: Topic | None = strawberry.field(description="变更后的专题；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="添加资源的结果（payload）：成功时为资源，被拒绝时为 userErrors。")
class ResourcePayload:
    resource: Resource | None = strawberry.field(description="新的资源；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="开设班级的结果（payload）：成功时为班级，被拒绝时为 userErrors。")
class TrainingClassPayload:
    training_class: TrainingClass | None = strawberry.field(
        description="新的班级；被拒绝时为 null。"
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="分班的结果（payload）：全部编入，或全部不编入并给出 userErrors。")
class AssignTraineesPayload:
    training_class: TrainingClass | None = strawberry.field(
        description="编入的班级；被拒绝时为 null。"
    )
    enrollments: list[Enrollment] | None = strawberry.field(
        description="编入的报名记录；被拒绝时为 null（一条也未编入）。"
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
        description="设立名师网络研修工作室（create workshop）；辅导团队上限 tutorCap "
        "取自项目（R6）。",
    )
    update_workshop = mutation(
        use_cases.update_workshop,
        input=UpdateWorkshopInput,
        payload=WorkshopPayload,
        arguments=lambda call: (call.ids["id"], changes_of(call)),
        present=_workshop,
        description="修改工作室（update workshop）。",
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
        description="新增研修专题（create topic）。",
    )
    update_topic = mutation(
        use_cases.update_topic,
        input=UpdateTopicInput,
        payload=TopicPayload,
        arguments=lambda call: (call.ids["id"], changes_of(call)),
        present=_topic,
        description="修改专题（update topic）。",
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
        description="为专题添加研修资源（add resource）。",
    )
    add_tutor_team_member = mutation(
        use_cases.add_tutor_team_member,
        input=TutorTeamMemberInput,
        payload=WorkshopPayload,
        arguments=lambda call: (call.ids["workshop_id"], call.ids["person_id"], call.now),
        present=_workshop,
        description="加入辅导团队（add tutor-team member）。R6：至多 tutorCap 人，并发请求下亦然；"
        "R7：不能是本项目的学员。",
    )
    remove_tutor_team_member = mutation(
        use_cases.remove_tutor_team_member,
        input=TutorTeamMemberInput,
        payload=WorkshopPayload,
        arguments=lambda call: (call.ids["workshop_id"], call.ids["person_id"]),
        present=_workshop,
        description="移出辅导团队（remove tutor-team member）：该成员不得仍负责本工作室的班级。",
    )
    create_class = mutation(
        use_cases.create_class,
        input=CreateClassInput,
        payload=TrainingClassPayload,
        arguments=lambda call: (call.ids["workshop_id"], call.input.name, call.ids["tutor_id"]),
        present=lambda row, info: TrainingClass.of(row),
        description="开设班级（create class），由辅导团队的一位成员负责。",
    )
    assign_trainees = mutation(
        use_cases.assign_trainees,
        input=AssignTraineesInput,
        payload=AssignTraineesPayload,
        arguments=lambda call: (call.ids["class_id"], call.ids["enrollment_ids"]),
        present=_placed,
        description="分班（assign trainees）：把工作室的学员编入班级，全部编入或全部不编入。",
    )
