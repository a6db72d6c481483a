"""The organisation through the API (issue 9): regions, schools, vendors and the cities they
serve, people with their teaching data, and role assignments with scope.

A province admin manages everything; a city admin the schools and people of its counties, a
county admin those of its county (a school admin its own school's people). Regions and schools
are the province's public chart, so a region or school outside the caller's scope answers
OUT_OF_SCOPE; a person outside it reads as not found. Role changes go through
`core.roles.change_role_assignments`.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from lms_plugin.resolvers.core.access import (
    ORGANISATION_ADMIN,
    PROVINCE_ADMIN,
    REGION_ADMIN,
    Viewer,
    require_viewer,
    requires,
    schools_in_scope,
)
from lms_plugin.resolvers.core.audit import record_deleted
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode, Forbidden, Refused, refuse
from lms_plugin.resolvers.core.identity_numbers import (
    id_number_error,
    mobile_error,
    normalise_id_number,
    normalise_mobile,
)
from lms_plugin.resolvers.core.roles import Grant, Revoke, change_role_assignments
from lms_plugin.storage.enums import Post, RegionLevel, Role, Stage, TitleRank, Track
from lms_plugin.storage.models import (
    Person,
    Program,
    Region,
    RoleAssignment,
    School,
    Vendor,
    VendorCity,
)
from lms_plugin.storage.organisation import by_id_number

from .rules import code_error, may_grant, parent_error, scope_error, text_error

# As the people roster: a search is a part of a name or code.
MAX_SEARCH_LENGTH = 50


class SearchTooLong(ValueError):
    """The search text (stripped) is longer than MAX_SEARCH_LENGTH characters."""


def _refuse_if(errors: Sequence[DomainError | None]) -> None:
    found = [e for e in errors if e is not None]
    if found:
        raise Refused(found)


def _reaches_region(viewer: Viewer, region: Region) -> bool:
    """A province admin everywhere; a city admin its city and the city's counties; a county
    admin its county."""
    if viewer.is_province_admin:
        return True
    cities = viewer.region_ids(Role.CITY_ADMIN)
    if region.id in cities or (region.level is RegionLevel.COUNTY and region.parent_id in cities):
        return True
    return region.id in viewer.region_ids(Role.COUNTY_ADMIN)


# --- regions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionSettings:
    code: str
    name: str
    level: RegionLevel
    parent_id: int | None


async def _region_errors(settings: RegionSettings, region_id: int | None) -> list[DomainError]:
    errors = [
        code_error(settings.code, "code"),
        text_error(settings.name, 64, "name", "地区名称"),
    ]
    parent = None if settings.parent_id is None else await Region.get_or_none(id=settings.parent_id)
    if settings.parent_id is not None and parent is None:
        errors.append(DomainError(ErrorCode.NOT_FOUND, "找不到该地区", ("parentId",)))
    else:
        errors.append(parent_error(settings.level, None if parent is None else parent.level))
    taken = Region.filter(code=settings.code.strip())
    if region_id is not None:
        taken = taken.exclude(id=region_id)
    if await taken.exists():
        errors.append(DomainError(ErrorCode.DUPLICATE_CODE, "地区代码已被使用", ("code",)))
    return [e for e in errors if e is not None]


async def _saved(row: Region | School | Vendor, duplicate: DomainError) -> None:
    """Saves the row; a unique column another request took meanwhile is that refusal."""
    try:
        await row.save()
    except IntegrityError as error:
        raise Refused([duplicate]) from error


@requires(PROVINCE_ADMIN)
async def create_region(viewer: Viewer, settings: RegionSettings) -> Region:
    async with in_transaction():
        _refuse_if(await _region_errors(settings, None))
        region = Region(
            code=settings.code.strip(),
            name=settings.name.strip(),
            level=settings.level,
            parent_id=settings.parent_id,
        )
        await _saved(region, DomainError(ErrorCode.DUPLICATE_CODE, "地区代码已被使用", ("code",)))
        return region


@requires(PROVINCE_ADMIN)
async def update_region(viewer: Viewer, region_id: int, changes: dict[str, object]) -> Region:
    """Its name and code; its level and parent stay (schools and grants hang off them)."""
    async with in_transaction():
        region = await Region.get_or_none(id=region_id)
        if region is None:
            raise refuse(ErrorCode.NOT_FOUND, "找不到该地区", "id")
        current = RegionSettings(region.code, region.name, region.level, region.parent_id)
        settings = replace(current, **changes)  # type: ignore[arg-type]
        _refuse_if(await _region_errors(settings, region.id))
        region.code, region.name = settings.code.strip(), settings.name.strip()
        await _saved(region, DomainError(ErrorCode.DUPLICATE_CODE, "地区代码已被使用", ("code",)))
        return region


def regions_under(viewer: Viewer | None, parent_id: int | None) -> QuerySet[Region]:
    """One level of the tree: the regions under `parent_id`, or the roots; any signed-in person
    (the province's public chart)."""
    require_viewer(viewer)
    if parent_id is None:
        return Region.filter(parent_id__isnull=True)
    return Region.filter(parent_id=parent_id)


@dataclass(frozen=True)
class RegionRow:
    """A row of a region file (`lms-plugin load-regions`): its number as the file shows it."""

    number: int
    code: str
    name: str
    level: str
    parent_code: str


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str | None
    code: str
    message: str


@dataclass(frozen=True)
class LoadedRegions:
    created: int
    updated: int
    unchanged: int


class RegionRowsRefused(Exception):
    def __init__(self, problems: Sequence[RowProblem]) -> None:
        super().__init__(f"{len(problems)} rows refused")
        self.problems = list(problems)


_LEVEL_ORDER = (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY)


def _row_problems(
    rows: Sequence[RegionRow], stored: dict[str, Region]
) -> tuple[list[RowProblem], dict[str, RegionLevel]]:
    """Every row's problems at once, and the level each code will have after the load."""
    problems: list[RowProblem] = []
    levels = {code: region.level for code, region in stored.items()}
    seen: dict[str, int] = {}
    for row in rows:
        for column, error in (
            ("code", code_error(row.code, "code")),
            ("name", text_error(row.name, 64, "name", "地区名称")),
        ):
            if error is not None:
                problems.append(RowProblem(row.number, column, error.code, error.message))
        if row.code in seen:
            problems.append(
                RowProblem(
                    row.number, "code", ErrorCode.DUPLICATE_CODE, f"代码与第{seen[row.code]}行重复"
                )
            )
        seen.setdefault(row.code, row.number)
        try:
            levels[row.code] = RegionLevel(row.level.strip().lower())
        except ValueError:
            problems.append(
                RowProblem(
                    row.number,
                    "level",
                    ErrorCode.INVALID_INPUT,
                    "层级须为 PROVINCE、CITY 或 COUNTY",
                )
            )
    for row in rows:
        level = levels.get(row.code)
        if level is None or any(p.row == row.number and p.column == "level" for p in problems):
            continue
        parent_level = levels.get(row.parent_code) if row.parent_code else None
        if row.parent_code and parent_level is None:
            problems.append(
                RowProblem(
                    row.number, "parent_code", ErrorCode.NOT_FOUND, "上级地区代码在文件和库中都没有"
                )
            )
        elif error := parent_error(level, parent_level):
            problems.append(RowProblem(row.number, "parent_code", error.code, error.message))
    return sorted(problems, key=lambda p: p.row), levels


async def load_region_rows(rows: Sequence[RegionRow]) -> LoadedRegions:
    """Upserts the regions by code (`lms-plugin load-regions`): all rows or none. Loading the
    same file again changes nothing."""
    rows = [replace(r, code=r.code.strip(), parent_code=r.parent_code.strip()) for r in rows]
    async with in_transaction():
        stored = {r.code: r for r in await Region.all()}
        problems, levels = _row_problems(rows, stored)
        if problems:
            raise RegionRowsRefused(problems)
        created = updated = 0
        by_level = sorted(rows, key=lambda r: _LEVEL_ORDER.index(levels[r.code]))
        for row in by_level:
            parent_id = stored[row.parent_code].id if row.parent_code else None
            values: dict[str, Any] = {
                "name": row.name.strip(),
                "level": levels[row.code],
                "parent_id": parent_id,
            }
            region = stored.get(row.code)
            if region is None:
                stored[row.code] = await Region.create(code=row.code, **values)
                created += 1
            elif any(getattr(region, k) != v for k, v in values.items()):
                await region.update_from_dict(values).save()
                updated += 1
        return LoadedRegions(created, updated, len(rows) - created - updated)


# --- schools ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolSettings:
    name: str
    code: str | None
    county_id: int


async def _county_in_scope(viewer: Viewer, county_id: int) -> Region:
    county = await Region.get_or_none(id=county_id)
    if county is None or county.level is not RegionLevel.COUNTY:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该县区", "countyId")
    if not _reaches_region(viewer, county):
        raise refuse(ErrorCode.OUT_OF_SCOPE, "该县区不在你的管辖范围内", "countyId")
    return county


async def _school_errors(settings: SchoolSettings, school_id: int | None) -> list[DomainError]:
    errors = [text_error(settings.name, 128, "name", "学校名称")]
    if settings.code is not None:
        errors.append(code_error(settings.code, "code"))
        taken = School.filter(code=settings.code)
        if school_id is not None:
            taken = taken.exclude(id=school_id)
        if await taken.exists():
            errors.append(DomainError(ErrorCode.DUPLICATE_CODE, "学校代码已被使用", ("code",)))
    return [e for e in errors if e is not None]


_DUPLICATE_SCHOOL_CODE = DomainError(ErrorCode.DUPLICATE_CODE, "学校代码已被使用", ("code",))


@requires(ORGANISATION_ADMIN)
async def create_school(viewer: Viewer, settings: SchoolSettings) -> School:
    """In a county of the caller's scope; its city follows its county."""
    async with in_transaction():
        county = await _county_in_scope(viewer, settings.county_id)
        _refuse_if(await _school_errors(settings, None))
        assert county.parent_id is not None  # a county's parent is a city
        school = School(
            name=settings.name.strip(),
            code=settings.code,
            county_id=county.id,
            city_id=county.parent_id,
        )
        await _saved(school, _DUPLICATE_SCHOOL_CODE)
        return school


@requires(ORGANISATION_ADMIN)
async def update_school(viewer: Viewer, school_id: int, changes: dict[str, object]) -> School:
    """Name, code (explicit null clears it) or county (inside the caller's scope too)."""
    async with in_transaction():
        school = await School.get_or_none(id=school_id)
        if school is None or not viewer.administers_school(school):
            raise refuse(ErrorCode.NOT_FOUND, "找不到该学校", "id")
        current = SchoolSettings(school.name, school.code, school.county_id)
        settings = replace(current, **changes)  # type: ignore[arg-type]
        county = await _county_in_scope(viewer, settings.county_id)
        _refuse_if(await _school_errors(settings, school.id))
        assert county.parent_id is not None
        school.name, school.code = settings.name.strip(), settings.code
        school.county_id, school.city_id = county.id, county.parent_id
        await _saved(school, _DUPLICATE_SCHOOL_CODE)
        return school


async def schools_visible(
    viewer: Viewer | None, search: str | None, county_id: int | None
) -> QuerySet[School]:
    """The schools an admin or vendor staff reaches, by a part of the name or code."""
    text = (search or "").strip()
    if len(text) > MAX_SEARCH_LENGTH:
        raise SearchTooLong
    signed_in = require_viewer(viewer)
    if not (signed_in.is_admin or signed_in.has_role(Role.VENDOR_STAFF)):
        raise Forbidden
    scope = await schools_in_scope(signed_in)
    schools = School.all() if scope is None else scope
    if county_id is not None:
        schools = schools.filter(county_id=county_id)
    if text:
        schools = schools.filter(Q(name__icontains=text) | Q(code__icontains=text))
    return schools


# --- vendors ---------------------------------------------------------------------------------


_DUPLICATE_VENDOR = DomainError(ErrorCode.DUPLICATE_NAME, "承训机构名称已被使用", ("name",))


async def _vendor_errors(name: str, vendor_id: int | None) -> list[DomainError]:
    if error := text_error(name, 128, "name", "承训机构名称"):
        return [error]
    taken = Vendor.filter(name=name.strip())
    if vendor_id is not None:
        taken = taken.exclude(id=vendor_id)
    return [_DUPLICATE_VENDOR] if await taken.exists() else []


@requires(PROVINCE_ADMIN)
async def create_vendor(viewer: Viewer, name: str) -> Vendor:
    async with in_transaction():
        _refuse_if(await _vendor_errors(name, None))
        vendor = Vendor(name=name.strip())
        await _saved(vendor, _DUPLICATE_VENDOR)
        return vendor


@requires(PROVINCE_ADMIN)
async def update_vendor(viewer: Viewer, vendor_id: int, name: str) -> Vendor:
    async with in_transaction():
        vendor = await Vendor.get_or_none(id=vendor_id)
        if vendor is None:
            raise refuse(ErrorCode.NOT_FOUND, "找不到该承训机构", "id")
        _refuse_if(await _vendor_errors(name, vendor.id))
        vendor.name = name.strip()
        await _saved(vendor, _DUPLICATE_VENDOR)
        return vendor


@requires(PROVINCE_ADMIN)
async def set_vendor_cities(
    viewer: Viewer, vendor_id: int, program_id: int, city_ids: Sequence[int]
) -> Vendor:
    """The cities the vendor serves in the program (seed 001 附件1), replaced as a whole; a
    city is served by one vendor a program."""
    async with in_transaction():
        vendor = await Vendor.get_or_none(id=vendor_id)
        if vendor is None:
            raise refuse(ErrorCode.NOT_FOUND, "找不到该承训机构", "vendorId")
        if not await Program.exists(id=program_id):
            raise refuse(ErrorCode.NOT_FOUND, "找不到该项目", "programId")
        cities = {r.id: r for r in await Region.filter(id__in=city_ids, level=RegionLevel.CITY)}
        errors = [
            DomainError(ErrorCode.NOT_FOUND, "找不到该设区市", ("cityIds", str(index)))
            for index, city_id in enumerate(city_ids)
            if city_id not in cities
        ]
        others = VendorCity.filter(program_id=program_id, city_id__in=list(cities)).exclude(
            vendor_id=vendor.id
        )
        for taken in await others:
            index = list(city_ids).index(taken.city_id)
            errors.append(
                DomainError(
                    ErrorCode.CITY_ALREADY_SERVED,
                    f"{cities[taken.city_id].name}在本项目已由另一承训机构服务",
                    ("cityIds", str(index)),
                )
            )
        _refuse_if(errors)
        served = VendorCity.filter(program_id=program_id, vendor_id=vendor.id)
        # A queryset delete saves no instance: the log is told of each row removed.
        for row in await served:
            record_deleted(row)
        await served.delete()
        for city_id in dict.fromkeys(city_ids):
            await VendorCity.create(vendor_id=vendor.id, program_id=program_id, city_id=city_id)
        return vendor


def vendors_visible(viewer: Viewer | None) -> QuerySet[Vendor]:
    """Every signed-in person: the vendors are public, as the notice that names them is."""
    require_viewer(viewer)
    return Vendor.all()


# --- people ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonProfile:
    """A person's data as an admin enters it (teaching data for teachers)."""

    username: str
    real_name: str
    school_id: int | None = None
    stage: Stage | None = None
    subject: str | None = None
    title_rank: TitleRank | None = None
    post: Post | None = None
    track: Track | None = None
    id_number: str | None = None
    mobile: str | None = None


def _normalised(profile: PersonProfile) -> PersonProfile:
    def text(value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    return replace(
        profile,
        username=profile.username.strip(),
        real_name=profile.real_name.strip(),
        subject=text(profile.subject),
        id_number=None
        if profile.id_number is None
        else normalise_id_number(profile.id_number) or None,
        mobile=None if profile.mobile is None else normalise_mobile(profile.mobile) or None,
    )


async def _profile_errors(
    viewer: Viewer, profile: PersonProfile, person_id: int | None, today: dt.date
) -> list[DomainError]:
    errors = [
        text_error(profile.username, 64, "username", "用户名"),
        text_error(profile.real_name, 64, "realName", "真实姓名"),
    ]
    if profile.subject is not None and len(profile.subject) > 32:
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "学科不超过32个字", ("subject",)))
    if (profile.stage is None) != (profile.subject is None):
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "学段和学科须同时填写", ("subject",)))
    if profile.id_number is not None and (message := id_number_error(profile.id_number, today)):
        errors.append(DomainError(ErrorCode.INVALID_ID_NUMBER, message, ("idNumber",)))
    if profile.mobile is not None and (message := mobile_error(profile.mobile)):
        errors.append(DomainError(ErrorCode.INVALID_MOBILE, message, ("mobile",)))
    if profile.school_id is None:
        if not viewer.is_province_admin:
            errors.append(
                DomainError(
                    ErrorCode.OUT_OF_SCOPE, "只有省级管理员可以登记不属于学校的人员", ("schoolId",)
                )
            )
    else:
        school = await School.get_or_none(id=profile.school_id)
        if school is None:
            errors.append(DomainError(ErrorCode.NOT_FOUND, "找不到该学校", ("schoolId",)))
        elif not viewer.administers_school(school):
            errors.append(
                DomainError(ErrorCode.OUT_OF_SCOPE, "该学校不在你的管辖范围内", ("schoolId",))
            )
    others = Person.exclude(id=person_id) if person_id is not None else Person.all()
    if await others.filter(username=profile.username).exists():
        errors.append(DomainError(ErrorCode.USERNAME_TAKEN, "用户名已被使用", ("username",)))
    if (
        profile.id_number is not None
        and await others.filter(**by_id_number(profile.id_number)).exists()
    ):
        errors.append(
            DomainError(ErrorCode.ID_NUMBER_TAKEN, "身份证号已登记给另一个人", ("idNumber",))
        )
    return [e for e in errors if e is not None]


async def _save_person(person: Person, profile: PersonProfile) -> Person:
    for f in fields(PersonProfile):
        setattr(person, f.name, getattr(profile, f.name))
    try:
        await person.save()
    except IntegrityError as error:
        # Another request took the user name or ID number between the check and the write.
        raise refuse(ErrorCode.USERNAME_TAKEN, "用户名或身份证号已被使用", "username") from error
    return person


@requires(REGION_ADMIN)
async def create_person(viewer: Viewer, profile: PersonProfile, today: dt.date) -> Person:
    """A teacher of a school in the caller's scope (or, for a province admin, staff of no
    school); ID number and mobile checked (core.identity_numbers)."""
    profile = _normalised(profile)
    async with in_transaction():
        _refuse_if(await _profile_errors(viewer, profile, None, today))
        return await _save_person(Person(), profile)


async def _person_in_scope(viewer: Viewer, person_id: int, field: str) -> Person:
    """A person the caller administers (by their school; staff of no school: province admins)."""
    person = await Person.get_or_none(id=person_id)
    if person is not None and (
        viewer.is_province_admin
        or (
            person.school_id is not None
            and viewer.administers_school(await School.get(id=person.school_id))
        )
    ):
        return person
    raise refuse(ErrorCode.NOT_FOUND, "找不到该人员", field)


@requires(REGION_ADMIN)
async def update_person(
    viewer: Viewer, person_id: int, changes: dict[str, object], today: dt.date
) -> Person:
    async with in_transaction():
        person = await _person_in_scope(viewer, person_id, "id")
        current = PersonProfile(**{f.name: getattr(person, f.name) for f in fields(PersonProfile)})
        profile = _normalised(replace(current, **changes))  # type: ignore[arg-type]
        _refuse_if(await _profile_errors(viewer, profile, person.id, today))
        return await _save_person(person, profile)


# --- role assignments ------------------------------------------------------------------------


async def _scope_place(grant: Grant) -> tuple[int | None, int | None]:
    """The city and county a grant's scope lies in (None where it spans more)."""
    if grant.school_id is not None:
        school = await School.get(id=grant.school_id)
        return school.city_id, school.county_id
    if grant.region_id is not None:
        region = await Region.get(id=grant.region_id)
        if region.level is RegionLevel.COUNTY:
            return region.parent_id, region.id
        if region.level is RegionLevel.CITY:
            return region.id, None
    return None, None


def _held(viewer: Viewer) -> list[tuple[Role, int | None]]:
    return [(g.role, g.region_id) for g in viewer.grants]


@requires(ORGANISATION_ADMIN)
async def grant_role(viewer: Viewer, grant: Grant) -> RoleAssignment:
    """R scope: a province admin any role anywhere; a city admin county and school roles in
    its city; a county admin school roles in its county."""
    async with in_transaction():
        await _person_in_scope(viewer, grant.person_id, "personId")
        region = None if grant.region_id is None else await Region.get_or_none(id=grant.region_id)
        if grant.region_id is not None and region is None:
            raise refuse(ErrorCode.NOT_FOUND, "找不到该地区", "regionId")
        if grant.school_id is not None and not await School.exists(id=grant.school_id):
            raise refuse(ErrorCode.NOT_FOUND, "找不到该学校", "schoolId")
        if grant.vendor_id is not None and not await Vendor.exists(id=grant.vendor_id):
            raise refuse(ErrorCode.NOT_FOUND, "找不到该承训机构", "vendorId")
        error = scope_error(
            grant.role,
            None if region is None else region.level,
            grant.school_id is not None,
            grant.vendor_id is not None,
        )
        _refuse_if([error.at(("role",)) if error else None])
        city_id, county_id = await _scope_place(grant)
        if not may_grant(_held(viewer), grant.role, city_id, county_id):
            raise refuse(
                ErrorCode.ROLE_NOT_GRANTABLE,
                "只能在管辖范围内授予低于自己层级的角色",
                "role",
            )
        held = RoleAssignment.filter(
            person_id=grant.person_id,
            role=grant.role,
            region_id=grant.region_id,
            school_id=grant.school_id,
            vendor_id=grant.vendor_id,
        )
        if await held.exists():
            raise _already_granted()
        try:
            [assignment] = await change_role_assignments([grant])
        except IntegrityError as error:
            # A concurrent grant of the same role and scope committed after the check
            # (the unique index role_assignment_once, migration 0010).
            raise _already_granted() from error
        return assignment


def _already_granted() -> Refused:
    return refuse(ErrorCode.ALREADY_GRANTED, "该人员已在这一范围内拥有这一角色", "role")


@requires(ORGANISATION_ADMIN)
async def revoke_role(viewer: Viewer, assignment_id: int) -> RoleAssignment:
    """Whoever may grant the role in that scope may revoke it."""
    async with in_transaction():
        assignment = await RoleAssignment.get_or_none(id=assignment_id)
        if assignment is None:
            raise refuse(ErrorCode.NOT_FOUND, "找不到该角色授予", "roleGrantId")
        grant = Grant(
            assignment.person_id,
            assignment.role,
            assignment.region_id,
            assignment.school_id,
            assignment.vendor_id,
        )
        city_id, county_id = await _scope_place(grant)
        if not may_grant(_held(viewer), assignment.role, city_id, county_id):
            raise refuse(
                ErrorCode.ROLE_NOT_GRANTABLE, "只能撤销管辖范围内低于自己层级的角色", "roleGrantId"
            )
        await change_role_assignments([Revoke(assignment)])
        return assignment


async def role_grants_of(viewer: Viewer | None, person_id: int) -> list[RoleAssignment]:
    """A person's role assignments: for themselves and the admins who administer them; for
    anyone else none (the person reads as not found)."""
    signed_in = require_viewer(viewer)
    if person_id != signed_in.id:
        try:
            await _person_in_scope(signed_in, person_id, "personId")
        except Refused:
            return []
    return list(await RoleAssignment.filter(person_id=person_id).order_by("id"))


async def create_province_admin(username: str, real_name: str, region_code: str | None) -> bool:
    """The first province admin of a fresh install (`lms-plugin create-admin`): the person and
    the grant, each made unless it exists; answers whether anything was made."""
    async with in_transaction():
        if region_code is None:
            roots = await Region.filter(level=RegionLevel.PROVINCE, parent_id__isnull=True)
            if len(roots) != 1:
                raise refuse(
                    ErrorCode.NOT_FOUND,
                    "库中没有唯一的省级地区：先 load-regions，或用 --region 指定",
                    "region",
                )
            [region] = roots
        else:
            found = await Region.get_or_none(code=region_code, level=RegionLevel.PROVINCE)
            if found is None:
                raise refuse(ErrorCode.NOT_FOUND, f"找不到代码为{region_code}的省级地区", "region")
            region = found
        _refuse_if(
            [
                text_error(username, 64, "username", "用户名"),
                text_error(real_name, 64, "name", "姓名"),
            ]
        )
        person = await Person.get_or_none(username=username.strip())
        made = person is None
        if person is None:
            person = await Person.create(username=username.strip(), real_name=real_name.strip())
        grant = Grant(person.id, Role.PROVINCE_ADMIN, region_id=region.id)
        if not await RoleAssignment.exists(
            person_id=person.id, role=Role.PROVINCE_ADMIN, region_id=region.id
        ):
            await change_role_assignments([grant])
            made = True
        return made
