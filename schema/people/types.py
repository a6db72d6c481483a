"""People, regions and schools; personal data masked: the types."""

import strawberry

from lms_plugin.resolvers.core.privacy import mask_id_number, mask_mobile
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import Post, RegionLevel, Role, Stage, TitleRank, Track
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.schema.core.node import Node
from lms_plugin.storage import models as db


@strawberry.type(description="A region: province → city (设区市) → county (县区).")
class Region(Node):
    row: strawberry.Private[db.Region]
    name: str
    code: str
    level: RegionLevel

    @strawberry.field
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


@strawberry.type(description="A school; every teacher belongs to one.")
class School(Node):
    row: strawberry.Private[db.School]
    name: str

    @strawberry.field
    async def county(self, info: Info) -> Region:
        row = await info.context.loaders.by_id(db.Region).load(self.row.county_id)
        assert row is not None
        return Region.of(row)

    @strawberry.field
    async def city(self, info: Info) -> Region:
        row = await info.context.loaders.by_id(db.Region).load(self.row.city_id)
        assert row is not None
        return Region.of(row)

    @classmethod
    def of(cls, row: db.School) -> "School":
        return cls(id=encode_id("School", row.id), row=row, name=row.name)


@strawberry.type(description="An administrative role and where it applies.")
class RoleGrant:
    row: strawberry.Private[db.RoleAssignment]
    role: Role

    @strawberry.field(description="The region of a city or county admin.")
    async def region(self, info: Info) -> Region | None:
        if self.row.region_id is None:
            return None
        row = await info.context.loaders.by_id(db.Region).load(self.row.region_id)
        return None if row is None else Region.of(row)

    @strawberry.field(description="The school of a school admin.")
    async def school(self, info: Info) -> School | None:
        if self.row.school_id is None:
            return None
        row = await info.context.loaders.by_id(db.School).load(self.row.school_id)
        return None if row is None else School.of(row)

    @strawberry.field(description="The vendor (承训网络培训机构) of vendor staff.")
    async def vendor_name(self, info: Info) -> str | None:
        if self.row.vendor_id is None:
            return None
        row = await info.context.loaders.by_id(db.Vendor).load(self.row.vendor_id)
        return None if row is None else row.name

    @classmethod
    def of(cls, row: db.RoleAssignment) -> "RoleGrant":
        return cls(row=row, role=row.role)


@strawberry.type(description="A person: a teacher (教师) with a teaching profile, or staff.")
class Person(Node):
    row: strawberry.Private[db.Person]
    username: str = strawberry.field(description="User name on the host platform (single sign-on).")
    real_name: str
    stage: Stage | None
    subject: str | None
    title_rank: TitleRank | None
    post: Post | None
    track: Track | None

    @strawberry.field(description="身份证号, masked: the first 3 and the last 4 characters show.")
    def id_number_masked(self) -> str | None:
        return mask_id_number(self.row.id_number)

    @strawberry.field(description="Mobile number, masked: the first 3 and the last 4 digits show.")
    def mobile_masked(self) -> str | None:
        return mask_mobile(self.row.mobile)

    @strawberry.field
    async def school(self, info: Info) -> School | None:
        if self.row.school_id is None:
            return None
        row = await info.context.loaders.by_id(db.School).load(self.row.school_id)
        return None if row is None else School.of(row)

    @classmethod
    def of(cls, row: db.Person) -> "Person":
        return cls(
            id=encode_id("Person", row.id),
            row=row,
            username=row.username,
            real_name=row.real_name,
            stage=row.stage,
            subject=row.subject,
            title_rank=row.title_rank,
            post=row.post,
            track=row.track,
        )


async def load_person(info: Info, person_id: int) -> Person:
    """A person another object refers to (leader, tutor, author): always exists (RESTRICT)."""
    row = await info.context.loaders.by_id(db.Person).load(person_id)
    assert row is not None
    return Person.of(row)
