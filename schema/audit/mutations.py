"""Reveals of personal data: the mutation."""

import strawberry

from lms_plugin.resolvers.audit import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.errors import USER_ERRORS, UserError
from lms_plugin.schema.core.mutations import mutation
from lms_plugin.schema.people.types import Person

from .inputs import RevealPersonalDataInput
from .types import PersonalData


@strawberry.type(
    description="查看完整个人信息的结果（payload）：成功时为个人信息，被拒绝时为 userErrors。"
)
class RevealPersonalDataPayload:
    personal_data: PersonalData | None = strawberry.field(
        description="完整的个人信息；被拒绝时为 null。"
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


def _present(revealed: use_cases.Revealed, info: Info) -> PersonalData:
    return PersonalData(
        person=Person.of(revealed.person), id_number=revealed.id_number, mobile=revealed.mobile
    )


@strawberry.type
class Mutation:
    reveal_personal_data = mutation(
        use_cases.reveal_personal_data,
        input=RevealPersonalDataInput,
        payload=RevealPersonalDataPayload,
        arguments=lambda call: (call.ids["person"], call.input.reason),
        present=_present,
        description="查看完整个人信息（reveal personal data）：返回教师完整的身份证号和手机号；"
        "须写明理由，每次查看都记入审计日志（谁、看了谁的哪些信息、理由、时间）。"
        "其他地方的个人信息始终脱敏。",
    )
