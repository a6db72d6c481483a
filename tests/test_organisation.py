"""The organisation through the API (issue 9): regions, schools, vendors, people and role grants,
each as an allowed role, a role outside its scope, and without a token."""

import asyncio
from typing import Any

import pytest

from lms_plugin.identity import synthetic_id_number
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.storage.enums import Role
from lms_plugin.storage.models import Person, Region, RoleAssignment, School, VendorCity

from .api import Api, error_codes, refused
from .factories import (
    Org,
    gid,
    grant,
    make_admin,
    make_org,
    make_person,
    make_vendor,
    reference_program,
)

CREATE_REGION = """
mutation ($input: CreateRegionInput!) {
  createRegion(input: $input) {
    region { code name level parent { code } }
    userErrors { code field message }
  }
}"""
UPDATE_REGION = """
mutation ($input: UpdateRegionInput!) {
  updateRegion(input: $input) { region { code name } userErrors { code field message } }
}"""
CREATE_SCHOOL = """
mutation ($input: CreateSchoolInput!) {
  createSchool(input: $input) {
    school { name code county { code } city { code } }
    userErrors { code field message }
  }
}"""
UPDATE_SCHOOL = """
mutation ($input: UpdateSchoolInput!) {
  updateSchool(input: $input) {
    school { name code county { code } city { code } }
    userErrors { code field message }
  }
}"""
CREATE_VENDOR = """
mutation ($input: CreateVendorInput!) {
  createVendor(input: $input) { vendor { name } userErrors { code field message } }
}"""
UPDATE_VENDOR = """
mutation ($input: UpdateVendorInput!) {
  updateVendor(input: $input) { vendor { name } userErrors { code field message } }
}"""
SET_VENDOR_CITIES = """
mutation ($input: SetVendorCitiesInput!, $program: ID!) {
  setVendorCities(input: $input) {
    vendor { name cities(programId: $program) { code } }
    userErrors { code field message }
  }
}"""
CREATE_PERSON = """
mutation ($input: CreatePersonInput!) {
  createPerson(input: $input) {
    person { username realName stage subject titleRank post track idNumberMasked mobileMasked
             school { code } }
    userErrors { code field message }
  }
}"""
UPDATE_PERSON = """
mutation ($input: UpdatePersonInput!) {
  updatePerson(input: $input) {
    person { username realName subject school { code } }
    userErrors { code field message }
  }
}"""
GRANT_ROLE = """
mutation ($input: GrantRoleInput!) {
  grantRole(input: $input) {
    roleGrant { role region { code } school { code } vendorName }
    userErrors { code field message }
  }
}"""
REVOKE_ROLE = """
mutation ($input: RevokeRoleInput!) {
  revokeRole(input: $input) { roleGrant { role region { code } } userErrors { code field message } }
}"""


def _grant_id(assignment: RoleAssignment) -> str:
    return str(encode_id("RoleGrant", assignment.id))


class People:
    province: Person
    city: Person  # 南昌市
    county: Person  # 东湖区, in 南昌市
    other_county: Person  # 濂溪区, in 九江市
    school_admin: Person
    teacher: Person  # of the 东湖区 school
    other_teacher: Person  # of the 濂溪区 school


@pytest.fixture
async def org(db: str) -> Org:
    return await make_org()


@pytest.fixture
async def people(org: Org) -> People:
    p = People()
    p.province = await make_admin("province", Role.PROVINCE_ADMIN, region=org.province)
    p.city = await make_admin("city", Role.CITY_ADMIN, region=org.city)
    p.county = await make_admin("county", Role.COUNTY_ADMIN, region=org.county)
    p.other_county = await make_admin("other.county", Role.COUNTY_ADMIN, region=org.other_county)
    p.school_admin = await make_person("school.admin", school=org.school)
    await grant(p.school_admin, Role.SCHOOL_ADMIN, school=org.school)
    p.teacher = await make_person("teacher", school=org.school)
    p.other_teacher = await make_person("other.teacher", school=org.other_school)
    return p


def _unauthenticated_or_forbidden(body: dict[str, Any], who: Person | None) -> None:
    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED" if who is None else "FORBIDDEN"]


# --- regions ---------------------------------------------------------------------------------


async def test_a_province_admin_builds_the_region_tree(api: Api, org: Org, people: People) -> None:
    city = await api.data(
        CREATE_REGION,
        {
            "input": {
                "code": "361200",
                "name": "赣江新区",
                "level": "CITY",
                "parentId": gid(org.province),
            }
        },
        as_=people.province,
    )
    county = await api.data(
        CREATE_REGION,
        {
            "input": {
                "code": "361201",
                "name": "直管区",
                "level": "COUNTY",
                "parentId": gid(org.city),
            }
        },
        as_=people.province,
    )
    renamed = await api.data(
        UPDATE_REGION, {"input": {"id": gid(org.city), "name": "南昌"}}, as_=people.province
    )

    assert city == {
        "createRegion": {
            "region": {"code": "361200", "name": "赣江新区", "level": "CITY",
                       "parent": {"code": "360000"}},
            "userErrors": [],
        }
    }  # fmt: skip
    assert county["createRegion"]["region"]["parent"] == {"code": "360100"}
    assert renamed == {
        "updateRegion": {"region": {"code": "360100", "name": "南昌"}, "userErrors": []}
    }


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        (
            {"code": "360100", "name": "重复", "level": "CITY", "parent": "province"},
            ("DUPLICATE_CODE", "地区代码已被使用", "code"),
        ),
        (
            {"code": "369900", "name": "错层", "level": "COUNTY", "parent": "province"},
            ("INVALID_INPUT", "上级地区须为设区市", "parentId"),
        ),
        (
            {"code": "36-99", "name": "坏代码", "level": "CITY", "parent": "province"},
            ("INVALID_INPUT", "代码须为1至16位字母或数字", "code"),
        ),
    ],
)
async def test_a_bad_region_is_refused_and_nothing_is_written(
    api: Api, org: Org, people: People, variables: dict[str, str], expected: tuple[str, ...]
) -> None:
    before = await Region.all().count()
    fields = {k: v for k, v in variables.items() if k != "parent"}
    parent = {"province": org.province}[variables["parent"]]

    data = await api.data(
        CREATE_REGION, {"input": {**fields, "parentId": gid(parent)}}, as_=people.province
    )

    assert data == {"createRegion": refused("region", *expected)}
    assert await Region.all().count() == before


@pytest.mark.parametrize("who", ["city", "nobody"])
async def test_only_a_province_admin_changes_regions(
    api: Api, org: Org, people: People, who: str
) -> None:
    person = {"city": people.city, "nobody": None}[who]
    variables = {
        "input": {"code": "361300", "name": "新区", "level": "CITY", "parentId": gid(org.province)}
    }
    _unauthenticated_or_forbidden(await api.gql(CREATE_REGION, variables, as_=person), person)
    update = {"input": {"id": gid(org.city), "name": "改名"}}
    _unauthenticated_or_forbidden(await api.gql(UPDATE_REGION, update, as_=person), person)


async def test_the_region_tree_reads_level_by_level(api: Api, org: Org, people: People) -> None:
    query = """query ($parent: ID) {
      regions(parentId: $parent) { code name level children { code } }
    }"""

    roots = await api.data(query, as_=people.teacher)
    under_city = await api.data(query, {"parent": gid(org.city)}, as_=people.teacher)
    body = await api.gql(query, as_=None)

    assert roots == {
        "regions": [
            {
                "code": "360000",
                "name": "江西省",
                "level": "PROVINCE",
                "children": [{"code": "360100"}, {"code": "360400"}],
            }
        ]
    }
    assert under_city == {
        "regions": [{"code": "360102", "name": "东湖区", "level": "COUNTY", "children": []}]
    }
    assert error_codes(body) == ["UNAUTHENTICATED"]


# --- schools ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["province", "city", "county"])
async def test_an_admin_of_the_county_creates_a_school_whose_city_follows_the_county(
    api: Api, org: Org, people: People, who: str
) -> None:
    admin = getattr(people, who)
    variables = {
        "input": {"name": "东湖区第二小学", "code": "3601020002", "countyId": gid(org.county)}
    }

    data = await api.data(CREATE_SCHOOL, variables, as_=admin)

    assert data == {
        "createSchool": {
            "school": {"name": "东湖区第二小学", "code": "3601020002",
                       "county": {"code": "360102"}, "city": {"code": "360100"}},
            "userErrors": [],
        }
    }  # fmt: skip


async def test_schools_outside_the_scope_and_duplicate_codes_are_refused(
    api: Api, org: Org, people: People
) -> None:
    before = await School.all().count()
    other = {"input": {"name": "越界学校", "countyId": gid(org.other_county)}}
    duplicate = {"input": {"name": "重复学校", "code": "3601020001", "countyId": gid(org.county)}}

    outside = await api.data(CREATE_SCHOOL, other, as_=people.county)
    by_city = await api.data(CREATE_SCHOOL, other, as_=people.city)
    taken = await api.data(CREATE_SCHOOL, duplicate, as_=people.county)
    body = await api.gql(CREATE_SCHOOL, other, as_=None)
    teacher = await api.gql(CREATE_SCHOOL, other, as_=people.teacher)

    out_of_scope = refused("school", "OUT_OF_SCOPE", "该县区不在你的管辖范围内", "countyId")
    assert outside == by_city == {"createSchool": out_of_scope}
    assert taken == {
        "createSchool": refused("school", "DUPLICATE_CODE", "学校代码已被使用", "code")
    }
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert error_codes(teacher) == ["FORBIDDEN"]
    assert await School.all().count() == before


async def test_updating_a_school_stays_inside_the_scope(api: Api, org: Org, people: People) -> None:
    renamed = await api.data(
        UPDATE_SCHOOL,
        {"input": {"id": gid(org.school), "name": "东湖实验", "code": None}},
        as_=people.county,
    )
    moved = await api.data(
        UPDATE_SCHOOL,
        {"input": {"id": gid(org.school), "countyId": gid(org.other_county)}},
        as_=people.province,
    )
    other = await api.data(
        UPDATE_SCHOOL, {"input": {"id": gid(org.other_school), "name": "x"}}, as_=people.county
    )

    assert renamed == {
        "updateSchool": {
            "school": {"name": "东湖实验", "code": None, "county": {"code": "360102"},
                       "city": {"code": "360100"}},
            "userErrors": [],
        }
    }  # fmt: skip
    assert moved["updateSchool"]["school"]["city"] == {"code": "360400"}
    assert other == {"updateSchool": refused("school", "NOT_FOUND", "找不到该学校", "id")}


SCHOOLS = """query ($search: String, $county: ID) {
  schools(first: 10, search: $search, countyId: $county) { totalCount nodes { code } }
}"""


async def test_schools_are_read_in_scope_and_searched_by_name_or_code(
    api: Api, org: Org, people: People
) -> None:
    province = await api.data(SCHOOLS, as_=people.province)
    county = await api.data(SCHOOLS, as_=people.county)
    by_code = await api.data(SCHOOLS, {"search": "36040200"}, as_=people.province)
    by_name = await api.data(SCHOOLS, {"search": "九江"}, as_=people.county)
    teacher = await api.gql(SCHOOLS, as_=people.teacher)
    nobody = await api.gql(SCHOOLS, as_=None)

    both = {"totalCount": 2, "nodes": [{"code": "3601020001"}, {"code": "3604020001"}]}
    assert province == {"schools": both}
    assert county == {"schools": {"totalCount": 1, "nodes": [{"code": "3601020001"}]}}
    assert by_code == {"schools": {"totalCount": 1, "nodes": [{"code": "3604020001"}]}}
    assert by_name == {"schools": {"totalCount": 0, "nodes": []}}
    assert error_codes(teacher) == ["FORBIDDEN"]
    assert error_codes(nobody) == ["UNAUTHENTICATED"]


# --- vendors ---------------------------------------------------------------------------------


async def test_a_province_admin_sets_up_vendors_and_their_cities(
    api: Api, org: Org, people: People
) -> None:
    program = await reference_program()
    created = await api.data(
        CREATE_VENDOR, {"input": {"name": "高等教育出版社"}}, as_=people.province
    )
    vendor_id = (await api.data("{ vendors(first: 5) { nodes { id } } }", as_=people.teacher))[
        "vendors"
    ]["nodes"][0]["id"]
    renamed = await api.data(
        UPDATE_VENDOR, {"input": {"id": vendor_id, "name": "高教社"}}, as_=people.province
    )
    cities = await api.data(
        SET_VENDOR_CITIES,
        {
            "input": {"vendorId": vendor_id, "programId": gid(program),
                      "cityIds": [gid(org.city), gid(org.other_city)]},
            "program": gid(program),
        },
        as_=people.province,
    )  # fmt: skip

    nobody = await api.gql("{ vendors(first: 5) { totalCount } }", as_=None)
    assert error_codes(nobody) == ["UNAUTHENTICATED"]
    assert created == {"createVendor": {"vendor": {"name": "高等教育出版社"}, "userErrors": []}}
    assert renamed == {"updateVendor": {"vendor": {"name": "高教社"}, "userErrors": []}}
    assert cities == {
        "setVendorCities": {
            "vendor": {"name": "高教社", "cities": [{"code": "360100"}, {"code": "360400"}]},
            "userErrors": [],
        }
    }


async def test_a_city_served_by_another_vendor_and_a_taken_name_are_refused(
    api: Api, org: Org, people: People
) -> None:
    program = await reference_program()
    await make_vendor(program, "北京继教网", org.city)
    other = await make_vendor(program, "北京奥鹏", org.other_city)

    taken_city = await api.data(
        SET_VENDOR_CITIES,
        {
            "input": {"vendorId": gid(other), "programId": gid(program),
                      "cityIds": [gid(org.other_city), gid(org.city)]},
            "program": gid(program),
        },
        as_=people.province,
    )  # fmt: skip
    taken_name = await api.data(CREATE_VENDOR, {"input": {"name": "北京奥鹏"}}, as_=people.province)

    assert taken_city == {
        "setVendorCities": refused(
            "vendor", "CITY_ALREADY_SERVED", "南昌市在本项目已由另一承训机构服务", "cityIds", "1"
        )
    }
    assert taken_name == {
        "createVendor": refused("vendor", "DUPLICATE_NAME", "承训机构名称已被使用", "name")
    }
    assert await VendorCity.filter(vendor_id=other.id).count() == 1


@pytest.mark.parametrize("who", ["city", "nobody"])
async def test_only_a_province_admin_changes_vendors(
    api: Api, org: Org, people: People, who: str
) -> None:
    program = await reference_program()
    vendor = await make_vendor(program, "北京继教网")
    person = {"city": people.city, "nobody": None}[who]
    calls = [
        (CREATE_VENDOR, {"input": {"name": "新机构"}}),
        (UPDATE_VENDOR, {"input": {"id": gid(vendor), "name": "改名"}}),
        (
            SET_VENDOR_CITIES,
            {
                "input": {"vendorId": gid(vendor), "programId": gid(program),
                          "cityIds": [gid(org.city)]},
                "program": gid(program),
            },
        ),
    ]  # fmt: skip
    for query, variables in calls:
        _unauthenticated_or_forbidden(await api.gql(query, variables, as_=person), person)


# --- people ----------------------------------------------------------------------------------

ID_NUMBER = synthetic_id_number("360102", "19850612", 41)
WRONG_CHECK = ID_NUMBER[:17] + ("1" if ID_NUMBER[17] != "1" else "2")


def _teacher(org: Org, **changes: object) -> dict[str, Any]:
    return {
        "input": {
            "username": "new.teacher",
            "realName": "李老师",
            "schoolId": gid(org.school),
            "stage": "PRIMARY",
            "subject": "数学",
            "titleRank": "INTERMEDIATE",
            "post": "TEACHER",
            "track": "NETWORK",
            "idNumber": ID_NUMBER.lower(),
            "mobile": "138 0013 8000",
            **changes,
        }
    }


@pytest.mark.parametrize("who", ["county", "school_admin"])
async def test_an_admin_registers_a_teacher_with_validated_personal_data(
    api: Api, org: Org, people: People, who: str
) -> None:
    data = await api.data(CREATE_PERSON, _teacher(org), as_=getattr(people, who))

    assert data == {
        "createPerson": {
            "person": {
                "username": "new.teacher",
                "realName": "李老师",
                "stage": "PRIMARY",
                "subject": "数学",
                "titleRank": "INTERMEDIATE",
                "post": "TEACHER",
                "track": "NETWORK",
                "idNumberMasked": f"{ID_NUMBER[:3]}***********{ID_NUMBER[-4:]}",
                "mobileMasked": "138****8000",
                "school": {"code": "3601020001"},
            },
            "userErrors": [],
        }
    }
    stored = await Person.get(username="new.teacher")
    assert (stored.id_number, stored.mobile) == (ID_NUMBER, "13800138000")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"idNumber": WRONG_CHECK},
            ("INVALID_ID_NUMBER", "身份证号校验码不正确，请核对", "idNumber"),
        ),
        ({"mobile": "1380013800"}, ("INVALID_MOBILE", "手机号码须为以1开头的11位数字", "mobile")),
        ({"username": "teacher"}, ("USERNAME_TAKEN", "用户名已被使用", "username")),
        ({"subject": None}, ("INVALID_INPUT", "学段和学科须同时填写", "subject")),
    ],
)
async def test_bad_personal_data_is_refused_and_nothing_is_written(
    api: Api, org: Org, people: People, changes: dict[str, object], expected: tuple[str, ...]
) -> None:
    before = await Person.all().count()

    data = await api.data(CREATE_PERSON, _teacher(org, **changes), as_=people.county)

    assert data == {"createPerson": refused("person", *expected)}
    assert await Person.all().count() == before


async def test_an_id_number_registered_to_another_person_is_refused(
    api: Api, org: Org, people: People
) -> None:
    assert people.teacher.id_number is not None
    data = await api.data(
        CREATE_PERSON, _teacher(org, idNumber=people.teacher.id_number), as_=people.county
    )
    assert data == {
        "createPerson": refused("person", "ID_NUMBER_TAKEN", "身份证号已登记给另一个人", "idNumber")
    }


async def test_people_outside_the_scope_are_refused(api: Api, org: Org, people: People) -> None:
    other_school = _teacher(org, schoolId=gid(org.other_school))

    created = await api.data(CREATE_PERSON, other_school, as_=people.county)
    updated = await api.data(
        UPDATE_PERSON,
        {"input": {"id": gid(people.other_teacher), "realName": "x"}},
        as_=people.county,
    )
    teacher = await api.gql(CREATE_PERSON, _teacher(org), as_=people.teacher)
    nobody = await api.gql(CREATE_PERSON, _teacher(org), as_=None)
    nobody_updates = await api.gql(
        UPDATE_PERSON, {"input": {"id": gid(people.teacher), "realName": "x"}}, as_=None
    )

    assert created == {
        "createPerson": refused("person", "OUT_OF_SCOPE", "该学校不在你的管辖范围内", "schoolId")
    }
    assert updated == {"updatePerson": refused("person", "NOT_FOUND", "找不到该人员", "id")}
    assert error_codes(teacher) == ["FORBIDDEN"]
    assert error_codes(nobody) == error_codes(nobody_updates) == ["UNAUTHENTICATED"]


async def test_an_admin_updates_a_teacher_of_the_scope(api: Api, org: Org, people: People) -> None:
    data = await api.data(
        UPDATE_PERSON,
        {"input": {"id": gid(people.teacher), "realName": "王老师", "subject": "物理"}},
        as_=people.city,
    )
    assert data == {
        "updatePerson": {
            "person": {"username": "teacher", "realName": "王老师", "subject": "物理",
                       "school": {"code": "3601020001"}},
            "userErrors": [],
        }
    }  # fmt: skip


# --- role grants -----------------------------------------------------------------------------


async def test_role_grants_follow_the_ladder_inside_the_scope(
    api: Api, org: Org, people: People
) -> None:
    province_grants_city = await api.data(
        GRANT_ROLE,
        {
            "input": {
                "personId": gid(people.teacher),
                "role": "CITY_ADMIN",
                "regionId": gid(org.city),
            }
        },
        as_=people.province,
    )
    city_grants_county = await api.data(
        GRANT_ROLE,
        {
            "input": {
                "personId": gid(people.teacher),
                "role": "COUNTY_ADMIN",
                "regionId": gid(org.county),
            }
        },
        as_=people.city,
    )
    county_grants_school = await api.data(
        GRANT_ROLE,
        {
            "input": {
                "personId": gid(people.teacher),
                "role": "SCHOOL_ADMIN",
                "schoolId": gid(org.school),
            }
        },
        as_=people.county,
    )

    assert province_grants_city == {
        "grantRole": {
            "roleGrant": {"role": "CITY_ADMIN", "region": {"code": "360100"}, "school": None,
                          "vendorName": None},
            "userErrors": [],
        }
    }  # fmt: skip
    assert city_grants_county["grantRole"]["roleGrant"]["region"] == {"code": "360102"}
    assert county_grants_school["grantRole"]["roleGrant"]["school"] == {"code": "3601020001"}
    # The new grants apply from the next request on.
    roles = await api.data("{ viewer { roles { role } } }", as_=people.teacher)
    assert roles == {
        "viewer": {
            "roles": [{"role": "CITY_ADMIN"}, {"role": "COUNTY_ADMIN"}, {"role": "SCHOOL_ADMIN"}]
        }
    }


NOT_BELOW = ("ROLE_NOT_GRANTABLE", "只能在管辖范围内授予低于自己层级的角色", "role")
WRONG_SHAPE = (
    "ROLE_NOT_GRANTABLE",
    "角色与范围不相配：省、市、县级管理员对应同级地区，学校管理员对应学校，承训机构人员对应机构",
    "role",
)
TWICE = ("ALREADY_GRANTED", "该人员已在这一范围内拥有这一角色", "role")


@pytest.mark.parametrize(
    ("who", "role", "scope", "expected"),
    [
        # Nobody grants at their own level, nor outside their scope.
        ("city", "CITY_ADMIN", "city", NOT_BELOW),
        ("county", "COUNTY_ADMIN", "county", NOT_BELOW),
        ("city", "SCHOOL_ADMIN", "other_school", NOT_BELOW),
        ("province", "COUNTY_ADMIN", "city", WRONG_SHAPE),
        ("province", "COUNTY_ADMIN", "county_twice", TWICE),
    ],
)
async def test_grants_above_the_level_outside_the_scope_or_of_a_wrong_shape_are_refused(
    api: Api, org: Org, people: People, who: str, role: str, scope: str, expected: tuple[str, ...]
) -> None:
    target = people.teacher
    scopes = {
        "city": {"regionId": gid(org.city)},
        "county": {"regionId": gid(org.county)},
        "county_twice": {"regionId": gid(org.county)},
        "other_school": {"schoolId": gid(org.other_school)},
    }
    if scope == "county_twice":
        await grant(target, Role.COUNTY_ADMIN, region=org.county)
    before = await RoleAssignment.all().count()

    data = await api.data(
        GRANT_ROLE,
        {"input": {"personId": gid(target), "role": role, **scopes[scope]}},
        as_=getattr(people, who),
    )

    assert data == {"grantRole": refused("roleGrant", *expected)}
    assert await RoleAssignment.all().count() == before


async def test_concurrent_grants_of_the_same_role_and_scope_land_once(
    api: Api, org: Org, people: People
) -> None:
    """Each request may pass the check before another commits; the unique index (migration
    0010) refuses the later inserts, and the use case answers them ALREADY_GRANTED."""
    grant_county = {
        "input": {
            "personId": gid(people.teacher),
            "role": "COUNTY_ADMIN",
            "regionId": gid(org.county),
        }
    }

    answers = await asyncio.gather(
        *(api.data(GRANT_ROLE, grant_county, as_=people.province) for _ in range(10))
    )

    granted = {
        "grantRole": {
            "roleGrant": {"role": "COUNTY_ADMIN", "region": {"code": "360102"}, "school": None,
                          "vendorName": None},
            "userErrors": [],
        }
    }  # fmt: skip
    assert (
        sorted(answers, key=lambda a: len(a["grantRole"]["userErrors"]))
        == [granted] + [{"grantRole": refused("roleGrant", *TWICE)}] * 9
    )
    stored = await RoleAssignment.filter(person_id=people.teacher.id).values_list(
        "role", "region_id", "school_id", "vendor_id"
    )
    assert stored == [(Role.COUNTY_ADMIN, org.county.id, None, None)]


async def test_grants_to_people_outside_the_scope_and_without_a_token_are_refused(
    api: Api, org: Org, people: People
) -> None:
    variables = {
        "input": {
            "personId": gid(people.teacher),
            "role": "SCHOOL_ADMIN",
            "schoolId": gid(org.school),
        }
    }

    other_county = await api.data(GRANT_ROLE, variables, as_=people.other_county)
    teacher = await api.gql(GRANT_ROLE, variables, as_=people.teacher)
    school_admin = await api.gql(GRANT_ROLE, variables, as_=people.school_admin)
    nobody = await api.gql(GRANT_ROLE, variables, as_=None)

    assert other_county == {
        "grantRole": refused("roleGrant", "NOT_FOUND", "找不到该人员", "personId")
    }
    assert error_codes(teacher) == error_codes(school_admin) == ["FORBIDDEN"]
    assert error_codes(nobody) == ["UNAUTHENTICATED"]


async def test_whoever_may_grant_a_role_may_revoke_it(api: Api, org: Org, people: People) -> None:
    school_admin = await RoleAssignment.get(person_id=people.school_admin.id)
    variables = {"input": {"roleGrantId": _grant_id(school_admin)}}

    other_county = await api.data(REVOKE_ROLE, variables, as_=people.other_county)
    nobody = await api.gql(REVOKE_ROLE, variables, as_=None)
    revoked = await api.data(REVOKE_ROLE, variables, as_=people.county)

    assert other_county == {
        "revokeRole": refused(
            "roleGrant", "ROLE_NOT_GRANTABLE", "只能撤销管辖范围内低于自己层级的角色", "roleGrantId"
        )
    }
    assert error_codes(nobody) == ["UNAUTHENTICATED"]
    assert revoked == {
        "revokeRole": {"roleGrant": {"role": "SCHOOL_ADMIN", "region": None}, "userErrors": []}
    }
    assert not await RoleAssignment.exists(id=school_admin.id)


ROLE_GRANTS = "query ($person: ID!) { roleGrants(personId: $person) { role region { code } } }"


async def test_a_persons_role_grants_are_read_in_scope(api: Api, org: Org, people: People) -> None:
    variables = {"person": gid(people.school_admin)}

    county = await api.data(ROLE_GRANTS, variables, as_=people.county)
    themselves = await api.data(ROLE_GRANTS, variables, as_=people.school_admin)
    other_county = await api.data(ROLE_GRANTS, variables, as_=people.other_county)
    nobody = await api.gql(ROLE_GRANTS, variables, as_=None)

    assert county == themselves == {"roleGrants": [{"role": "SCHOOL_ADMIN", "region": None}]}
    assert other_county == {"roleGrants": []}
    assert error_codes(nobody) == ["UNAUTHENTICATED"]


async def test_vendors_and_role_grants_are_nodes_read_in_scope(
    api: Api, org: Org, people: People
) -> None:
    program = await reference_program()
    vendor = await make_vendor(program, "北京继教网", org.city)
    assignment = await RoleAssignment.get(person_id=people.school_admin.id)
    query = """query ($id: ID!) {
      node(id: $id) { id ... on Vendor { name } ... on RoleGrant { role } }
    }"""

    vendor_node = await api.data(query, {"id": gid(vendor)}, as_=people.teacher)
    grant_node = await api.data(query, {"id": _grant_id(assignment)}, as_=people.county)
    hidden = await api.data(query, {"id": _grant_id(assignment)}, as_=people.other_county)

    assert vendor_node == {"node": {"id": gid(vendor), "name": "北京继教网"}}
    assert grant_node["node"]["role"] == "SCHOOL_ADMIN"
    assert hidden == {"node": None}
