"""Learning-status bulletins (学情通报): the types."""

import datetime as dt

import strawberry

from lms_plugin.resolvers.bulletins import use_cases
from lms_plugin.resolvers.bulletins.rules import points_change
from lms_plugin.resolvers.core.rates import percent_shown, rate
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import RateLevel
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.schema.core.node import Node, node_loader
from lms_plugin.schema.core.pagination import After, Connection, First, connection
from lms_plugin.schema.people.types import Person, Region
from lms_plugin.storage import models as db

RATE = "百分数，两位小数，四舍五入；分母为 0 时为 null。"
CHANGE = "比上一期通报的变化（change），百分点，带正负号，两位小数；无上一期或无比率时为 null。"


@strawberry.type(description="通报中的一个单位（bulletin entry）：冻结的人数、比率、名次与变化。")
class BulletinEntry:
    row: strawberry.Private[db.BulletinEntry]
    unit_id: strawberry.ID = strawberry.field(
        description="单位的全局 ID（unit id）：下一级地区（Region）或学校（School）。"
    )
    name: str = strawberry.field(description="单位名称（name），发布时的名称。")
    rank: int = strawberry.field(
        description="名次（rank）：参训率、再合格率从高到低，相同时按代码。"
    )
    previous_rank: int | None = strawberry.field(
        description="上一期的名次（previous rank）；无上一期时为 null。"
    )
    expected: int = strawberry.field(description="应参训人数（expected，不含免予选学）。")
    exempt: int = strawberry.field(description="免予选学人数（exempt，R7）。")
    participants: int = strawberry.field(description="参训人数（participants）。")
    complete: int = strawberry.field(description="学时达标人数（complete）。")
    passed: int = strawberry.field(description="合格人数（passed）。")
    lagging: bool = strawberry.field(
        description="低于项目阈值（lagging）：参训率或合格率低于阈值（精确比较）。"
    )
    participation_rate: str | None = strawberry.field(
        description=f"参训率（participation rate），{RATE}"
    )
    pass_rate: str | None = strawberry.field(description=f"合格率（pass rate），{RATE}")
    participation_rate_change: str | None = strawberry.field(description=f"参训率{CHANGE}")
    pass_rate_change: str | None = strawberry.field(description=f"合格率{CHANGE}")

    @classmethod
    def of(cls, row: db.BulletinEntry, level: RateLevel) -> "BulletinEntry":
        type_name = "School" if level is RateLevel.SCHOOL else "Region"
        return cls(
            row=row,
            unit_id=encode_id(type_name, row.unit_id),
            name=row.name,
            rank=row.rank,
            previous_rank=row.previous_rank,
            expected=row.expected,
            exempt=row.exempt,
            participants=row.participants,
            complete=row.complete,
            passed=row.passed,
            lagging=row.lagging,
            participation_rate=percent_shown(rate(row.participants, row.expected)),
            pass_rate=percent_shown(rate(row.passed, row.participants)),
            participation_rate_change=points_change(
                (row.participants, row.expected),
                (row.previous_participants, row.previous_expected),
            ),
            pass_rate_change=points_change(
                (row.passed, row.participants),
                (row.previous_passed, row.previous_participants),
            ),
        )


@strawberry.type(
    description="学情通报（bulletin）：某地区某日下一级各单位参训率、合格率的冻结快照，"
    "排名并标出低于阈值的单位，附与上一期的变化。"
)
class Bulletin(Node):
    row: strawberry.Private[db.Bulletin]
    number: int = strawberry.field(description="期号（number）：同一项目、同一地区从 1 起。")
    unit_level: RateLevel = strawberry.field(description="所列单位的层级（unit level）。")
    as_of: dt.date = strawberry.field(description="通报日期（as of）。")
    published_at: dt.datetime = strawberry.field(description="发布时刻（published at）。")
    threshold: str = strawberry.field(
        description='发布时的阈值（threshold），百分数两位小数，如 "96.00"。'
    )
    expected: int = strawberry.field(description="本地区应参训人数合计（各单位之和）。")
    exempt: int = strawberry.field(description="本地区免予选学人数合计。")
    participants: int = strawberry.field(description="本地区参训人数合计。")
    complete: int = strawberry.field(description="本地区学时达标人数合计。")
    passed: int = strawberry.field(description="本地区合格人数合计。")
    passed_is_forecast: bool = strawberry.field(
        description="合格人数是否为预测（考核结果接入前为 true）。"
    )
    participation_rate: str | None = strawberry.field(description=f"本地区参训率，{RATE}")
    pass_rate: str | None = strawberry.field(description=f"本地区合格率，{RATE}")

    @strawberry.field(description="通报的地区（region）。")
    async def region(self, info: Info) -> Region:
        row = await info.context.loaders.by_id(db.Region).load(self.row.region_id)
        assert row is not None
        return Region.of(row)

    @strawberry.field(description="发布人（published by）。")
    async def published_by(self, info: Info) -> Person:
        row = await info.context.loaders.by_id(db.Person).load(self.row.published_by_id)
        assert row is not None
        return Person.of(row)

    @strawberry.field(description="各单位（entries），按名次。")
    async def entries(self, first: First = 100, after: After = None) -> Connection[BulletinEntry]:
        level = RateLevel(self.row.unit_level)
        return await connection(
            use_cases.entries(self.row.id),
            lambda row: BulletinEntry.of(row, level),
            first=first,
            after=after,
        )

    @strawberry.field(description="低于阈值的单位名称（lagging units），按名次。")
    async def lagging_units(self, info: Info) -> list[str]:
        rows = use_cases.entries(self.row.id).filter(lagging=True).order_by("id")
        return [str(name) for name in await rows.values_list("name", flat=True)]

    @classmethod
    def of(cls, row: db.Bulletin) -> "Bulletin":
        basis_points = row.threshold_basis_points
        return cls(
            id=encode_id("Bulletin", row.id),
            row=row,
            number=row.number,
            unit_level=row.unit_level,
            as_of=row.as_of,
            published_at=row.published_at,
            threshold=f"{basis_points // 100}.{basis_points % 100:02d}",
            expected=row.expected,
            exempt=row.exempt,
            participants=row.participants,
            complete=row.complete,
            passed=row.passed,
            passed_is_forecast=row.passed_is_forecast,
            participation_rate=percent_shown(rate(row.participants, row.expected)),
            pass_rate=percent_shown(rate(row.passed, row.participants)),
        )


@node_loader("Bulletin")
async def load_bulletin(info: Info, pk: int) -> Bulletin | None:
    row = await use_cases.visible_bulletin(info.context.viewer, pk)
    return None if row is None else Bulletin.of(row)
