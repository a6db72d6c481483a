"""The year's assessment of tutors and admins as every area reads it: the evidence of many
people gathered in a fixed handful of grouped statements (whatever their number), scored by
the pure rules of `staff_scores`."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from lms_plugin.storage.batch import counts_by
from lms_plugin.storage.enums import BriefingStatus, RateLevel, Role, SubmissionStatus
from lms_plugin.storage.models import (
    Announcement,
    Briefing,
    Bulletin,
    DiscussionPost,
    DiscussionTopic,
    RoleAssignment,
    StaffAssessmentPolicy,
    Submission,
    TrainingClass,
)
from lms_plugin.storage.reports import HourQuotas, Reach, UnitCounts, unit_counts

from .staff_scores import (
    AdminEvidence,
    StaffScore,
    StaffWeights,
    TutorEvidence,
    admin_score,
    tutor_score,
)


async def tutor_evidence(
    program_id: int, quotas: HourQuotas, tutor_ids: Collection[int]
) -> dict[int, TutorEvidence]:
    """What each tutor has done in the program's classes they tutor (every tutor asked for,
    with zeros for one without classes)."""
    tutors = list(tutor_ids)
    classes = await TrainingClass.filter(
        tutor_id__in=tutors, workshop__program_id=program_id
    ).values_list("id", "tutor_id")
    class_ids = [int(c) for c, _ in classes]
    everywhere = Reach(everywhere=True)
    counts = {
        c.unit_id: c
        for c in await unit_counts(program_id, RateLevel.CLASS, quotas, everywhere, None)
    }
    published = Briefing.filter(training_class_id__in=class_ids, status=BriefingStatus.PUBLISHED)
    on_time = await counts_by(published.filter(on_time=True), "training_class_id")
    late = await counts_by(published.filter(on_time=False), "training_class_id")
    current = Submission.filter(training_class_id__in=class_ids)
    submissions = await counts_by(current, "training_class_id")
    waiting = await counts_by(
        current.filter(status=SubmissionStatus.SUBMITTED), "training_class_id"
    )
    notices = await counts_by(
        Announcement.filter(training_class_id__in=class_ids, author_id__in=tutors), "author_id"
    )
    topics = await counts_by(
        DiscussionTopic.filter(training_class_id__in=class_ids, author_id__in=tutors),
        "author_id",
    )
    replies = await counts_by(
        DiscussionPost.filter(topic__training_class_id__in=class_ids, author_id__in=tutors),
        "author_id",
    )
    found = {}
    for tutor in tutors:
        mine = [int(c) for c, t in classes if t == tutor]
        figures: list[UnitCounts] = [counts[c] for c in mine if c in counts]
        found[tutor] = TutorEvidence(
            classes=len(mine),
            briefings_on_time=sum(on_time.get(c, 0) for c in mine),
            briefings_late=sum(late.get(c, 0) for c in mine),
            submissions=sum(submissions.get(c, 0) for c in mine),
            to_grade=sum(waiting.get(c, 0) for c in mine),
            announcements=notices.get(tutor, 0),
            topics=topics.get(tutor, 0),
            replies=replies.get(tutor, 0),
            expected=sum(f.expected for f in figures),
            participants=sum(f.participants for f in figures),
            passed=sum(f.passed for f in figures),
        )
    return found


@dataclass(frozen=True)
class TutorAssessment:
    """A tutor's evidence and the assessment scored from it."""

    evidence: TutorEvidence
    assessment: StaffScore


async def tutor_scores(
    program_id: int, quotas: HourQuotas, tutor_ids: Collection[int]
) -> dict[int, TutorAssessment]:
    """Each tutor's 辅导教师成绩 in the program, with what it was scored from."""
    policy = StaffWeights.of(await StaffAssessmentPolicy.get(program_id=program_id))
    evidence = await tutor_evidence(program_id, quotas, tutor_ids)
    return {
        tutor: TutorAssessment(e, tutor_score(tutor, e, policy)) for tutor, e in evidence.items()
    }


async def admin_regions(person_ids: Collection[int]) -> dict[int, int]:
    """The region each admin administers (a city's grant before a county's)."""
    grants = await RoleAssignment.filter(
        person_id__in=list(person_ids), role__in=(Role.CITY_ADMIN, Role.COUNTY_ADMIN)
    )
    ordered = sorted(grants, key=lambda g: (g.role != Role.CITY_ADMIN, g.id))
    regions: dict[int, int] = {}
    for grant in ordered:
        if grant.region_id is not None:
            regions.setdefault(grant.person_id, grant.region_id)
    return regions


async def admin_scores(
    program_id: int, quotas: HourQuotas, regions: Mapping[int, int]
) -> dict[int, StaffScore]:
    """Each admin's 管理员成绩 in the program, by the region they administer (person → a city
    or county id): its counts in two grouped statements, its bulletins in one."""
    policy = StaffWeights.of(await StaffAssessmentPolicy.get(program_id=program_id))
    counts: dict[int, UnitCounts] = {}
    for level in (RateLevel.CITY, RateLevel.COUNTY):
        for unit in await unit_counts(program_id, level, quotas, Reach(everywhere=True), None):
            counts[unit.unit_id] = unit
    bulletins = await counts_by(
        Bulletin.filter(program_id=program_id, region_id__in=set(regions.values())), "region_id"
    )
    found = {}
    for person, region in regions.items():
        c = counts.get(region)
        evidence = AdminEvidence(
            expected=0 if c is None else c.expected,
            participants=0 if c is None else c.participants,
            passed=0 if c is None else c.passed,
            bulletins=bulletins.get(region, 0),
        )
        found[person] = admin_score(person, evidence, policy)
    return found
