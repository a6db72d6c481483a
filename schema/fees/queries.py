"""Fees (R16): the queries."""

from typing import Annotated

import strawberry

from lms_plugin.resolvers.fees import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.ids import found_pk, names_nothing
from lms_plugin.schema.core.pagination import After, Connection, First, keyset_connection

from .types import FeeRollEntry, FeeSettlement

PROGRAM = Annotated[strawberry.ID, strawberry.argument(description="项目的全局 ID（program id）。")]
VENDOR = Annotated[
    strawberry.ID, strawberry.argument(description="承训机构的全局 ID（vendor id）。")
]


@strawberry.type
class Query:
    @strawberry.field(
        description="承训机构的收费结算（fee settlement，R16）：按其在本项目对接的设区市分行。"
        "省级管理员看全部，设区市管理员看本市一行，承训机构人员看本机构；其他人 FORBIDDEN。"
        "项目或机构不存在时为 null。"
    )
    async def fee_settlement(
        self, info: Info, program_id: PROGRAM, vendor_id: VENDOR
    ) -> FeeSettlement | None:
        viewer = info.context.viewer
        program_pk = found_pk(program_id, "Program")
        vendor_pk = found_pk(vendor_id, "Vendor")
        if program_pk is None or vendor_pk is None:
            use_cases.FEE_READER.check(viewer)
            return None
        found = await use_cases.vendor_settlement(viewer, program_pk, vendor_pk)
        return None if found is None else FeeSettlement.of(found)

    @strawberry.field(
        description="收费花名册（fee roll）：结算所计费的教师及各自费用，按 id 排序分页；"
        "各人费用之和等于结算合计。权限同 feeSettlement。"
    )
    async def fee_roll(
        self,
        info: Info,
        program_id: PROGRAM,
        vendor_id: VENDOR,
        city_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="只看这个设区市（city，Region 的全局 ID）。"),
        ] = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[FeeRollEntry] | None:
        viewer = info.context.viewer
        program_pk = found_pk(program_id, "Program")
        vendor_pk = found_pk(vendor_id, "Vendor")
        if program_pk is None or vendor_pk is None or names_nothing(city_id, "Region"):
            use_cases.FEE_READER.check(viewer)
            return None
        roll = await use_cases.fee_roll(viewer, program_pk, vendor_pk, found_pk(city_id, "Region"))
        if roll is None:
            return None
        return await keyset_connection(
            roll.fetch,
            lambda person: FeeRollEntry.of(roll.entries[person.id]),
            roll.count,
            first=first,
            after=after,
        )
