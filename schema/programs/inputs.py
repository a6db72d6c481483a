"""Programs (全员远程培训项目) and batches (研修批次): the inputs."""

import datetime as dt

import strawberry

from lms_plugin.schema.core.enums import PhaseKind, Stage, Track
from lms_plugin.schema.core.mutations import id_of


@strawberry.input(description="批次研修的学段和学科（stage and subject），如 高中 数学。")
class StageSubjectInput:
    stage: Stage = strawberry.field(description="学段（stage）。")
    subject: str = strawberry.field(description="学科（subject），如 数学、语文。")


@strawberry.input(
    description="新项目（program）：各项规则参数默认取 2012 年通知的数值（R2、R3、R6、R8、R9）。"
)
class CreateProgramInput:
    name: str = strawberry.field(description="项目名称（name）。")
    year: str = strawberry.field(description="学年（year），如 2011 学年、2021—2022 学年度。")
    registration_starts_on: dt.date = strawberry.field(description="报名开始日（R3）。")
    registration_ends_on: dt.date = strawberry.field(description="报名结束日，当日计入（R3）。")
    time_zone: str = strawberry.field(
        default="Asia/Shanghai",
        description="项目时区（time zone，IANA 名称）：日期、窗口和每日时段都按它计算（R1、R3）。",
    )
    holidays: list[dt.date] = strawberry.field(
        default_factory=list, description="节假日（holidays）：不计入批次的学习日（R2）。"
    )
    batch_length_days: int = strawberry.field(
        default=10, description="一个批次最多的学习日（batch length，R2）。"
    )
    tutor_team_cap: int = strawberry.field(
        default=8, description="辅导团队人数上限（tutor team cap，R6）。"
    )
    registration_opens_at: dt.time = strawberry.field(
        default=dt.time(9, 0), description="每日自主报名开始时刻，当地时间（R3）。"
    )
    registration_closes_at: dt.time = strawberry.field(
        default=dt.time(22, 0), description="每日自主报名截止时刻，当地时间，不含（R3）。"
    )
    network_online_hours: int = strawberry.field(
        default=6, description="网络学习的网上学时（R8）。"
    )
    network_offline_hours: int = strawberry.field(
        default=16, description="网络学习的线下学时（R8）。"
    )
    transitional_online_hours: int = strawberry.field(
        default=4, description="过渡学习的网上学时（R8）。"
    )
    transitional_offline_hours: int = strawberry.field(
        default=18, description="过渡学习的线下学时（R8）。"
    )
    heartbeat_max_gap_seconds: int = strawberry.field(
        default=120, description="一次心跳最多计入的秒数；间隔更长则不计（R9）。"
    )
    briefing_interval_days: int | None = strawberry.field(
        default=None, description="班级简报的周期天数；null：每批次一期（R11）。"
    )
    assessment_ends_on: dt.date | None = strawberry.field(
        default=None,
        description="考核结束日（assessment end）：窗口之后仍可批改作业至此日（含）；"
        "null：批改不截止。",
    )


@strawberry.input(description="修改项目（program）：省略的字段保持不变。")
class UpdateProgramInput:
    id: strawberry.ID = id_of("Program", description="要修改的项目。")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="项目名称。")
    year: str | None = strawberry.field(default=strawberry.UNSET, description="学年。")
    registration_starts_on: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="报名开始日（R3）。"
    )
    registration_ends_on: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="报名结束日，当日计入（R3）。"
    )
    time_zone: str | None = strawberry.field(
        default=strawberry.UNSET, description="项目时区（IANA 名称，R1、R3）。"
    )
    holidays: list[dt.date] | None = strawberry.field(
        default=strawberry.UNSET, description="节假日，整体替换（R2：各批次重新检查）。"
    )
    batch_length_days: int | None = strawberry.field(
        default=strawberry.UNSET, description="一个批次最多的学习日（R2：各批次重新检查）。"
    )
    tutor_team_cap: int | None = strawberry.field(
        default=strawberry.UNSET, description="辅导团队人数上限（R6）。"
    )
    registration_opens_at: dt.time | None = strawberry.field(
        default=strawberry.UNSET, description="每日自主报名开始时刻（R3）。"
    )
    registration_closes_at: dt.time | None = strawberry.field(
        default=strawberry.UNSET, description="每日自主报名截止时刻，不含（R3）。"
    )
    network_online_hours: int | None = strawberry.field(
        default=strawberry.UNSET, description="网络学习的网上学时（R8）。"
    )
    network_offline_hours: int | None = strawberry.field(
        default=strawberry.UNSET, description="网络学习的线下学时（R8）。"
    )
    transitional_online_hours: int | None = strawberry.field(
        default=strawberry.UNSET, description="过渡学习的网上学时（R8）。"
    )
    transitional_offline_hours: int | None = strawberry.field(
        default=strawberry.UNSET, description="过渡学习的线下学时（R8）。"
    )
    heartbeat_max_gap_seconds: int | None = strawberry.field(
        default=strawberry.UNSET, description="一次心跳最多计入的秒数（R9）。"
    )
    briefing_interval_days: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="班级简报的周期天数；显式 null：改为每批次一期（R11）。",
    )
    assessment_ends_on: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="考核结束日（含）；显式 null：清除，批改不截止。"
    )


@strawberry.input(description="新研修批次（batch）：学习窗口不超过项目的批次学习日（R2）。")
class CreateBatchInput:
    program_id: strawberry.ID = id_of("Program", description="批次所属的项目。")
    number: int = strawberry.field(description="批次序号（number），如 1、2、3。")
    name: str = strawberry.field(description="批次名称（name）。")
    starts_on: dt.date = strawberry.field(description="学习窗口开始日（R1）。")
    ends_on: dt.date = strawberry.field(description="学习窗口结束日，计至 23:59:59（R1、R2）。")
    track: Track = strawberry.field(
        default=Track.NETWORK, description="研修方式（track）：网络学习或过渡学习（R8）。"
    )
    subjects: list[StageSubjectInput] = strawberry.field(
        default_factory=list,
        description="本批次研修的学段学科（R4）；每个学段学科只属于一个批次。",
    )


@strawberry.input(description="修改研修批次（batch）：省略的字段保持不变。")
class UpdateBatchInput:
    id: strawberry.ID = id_of("Batch", description="要修改的批次。")
    number: int | None = strawberry.field(default=strawberry.UNSET, description="批次序号。")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="批次名称。")
    starts_on: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="学习窗口开始日（R1、R2）。"
    )
    ends_on: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="学习窗口结束日，计至 23:59:59（R1、R2）。"
    )
    track: Track | None = strawberry.field(default=strawberry.UNSET, description="研修方式（R8）。")
    subjects: list[StageSubjectInput] | None = strawberry.field(
        default=strawberry.UNSET, description="本批次研修的学段学科，整体替换（R4）。"
    )


@strawberry.input(description="项目的一个阶段（program phase）及其起止日期（均含当日）。")
class ProgramPhaseInput:
    kind: PhaseKind = strawberry.field(description="阶段（kind）。")
    starts_on: dt.date = strawberry.field(description="开始日（starts on），当地日期。")
    ends_on: dt.date = strawberry.field(description="结束日（ends on），当日计入，不早于开始日。")


@strawberry.input(
    description="设置项目的全部阶段（set program phases）：整体替换。须含报名阶段；准备→报名→"
    "学习→考核→成绩登记→检查依次进行、互不重叠（未设的阶段跳过）；培训者培训可与学习重叠。"
)
class SetProgramPhasesInput:
    program_id: strawberry.ID = id_of("Program", description="项目。")
    phases: list[ProgramPhaseInput] = strawberry.field(
        description="各阶段，每种至多一个；未列出的阶段被删除。"
    )
