"""A hand-counted province for the rates (R14): three schools in three counties of two cities.

    南昌市 / 东湖区 / 南昌市第一实验学校 (A)
        王名师 (leader, not enrolled)          expected, not started
        李辅导, 赵辅导 (tutor team)             exempt (R7)
        甲一  一班, 6 h online + 16 h offline   complete
        甲二  一班, 1 h online                  participating, not complete
        甲三  一班, nothing studied             expected, not started
    南昌市 / 南昌县 / 南昌县莲塘一中 (B)
        乙一  二班, transitional, 4 h + 18 h    complete (the transitional split)
        乙二  not enrolled                      expected, not started
        乙三  withdrawn after 2 h online        expected, not started
    九江市 / 濂溪区 / 九江市实验中学 (C)
        丙一  一班, 30 min offline              participating
        丙二  no class, 6 h + 15 h 59 min       participating, one minute short

Vendors: 甲机构 serves 南昌市, 乙机构 九江市. Passed is the forecast (complete) until the
program has results (`record_results`), then the results' PASSED.
"""

from dataclasses import dataclass

from lms_plugin.storage.enums import EnrollmentStatus, Outcome, Role, Track
from lms_plugin.storage.models import (
    Enrollment,
    Person,
    Program,
    Region,
    School,
    Vendor,
)

from .conftest import local
from .factories import (
    Classes,
    enroll,
    make_admin,
    make_classes,
    make_person,
    make_region,
    make_result,
    make_school,
    make_vendor,
    studied,
)

RESULTS_AT = local(2012, 7, 1)


@dataclass
class RatesWorld:
    classes: Classes
    program: Program
    nanchang_county: Region
    school_b: School
    vendor: Vendor
    other_vendor: Vendor
    province_admin: Person
    city_admin: Person
    county_admin: Person
    vendor_staff: Person
    trainee: Person
    people: dict[str, Person]


async def make_rates_world() -> RatesWorld:
    c = await make_classes()
    org = c.org
    county_b = await make_region("南昌县", "360121", org.city)
    school_b = await make_school("南昌县莲塘一中", "3601210001", county_b)
    people: dict[str, Person] = {}
    for name, school in (
        ("甲一", org.school),
        ("甲二", org.school),
        ("甲三", org.school),
        ("乙一", school_b),
        ("乙二", school_b),
        ("乙三", school_b),
        ("丙一", org.other_school),
        ("丙二", org.other_school),
    ):
        people[name] = await make_person(school=school, real_name=name)
    one, two = c.training_class, c.other_class
    a1 = await enroll(people["甲一"], c.workshop, c.batch, training_class=one)
    await studied(a1, online_hours=6, offline_hours=16)
    a2 = await enroll(people["甲二"], c.workshop, c.batch, training_class=one)
    await studied(a2, online_hours=1)
    await enroll(people["甲三"], c.workshop, c.batch, training_class=one)
    b1 = await enroll(
        people["乙一"], c.workshop, c.batch, training_class=two, track=Track.TRANSITIONAL
    )
    await studied(b1, online_hours=4, offline_hours=18)
    b3 = await enroll(people["乙三"], c.workshop, c.batch, training_class=two)
    await studied(b3, online_hours=2)
    await Enrollment.filter(id=b3.id).update(status=EnrollmentStatus.WITHDRAWN)
    c1 = await enroll(people["丙一"], c.workshop, c.batch, training_class=one)
    await studied(c1, offline_hours=0.5)
    c2 = await enroll(people["丙二"], c.workshop, c.batch)
    await studied(c2, online_hours=6, offline_hours=15 + 59 / 60)
    vendor = await make_vendor(c.program, "甲机构", org.city)
    other_vendor = await make_vendor(c.program, "乙机构", org.other_city)
    return RatesWorld(
        classes=c,
        program=c.program,
        nanchang_county=county_b,
        school_b=school_b,
        vendor=vendor,
        other_vendor=other_vendor,
        province_admin=await make_admin("province", Role.PROVINCE_ADMIN, region=org.province),
        city_admin=await make_admin("nanchang", Role.CITY_ADMIN, region=org.city),
        county_admin=await make_admin("donghu", Role.COUNTY_ADMIN, region=org.county),
        vendor_staff=await make_admin("vendor", Role.VENDOR_STAFF, vendor=vendor),
        trainee=people["甲一"],
        people=people,
    )


async def record_results(world: RatesWorld, results: dict[str, tuple[Outcome, int]]) -> None:
    """The program's assessment results as computeAssessmentResults leaves them, by name."""
    for name, (outcome, score) in results.items():
        teacher = await Person.get(real_name=name)
        enrollment = await Enrollment.get_or_none(
            teacher_id=teacher.id, program_id=world.program.id
        )
        await make_result(
            world.program,
            enrollment or teacher,
            outcome,
            score,
            at=RESULTS_AT,
            by=world.province_admin,
        )
