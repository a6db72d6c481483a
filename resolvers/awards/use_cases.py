"""Awards under quotas (R15, seed 003 §一, §二): a city's desk — the quotas and the candidates
with why each is eligible or not — nominations by the city (with its vendor) under the quota,
review by the province (approval records 优 on the awardee's record), and the stars tutors name
for their classes (seed 002 §四(三)). Every step keeps who and when.

Quotas are counted per city (seed 003 "各地市按…推荐"). A nomination locks the city's row, so
two nominations of one city are judged one after the other against its quota.
"""

import datetime as dt
from dataclasses import dataclass, replace
from fractions import Fraction

from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from lms_plugin.resolvers.core.access import (
    CLASS_TUTOR,
    PROVINCE_ADMIN,
    Requirement,
    Viewer,
    require_class_tutor,
    require_viewer,
    requires,
)
from lms_plugin.resolvers.core.errors import ErrorCode, Forbidden, refuse
from lms_plugin.resolvers.core.reach import Place, reach_covers, reach_of
from lms_plugin.resolvers.core.results import trainee_scores
from lms_plugin.resolvers.core.scopes import hour_quotas, vendor_city_ids
from lms_plugin.resolvers.core.staff import admin_scores, tutor_scores
from lms_plugin.storage.batch import counts_by, id_set, lock_rows
from lms_plugin.storage.enums import (
    AwardCategory,
    EnrollmentStatus,
    NominationStatus,
    QuotaRounding,
    RateLevel,
    RecommendationLevel,
    RegionLevel,
    Role,
    Standing,
    StarKind,
)
from lms_plugin.storage.models import (
    AwardPolicy,
    ClassStar,
    Enrollment,
    Nomination,
    Person,
    Recommendation,
    Region,
    ReportPolicy,
    RoleAssignment,
    TrainingClass,
    TrainingGrade,
    TutorTeamMember,
)
from lms_plugin.storage.reports import (
    HourQuotas,
    Reach,
    Unit,
    UnitCounts,
    passed_is_forecast,
    standing_ids,
    unit_counts,
)

from .rules import Candidate, Criterion, quota, ranked, rates_criterion, share_of

AWARD_DESK = Requirement(
    "省级管理员、该设区市管理员或对接该市的承训机构人员"
    "（province admin, the city's admin, or a vendor serving the city）",
    lambda viewer: (
        viewer.has_role(Role.PROVINCE_ADMIN)
        or viewer.has_role(Role.CITY_ADMIN)
        or viewer.has_role(Role.VENDOR_STAFF)
    ),
)
NOMINATOR = Requirement(
    "该设区市管理员或对接该市的承训机构人员（the city's admin, or a vendor serving the city）",
    lambda viewer: viewer.has_role(Role.CITY_ADMIN) or viewer.has_role(Role.VENDOR_STAFF),
)
EXCELLENT = "优"
_COUNTED = (NominationStatus.NOMINATED, NominationStatus.APPROVED)


@dataclass(frozen=True)
class City:
    """What a city's desk reads: the city, its counties, and the program's settings."""

    program_id: int
    region: Region
    counties: list[Region]
    policy: AwardPolicy
    threshold: int
    quotas: HourQuotas

    @property
    def units(self) -> list[Region]:
        """The management units of seed 003 §一(一): the city's and each county's."""
        return [self.region, *self.counties]


async def _city(viewer: Viewer, program_id: int, city_id: int) -> City | None:
    """The city's desk if the viewer reaches it; None when city or program names nothing."""
    region = await Region.get_or_none(id=city_id)
    policy = await AwardPolicy.get_or_none(program_id=program_id)
    report = await ReportPolicy.get_or_none(program_id=program_id)
    quotas = await hour_quotas(program_id)
    if region is None or RegionLevel(region.level) is not RegionLevel.CITY:
        return None
    if policy is None or report is None or quotas is None:
        return None
    reach = reach_of(viewer.grants, RateLevel.CITY)
    if not reach_covers(reach, Place(city_id=city_id), await vendor_city_ids(program_id, reach)):
        raise Forbidden
    counties = await Region.filter(parent_id=city_id).order_by("code", "id")
    return City(program_id, region, list(counties), policy, report.threshold_basis_points, quotas)


def _rates(counts: UnitCounts | None) -> tuple[int, int, int]:
    return (0, 0, 0) if counts is None else (counts.expected, counts.participants, counts.passed)


def _fraction(numerator: int, denominator: int) -> Fraction | None:
    return None if denominator == 0 else Fraction(numerator, denominator)


async def _region_counts(city: City) -> dict[int, UnitCounts]:
    """The city's and each county's figures (R14), in two GROUP BYs."""
    within = Unit(RateLevel.CITY, city.region.id)
    found: dict[int, UnitCounts] = {}
    for level in (RateLevel.CITY, RateLevel.COUNTY):
        everywhere = Reach(everywhere=True)
        for counts in await unit_counts(city.program_id, level, city.quotas, everywhere, within):
            found[counts.unit_id] = counts
    return found


def _by_rates(
    category: AwardCategory,
    subject_type: str,
    subject_id: int,
    name: str,
    code: str,
    counts: UnitCounts | None,
    criteria: tuple[Criterion, ...],
) -> Candidate:
    expected, participants, passed = _rates(counts)
    return Candidate(
        category=category,
        subject_type=subject_type,
        subject_id=subject_id,
        name=name,
        code=code,
        criteria=criteria,
        participation=_fraction(participants, expected),
        passing=_fraction(passed, participants),
    )


async def _collectives(city: City) -> list[Candidate]:
    """先进集体: each management unit, by the rates within it (seed 003 §一(一)3(3))."""
    counts = await _region_counts(city)
    label = f"管辖范围内参训率、合格率 ≥ {city.threshold / 100:g}%"
    return [
        _by_rates(
            AwardCategory.ADVANCED_COLLECTIVE,
            "Region",
            unit.id,
            unit.name,
            unit.code,
            counts.get(unit.id),
            (rates_criterion(label, *_rates(counts.get(unit.id)), city.threshold),),
        )
        for unit in city.units
    ]


def _admin_grants(city: City) -> QuerySet[RoleAssignment]:
    """The admins of county level and above in the city (seed 003 §一(二)1)."""
    return RoleAssignment.filter(
        Q(role=Role.CITY_ADMIN, region_id=city.region.id)
        | Q(role=Role.COUNTY_ADMIN, region_id__in=[c.id for c in city.counties])
    ).order_by("id")


async def _workers(city: City) -> list[Candidate]:
    """先进工作者: each admin, by the rates of the region they administer (the city's grant
    first, when they hold both)."""
    grants = sorted(await _admin_grants(city), key=lambda g: (g.role != Role.CITY_ADMIN, g.id))
    region_of: dict[int, int] = {}
    for grant in grants:
        if grant.region_id is not None:
            region_of.setdefault(grant.person_id, grant.region_id)
    people = await Person.filter(id__in=list(region_of))
    counts = await _region_counts(city)
    scores = await admin_scores(city.program_id, city.quotas, region_of)
    label = f"管辖范围内参训率、合格率 ≥ {city.threshold / 100:g}%"
    return [
        replace(
            _by_rates(
                AwardCategory.ADVANCED_WORKER,
                "Person",
                person.id,
                person.real_name,
                person.username,
                counts.get(region_of[person.id]),
                (
                    rates_criterion(
                        label, *_rates(counts.get(region_of[person.id])), city.threshold
                    ),
                ),
            ),
            score=scores[person.id].score,
        )
        for person in people
    ]


def _team_members(city: City) -> QuerySet[TutorTeamMember]:
    """The program's tutor-team members whose school is in the city."""
    return TutorTeamMember.filter(
        program_id=city.program_id, person__school__city_id=city.region.id
    )


async def _tutors(city: City) -> list[Candidate]:
    """优秀辅导教师 (seed 003 §一(三)): tutors assessed as passing (考核合格, their 辅导教师成绩
    at the pass mark or above) who posted announcements, graded every piece, led discussions,
    published their briefings on time, and whose classes reach the rates."""
    tutor_ids = await id_set(_team_members(city), "person_id")
    people = await Person.filter(id__in=tutor_ids)
    scored = await tutor_scores(city.program_id, city.quotas, tutor_ids)
    found = []
    for person in people:
        e, assessment = scored[person.id].evidence, scored[person.id].assessment
        published = e.briefings_on_time + e.briefings_late
        criteria = (
            Criterion(
                "考核合格",
                assessment.passed,
                f"辅导教师成绩 {assessment.score} 分，合格线 {assessment.pass_mark} 分",
            ),
            Criterion("辅导班级", e.classes > 0, f"{e.classes} 个班级"),
            Criterion("发布班级学习公告", e.announcements > 0, f"{e.announcements} 条公告"),
            Criterion("作业评阅完成", e.classes > 0 and e.to_grade == 0, f"待批改 {e.to_grade} 份"),
            Criterion("发起、引领班级主题研讨", e.topics > 0, f"{e.topics} 个主题"),
            Criterion(
                "按时撰写并发表班级简报",
                published > 0 and e.briefings_late == 0,
                f"已发表 {published} 期，逾期 {e.briefings_late} 期",
            ),
            rates_criterion(
                f"所辅导班级参训率、合格率 ≥ {city.threshold / 100:g}%",
                e.expected,
                e.participants,
                e.passed,
                city.threshold,
            ),
        )
        found.append(
            Candidate(
                category=AwardCategory.EXCELLENT_TUTOR,
                subject_type="Person",
                subject_id=person.id,
                name=person.real_name,
                code=person.username,
                criteria=criteria,
                participation=_fraction(e.participants, e.expected),
                passing=_fraction(e.passed, e.participants),
                score=assessment.score,
            )
        )
    return found


async def _trainees(city: City) -> list[Candidate]:
    """优秀学员 (seed 003 §一(四)): trainees of the city whose homework is featured on the home
    page, judged on passing and on a score of 100 (read from the assessment results)."""
    featured = await id_set(
        Recommendation.filter(
            level=RecommendationLevel.HOME,
            withdrawn_at__isnull=True,
            submission__enrollment__program_id=city.program_id,
            submission__enrollment__status=EnrollmentStatus.ACTIVE,
            submission__enrollment__teacher__school__city_id=city.region.id,
        ),
        "submission__enrollment__teacher_id",
    )
    passed = set(
        await standing_ids(
            city.program_id,
            city.quotas,
            Reach(everywhere=True),
            Unit(RateLevel.CITY, city.region.id),
            Standing.PASSED,
            after=None,
            limit=len(featured) + 1,
            among=frozenset(featured),
        )
    )
    scores = await trainee_scores(city.program_id, featured)
    forecast = await passed_is_forecast(city.program_id)
    needed = city.policy.trainee_score
    found = []
    for person in await Person.filter(id__in=featured):
        score = scores.get(person.id)
        criteria = (
            Criterion(
                "考核合格",
                person.id in passed,
                ("预测：学时达标" if forecast else "考核结果")
                + ("，合格" if person.id in passed else "，未合格"),
            ),
            Criterion(
                f"学习成绩达到 {needed} 分",
                score is not None and score >= needed,
                "尚无考核成绩" if score is None else f"成绩 {score} 分",
            ),
            Criterion("作业被推荐到培训首页", True, "已推荐到首页"),
        )
        found.append(
            Candidate(
                category=AwardCategory.EXCELLENT_TRAINEE,
                subject_type="Person",
                subject_id=person.id,
                name=person.real_name,
                code=person.username,
                criteria=criteria,
                score=score,
            )
        )
    return found


_CANDIDATES = {
    AwardCategory.ADVANCED_COLLECTIVE: _collectives,
    AwardCategory.ADVANCED_WORKER: _workers,
    AwardCategory.EXCELLENT_TUTOR: _tutors,
    AwardCategory.EXCELLENT_TRAINEE: _trainees,
}


async def _base(city: City, category: AwardCategory) -> int:
    """What a category's share is of (seed 003): the city's management units, its admins, its
    tutors, its passed trainees."""
    if category is AwardCategory.ADVANCED_COLLECTIVE:
        return len(city.units)
    if category is AwardCategory.ADVANCED_WORKER:
        return len(await id_set(_admin_grants(city), "person_id"))
    if category is AwardCategory.EXCELLENT_TUTOR:
        return len(await id_set(_team_members(city), "person_id"))
    return _rates((await _region_counts(city)).get(city.region.id))[2]


@dataclass(frozen=True)
class QuotaLine:
    category: AwardCategory
    base: int
    basis_points: int
    rounding: QuotaRounding
    places: int
    nominated: int
    approved: int


async def desk_candidates(
    viewer: Viewer | None, program_id: int, city_id: int, category: AwardCategory
) -> list[Candidate] | None:
    """The candidates of a category in a city, ranked, each with every criterion judged."""
    city = await _city(AWARD_DESK.check(viewer), program_id, city_id)
    return None if city is None else ranked(await _CANDIDATES[category](city))


async def desk_quotas(
    viewer: Viewer | None, program_id: int, city_id: int
) -> list[QuotaLine] | None:
    """Each category's places in the city and how many are used."""
    city = await _city(AWARD_DESK.check(viewer), program_id, city_id)
    if city is None:
        return None
    nominations = Nomination.filter(program_id=program_id, city_id=city_id)
    used = await counts_by(nominations.filter(status__in=_COUNTED), "category")
    approved = await counts_by(nominations.filter(status=NominationStatus.APPROVED), "category")
    lines = []
    rounding = QuotaRounding(city.policy.rounding)
    for category in AwardCategory:
        base, share = await _base(city, category), share_of(city.policy, category)
        lines.append(
            QuotaLine(
                category=category,
                base=base,
                basis_points=share,
                rounding=rounding,
                places=quota(base, share, rounding),
                nominated=used.get(category.value, 0),
                approved=approved.get(category.value, 0),
            )
        )
    return lines


@dataclass(frozen=True)
class NominationOutcome:
    """A nomination made, or (dry run) what it would be: the places and those used after it."""

    nomination: Nomination | None
    dry_run: bool
    places: int
    used: int


@requires(NOMINATOR)
async def nominate(
    viewer: Viewer,
    program_id: int,
    city_id: int,
    category: AwardCategory,
    candidate: tuple[str, int],
    dry_run: bool,
    now: dt.datetime,
) -> NominationOutcome:
    """A city (with its vendor) nominates an eligible candidate within the quota (R15); the
    dry run judges the same and writes nothing."""
    try:
        city = await _city(viewer, program_id, city_id)
    except Forbidden:
        city = None
    if city is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该设区市", "cityId")
    candidates = await _CANDIDATES[category](city)
    found = next((c for c in candidates if (c.subject_type, c.subject_id) == candidate), None)
    if found is None:
        raise refuse(ErrorCode.NOT_FOUND, "不是该市这一类别的候选", "candidateId")
    if not found.eligible:
        unmet = "；".join(f"{c.label}（{c.detail}）" for c in found.criteria if not c.met)
        raise refuse(ErrorCode.NOT_ELIGIBLE, f"不符合评选条件：{unmet}", "candidateId")
    places = quota(
        await _base(city, category),
        share_of(city.policy, category),
        QuotaRounding(city.policy.rounding),
    )
    region_id = found.subject_id if found.subject_type == "Region" else None
    person_id = None if region_id is not None else found.subject_id
    async with in_transaction():
        await lock_rows(Region, [city_id])
        same = Nomination.filter(program_id=program_id, category=category)
        if await same.filter(
            Q(region_id=region_id) if region_id else Q(person_id=person_id)
        ).exists():
            raise refuse(ErrorCode.ALREADY_NOMINATED, "该候选已被推荐", "candidateId")
        used = await Nomination.filter(
            program_id=program_id, city_id=city_id, category=category, status__in=_COUNTED
        ).count()
        if used >= places:
            raise refuse(
                ErrorCode.QUOTA_EXCEEDED, f"本市该类别名额 {places} 个已用完", "candidateId"
            )
        if dry_run:
            return NominationOutcome(None, True, places, used + 1)
        nomination = await Nomination.create(
            program_id=program_id,
            city_id=city_id,
            category=category,
            nominated_by_id=viewer.id,
            nominated_at=now,
            region_id=region_id,
            person_id=person_id,
        )
    return NominationOutcome(nomination, False, places, used + 1)


@requires(PROVINCE_ADMIN)
async def review_nomination(
    viewer: Viewer, nomination_id: int, approve: bool, note: str, now: dt.datetime
) -> Nomination:
    """The province approves or rejects a nomination once; approving a person records the
    grade 优 on their record of the program (seed 003 §二.3)."""
    async with in_transaction():
        nomination = await Nomination.filter(id=nomination_id).select_for_update().first()
        if nomination is None:
            raise refuse(ErrorCode.NOT_FOUND, "找不到该推荐", "nominationId")
        if NominationStatus(nomination.status) is not NominationStatus.NOMINATED:
            raise refuse(ErrorCode.NOMINATION_REVIEWED, "该推荐已审核", "nominationId")
        nomination.status = NominationStatus.APPROVED if approve else NominationStatus.REJECTED
        nomination.reviewed_by_id = viewer.id
        nomination.reviewed_at = now
        nomination.review_note = note
        await nomination.save(
            update_fields=["status", "reviewed_by_id", "reviewed_at", "review_note"]
        )
        if approve and nomination.person_id is not None:
            await TrainingGrade.update_or_create(
                program_id=nomination.program_id,
                person_id=nomination.person_id,
                defaults={
                    "grade": EXCELLENT,
                    "nomination_id": nomination.id,
                    "recorded_by_id": viewer.id,
                    "recorded_at": now,
                },
            )
    return nomination


async def nominations(
    viewer: Viewer | None, program_id: int, city_id: int | None
) -> QuerySet[Nomination]:
    """The nominations of the cities the viewer reaches (optionally one)."""
    signed_in = AWARD_DESK.check(viewer)
    reach = reach_of(signed_in.grants, RateLevel.CITY)
    found = Nomination.filter(program_id=program_id)
    if not reach.everywhere:
        cities = reach.city_ids | await vendor_city_ids(program_id, reach)
        found = found.filter(city_id__in=cities)
    if city_id is not None:
        found = found.filter(city_id=city_id)
    return found


async def visible_nomination(viewer: Viewer | None, nomination_id: int) -> Nomination | None:
    """One nomination by id under the rules of `nominations` (None: not there, or not the
    viewer's to read)."""
    signed_in = require_viewer(viewer)
    if not AWARD_DESK.admits(signed_in):
        return None
    row = await Nomination.get_or_none(id=nomination_id).only("id", "program_id")
    if row is None:
        return None
    found = await nominations(signed_in, row.program_id, None)
    return await found.filter(id=nomination_id).first()


@requires(CLASS_TUTOR)
async def name_star(
    viewer: Viewer, class_id: int, kind: StarKind, enrollment_id: int | None, now: dt.datetime
) -> ClassStar:
    """A class's tutor names 学员之星 (a trainee of the class) or 班级之星 (the class itself)."""
    if not await TrainingClass.exists(id=class_id):
        raise refuse(ErrorCode.NOT_FOUND, "找不到该班级", "classId")
    await require_class_tutor(viewer, class_id, "评选学员之星、班级之星", "classId")
    if kind is StarKind.TRAINEE_STAR:
        in_class = enrollment_id is not None and await Enrollment.exists(
            id=enrollment_id, training_class_id=class_id, status=EnrollmentStatus.ACTIVE
        )
        if not in_class:
            raise refuse(ErrorCode.NOT_FOUND, "该班级没有这位学员", "enrollmentId")
    elif enrollment_id is not None:
        raise refuse(ErrorCode.INVALID_INPUT, "班级之星不指定学员", "enrollmentId")
    async with in_transaction():
        await lock_rows(TrainingClass, [class_id])
        if await ClassStar.exists(
            training_class_id=class_id, kind=kind, enrollment_id=enrollment_id
        ):
            raise refuse(
                ErrorCode.ALREADY_NAMED, "已经评出", "enrollmentId" if enrollment_id else "kind"
            )
        return await ClassStar.create(
            training_class_id=class_id,
            kind=kind,
            enrollment_id=enrollment_id,
            named_by_id=viewer.id,
            named_at=now,
        )
