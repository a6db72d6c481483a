"""People, regions and schools; personal data masked: the types."""

from collections.abc import Awaitable, Callable

import strawberry

from lms_plugin.resolvers.core.privacy import mask_id_number, mask_mobile
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import (
    Distinction,
    Post,
    RegionLevel,
    Role,
    Stage,
    TitleRank,
    Track,
)
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.schema.core.node import Node
from lms_plugin.storage import models as db
from lms_plugin.storage.organisation import PersonRow


@strawberry.type(description="地区（region）：省 → 设区市（city）→ 县区（county）。")
class Region(Node):
    row: strawberry.Private[db.Region]
    name: str = strawberry.field(description="地区名称（name）。")
    code: str = strawberry.field(description="地区代码（code）。")
    level: RegionLevel = strawberry.field(description="层级（level）：省、设区市或县区。")

    @strawberry.field(description="下级地区（children），按 id；县区为空列表。")
    async def children(self, info: Info) -> list["Region"]:
        rows = await info.context.loaders.grouped(db.Region, "parent_id").load(self.row.id)
        return [Region.of(row) for row in rows]

    @strawberry.field(description="上级地区（parent）；省为 null。")
    async def parent(self, info: Info) -> "Region | None":
        if self.row.parent_id is None:
            return None
        row = await info.context.loaders.by_id(db.Region).load(self.row.parent_id)
        return None if row is None else Region.of(row)

    @classmethod
    def of(cls, row: db.Region) -> "Region":
        return cls(
            id=encode_id("Region", row.id), row=row, name=row.name, code=row.code, level=row.level
        )


@strawberry.type(description="学校（school）：每位教师属于一所学校。")
class School(Node):
    row: strawberry.Private[db.School]
    name: str = strawberry.field(description="学校名称（name）。")
    code: str | None = strawberry.field(
        description="学校代码（code）：花名册与导入用它指明学校；尚未登记时为空。"
    )

    @strawberry.field(description="学校所在的县区（county）。")
    async def county(self, info: Info) -> Region:
        row = await info.context.loaders.by_id(db.Region).load(self.row.county_id)
        assert row is not None
        return Region.of(row)

    @strawberry.field(description="学校所在的设区市（city）。")
    async def city(self, info: Info) -> Region:
        row = await info.context.loaders.by_id(db.Region).load(self.row.city_id)
        assert row is not None
        return Region.of(row)

    @classmethod
    def of(cls, row: db.School) -> "School":
        return cls(id=encode_id("School", row.id), row=row, name=row.name, code=row.code)


@strawberry.type(description="授予的管理角色（role grant）及其适用范围。")
class RoleGrant(Node):
    row: strawberry.Private[db.RoleAssignment]
    role: Role = strawberry.field(description="角色（role）。")

    @strawberry.field(description="省、市、县级管理员管理的地区（region）；其他角色为 null。")
    async def region(self, info: Info) -> Region | None:
        if self.row.region_id is None:
            return None
        row = await info.context.loaders.by_id(db.Region).load(self.row.region_id)
        return None if row is None else Region.of(row)

    @strawberry.field(description="学校管理员管理的学校（school）；其他角色为 null。")
    async def school(self, info: Info) -> School | None:
        if self.row.school_id is None:
            return None
        row = await info.context.loaders.by_id(db.School).load(self.row.school_id)
        return None if row is None else School.of(row)

    @strawberry.field(
        description="承训机构人员所在的承训网络培训机构（vendor）名称；其他角色为 null。"
    )
    async def vendor_name(self, info: Info) -> str | None:
        if self.row.vendor_id is None:
            return None
        row = await info.context.loaders.by_id(db.Vendor).load(self.row.vendor_id)
        return None if row is None else row.name

    @classmethod
    def of(cls, row: db.RoleAssignment) -> "RoleGrant":
        return cls(id=encode_id("RoleGrant", row.id), row=row, role=row.role)


@strawberry.type(description="人员（person）：有任教信息的教师，或工作人员；个人信息已脱敏。")
class Person(Node):
    row: strawberry.Private[db.Person | PersonRow]
    # The viewer's own school, when the viewer's page reads it with their enrollment.
    school_of_viewer: strawberry.Private[Callable[[], Awaitable["School | None"]] | None] = None
    username: str = strawberry.field(
        description="宿主平台的用户名（username），与教师信息系统一致（单点登录）。"
    )
    real_name: str = strawberry.field(description="真实姓名（real name）。")
    stage: Stage | None = strawberry.field(description="任教学段（stage）；工作人员为 null。")
    subject: str | None = strawberry.field(description="任教学科（subject）；工作人员为 null。")
    title_rank: TitleRank | None = strawberry.field(description="职称（title rank）。")
    post: Post | None = strawberry.field(description="岗位（post）。")
    track: Track | None = strawberry.field(description="研修方式（track）：网络学习或过渡学习。")
    distinction: Distinction | None = strawberry.field(
        description="称号（distinction）：特级教师或省级学科带头人（seed 002 §二(二)）；无为 null。"
    )

    @strawberry.field(description="身份证号（ID number），已脱敏：只显示前 3 位和后 4 位。")
    def id_number_masked(self) -> str | None:
        return mask_id_number(self.row.id_number)

    @strawberry.field(description="手机号（mobile），已脱敏：只显示前 3 位和后 4 位。")
    def mobile_masked(self) -> str | None:
        return mask_mobile(self.row.mobile)

    @strawberry.field(
        description="所在学校（school）；不属于学校的工作人员为 null。", graphql_type=School | None
    )
    def school(self, info: Info) -> School | Awaitable[School | None] | None:
        if self.row.school_id is None:
            return None
        if self.school_of_viewer is not None:
            return self.school_of_viewer()
        return _load_school(info, self.row.school_id)

    @classmethod
    def of(
        cls,
        row: db.Person | PersonRow,
        school_of_viewer: Callable[[], Awaitable[School | None]] | None = None,
    ) -> "Person":
        return cls(
            school_of_viewer=school_of_viewer,
            id=encode_id("Person", row.id),
            row=row,
            username=row.username,
            real_name=row.real_name,
            stage=row.stage,
            subject=row.subject,
            title_rank=row.title_rank,
            post=row.post,
            track=row.track,
            distinction=row.distinction,
        )


async def _load_school(info: Info, school_id: int) -> School | None:
    row = await info.context.loaders.by_id(db.School).load(school_id)
    return None if row is None else School.of(row)


async def load_person(info: Info, person_id: int) -> Person:
    """A person another object refers to (leader, tutor, author): always exists (RESTRICT)."""
    row = await info.context.loaders.by_id(db.Person).load(person_id)
    assert row is not None
    return Person.of(row)
