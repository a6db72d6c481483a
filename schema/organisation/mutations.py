"""The organisation: the mutations."""

from contextlib import suppress

import strawberry

from lms_plugin.resolvers.core.roles import Grant
from lms_plugin.resolvers.organisation import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.errors import USER_ERRORS, UserError
from lms_plugin.schema.core.mutations import Call, changes_of, mutation
from lms_plugin.schema.people.types import Person, Region, RoleGrant, School
from lms_plugin.storage import models as db

from .inputs import (
    CreatePersonInput,
    CreateRegionInput,
    CreateSchoolInput,
    CreateVendorInput,
    GrantRoleInput,
    RevokeRoleInput,
    SetVendorCitiesInput,
    UpdatePersonInput,
    UpdateRegionInput,
    UpdateSchoolInput,
    UpdateVendorInput,
)
from .types import Vendor

# Person fields an explicit null clears (the required ones ignore null as "unchanged").
_PERSON_NULLABLE = frozenset(
    {"school_id", "stage", "subject", "title_rank", "post", "track", "id_number", "mobile"}
)


@strawberry.type(description="地区变更的结果（payload）。")
class RegionPayload:
    region: Region | None = strawberry.field(description="创建或修改后的地区；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="学校变更的结果（payload）。")
class SchoolPayload:
    school: School | None = strawberry.field(description="创建或修改后的学校；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="承训机构变更的结果（payload）。")
class VendorPayload:
    vendor: Vendor | None = strawberry.field(
        description="创建或修改后的承训机构；被拒绝时为 null。"
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="人员变更的结果（payload）。")
class PersonPayload:
    person: Person | None = strawberry.field(description="创建或修改后的人员；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="角色授予或撤销的结果（payload）。")
class RoleGrantPayload:
    role_grant: RoleGrant | None = strawberry.field(
        description="授予的角色，或刚撤销的角色；被拒绝时为 null。"
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


def _region(row: db.Region, info: Info) -> Region:
    return Region.of(row)


def _school(row: db.School, info: Info) -> School:
    return School.of(row)


def _vendor(row: db.Vendor, info: Info) -> Vendor:
    # Its cities changed: the rest of the request reads them again (strawberry's cache raises
    # KeyError for a key it does not hold).
    with suppress(KeyError):
        info.context.loaders.grouped(db.VendorCity, "vendor_id").clear(row.id)
    return Vendor.of(row)


def _person(row: db.Person, info: Info) -> Person:
    return Person.of(row)


def _role_grant(row: db.RoleAssignment, info: Info) -> RoleGrant:
    return RoleGrant.of(row)


def _region_settings(call: Call[CreateRegionInput]) -> use_cases.RegionSettings:
    i = call.input
    return use_cases.RegionSettings(i.code, i.name, i.level, call.ids["parent_id"])


def _school_settings(call: Call[CreateSchoolInput]) -> use_cases.SchoolSettings:
    i = call.input
    code = None if i.code is None else i.code.strip() or None
    return use_cases.SchoolSettings(i.name, code, call.ids["county_id"])


def _school_changes(call: Call[UpdateSchoolInput]) -> dict[str, object]:
    changes = changes_of(call, nullable=frozenset({"code"}))
    if isinstance(changes.get("code"), str):
        changes["code"] = str(changes["code"]).strip() or None
    return changes


def _profile(call: Call[CreatePersonInput]) -> use_cases.PersonProfile:
    values = dict(vars(call.input))
    values["school_id"] = call.ids["school_id"]
    return use_cases.PersonProfile(**values)


def _grant(call: Call[GrantRoleInput]) -> Grant:
    ids = call.ids
    return Grant(
        ids["person_id"], call.input.role, ids["region_id"], ids["school_id"], ids["vendor_id"]
    )


@strawberry.type
class Mutation:
    create_region = mutation(
        use_cases.create_region,
        input=CreateRegionInput,
        payload=RegionPayload,
        arguments=lambda call: (_region_settings(call),),
        present=_region,
        description="新增地区（create region）；代码重复报 DUPLICATE_CODE。",
    )
    update_region = mutation(
        use_cases.update_region,
        input=UpdateRegionInput,
        payload=RegionPayload,
        arguments=lambda call: (call.ids["id"], changes_of(call)),
        present=_region,
        description="修改地区的名称或代码（update region）。",
    )
    create_school = mutation(
        use_cases.create_school,
        input=CreateSchoolInput,
        payload=SchoolPayload,
        arguments=lambda call: (_school_settings(call),),
        present=_school,
        description="新增学校（create school），在你管辖的县区；代码重复报 DUPLICATE_CODE。",
    )
    update_school = mutation(
        use_cases.update_school,
        input=UpdateSchoolInput,
        payload=SchoolPayload,
        arguments=lambda call: (call.ids["id"], _school_changes(call)),
        present=_school,
        description="修改学校（update school）：名称、代码或所在县区。",
    )
    create_vendor = mutation(
        use_cases.create_vendor,
        input=CreateVendorInput,
        payload=VendorPayload,
        arguments=lambda call: (call.input.name,),
        present=_vendor,
        description="新增承训网络培训机构（create vendor）。",
    )
    update_vendor = mutation(
        use_cases.update_vendor,
        input=UpdateVendorInput,
        payload=VendorPayload,
        arguments=lambda call: (call.ids["id"], call.input.name),
        present=_vendor,
        description="修改承训机构的名称（update vendor）。",
    )
    set_vendor_cities = mutation(
        use_cases.set_vendor_cities,
        input=SetVendorCitiesInput,
        payload=VendorPayload,
        arguments=lambda call: (
            call.ids["vendor_id"],
            call.ids["program_id"],
            call.ids["city_ids"],
        ),
        present=_vendor,
        description="设置承训机构在某项目中服务的设区市（set vendor cities，附件1）。",
    )
    create_person = mutation(
        use_cases.create_person,
        input=CreatePersonInput,
        payload=PersonPayload,
        arguments=lambda call: (_profile(call), call.now.date()),
        present=_person,
        description="登记人员（create person）及其任教信息；身份证号和手机号经校验。",
    )
    update_person = mutation(
        use_cases.update_person,
        input=UpdatePersonInput,
        payload=PersonPayload,
        arguments=lambda call: (
            call.ids["id"],
            changes_of(call, nullable=_PERSON_NULLABLE),
            call.now.date(),
        ),
        present=_person,
        description="修改人员信息（update person）。",
    )
    grant_role = mutation(
        use_cases.grant_role,
        input=GrantRoleInput,
        payload=RoleGrantPayload,
        arguments=lambda call: (_grant(call),),
        present=_role_grant,
        description="授予角色（grant role）：省级管理员可授予任何角色；市级管理员可在本市授予县级、"
        "学校管理员；县级管理员可在本县授予学校管理员。",
    )
    revoke_role = mutation(
        use_cases.revoke_role,
        input=RevokeRoleInput,
        payload=RoleGrantPayload,
        arguments=lambda call: (call.ids["role_grant_id"],),
        present=_role_grant,
        description="撤销角色（revoke role）：能授予该角色的人可以撤销。",
    )
