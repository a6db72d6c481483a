"""Rates of participation and passing (R14): the types."""

import strawberry

from lms_plugin.resolvers.core.rates import percent_shown, rate
from lms_plugin.resolvers.reports import use_cases
from lms_plugin.schema.core.enums import RateLevel
from lms_plugin.schema.core.ids import encode_id

_TYPE_OF_LEVEL = {
    RateLevel.PROVINCE: "Region",
    RateLevel.CITY: "Region",
    RateLevel.COUNTY: "Region",
    RateLevel.SCHOOL: "School",
    RateLevel.CLASS: "TrainingClass",
    RateLevel.VENDOR: "Vendor",
}


@strawberry.type(
    description="一个统计单位的参训率与合格率（unit rates，R14）：各数字是教师人数，"
    "比率由这些人数算出；每个数字背后的教师用 rateTrainees 查。"
)
class UnitRates:
    level: RateLevel = strawberry.field(description="单位层级（level）。")
    unit_id: strawberry.ID = strawberry.field(
        description="单位的全局 ID（unit id）：地区（Region）、学校（School）、班级"
        "（TrainingClass）或承训机构（Vendor）；可作 rates 的 withinId 和 rateTrainees 的 unitId。"
    )
    name: str = strawberry.field(description="单位名称（name）。")
    expected: int = strawberry.field(
        description="应参训人数（expected）：单位内的教师，不含免予选学的辅导团队成员（R7）。"
    )
    exempt: int = strawberry.field(
        description="免予选学人数（exempt）：本项目工作室辅导团队成员，单独计数（R7）。"
    )
    participants: int = strawberry.field(
        description="参训人数（participants）：有效报名且已有学时的应参训教师。"
    )
    not_started: int = strawberry.field(description="未参训人数（not started）= 应参训 − 参训。")
    complete: int = strawberry.field(
        description="学时达标人数（complete）：线上、线下学时都已达到（R8）。"
    )
    passed: int = strawberry.field(
        description="合格人数（passed）；passedIsForecast 为 true 时是预测（学时达标者）。"
    )
    passed_is_forecast: bool = strawberry.field(
        description="合格人数是否为预测（passed is forecast）：考核结果接入前为 true。"
    )
    participation_rate: str | None = strawberry.field(
        description="参训率（participation rate）= 参训 / 应参训，百分数，两位小数，"
        '四舍五入（如 "96.00"）；应参训为 0 时为 null。达标判断用精确比值，不用此显示值。'
    )
    pass_rate: str | None = strawberry.field(
        description="合格率（pass rate）= 合格 / 参训，百分数，两位小数，四舍五入；"
        "参训为 0 时为 null。"
    )

    @classmethod
    def of(cls, found: use_cases.UnitRates) -> "UnitRates":
        counts = found.counts
        return cls(
            level=found.level,
            unit_id=encode_id(_TYPE_OF_LEVEL[found.level], found.row.pk),
            name=found.name,
            expected=counts.expected,
            exempt=counts.exempt,
            participants=counts.participants,
            not_started=counts.expected - counts.participants,
            complete=counts.complete,
            passed=counts.passed,
            passed_is_forecast=found.passed_is_forecast,
            participation_rate=percent_shown(rate(counts.participants, counts.expected)),
            pass_rate=percent_shown(rate(counts.passed, counts.participants)),
        )
