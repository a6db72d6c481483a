"""Reveals of personal data: the inputs."""

import strawberry

from lms_plugin.schema.core.mutations import id_of


@strawberry.input(
    description="查看完整个人信息（reveal personal data）：须写明理由，并记入审计日志。"
)
class RevealPersonalDataInput:
    person: strawberry.ID = id_of("Person", description="要查看的人员（Person）。")
    reason: str = strawberry.field(
        description="理由（reason）：必填，不超过 500 字，记入审计日志，如“核对报名信息”。"
    )
