"""Fees (R16): the types. Money in integer fen, with yuan as exact text beside it."""

import strawberry

from lms_plugin.resolvers.fees import use_cases
from lms_plugin.resolvers.fees.rules import yuan
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import FeeRule, Track
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.schema.people.types import Person, Region, School
from lms_plugin.storage import models as db

FEE_FEN = "金额（fee），分（fen），整数。"
FEE_YUAN = '金额（fee），元，两位小数的精确文本，如 "123.45"。'


@strawberry.type(description="结算的一行（city settlement）：承训机构在一个设区市的收费。")
class CitySettlement:
    city: Region = strawberry.field(description="设区市（city）。")
    counted: int = strawberry.field(
        description="计费人数（counted）：按学时收费为实际参训人数，按年收费为报名人数。"
    )
    billed_hours: int = strawberry.field(
        description="计费学时合计（billed hours）；按年收费时为 0。"
    )
    fee_fen: int = strawberry.field(description=FEE_FEN)
    fee_yuan: str = strawberry.field(description=FEE_YUAN)

    @classmethod
    def of(cls, row: use_cases.CitySettlement) -> "CitySettlement":
        return cls(
            city=Region.of(row.city),
            counted=row.counted,
            billed_hours=row.billed_hours,
            fee_fen=row.fee_fen,
            fee_yuan=yuan(row.fee_fen),
        )


@strawberry.type(
    description="承训机构的收费结算（fee settlement，R16）：按设区市分行，合计等于各行之和"
    "（精确到分）；名单用 feeRoll 查。"
)
class FeeSettlement:
    vendor_id: strawberry.ID = strawberry.field(description="承训机构的全局 ID（vendor id）。")
    vendor_name: str = strawberry.field(description="承训机构名称（vendor name）。")
    rule: FeeRule = strawberry.field(description="收费办法（rule），来自项目的收费政策。")
    cities: list[CitySettlement] = strawberry.field(
        description="各设区市（cities），按地区代码排序；只含登录者范围内的设区市。"
    )
    counted: int = strawberry.field(description="计费人数合计（counted）。")
    billed_hours: int = strawberry.field(description="计费学时合计（billed hours）。")
    fee_fen: int = strawberry.field(description=f"合计{FEE_FEN}")
    fee_yuan: str = strawberry.field(description=f"合计{FEE_YUAN}")

    @classmethod
    def of(cls, found: use_cases.Settlement) -> "FeeSettlement":
        return cls(
            vendor_id=encode_id("Vendor", found.vendor.id),
            vendor_name=found.vendor.name,
            rule=found.policy.rule,
            cities=[CitySettlement.of(city) for city in found.cities],
            counted=found.counted,
            billed_hours=found.billed_hours,
            fee_fen=found.fee_fen,
            fee_yuan=yuan(found.fee_fen),
        )


@strawberry.type(description="收费花名册的一行（fee roll entry）：一位计费的教师及其费用。")
class FeeRollEntry:
    entry: strawberry.Private[use_cases.RollEntry]
    track: Track = strawberry.field(description="研修方式（track）。")
    billed_hours: int | None = strawberry.field(
        description="计费学时（billed hours）；按年收费时为 null。"
    )
    fee_fen: int = strawberry.field(description=FEE_FEN)
    fee_yuan: str = strawberry.field(description=FEE_YUAN)

    @strawberry.field(description="教师（teacher），个人信息已脱敏。")
    def teacher(self) -> Person:
        return Person.of(self.entry.teacher)

    @strawberry.field(description="教师所在学校（school）。")
    async def school(self, info: Info) -> School | None:
        if self.entry.school_id is None:
            return None
        row = await info.context.loaders.by_id(db.School).load(self.entry.school_id)
        return None if row is None else School.of(row)

    @classmethod
    def of(cls, entry: use_cases.RollEntry) -> "FeeRollEntry":
        return cls(
            entry=entry,
            track=entry.track,
            billed_hours=entry.fee.billed_hours,
            fee_fen=entry.fee.fee_fen,
            fee_yuan=yuan(entry.fee.fee_fen),
        )
