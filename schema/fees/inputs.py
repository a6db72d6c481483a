"""Fees (R16): the inputs."""

import strawberry

from lms_plugin.schema.core.mutations import id_of


@strawberry.input(description="导出收费结算及收费花名册（export a settlement）。")
class ExportSettlementInput:
    program_id: strawberry.ID = id_of("Program", description="项目的全局 ID（program id）。")
    vendor_id: strawberry.ID = id_of("Vendor", description="承训机构的全局 ID（vendor id）。")
