"""The recommendation tables of seed 003 (附件1–4), with exactly their columns: one row per
nomination of the category (nominated or approved) of a city, or of every city. Tables 2–4
carry ID numbers and mobiles, so only a province admin, or the admin of that city, exports
them, and each export is recorded as a reveal of personal data."""

import datetime as dt
from collections.abc import Callable
from fractions import Fraction

from lms_plugin.resolvers.core.access import Requirement, Viewer, requires
from lms_plugin.resolvers.core.errors import ErrorCode, refuse
from lms_plugin.resolvers.core.exports import Plan, start_export
from lms_plugin.resolvers.core.privacy import mask_mobile
from lms_plugin.resolvers.core.scopes import hour_quotas
from lms_plugin.resolvers.core.staff import admin_regions, admin_scores, tutor_scores
from lms_plugin.resolvers.core.stages import STAGE_NAMES
from lms_plugin.resolvers.core.workbooks import Cell, Sheet
from lms_plugin.storage.enums import (
    AwardCategory,
    ExportKind,
    NominationStatus,
    RateLevel,
    RegionLevel,
    Role,
    Stage,
)
from lms_plugin.storage.models import (
    ExportJob,
    Nomination,
    Person,
    Program,
    Region,
    RoleAssignment,
    School,
)
from lms_plugin.storage.reports import HourQuotas, Reach, UnitCounts, unit_counts

from .rules import percent_text

TABLE_EXPORTER = Requirement(
    "省级管理员，或该设区市管理员（province admin, or the city's admin）：表中有身份证号、手机号",
    lambda viewer: viewer.is_province_admin or viewer.has_role(Role.CITY_ADMIN),
)

HEADINGS = {
    AwardCategory.ADVANCED_COLLECTIVE: (
        "序号", "设区市", "县区", "单位名称", "负责人", "联系电话", "学员参训率", "学员合格率",
    ),
    AwardCategory.ADVANCED_WORKER: (
        "序号", "姓名", "设区市", "县区", "单位名称", "联系电话", "身份证号", "管理员成绩",
        "学员参训率", "学员合格率",
    ),
    AwardCategory.EXCELLENT_TUTOR: (
        "序号", "姓名", "设区市", "县区", "学段学科", "单位名称", "联系电话", "身份证号",
        "辅导教师成绩", "班级参训率", "班级合格率",
    ),
    AwardCategory.EXCELLENT_TRAINEE: (
        "序号", "姓名", "设区市", "县区", "学段学科", "单位名称", "联系电话", "身份证号",
    ),
}  # fmt: skip
NAMES = {
    AwardCategory.ADVANCED_COLLECTIVE: ("附件1", "先进集体推荐表"),
    AwardCategory.ADVANCED_WORKER: ("附件2", "先进工作者推荐表"),
    AwardCategory.EXCELLENT_TUTOR: ("附件3", "优秀辅导教师推荐表"),
    AwardCategory.EXCELLENT_TRAINEE: ("附件4", "优秀学员推荐表"),
}
KINDS = {
    AwardCategory.ADVANCED_COLLECTIVE: ExportKind.COLLECTIVE_TABLE,
    AwardCategory.ADVANCED_WORKER: ExportKind.WORKER_TABLE,
    AwardCategory.EXCELLENT_TUTOR: ExportKind.TUTOR_TABLE,
    AwardCategory.EXCELLENT_TRAINEE: ExportKind.TRAINEE_TABLE,
}


def _rate(numerator: int, denominator: int) -> str:
    return percent_text(None if denominator == 0 else Fraction(numerator, denominator))


def _rates(counts: UnitCounts | None) -> tuple[str, str]:
    if counts is None:
        return _rate(0, 0), _rate(0, 0)
    return _rate(counts.participants, counts.expected), _rate(counts.passed, counts.participants)


def _stage_subject(person: Person) -> str:
    stage = "" if person.stage is None else STAGE_NAMES[Stage(person.stage)]
    return f"{stage}{person.subject or ''}"


class _Lookup:
    """The regions, schools and people a table names, read once for all its rows."""

    def __init__(self, regions: list[Region], schools: list[School], people: list[Person]):
        self.regions = {r.id: r for r in regions}
        self.schools = {s.id: s for s in schools}
        self.people = {p.id: p for p in people}

    def name(self, region_id: int | None) -> str:
        return "" if region_id is None else self.regions[region_id].name

    def city_county(self, region: Region) -> tuple[str, str]:
        if RegionLevel(region.level) is RegionLevel.COUNTY:
            return self.name(region.parent_id), region.name
        return region.name, ""

    def of_person(self, person: Person) -> tuple[str, str, str]:
        """设区市, 县区, 单位名称 of a teacher (their school)."""
        if person.school_id is None:
            return "", "", ""
        school = self.schools[person.school_id]
        return self.name(school.city_id), self.name(school.county_id), school.name


async def _counts(program_id: int, quotas: HourQuotas, level: RateLevel) -> dict[int, UnitCounts]:
    found = await unit_counts(program_id, level, quotas, Reach(everywhere=True), None)
    return {c.unit_id: c for c in found}


async def _rows(
    program_id: int, category: AwardCategory, city_id: int | None
) -> tuple[list[list[Cell]], list[Person]]:
    """The table's rows, and the people it shows in clear (tables 2–4: their ID numbers and
    mobiles; table 1 masks its heads' mobiles)."""
    quotas = await hour_quotas(program_id)
    assert quotas is not None, "the program was found before the job started"
    nominations = Nomination.filter(
        program_id=program_id,
        category=category,
        status__in=(NominationStatus.NOMINATED, NominationStatus.APPROVED),
    )
    if city_id is not None:
        nominations = nominations.filter(city_id=city_id)
    rows = await nominations.order_by("city_id", "id").values("region_id", "person_id")
    person_ids = [r["person_id"] for r in rows if r["person_id"] is not None]
    people = await Person.filter(id__in=person_ids)
    schools = await School.filter(id__in={p.school_id for p in people if p.school_id})
    look = _Lookup(list(await Region.all()), list(schools), list(people))
    table: list[list[Cell]] = []
    if category is AwardCategory.ADVANCED_COLLECTIVE:
        counts = {**await _counts(program_id, quotas, RateLevel.CITY),
                  **await _counts(program_id, quotas, RateLevel.COUNTY)}  # fmt: skip
        heads = await _heads([r["region_id"] for r in rows])
        for n, row in enumerate(rows, start=1):
            region = look.regions[row["region_id"]]
            head = heads.get(region.id)
            table.append([
                n, *look.city_county(region), region.name,
                "" if head is None else head.real_name,
                "" if head is None else mask_mobile(head.mobile),
                *_rates(counts.get(region.id)),
            ])  # fmt: skip
    elif category is AwardCategory.ADVANCED_WORKER:
        counts = {**await _counts(program_id, quotas, RateLevel.CITY),
                  **await _counts(program_id, quotas, RateLevel.COUNTY)}  # fmt: skip
        grants = await admin_regions(person_ids)
        admins = await admin_scores(program_id, quotas, grants)
        for n, row in enumerate(rows, start=1):
            person = look.people[row["person_id"]]
            region = look.regions[grants[person.id]]
            table.append([
                n, person.real_name, *look.city_county(region), region.name, person.mobile,
                person.id_number, admins[person.id].score, *_rates(counts.get(region.id)),
            ])  # fmt: skip
    elif category is AwardCategory.EXCELLENT_TUTOR:
        tutors = await tutor_scores(program_id, quotas, person_ids)
        for n, row in enumerate(rows, start=1):
            person = look.people[row["person_id"]]
            e, assessment = tutors[person.id].evidence, tutors[person.id].assessment
            table.append([
                n, person.real_name, *look.of_person(person)[:2], _stage_subject(person),
                look.of_person(person)[2], person.mobile, person.id_number, assessment.score,
                _rate(e.participants, e.expected), _rate(e.passed, e.participants),
            ])  # fmt: skip
    else:
        for n, row in enumerate(rows, start=1):
            person = look.people[row["person_id"]]
            city, county, school = look.of_person(person)
            table.append([
                n, person.real_name, city, county, _stage_subject(person), school,
                person.mobile, person.id_number,
            ])  # fmt: skip
    if category is AwardCategory.ADVANCED_COLLECTIVE:
        return table, []
    return table, list({p: look.people[p] for p in person_ids}.values())


async def _heads(region_ids: list[int]) -> dict[int, Person]:
    """负责人 of a management unit: its first admin."""
    grants = await RoleAssignment.filter(
        role__in=(Role.CITY_ADMIN, Role.COUNTY_ADMIN), region_id__in=region_ids
    ).order_by("id")
    people = {p.id: p for p in await Person.filter(id__in={g.person_id for g in grants})}
    heads: dict[int, Person] = {}
    for grant in grants:
        if grant.region_id is not None:
            heads.setdefault(grant.region_id, people[grant.person_id])
    return heads


@requires(TABLE_EXPORTER)
async def export_award_table(
    viewer: Viewer,
    program_id: int,
    category: AwardCategory,
    city_id: int | None,
    now: dt.datetime,
    clock: Callable[[], dt.datetime],
) -> ExportJob:
    """附件1–4 of a city (a city admin: their own) or, for the province admin, every city."""
    program = await Program.get_or_none(id=program_id)
    if program is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该项目", "programId")
    city = None if city_id is None else await Region.get_or_none(id=city_id)
    if city_id is not None and (city is None or RegionLevel(city.level) is not RegionLevel.CITY):
        raise refuse(ErrorCode.NOT_FOUND, "找不到该设区市", "cityId")
    if not viewer.is_province_admin and (
        city is None or city.id not in viewer.region_ids(Role.CITY_ADMIN)
    ):
        raise refuse(ErrorCode.NOT_FOUND, "找不到该设区市", "cityId")
    if city is None:
        province = await Region.filter(level=RegionLevel.PROVINCE).order_by("id").first()
        unit = "" if province is None else province.name
    else:
        unit = city.name
    number, title = NAMES[category]
    reveals = category is not AwardCategory.ADVANCED_COLLECTIVE

    shown: list[Person] = []

    async def sheets() -> list[Sheet]:
        rows, people = await _rows(program_id, category, city_id)
        shown.extend(people)
        return [
            Sheet(
                name=f"{number} {title}",
                headings=HEADINGS[category],
                rows=rows,
                preamble=(f"{number}：", f"“{program.name}”{title}", f"推荐单位：{unit}"),
            )
        ]

    plan = Plan(
        filename=f"{number}-{title}-{unit}.xlsx",
        sheets=sheets,
        reveals_personal_data=reveals,
        people=lambda: shown,
    )
    return await start_export(
        viewer, program_id, KINDS[category], {"category": category.value, "city_id": city_id},
        plan, now, clock,
    )  # fmt: skip
