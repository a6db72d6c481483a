"""The organisation: vendors and the cities they serve (regions, schools, people and role grants
are the people area's types)."""

from typing import Annotated

import strawberry

from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.ids import encode_id, found_pk
from lms_plugin.schema.core.node import Node, node_loader
from lms_plugin.schema.people.types import Region
from lms_plugin.storage import models as db


@strawberry.type(
    description="承训网络培训机构（vendor）：按项目服务若干设区市（2022 年通知附件1）。"
)
class Vendor(Node):
    row: strawberry.Private[db.Vendor]
    name: str = strawberry.field(description="机构名称（name）。")

    @strawberry.field(description="在某项目中服务的设区市（cities），按 id。")
    async def cities(
        self,
        info: Info,
        program_id: Annotated[strawberry.ID, strawberry.argument(description="项目（program）。")],
    ) -> list[Region]:
        program = found_pk(program_id, "Program")
        if program is None:
            return []
        served = await info.context.loaders.grouped(db.VendorCity, "vendor_id").load(self.row.id)
        city_ids = [s.city_id for s in served if s.program_id == program]
        rows = await info.context.loaders.by_id(db.Region).load_many(city_ids)
        return [Region.of(row) for row in rows if row is not None]

    @classmethod
    def of(cls, row: db.Vendor) -> "Vendor":
        return cls(id=encode_id("Vendor", row.id), row=row, name=row.name)


@node_loader("Vendor")
async def load_vendor_node(info: Info, pk: int) -> Vendor | None:
    row = await info.context.loaders.by_id(db.Vendor).load(pk)
    return None if row is None else Vendor.of(row)
