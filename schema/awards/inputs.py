"""Awards under quotas (R15): the inputs."""

import strawberry

from lms_plugin.schema.core.enums import AwardCategory, StarKind
from lms_plugin.schema.core.mutations import id_of


@strawberry.input(description="推荐评优（nominate for an award，R15）。")
class NominateAwardInput:
    program_id: strawberry.ID = id_of("Program", description="项目的全局 ID（program id）。")
    city_id: strawberry.ID = id_of("Region", description="推荐的设区市（city）。")
    category: AwardCategory = strawberry.field(description="类别（category）。")
    candidate_id: strawberry.ID = strawberry.field(
        description="候选的全局 ID（candidate id），同 AwardCandidate.candidateId。"
    )
    dry_run: bool = strawberry.field(
        default=False,
        description="试算（dry run）：只判断能否推荐并给出名额，什么也不写入。",
    )


@strawberry.input(description="审核评优推荐（review a nomination，R15）。")
class ReviewNominationInput:
    nomination_id: strawberry.ID = id_of("Nomination", description="推荐的全局 ID。")
    approve: bool = strawberry.field(description="通过（true）或不通过（false）。")
    note: str = strawberry.field(default="", description="审核意见（note），可空。")


@strawberry.input(description="评选学员之星或班级之星（name a class star）。")
class NameClassStarInput:
    class_id: strawberry.ID = id_of("TrainingClass", description="班级（training class）。")
    kind: StarKind = strawberry.field(description="类别（kind）。")
    enrollment_id: strawberry.ID | None = id_of(
        "Enrollment", description="学员之星的报名记录（enrollment）；班级之星不填。", optional=True
    )


@strawberry.input(description="导出推荐表（export an award table，seed 003 附件1–4）。")
class ExportAwardTableInput:
    program_id: strawberry.ID = id_of("Program", description="项目的全局 ID（program id）。")
    category: AwardCategory = strawberry.field(description="类别（category）：附件1–4 之一。")
    city_id: strawberry.ID | None = id_of(
        "Region", description="设区市（city）；省级管理员不填时导出全省。", optional=True
    )
