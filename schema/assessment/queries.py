"""Certificates (继续教育证书), their public verification, and the credit ledger: the queries."""

from typing import Annotated

import strawberry

from lms_plugin.resolvers.assessment import use_cases
from lms_plugin.schema.core.context import Info

from .types import Certificate, CertificateVerification, CreditLedger, verification_of


@strawberry.type
class Query:
    @strawberry.field(
        description="登录者本人的继续教育证书（my certificates，R13），按项目先后；可打印。"
    )
    async def my_certificates(self, info: Info) -> list[Certificate]:
        viewer = info.context.signed_in()
        return [Certificate.of(row) for row in await use_cases.certificates_of(viewer.id)]

    @strawberry.field(
        description="登录者本人的学分账（credit ledger，R13）：本周期各学年的学时和统筹培训学时，"
        "对照周期要求（360 学时，新入职教师 410）；未参加任何项目时为 null。"
    )
    async def my_credit_ledger(self, info: Info) -> CreditLedger | None:
        ledger = await use_cases.credit_ledger(info.context.signed_in().id)
        return None if ledger is None else CreditLedger.of(ledger)

    @strawberry.field(
        description="按验证码查验证书（verify certificate，R13）：无需登录，限频；只给出陌生人"
        "可见的内容（姓氏、学年、学时、学分、结果、发证机构）；验证码不存在或不对时为 null。"
    )
    async def verify_certificate(
        self,
        code: Annotated[str, strawberry.argument(description="证书验证码（verification code）。")],
    ) -> CertificateVerification | None:
        found = await use_cases.certificate_by_code(code)
        return None if found is None else await verification_of(found)
