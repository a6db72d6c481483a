"""The organisation's own rules, pure: regions' levels, codes, and who may grant which role."""

import re
from collections.abc import Iterable

from lms_plugin.resolvers.core.errors import DomainError, ErrorCode
from lms_plugin.storage.enums import RegionLevel, Role

# Region codes (行政区划代码, or the province's own for 赣江新区) and school codes (学校代码).
_CODE = re.compile(r"^[0-9A-Za-z]{1,16}$")

# Each level's parent: province → city (设区市, 省直管县, 赣江新区) → county (县区).
PARENT_LEVEL = {RegionLevel.CITY: RegionLevel.PROVINCE, RegionLevel.COUNTY: RegionLevel.CITY}

# The scope each role is granted in: a region of this level, a school, or a vendor.
ROLE_REGION_LEVEL = {
    Role.PROVINCE_ADMIN: RegionLevel.PROVINCE,
    Role.CITY_ADMIN: RegionLevel.CITY,
    Role.COUNTY_ADMIN: RegionLevel.COUNTY,
}


def code_error(code: str, field: str) -> DomainError | None:
    if not _CODE.match(code):
        return DomainError(ErrorCode.INVALID_INPUT, "代码须为1至16位字母或数字", (field,))
    return None


def text_error(text: str, limit: int, field: str, what: str) -> DomainError | None:
    """A required text (stripped) of at most `limit` characters."""
    if not text.strip():
        return DomainError(ErrorCode.INVALID_INPUT, f"{what}不能为空", (field,))
    if len(text.strip()) > limit:
        return DomainError(ErrorCode.INVALID_INPUT, f"{what}不超过{limit}个字", (field,))
    return None


def parent_error(level: RegionLevel, parent_level: RegionLevel | None) -> DomainError | None:
    """A province has no parent; a city's parent is a province, a county's a city."""
    expected = PARENT_LEVEL.get(level)
    if parent_level == expected:
        return None
    if expected is None:
        return DomainError(ErrorCode.INVALID_INPUT, "省级地区没有上级地区", ("parentId",))
    names = {RegionLevel.PROVINCE: "省", RegionLevel.CITY: "设区市"}
    return DomainError(ErrorCode.INVALID_INPUT, f"上级地区须为{names[expected]}", ("parentId",))


def scope_error(
    role: Role, region_level: RegionLevel | None, has_school: bool, has_vendor: bool
) -> DomainError | None:
    """The scope must fit the role: admins of a level a region of that level, a school admin a
    school, vendor staff a vendor, and nothing else beside."""
    fits = (
        region_level == ROLE_REGION_LEVEL[role] and not has_school and not has_vendor
        if role in ROLE_REGION_LEVEL
        else region_level is None
        and has_school == (role is Role.SCHOOL_ADMIN)
        and has_vendor == (role is Role.VENDOR_STAFF)
    )
    if fits:
        return None
    return DomainError(
        ErrorCode.ROLE_NOT_GRANTABLE,
        "角色与范围不相配：省、市、县级管理员对应同级地区，学校管理员对应学校，承训机构人员对应机构",
    )


def may_grant(
    grants: Iterable[tuple[Role, int | None]],
    role: Role,
    city_id: int | None,
    county_id: int | None,
) -> bool:
    """Whether someone holding `grants` (role, region) may grant or revoke `role` in a scope
    lying in that city and county: a province admin any role anywhere; a city admin county
    and school roles inside the city; a county admin school roles inside the county. Nobody
    grants outside their scope or at or above their own level."""
    for held, region_id in grants:
        if held is Role.PROVINCE_ADMIN:
            return True
        if (
            held is Role.CITY_ADMIN
            and role in (Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN)
            and city_id is not None
            and region_id == city_id
        ):
            return True
        if (
            held is Role.COUNTY_ADMIN
            and role is Role.SCHOOL_ADMIN
            and county_id is not None
            and region_id == county_id
        ):
            return True
    return False
