"""Workshops (名师网络研修工作室), topics, tutor teams, classes: the inputs."""

import strawberry

from lms_plugin.schema.core.enums import Stage
from lms_plugin.schema.core.mutations import id_of


@strawberry.input(description="新工作室（workshop）：每个项目每个学段学科一个。")
class CreateWorkshopInput:
    program_id: strawberry.ID = id_of("Program", description="工作室所属的项目。")
    name: str = strawberry.field(description="工作室名称（name）。")
    stage: Stage = strawberry.field(description="学段（stage）。")
    subject: str = strawberry.field(description="学科（subject）。")
    leader_id: strawberry.ID = id_of("Person", description="主持人（leader）：主持工作室的名师。")
    description: str = strawberry.field(default="", description="工作室简介（description）。")
    research_plan: str = strawberry.field(default="", description="研修方案（research plan）。")


@strawberry.input(description="修改工作室（workshop）：省略的字段保持不变。")
class UpdateWorkshopInput:
    id: strawberry.ID = id_of("Workshop", description="要修改的工作室。")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="工作室名称。")
    stage: Stage | None = strawberry.field(default=strawberry.UNSET, description="学段。")
    subject: str | None = strawberry.field(default=strawberry.UNSET, description="学科。")
    leader_id: strawberry.ID | None = id_of(
        "Person", default=strawberry.UNSET, description="新的主持人（名师）。"
    )
    description: str | None = strawberry.field(default=strawberry.UNSET, description="工作室简介。")
    research_plan: str | None = strawberry.field(default=strawberry.UNSET, description="研修方案。")


@strawberry.input(description="工作室的新研修专题（research topic）。")
class CreateTopicInput:
    workshop_id: strawberry.ID = id_of("Workshop", description="专题所属的工作室。")
    title: str = strawberry.field(description="专题标题（title）。")
    summary: str = strawberry.field(default="", description="专题简介（summary）。")
    position: int | None = strawberry.field(
        default=None, description="在各专题中的次序（position）；省略：排在最后。"
    )


@strawberry.input(description="修改研修专题（topic）：省略的字段保持不变。")
class UpdateTopicInput:
    id: strawberry.ID = id_of("Topic", description="要修改的专题。")
    title: str | None = strawberry.field(default=strawberry.UNSET, description="专题标题。")
    summary: str | None = strawberry.field(default=strawberry.UNSET, description="专题简介。")
    position: int | None = strawberry.field(
        default=strawberry.UNSET, description="在各专题中的次序。"
    )


@strawberry.input(description="专题的新研修资源（study resource）。")
class AddResourceInput:
    topic_id: strawberry.ID = id_of("Topic", description="资源所属的专题。")
    title: str = strawberry.field(description="资源标题（title）。")
    url: str = strawberry.field(default="", description="资源地址（url）：http(s) 地址，或留空。")
    minutes: int = strawberry.field(default=0, description="建议学习时长（minutes），分钟。")


@strawberry.input(description="加入或移出工作室辅导团队（tutor team）的人。")
class TutorTeamMemberInput:
    workshop_id: strawberry.ID = id_of("Workshop", description="工作室。")
    person_id: strawberry.ID = id_of("Person", description="加入或移出辅导团队的人。")


@strawberry.input(description="工作室的新班级（training class），由其辅导团队的一位成员负责。")
class CreateClassInput:
    workshop_id: strawberry.ID = id_of("Workshop", description="班级所属的工作室。")
    name: str = strawberry.field(description="班级名称（name）。")
    tutor_id: strawberry.ID = id_of(
        "Person", description="班级辅导教师（tutor），须为该工作室辅导团队成员。"
    )


@strawberry.input(description="分班（assign trainees）：把班级所属工作室的学员编入该班。")
class AssignTraineesInput:
    class_id: strawberry.ID = id_of("TrainingClass", description="编入的班级。")
    enrollment_ids: list[strawberry.ID] = id_of(
        "Enrollment",
        description='1 至 100 条报名记录；拒绝时指明序号，如 ["input", "enrollmentIds", "2"]。',
    )
