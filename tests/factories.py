"""Builders of synthetic test data on the 2012 reference calendar."""

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.models import Model

from lms_plugin.identity import synthetic_id_number, synthetic_mobile
from lms_plugin.reference import create_reference_program
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.storage.enums import (
    AssignmentKind,
    BriefingStatus,
    EnrollmentStatus,
    GradeLevel,
    Outcome,
    Post,
    RecommendationLevel,
    RegionLevel,
    Role,
    Stage,
    SubmissionStatus,
    TitleRank,
    Track,
)
from lms_plugin.storage.models import (
    Announcement,
    AssessmentResult,
    Assignment,
    Attachment,
    Batch,
    Briefing,
    DiscussionPost,
    DiscussionTopic,
    Enrollment,
    Person,
    Program,
    Recommendation,
    Region,
    RoleAssignment,
    School,
    Submission,
    Topic,
    TrainingClass,
    TutorTeamMember,
    TutorTeamPolicy,
    Vendor,
    VendorCity,
    Workshop,
)

from .conftest import local

_sequence = itertools.count(1)
REGISTERED_AT = dt.datetime(2012, 4, 20, 2, 0, tzinfo=dt.UTC)
# Batch 1's window opens on 4/27 (when assignments are set) and closes on 5/8.
SET_AT = local(2012, 4, 27)
DUE_AT = local(2012, 5, 8, 23, 59, 59)
SUBMITTED_AT = local(2012, 5, 2)


def gid(row: Model) -> str:
    """The global id the API gives a stored row (a model is named as its GraphQL type)."""
    return str(encode_id(type(row).__name__, row.pk))


class Org:
    """Province 江西 → 南昌市 → 东湖区 → one school; 九江市 → 濂溪区 → another."""

    province: Region
    city: Region
    county: Region
    school: School
    other_city: Region
    other_county: Region
    other_school: School


async def make_region(name: str, code: str, parent: Region | None = None) -> Region:
    """A province, or a city or county under `parent`, one level down from it."""
    if parent is None:
        return await Region.create(name=name, code=code, level=RegionLevel.PROVINCE)
    level = RegionLevel.CITY if parent.level == RegionLevel.PROVINCE else RegionLevel.COUNTY
    return await Region.create(name=name, code=code, level=level, parent_id=parent.id)


async def make_school(name: str, code: str, county: Region) -> School:
    return await School.create(name=name, code=code, county_id=county.id, city_id=county.parent_id)


async def make_org() -> Org:
    org = Org()
    org.province = await make_region("江西省", "360000")
    org.city = await make_region("南昌市", "360100", org.province)
    org.county = await make_region("东湖区", "360102", org.city)
    org.school = await make_school("南昌市第一实验学校", "3601020001", org.county)
    org.other_city = await make_region("九江市", "360400", org.province)
    org.other_county = await make_region("濂溪区", "360402", org.other_city)
    org.other_school = await make_school("九江市实验中学", "3604020001", org.other_county)
    return org


def next_number() -> int:
    """A number no other synthetic person of the run has (their ID numbers and mobiles)."""
    return next(_sequence)


def synthetic_identity(n: int) -> tuple[str, str]:
    """The ID number (东湖区, born 1980-01-01) and the mobile of synthetic person `n`."""
    return synthetic_id_number("360102", "19800101", n), synthetic_mobile(n)


async def make_person(
    username: str | None = None,
    *,
    school: School | None = None,
    stage: Stage | None = Stage.HIGH,
    subject: str | None = "数学",
    track: Track | None = Track.NETWORK,
    post: Post | None = Post.TEACHER,
    real_name: str | None = None,
    title_rank: TitleRank | None = None,
    id_number: str | None = None,
    mobile: str | None = None,
) -> Person:
    """A teacher with synthetic personal data no other person of the run has (or the given)."""
    n = next_number()
    synthetic_id, synthetic_phone = synthetic_identity(n)
    return await Person.create(
        username=username or f"teacher{n:04d}",
        real_name=real_name or f"测试教师{n:04d}",
        id_number=id_number or synthetic_id,
        mobile=mobile or synthetic_phone,
        school_id=school.id if school else None,
        stage=stage,
        subject=subject,
        title_rank=title_rank,
        post=post,
        track=track,
    )


async def grant(
    person: Person,
    role: Role,
    *,
    region: Region | None = None,
    school: School | None = None,
    vendor: Vendor | None = None,
) -> RoleAssignment:
    return await RoleAssignment.create(
        person_id=person.id,
        role=role,
        region_id=region.id if region else None,
        school_id=school.id if school else None,
        vendor_id=vendor.id if vendor else None,
    )


async def make_admin(username: str, role: Role, **scope: Region | School | Vendor) -> Person:
    person = await make_person(username, stage=None, subject=None, track=None, post=None)
    await grant(person, role, **scope)  # type: ignore[arg-type]
    return person


async def make_vendor(program: Program, name: str, *cities: Region) -> Vendor:
    vendor = await Vendor.create(name=name)
    for city in cities:
        await VendorCity.create(vendor_id=vendor.id, program_id=program.id, city_id=city.id)
    return vendor


async def reference_program() -> Program:
    return await create_reference_program()


async def batch_number(program: Program, number: int) -> Batch:
    return await Batch.get(program_id=program.id, number=number)


async def make_workshop(
    program: Program,
    leader: Person,
    *,
    stage: Stage = Stage.HIGH,
    subject: str = "数学",
    topics: int = 2,
    tutors: Sequence[Person] = (),
) -> Workshop:
    """A workshop with `topics` topics and `tutors` on its tutor team."""
    workshop = await Workshop.create(
        program_id=program.id,
        name=f"{stage.value}-{subject}名师网络研修工作室",
        stage=stage,
        subject=subject,
        leader_id=leader.id,
        tutor_cap=(await TutorTeamPolicy.get(program_id=program.id)).cap,
    )
    for position in range(topics):
        await Topic.create(workshop_id=workshop.id, title=f"专题{position + 1}", position=position)
    for tutor in tutors:
        await add_tutor(workshop, tutor)
    return workshop


async def add_tutor(workshop: Workshop, person: Person, at: dt.datetime = REGISTERED_AT) -> None:
    """Adds a tutor-team member the way the use case does (claims a place)."""
    await TutorTeamMember.create(
        workshop_id=workshop.id, person_id=person.id, program_id=workshop.program_id, added_at=at
    )
    workshop.tutor_count += 1
    await Workshop.filter(id=workshop.id).update(tutor_count=workshop.tutor_count)


async def make_class(workshop: Workshop, tutor: Person, name: str = "一班") -> TrainingClass:
    return await TrainingClass.create(workshop_id=workshop.id, name=name, tutor_id=tutor.id)


async def enroll(
    teacher: Person,
    workshop: Workshop,
    batch: Batch,
    *,
    training_class: TrainingClass | None = None,
    track: Track = Track.NETWORK,
    program: Program | None = None,
    at: dt.datetime = REGISTERED_AT,
    status: EnrollmentStatus = EnrollmentStatus.ACTIVE,
) -> Enrollment:
    """The teacher, registered by themself in the workshop's program (or `program`, a make-up
    or an earlier year in the same workshop)."""
    return await Enrollment.create(
        program_id=program.id if program else workshop.program_id,
        teacher_id=teacher.id,
        batch_id=batch.id,
        workshop_id=workshop.id,
        training_class_id=training_class.id if training_class else None,
        status=status,
        track=track,
        registered_by_id=teacher.id,
        registered_at=at,
    )


async def studied(
    enrollment: Enrollment,
    *,
    online_hours: float = 0,
    offline_hours: float = 0,
    active_at: dt.datetime | None = None,
) -> None:
    """The counted time the study timer and the confirmed offline logs leave (and, given, the
    trainee's last activity)."""
    activity = {} if active_at is None else {"last_activity_at": active_at}
    await Enrollment.filter(id=enrollment.id).update(
        online_seconds=round(online_hours * 3600),
        offline_minutes=round(offline_hours * 60),
        **activity,
    )


async def make_result(
    program: Program,
    of: Person | Enrollment,
    outcome: Outcome,
    score: int,
    *,
    explanation: str = "",
    at: dt.datetime,
    by: Person,
) -> AssessmentResult:
    """An assessment result as computeAssessmentResults leaves it, of an enrollment (or of a
    teacher the program has no enrollment of)."""
    if isinstance(of, Enrollment):
        teacher_id, enrollment_id = of.teacher_id, of.id
    else:
        teacher_id, enrollment_id = of.id, None
    return await AssessmentResult.create(
        program_id=program.id,
        teacher_id=teacher_id,
        enrollment_id=enrollment_id,
        outcome=outcome,
        score=score,
        explanation=explanation,
        computed_at=at,
        computed_by_id=by.id,
    )


async def make_attachment(
    owner: Person, filename: str, key: str, *, at: dt.datetime, size: int = 3
) -> Attachment:
    """An upload of `owner`'s, stored under `key` (its bytes are never read)."""
    return await Attachment.create(
        owner_id=owner.id,
        filename=filename,
        content_type="application/pdf",
        size=size,
        sha256="0" * 64,
        storage_key=key,
        uploaded_at=at,
    )


@dataclass
class Classes:
    """The high-school maths workshop of batch 1 (window 4/27–5/8 2012) in 南昌: its leader
    王名师, and a tutor team of 李辅导 and 赵辅导, who run 一班 and 二班. Each area's world adds
    its trainees and what they work on."""

    org: Org
    program: Program
    batch: Batch
    leader: Person
    tutor: Person
    other_tutor: Person
    workshop: Workshop
    training_class: TrainingClass
    other_class: TrainingClass

    def person(self, name: str) -> Person | None:
        """A role of the tests by name; "nobody" is a request without a token."""
        return None if name == "nobody" else getattr(self, name)  # type: ignore[no-any-return]


async def make_classes() -> Classes:
    org = await make_org()
    program = await reference_program()
    leader = await make_person("leader", school=org.school, real_name="王名师")
    tutor = await make_person("tutor", school=org.school, real_name="李辅导")
    other_tutor = await make_person("tutor2", school=org.school, real_name="赵辅导")
    workshop = await make_workshop(program, leader, tutors=(tutor, other_tutor))
    return Classes(
        org=org,
        program=program,
        batch=await batch_number(program, 1),
        leader=leader,
        tutor=tutor,
        other_tutor=other_tutor,
        workshop=workshop,
        training_class=await make_class(workshop, tutor, "一班"),
        other_class=await make_class(workshop, other_tutor, "二班"),
    )


async def make_announcement(
    training_class: TrainingClass,
    author: Person,
    title: str,
    *,
    body: str = "请学习",
    at: dt.datetime,
    pinned: bool = False,
) -> Announcement:
    return await Announcement.create(
        training_class_id=training_class.id,
        author_id=author.id,
        title=title,
        body=body,
        pinned=pinned,
        published_at=at,
    )


async def open_topic(
    workshop: Workshop,
    author: Person,
    title: str,
    *,
    body: str,
    at: dt.datetime,
    training_class: TrainingClass | None = None,
) -> DiscussionTopic:
    """A discussion topic of the class, or without a class of the whole workshop."""
    return await DiscussionTopic.create(
        workshop_id=workshop.id,
        training_class_id=training_class.id if training_class else None,
        author_id=author.id,
        title=title,
        body=body,
        created_at=at,
    )


async def post(
    topic: DiscussionTopic, body: str, at: dt.datetime, *, by: Person | Enrollment
) -> DiscussionPost:
    """A post by a member of the team, or by a trainee (their enrollment): only a trainee's
    counts for their figures."""
    if isinstance(by, Enrollment):
        author_id, enrollment_id = by.teacher_id, by.id
    else:
        author_id, enrollment_id = by.id, None
    return await DiscussionPost.create(
        topic_id=topic.id,
        author_id=author_id,
        enrollment_id=enrollment_id,
        body=body,
        created_at=at,
    )


async def make_briefing(
    training_class: TrainingClass,
    author: Person,
    number: int,
    title: str,
    *,
    body: str = "草稿",
    created_at: dt.datetime,
    due_at: dt.datetime,
    published_at: dt.datetime | None = None,
) -> Briefing:
    """A draft briefing, or with `published_at` one published then (on time or late)."""
    published = published_at is not None
    return await Briefing.create(
        training_class_id=training_class.id,
        number=number,
        title=title,
        body=body,
        status=BriefingStatus.PUBLISHED if published else BriefingStatus.DRAFT,
        author_id=author.id,
        created_at=created_at,
        due_at=due_at,
        published_at=published_at,
        on_time=published_at <= due_at if published_at else None,
    )


async def tutor_duties(
    classes: Classes, at: dt.datetime, *, number: int = 1, suffix: str = "", reply: bool = True
) -> None:
    """一班's tutor does what a tutor's assessment and award count, all at `at`: an
    announcement, a class topic (with a reply of theirs) and a briefing published on time."""
    tutor, training_class = classes.tutor, classes.training_class
    await make_announcement(training_class, tutor, f"公告{suffix}", at=at)
    topic = await open_topic(
        classes.workshop,
        tutor,
        f"研讨{suffix}",
        body="讨论",
        at=at,
        training_class=training_class,
    )
    if reply:
        await post(topic, "回复", at, by=tutor)
    await make_briefing(
        training_class,
        tutor,
        number,
        f"简报{suffix}",
        body="内容",
        created_at=at,
        due_at=at,
        published_at=at,
    )


async def make_assignment(
    workshop: Workshop,
    author: Person,
    title: str,
    *,
    instructions: str = "完成",
    due_at: dt.datetime = DUE_AT,
    created_at: dt.datetime = SET_AT,
    kind: AssignmentKind = AssignmentKind.HOMEWORK,
) -> Assignment:
    """An assignment set at the opening of batch 1's window and due at its end."""
    return await Assignment.create(
        workshop_id=workshop.id,
        kind=kind,
        title=title,
        instructions=instructions,
        due_at=due_at,
        created_by_id=author.id,
        created_at=created_at,
    )


async def make_submission(
    assignment: Assignment,
    enrollment: Enrollment,
    text: str,
    *,
    status: SubmissionStatus = SubmissionStatus.SUBMITTED,
    at: dt.datetime = SUBMITTED_AT,
    score: int | None = None,
    level: GradeLevel | None = None,
    graded_by: Person | None = None,
    attachments: Sequence[Attachment] = (),
    version: int = 1,
) -> Submission:
    """The trainee's work, in their class, handed in `at`; a grader grades it then too."""
    return await Submission.create(
        assignment_id=assignment.id,
        enrollment_id=enrollment.id,
        training_class_id=enrollment.training_class_id,
        text=text,
        attachment_ids=[attachment.id for attachment in attachments],
        version=version,
        status=status,
        submitted_at=at,
        score=score,
        level=level,
        graded_by_id=graded_by.id if graded_by else None,
        graded_at=at if graded_by else None,
    )


async def recommend(
    submission: Submission,
    workshop: Workshop,
    level: RecommendationLevel,
    by: Person,
    at: dt.datetime,
) -> Recommendation:
    """A recommendation of the submission to `level` of its class's showcases."""
    return await Recommendation.create(
        submission_id=submission.id,
        level=level,
        training_class_id=submission.training_class_id,
        workshop_id=workshop.id,
        recommended_by_id=by.id,
        recommended_at=at,
    )


async def hand_in(
    classes: Classes,
    enrollment: Enrollment,
    title: str,
    *,
    kind: AssignmentKind = AssignmentKind.HOMEWORK,
    status: SubmissionStatus = SubmissionStatus.SUBMITTED,
    level: GradeLevel | None = None,
) -> Submission:
    """An assignment of the leader's, due at the end of the window, and the trainee's work on
    it, handed in on 5/2; with a `level`, graded by the tutor that day (score 90)."""
    assignment = await make_assignment(classes.workshop, classes.leader, title, kind=kind)
    graded = level is not None
    return await make_submission(
        assignment,
        enrollment,
        "答案",
        status=status,
        score=90 if graded else None,
        level=level,
        graded_by=classes.tutor if graded else None,
    )
