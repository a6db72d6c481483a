"""The organisation: the inputs."""

import strawberry

from lms_plugin.schema.core.enums import Post, RegionLevel, Role, Stage, TitleRank, Track
from lms_plugin.schema.core.mutations import id_of


@strawberry.input(description="新地区（region）：省 → 设区市（含省直管县、赣江新区）→ 县区。")
class CreateRegionInput:
    code: str = strawberry.field(description="地区代码（code），1 至 16 位字母或数字，唯一。")
    name: str = strawberry.field(description="地区名称（name）。")
    level: RegionLevel = strawberry.field(description="层级（level）。")
    parent_id: strawberry.ID | None = id_of(
        "Region",
        optional=True,
        description="上级地区（parent）：设区市的为省，县区的为设区市；省为 null。",
    )


@strawberry.input(description="修改地区（region）：名称和代码；省略的字段保持不变。")
class UpdateRegionInput:
    id: strawberry.ID = id_of("Region", description="要修改的地区。")
    code: str | None = strawberry.field(default=strawberry.UNSET, description="地区代码，唯一。")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="地区名称。")


@strawberry.input(description="新学校（school）：所在设区市随县区确定。")
class CreateSchoolInput:
    name: str = strawberry.field(description="学校名称（name）。")
    county_id: strawberry.ID = id_of(
        "Region", description="所在县区（county），须在你的管辖范围内。"
    )
    code: str | None = strawberry.field(
        default=None, description="学校代码（code），1 至 16 位字母或数字，唯一；可暂不填。"
    )


@strawberry.input(description="修改学校（school）：省略的字段保持不变。")
class UpdateSchoolInput:
    id: strawberry.ID = id_of("School", description="要修改的学校。")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="学校名称。")
    code: str | None = strawberry.field(
        default=strawberry.UNSET, description="学校代码，唯一；显式 null：清除。"
    )
    county_id: strawberry.ID | None = id_of(
        "Region", default=strawberry.UNSET, description="所在县区，须在你的管辖范围内。"
    )


@strawberry.input(description="新承训网络培训机构（vendor）。")
class CreateVendorInput:
    name: str = strawberry.field(description="机构名称（name），唯一。")


@strawberry.input(description="修改承训机构（vendor）的名称。")
class UpdateVendorInput:
    id: strawberry.ID = id_of("Vendor", description="要修改的承训机构。")
    name: str = strawberry.field(description="机构名称，唯一。")


@strawberry.input(description="设置承训机构在某项目中服务的设区市（vendor cities）：整体替换。")
class SetVendorCitiesInput:
    vendor_id: strawberry.ID = id_of("Vendor", description="承训机构。")
    program_id: strawberry.ID = id_of("Program", description="项目。")
    city_ids: list[strawberry.ID] = id_of(
        "Region", description="服务的设区市；每市每项目只由一家机构服务。"
    )


@strawberry.input(
    description="新人员（person）：教师填写任教信息；身份证号（校验码、出生日期）和手机号经校验。"
)
class CreatePersonInput:
    username: str = strawberry.field(
        description="宿主平台的用户名（username），即令牌的 sub，唯一（单点登录）。"
    )
    real_name: str = strawberry.field(description="真实姓名（real name）。")
    school_id: strawberry.ID | None = id_of(
        "School",
        optional=True,
        description="所在学校（school）；不属于学校的工作人员只能由省级管理员登记。",
    )
    stage: Stage | None = strawberry.field(default=None, description="任教学段（stage）。")
    subject: str | None = strawberry.field(
        default=None, description="任教学科（subject），与学段同时填写。"
    )
    title_rank: TitleRank | None = strawberry.field(
        default=None, description="职称（title rank）。"
    )
    post: Post | None = strawberry.field(default=None, description="岗位（post）。")
    track: Track | None = strawberry.field(default=None, description="研修方式（track）。")
    id_number: str | None = strawberry.field(
        default=None, description="身份证号（ID number，18 位），个人信息：输出时脱敏。"
    )
    mobile: str | None = strawberry.field(
        default=None, description="手机号（mobile，11 位），个人信息：输出时脱敏。"
    )


@strawberry.input(description="修改人员（person）：省略的字段保持不变，显式 null 清除可空的字段。")
class UpdatePersonInput:
    id: strawberry.ID = id_of("Person", description="要修改的人员，须在你的管辖范围内。")
    username: str | None = strawberry.field(default=strawberry.UNSET, description="用户名，唯一。")
    real_name: str | None = strawberry.field(default=strawberry.UNSET, description="真实姓名。")
    school_id: strawberry.ID | None = id_of(
        "School", default=strawberry.UNSET, description="所在学校，须在你的管辖范围内。"
    )
    stage: Stage | None = strawberry.field(default=strawberry.UNSET, description="任教学段。")
    subject: str | None = strawberry.field(default=strawberry.UNSET, description="任教学科。")
    title_rank: TitleRank | None = strawberry.field(default=strawberry.UNSET, description="职称。")
    post: Post | None = strawberry.field(default=strawberry.UNSET, description="岗位。")
    track: Track | None = strawberry.field(default=strawberry.UNSET, description="研修方式。")
    id_number: str | None = strawberry.field(default=strawberry.UNSET, description="身份证号。")
    mobile: str | None = strawberry.field(default=strawberry.UNSET, description="手机号。")


@strawberry.input(
    description="授予角色（grant role）：省、市、县级管理员对应同级地区，学校管理员对应学校，"
    "承训机构人员对应机构。"
)
class GrantRoleInput:
    person_id: strawberry.ID = id_of("Person", description="被授予的人员，须在你的管辖范围内。")
    role: Role = strawberry.field(description="角色（role）。")
    region_id: strawberry.ID | None = id_of(
        "Region", optional=True, description="省、市、县级管理员管理的地区。"
    )
    school_id: strawberry.ID | None = id_of(
        "School", optional=True, description="学校管理员管理的学校。"
    )
    vendor_id: strawberry.ID | None = id_of(
        "Vendor", optional=True, description="承训机构人员所在的机构。"
    )


@strawberry.input(description="撤销角色（revoke role）。")
class RevokeRoleInput:
    role_grant_id: strawberry.ID = id_of("RoleGrant", description="要撤销的角色授予。")
