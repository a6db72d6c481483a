"""The demo: the 2012 Jiangxi reference calendar, filled with synthetic people (never real ones).

`load_demo()` fills an empty database: the province, its eleven cities with a few counties and
schools each, the five vendors of seed 001 (attachment 1) on their cities, a workshop for every
stage and subject of the four batches (leader, topics with resources, a tutor team, classes, one
assignment), a few hundred teachers of every stage, track, post and title rank, their enrollments,
and the fixed demo accounts of `DEMO_ACCOUNTS`; and the finished first phase of 2011学年 before it
(summer 2011), where the demo trainee and a few classmates have their results and e-certificates.
Everything is drawn from a seeded generator, so two loads give the same data.
"""

import datetime as dt
import itertools
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from lms_plugin.identity import synthetic_id_number, synthetic_mobile
from lms_plugin.reference import (
    REGISTRATION_2012,
    all_subject_pairs,
    create_reference_program,
)
from lms_plugin.regions import jiangxi_rows
from lms_plugin.resolvers.assessment.results import write_results
from lms_plugin.resolvers.bulletins.use_cases import publish_bulletin
from lms_plugin.resolvers.core.access import load_viewer
from lms_plugin.resolvers.core.calendar import day_window
from lms_plugin.resolvers.core.programs import read_policy
from lms_plugin.resolvers.core.stages import workshop_stage_for
from lms_plugin.resolvers.organisation.use_cases import load_region_rows
from lms_plugin.storage.enums import (
    BriefingStatus,
    CourseCategory,
    Distinction,
    ExamKind,
    GradeLevel,
    OfflineKind,
    PhaseKind,
    Post,
    RegionLevel,
    Role,
    Stage,
    SubmissionStatus,
    TitleRank,
    Track,
)
from lms_plugin.storage.models import (
    Announcement,
    AssessmentPolicy,
    Assignment,
    Batch,
    Briefing,
    Course,
    CourseProgress,
    DiscussionPost,
    DiscussionTopic,
    Enrollment,
    ExamResult,
    HourPolicy,
    OfflineStudyLog,
    Person,
    Program,
    ProgramPhase,
    Region,
    Resource,
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
from lms_plugin.storage.policies import create_policies

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Batch 1 has just opened: the demo trainee can study at once.
DEMO_STARTS_AT = dt.datetime(2012, 4, 27, 10, 0, tzinfo=SHANGHAI)
# The workshop of the demo trainee, leader and tutor.
DEMO_PAIR = (Stage.HIGH, "数学")


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    description: str


DEMO_ACCOUNTS = (
    DemoAccount(
        "demo.province", "省级管理员 province admin", "江西省远程培训中心: the whole program"
    ),
    DemoAccount("demo.city", "市级管理员 city admin", "南昌市管理中心"),
    DemoAccount(
        "demo.county", "县级管理员 county admin", "南昌县; registered its transitional learners"
    ),
    DemoAccount(
        "demo.vendor", "承训机构 vendor staff", "高等教育出版社, serving 南昌市 and 九江市"
    ),
    DemoAccount("demo.leader", "工作室主持人 workshop leader", "leads the 高中数学 workshop"),
    DemoAccount(
        "demo.tutor", "辅导教师 class tutor", "runs 高中数学 一班, the demo trainee's class"
    ),
    DemoAccount("demo.trainee", "学员 trainee", "高中数学, batch 1 (4/27–5/8), 一班"),
    DemoAccount(
        "demo.transitional", "过渡学习学员 transitional trainee", "南昌县, 高中数学 一班, from 5/10"
    ),
    DemoAccount(
        "demo.newcomer", "教师 teacher, not enrolled", "高中数学; may `enroll` during 4/20–4/25"
    ),
)

# Seed 001, attachment 1: the vendors (承训网络培训机构) and the cities they serve.
VENDORS = (
    ("北京教培师训网络科技股份有限公司", ("赣州市",)),
    ("高等教育出版社", ("九江市", "南昌市")),
    ("北京尚睿通教育科技有限公司", ("上饶市", "鹰潭市", "新余市")),
    ("北京继教网教育科技有限公司", ("吉安市", "抚州市")),
    ("北京奥鹏远程教育中心有限公司", ("宜春市", "萍乡市", "景德镇市")),
)

# The schools of every county; the first county of a city also has a vocational school.
SCHOOL_KINDS = (
    ("第一中学", Stage.HIGH),
    ("实验中学", Stage.JUNIOR),
    ("实验小学", Stage.PRIMARY),
    ("中心幼儿园", Stage.KINDERGARTEN),
)
VOCATIONAL_SCHOOL = ("职业中学", Stage.VOCATIONAL)

STAGE_LABELS = {
    Stage.HIGH: "高中",
    Stage.JUNIOR: "初中",
    Stage.PRIMARY: "小学",
    Stage.KINDERGARTEN: "幼儿园",
    Stage.VOCATIONAL: "职业中学",
}

# Common characters, combined at random: the names are synthetic.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏熊邹万"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玲红燕晨宇慧建国文志海波春梅兰萍鹏飞琳婷雪峰斌"
)

REGULAR_TEACHERS = 400
CORE_SUBJECTS = frozenset({"语文", "数学", "英语"})
TOPICS = (
    ("{stage}{subject}课堂教学设计与实施", "依据新课程标准，研讨课堂的目标、活动与评价。"),
    ("{stage}{subject}教学常见问题与对策", "收集教学中的真实问题，分析成因，提出对策。"),
    ("{stage}{subject}校本研修与教学反思", "以课例为载体开展校本研修，撰写教学反思与研修心得。"),
)  # fmt: skip
RESOURCES = (("专题讲座：{topic}", 45), ("课例观摩：{stage}{subject}优秀课例", 40))
RESEARCH_PLAN = (
    "一、线上学习：观看专题讲座与课例，参与班级研讨。\n"
    "二、线下研修：结合本校教学开展校本研修、观课议课。\n"
    "三、成果提交：完成研修作业，撰写研修心得，优秀作业推荐展示。"
)


def _local(day: dt.date, minute_of_day: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(minute_of_day // 60, minute_of_day % 60), SHANGHAI)


class _Builder:
    """Draws the demo's people (unsaved, to write in one statement) and holds the organisation."""

    def __init__(self, program: Program, batches: Sequence[Batch]) -> None:
        self.program = program
        self.rng = random.Random(2012)
        self.sequence = itertools.count(1)
        self.people: list[Person] = []
        self.id_numbers: set[str] = set()
        self.subjects: dict[Stage, list[str]] = defaultdict(list)
        for stage, subject in all_subject_pairs():
            self.subjects[stage].append(subject)
        self.subjects[Stage.VOCATIONAL] = self.subjects[Stage.HIGH]
        self.batch_of = {
            (pair["stage"], pair["subject"]): batch for batch in batches for pair in batch.subjects
        }
        self.transitional_batch = next(b for b in batches if b.track is Track.TRANSITIONAL)
        self.counties: list[Region] = []
        self.region_codes: dict[int, str] = {}
        self.county_of_school: dict[int, int] = {}
        self.schools: dict[tuple[int, Stage], School] = {}
        self.schools_by_stage: dict[Stage, list[School]] = defaultdict(list)

    # --- people -------------------------------------------------------------------------

    def name(self) -> str:
        given = "".join(self.rng.choices(GIVEN, k=self.rng.choice((1, 2, 2))))
        return self.rng.choice(SURNAMES) + given

    def person(self, username: str, region_code: str, **profile: object) -> Person:
        """Born 1960–1989 in the region; ID numbers stay unique though their sequence wraps."""
        while True:
            n = next(self.sequence)
            birth = dt.date(1960, 1, 1) + dt.timedelta(days=self.rng.randrange(30 * 365))
            id_number = synthetic_id_number(region_code, f"{birth:%Y%m%d}", n)
            if id_number not in self.id_numbers:
                break
        self.id_numbers.add(id_number)
        person = Person(
            username=username,
            real_name=self.name(),
            id_number=id_number,
            mobile=synthetic_mobile(n),
            **profile,
        )
        self.people.append(person)
        return person

    def teacher(
        self,
        username: str,
        school: School,
        stage: Stage,
        subject: str,
        *,
        post: Post = Post.TEACHER,
        rank: TitleRank = TitleRank.SENIOR,
        track: Track = Track.NETWORK,
    ) -> Person:
        return self.person(
            username,
            self.region_codes[school.county_id],
            school_id=school.id,
            stage=stage,
            subject=subject,
            post=post,
            title_rank=rank,
            track=track,
        )

    def expert(self, username: str, stage: Stage, subject: str) -> Person:
        """A leader or tutor: an experienced teacher of the workshop's stage and subject."""
        school = self.rng.choice(self.schools_by_stage[stage])
        rank = self.rng.choice((TitleRank.SENIOR, TitleRank.INTERMEDIATE))
        return self.teacher(username, school, stage, subject, rank=rank)

    def random_teacher(self, username: str) -> Person:
        county = self.rng.choice(self.counties)
        stage = self.rng.choices(list(STAGE_LABELS), weights=(25, 25, 30, 10, 10))[0]
        school = self.schools.get((county.id, stage)) or self.rng.choice(
            self.schools_by_stage[stage]
        )
        subjects = self.subjects[stage]
        subject = self.rng.choices(
            subjects, weights=[3 if s in CORE_SUBJECTS else 1 for s in subjects]
        )[0]
        if stage is Stage.KINDERGARTEN:
            posts: tuple[Post, ...] = (Post.TEACHER, Post.NEW_TEACHER, Post.KINDERGARTEN_DIRECTOR)
            post_weights: tuple[int, ...] = (80, 10, 10)
        else:
            posts = (Post.TEACHER, Post.NEW_TEACHER, Post.NEW_HEAD_TEACHER, Post.PRINCIPAL)
            post_weights = (70, 10, 12, 8)
        post = self.rng.choices((*posts, Post.TRAINING_MANAGER), weights=(*post_weights, 4))[0]
        rank = (
            TitleRank.JUNIOR
            if post is Post.NEW_TEACHER
            else self.rng.choices(list(TitleRank), weights=(30, 45, 25))[0]
        )
        # Transitional learners are rural teachers: schools of counties, not city districts.
        rural = not county.name.endswith("区")
        track = Track.TRANSITIONAL if rural and self.rng.random() < 0.4 else Track.NETWORK
        return self.teacher(username, school, stage, subject, post=post, rank=rank, track=track)

    # --- organisation -------------------------------------------------------------------

    async def organisation(self) -> Region:
        # The tree a fresh install loads with `lms-plugin load-regions --jiangxi`.
        await load_region_rows(jiangxi_rows())
        province = await Region.get(code="360000")
        cities = {c.name: c for c in await Region.filter(level=RegionLevel.CITY).order_by("id")}
        for city in cities.values():
            counties = await Region.filter(parent_id=city.id).order_by("id")
            for index, county in enumerate(counties):
                self.counties.append(county)
                self.region_codes[county.id] = county.code
                kinds = SCHOOL_KINDS + ((VOCATIONAL_SCHOOL,) if index == 0 else ())
                for number, (suffix, stage) in enumerate(kinds, start=1):
                    school = await School.create(
                        name=f"{city.name}{county.name}{suffix}",
                        code=f"{county.code}{number:04d}",
                        county_id=county.id,
                        city_id=city.id,
                    )
                    self.schools[(county.id, stage)] = school
                    self.county_of_school[school.id] = county.id
                    self.schools_by_stage[stage].append(school)
        for vendor_name, served in VENDORS:
            vendor = await Vendor.create(name=vendor_name)
            await VendorCity.bulk_create(
                VendorCity(vendor_id=vendor.id, program_id=self.program.id, city_id=cities[c].id)
                for c in served
            )
        return province

    def county(self, name: str) -> Region:
        return next(c for c in self.counties if c.name == name)

    def school(self, county_name: str, stage: Stage) -> School:
        return self.schools[(self.county(county_name).id, stage)]


@dataclass
class _WorkshopPlan:
    stage: Stage
    subject: str
    leader: Person
    team: list[Person]
    class_count: int


def _plans(build: _Builder) -> list[_WorkshopPlan]:
    """Leaders and tutor teams: teachers of the workshop's stage and subject. The demo trainee's
    workshop has the fixed leader and tutor, a full-size team and two classes."""
    plans = []
    for number, (stage, subject) in enumerate(all_subject_pairs(), start=1):
        if (stage, subject) == DEMO_PAIR:
            leader = build.teacher("demo.leader", build.school("东湖区", stage), stage, subject)
            team = [build.teacher("demo.tutor", build.school("西湖区", stage), stage, subject)]
            size, classes = 5, 2
        else:
            leader, team = build.expert(f"leader{number:02d}", stage, subject), []
            size, classes = build.rng.randint(3, 5), build.rng.randint(1, 2)
        team += [
            build.expert(f"tutor{number:02d}.{i}", stage, subject)
            for i in range(len(team) + 1, size + 1)
        ]
        plans.append(_WorkshopPlan(stage, subject, leader, team, classes))
    return plans


async def _saved(people: list[Person]) -> None:
    """Writes the drawn people in one statement and gives each its database id."""
    await Person.bulk_create(people)
    ids = dict(
        await Person.filter(username__in=[p.username for p in people]).values_list("username", "id")
    )
    for person in people:
        person.id = ids[person.username]


async def demo_accounts_present() -> list[DemoAccount]:
    usernames = {a.username for a in DEMO_ACCOUNTS}
    rows = await Person.filter(username__in=usernames).values("username")
    found = {row["username"] for row in rows}
    return [a for a in DEMO_ACCOUNTS if a.username in found]


async def load_demo() -> list[DemoAccount]:
    """Loads the demo into an empty database; with data already there, leaves it alone.

    Returns the demo accounts that exist afterwards.
    """
    if await Program.exists() or await Person.exists() or await Region.exists():
        return await demo_accounts_present()
    async with in_transaction():
        await _load()
    return list(DEMO_ACCOUNTS)


async def _load() -> None:
    program = await create_reference_program()
    batches = await Batch.filter(program_id=program.id).order_by("number")
    build = _Builder(program, batches)
    province = await build.organisation()
    nanchang = await Region.get(code="360100")
    county = build.county("南昌县")
    vendor = await Vendor.get(name="高等教育出版社")

    # Staff: the demo admins and the admin of every county (who registers its transitional
    # learners, R3).
    admins = {
        "demo.province": (Role.PROVINCE_ADMIN, province),
        "demo.city": (Role.CITY_ADMIN, nanchang),
        "demo.vendor": (Role.VENDOR_STAFF, None),
    }
    staff = {username: build.person(username, region.code if region else "360000")
             for username, (_, region) in admins.items()}  # fmt: skip
    county_admins = {
        c.id: build.person("demo.county" if c.id == county.id else f"county.{c.code}", c.code)
        for c in build.counties
    }

    plans = _plans(build)

    # The demo teachers, then the few hundred others.
    stage, subject = DEMO_PAIR
    trainee = build.teacher(
        "demo.trainee", build.school("东湖区", stage), stage, subject, rank=TitleRank.INTERMEDIATE
    )
    transitional = build.teacher(
        "demo.transitional", build.school("南昌县", stage), stage, subject,
        rank=TitleRank.JUNIOR, track=Track.TRANSITIONAL,
    )  # fmt: skip
    build.teacher(
        "demo.newcomer", build.school("西湖区", stage), stage, subject,
        post=Post.NEW_TEACHER, rank=TitleRank.JUNIOR,
    )  # fmt: skip
    teachers = [build.random_teacher(f"jx{n:04d}") for n in range(1, REGULAR_TEACHERS + 1)]
    await _saved(build.people)

    await RoleAssignment.bulk_create(
        [
            RoleAssignment(
                person_id=staff[username].id,
                role=role,
                region_id=region.id if region else None,
                vendor_id=vendor.id if role is Role.VENDOR_STAFF else None,
            )
            for username, (role, region) in admins.items()
        ]
        + [
            RoleAssignment(person_id=admin.id, role=Role.COUNTY_ADMIN, region_id=county_id)
            for county_id, admin in county_admins.items()
        ]
    )

    workshops = await _workshops(build, plans)
    demo_workshop = workshops[DEMO_PAIR]
    enrollments = [
        _enrollment(build, trainee, demo_workshop, trainee, first=True),
        _enrollment(build, transitional, demo_workshop, county_admins[county.id], first=True),
    ]
    for teacher in teachers:
        assert teacher.stage is not None
        assert teacher.subject is not None
        workshop = workshops[(workshop_stage_for(teacher.stage), teacher.subject)]
        if teacher.track is Track.TRANSITIONAL:
            if build.rng.random() < 0.85:
                assert teacher.school_id is not None
                registrar = county_admins[build.county_of_school[teacher.school_id]]
                enrollments.append(_enrollment(build, teacher, workshop, registrar))
        elif build.rng.random() < 0.8:
            enrollments.append(_enrollment(build, teacher, workshop, teacher))
    await Enrollment.bulk_create(enrollments)
    await _class_work(build, demo_workshop, trainee)
    await _finished_year(demo_workshop, trainee, staff["demo.province"])
    await _province_progress(program, demo_workshop)
    await _tutors_at_work(program, demo_workshop)


@dataclass
class _Workshop:
    row: Workshop
    topics: list[Topic]
    classes: list[TrainingClass]
    batch: Batch


async def _workshops(
    build: _Builder, plans: list[_WorkshopPlan]
) -> dict[tuple[Stage, str], _Workshop]:
    made: dict[tuple[Stage, str], _Workshop] = {}
    members: list[TutorTeamMember] = []
    resources: list[Resource] = []
    assignments: list[Assignment] = []
    added_at = _local(dt.date(2012, 4, 10), 9 * 60)
    # R6: a workshop copies the program's cap when it is set up.
    cap = (await TutorTeamPolicy.get(program_id=build.program.id)).cap
    for plan in plans:
        label = STAGE_LABELS[plan.stage]
        workshop = await Workshop.create(
            program_id=build.program.id,
            name=f"{plan.leader.real_name}{label}{plan.subject}名师网络研修工作室",
            stage=plan.stage,
            subject=plan.subject,
            leader_id=plan.leader.id,
            description=f"江西省{label}{plan.subject}名师网络研修工作室，由{plan.leader.real_name}主持。",
            research_plan=RESEARCH_PLAN,
            tutor_cap=cap,
            tutor_count=len(plan.team),
        )
        members += [
            TutorTeamMember(
                workshop_id=workshop.id,
                person_id=tutor.id,
                program_id=build.program.id,
                added_at=added_at,
            )
            for tutor in plan.team
        ]
        topics = []
        for position, (title, summary) in enumerate(TOPICS[: build.rng.randint(2, 3)]):
            topic = await Topic.create(
                workshop_id=workshop.id,
                title=title.format(stage=label, subject=plan.subject),
                summary=summary,
                position=position,
            )
            topics.append(topic)
            resources += [
                Resource(
                    topic_id=topic.id,
                    title=resource.format(topic=topic.title, stage=label, subject=plan.subject),
                    url=f"https://resources.example.org/workshops/{workshop.id}/{topic.id}/{n}",
                    minutes=minutes,
                )
                for n, (resource, minutes) in enumerate(RESOURCES, start=1)
            ]
        classes = [
            await TrainingClass.create(workshop_id=workshop.id, name=name, tutor_id=tutor.id)
            for name, tutor in zip(("一班", "二班"), plan.team[: plan.class_count], strict=False)
        ]
        batch = build.batch_of[(plan.stage.value, plan.subject)]
        window = day_window(batch.starts_on, batch.ends_on, build.program.time_zone)
        assignments.append(
            Assignment(
                workshop_id=workshop.id,
                title=f"研修作业：{label}{plan.subject}教学设计",
                instructions=(
                    f"结合所选专题，完成一份{label}{plan.subject}课时教学设计"
                    "（含教学目标、重难点、教学过程与设计意图），以文本提交，可附教案文件。"
                ),
                # Due at 22:00 on the last day of the batch (R1: inside the window).
                due_at=window.closes_at - dt.timedelta(hours=2),
                created_by_id=plan.leader.id,
                created_at=added_at,
            )
        )
        made[(plan.stage, plan.subject)] = _Workshop(workshop, topics, classes, batch)
    await TutorTeamMember.bulk_create(members)
    await Resource.bulk_create(resources)
    await Assignment.bulk_create(assignments)
    return made


def _enrollment(
    build: _Builder, teacher: Person, workshop: _Workshop, registrar: Person, *, first: bool = False
) -> Enrollment:
    """Self-registration inside the dates and daily hours (R3), or by the county admin."""
    transitional = teacher.track is Track.TRANSITIONAL
    starts_on, ends_on = REGISTRATION_2012
    day = starts_on + dt.timedelta(days=build.rng.randrange((ends_on - starts_on).days + 1))
    return Enrollment(
        program_id=build.program.id,
        teacher_id=teacher.id,
        batch_id=(build.transitional_batch if transitional else workshop.batch).id,
        workshop_id=workshop.row.id,
        topic_id=(workshop.topics[0] if first else build.rng.choice(workshop.topics)).id,
        training_class_id=(workshop.classes[0] if first else build.rng.choice(workshop.classes)).id,
        track=Track.TRANSITIONAL if transitional else Track.NETWORK,
        registered_by_id=registrar.id,
        registered_at=_local(day, build.rng.randrange(9 * 60, 22 * 60)),
    )


async def _class_work(build: _Builder, workshop: _Workshop, trainee: Person) -> None:
    """The morning of day one in the demo class: a tutor has something to grade and confirm."""
    classmates = (
        await Enrollment.filter(training_class_id=workshop.classes[0].id, track=Track.NETWORK)
        .exclude(teacher_id=trainee.id)
        .order_by("id")
        .limit(5)
    )
    assignment = await Assignment.get(workshop_id=workshop.row.id)
    day_one = workshop.batch.starts_on
    await Submission.bulk_create(
        Submission(
            assignment_id=assignment.id,
            enrollment_id=enrollment.id,
            training_class_id=enrollment.training_class_id,
            text=f"《{lesson}》教学设计：教学目标、重难点、教学过程与设计意图。",
            status=SubmissionStatus.SUBMITTED,
            submitted_at=_local(day_one, 8 * 60 + 10 * n),
        )
        for n, (enrollment, lesson) in enumerate(
            zip(classmates[:3], ("函数的单调性", "指数函数及其性质", "等差数列"), strict=False),
            start=1,
        )
    )
    await OfflineStudyLog.bulk_create(
        OfflineStudyLog(
            enrollment_id=enrollment.id,
            kind=kind,
            studied_on=day_one,
            minutes=minutes,
            description=description,
            logged_at=_local(day_one, 9 * 60 + 5 * n),
        )
        for n, (enrollment, (kind, minutes, description)) in enumerate(
            zip(
                classmates[3:],
                (
                    (OfflineKind.LESSON_OBSERVATION, 90, "校内观课：高一数学《指数函数》公开课"),
                    (OfflineKind.SCHOOL_BASED, 120, "数学教研组校本研修：单元教学设计研讨"),
                ),
                strict=False,
            )
        )
    )


# The finished first phase of 2011学年 (summer 2011; seed 002 §三: 72 hours, 50 of courses and
# a workshop's 6 + 16): the demo trainee passed; of four classmates, two passed (one by the
# exam), one failed the exam and one never studied; the demo tutor served on the tutor team.
# Its results and certificates are computed as a province admin would.
FINISHED_PROGRAM = "江西省2011学年中小学教师全员远程培训（第一阶段）"
# (online hours, offline hours, course hours, homework levels, posts, formal exam score)
_FINISHED_PLANS: tuple[tuple[int, int, int, tuple[GradeLevel, ...], int, int | None], ...] = (
    (6, 16, 50, (GradeLevel.GOOD, GradeLevel.EXCELLENT), 3, None),
    (6, 16, 50, (GradeLevel.PASS, GradeLevel.PASS), 2, None),
    (6, 16, 50, (GradeLevel.GOOD,), 2, 72),
    (4, 10, 30, (GradeLevel.PASS,), 1, 45),
    (0, 0, 0, (), 0, None),
)


async def _finished_year(demo_workshop: "_Workshop", trainee: Person, admin: Person) -> None:
    start = dt.date(2011, 7, 23)
    program = await Program.create(name=FINISHED_PROGRAM, year="2011学年")
    for kind, starts_on, ends_on in (
        (PhaseKind.REGISTRATION, dt.date(2011, 7, 11), dt.date(2011, 7, 22)),
        (PhaseKind.ASSESSMENT, dt.date(2011, 10, 1), dt.date(2011, 10, 15)),
    ):
        await ProgramPhase.create(
            program_id=program.id, kind=kind, starts_on=starts_on, ends_on=ends_on
        )
    # Research outcomes have no submissions yet: this year weighs study, homework and posts.
    weights = {"study_weight": 50, "homework_weight": 30, "discussion_weight": 20}
    await create_policies(program.id, {AssessmentPolicy: {**weights, "outcome_weight": 0}})
    batch = await Batch.create(
        program_id=program.id,
        number=1,
        name="2011学年第一批",
        starts_on=start,
        ends_on=start + dt.timedelta(days=9),
        subjects=[{"stage": Stage.HIGH.value, "subject": DEMO_PAIR[1]}],
    )
    previous = demo_workshop.row
    workshop = await Workshop.create(
        program_id=program.id,
        name=previous.name,
        stage=previous.stage,
        subject=previous.subject,
        leader_id=previous.leader_id,
        tutor_cap=8,
        tutor_count=1,
    )
    # A provincial subject leader (省级学科带头人): the year on the tutor team is their training
    # (seed 002 §二(二)), so their certificate has the policy's tutor-service hours.
    tutor = await Person.get(username="demo.tutor")
    tutor.distinction = Distinction.PROVINCIAL_SUBJECT_LEADER
    await tutor.save(update_fields=["distinction"])
    await TutorTeamMember.create(
        workshop_id=workshop.id,
        person_id=tutor.id,
        program_id=program.id,
        added_at=_local(start, 540),
    )
    course = await Course.create(
        program_id=program.id,
        name="公共课程：师德修养与专业发展",
        category=CourseCategory.PUBLIC,
        hours=50,
        required=True,
    )
    classmates = (
        await Enrollment.filter(training_class_id=demo_workshop.classes[0].id, track=Track.NETWORK)
        .exclude(teacher_id=trainee.id)
        .order_by("id")
        .limit(len(_FINISHED_PLANS) - 1)
    )
    topic = await DiscussionTopic.create(
        workshop_id=workshop.id,
        author_id=tutor.id,
        title="研讨：高中数学课堂的有效提问",
        body="结合本学期的一节课，谈谈你如何设计课堂提问。",
        created_at=_local(start, 600),
    )
    assignments = [
        await Assignment.create(
            workshop_id=workshop.id,
            title=title,
            instructions="按专题要求完成并提交。",
            due_at=_local(start + dt.timedelta(days=8), 22 * 60),
            created_by_id=previous.leader_id,
            created_at=_local(start, 540),
        )
        for title in ("教学设计一篇", "教学反思一篇")
    ]
    teachers = [trainee.id, *(c.teacher_id for c in classmates)]
    for n, (teacher_id, plan) in enumerate(zip(teachers, _FINISHED_PLANS, strict=False)):
        online, offline, course_hours, levels, posts, exam = plan
        day = start + dt.timedelta(days=n % 5)
        enrollment = await Enrollment.create(
            program_id=program.id,
            teacher_id=teacher_id,
            batch_id=batch.id,
            workshop_id=workshop.id,
            track=Track.NETWORK,
            registered_by_id=teacher_id,
            registered_at=_local(dt.date(2011, 7, 12), 600 + n),
            online_seconds=online * 3600,
            offline_minutes=offline * 60,
        )
        if course_hours:
            await CourseProgress.create(
                enrollment_id=enrollment.id, course_id=course.id, seconds=course_hours * 3600
            )
        for assignment, level in zip(assignments, levels, strict=False):
            await Submission.create(
                assignment_id=assignment.id,
                enrollment_id=enrollment.id,
                text="研修作业。",
                status=SubmissionStatus.GRADED,
                submitted_at=_local(day, 20 * 60),
                score=90 if level is GradeLevel.EXCELLENT else 80,
                level=level,
                graded_by_id=tutor.id,
            )
        for k in range(posts):
            await DiscussionPost.create(
                topic_id=topic.id,
                author_id=teacher_id,
                enrollment_id=enrollment.id,
                body=f"第{k + 1}帖：我的做法是先提出一个开放的问题。",
                created_at=_local(day, 19 * 60 + k),
            )
        if exam is not None:
            await ExamResult.create(
                enrollment_id=enrollment.id,
                kind=ExamKind.FORMAL,
                score=exam,
                recorded_by_id=admin.id,
                recorded_at=_local(dt.date(2011, 9, 25), 600),
            )
    policy = await read_policy(AssessmentPolicy, program.id)
    hours = await read_policy(HourPolicy, program.id)
    await write_results(program, policy, hours, admin.id, _local(dt.date(2011, 10, 2), 540))


# --- The province further on, for the admins' dashboard (issue 8) ---------------------------
# At the demo's clock batch 1 has just opened and nobody has studied, so every rate would be 0.
# Outside the demo workshop (whose trainee and tutor start on day one) the province is drawn as
# it stands after the study windows: each county has its own diligence, so some counties lag
# under 96% and others reach it, and the province published a bulletin at the end of May and
# another once every batch had closed, the second with the figures the dashboard shows now.
PROGRESS_SEED = 20120612
PROVINCE_BULLETINS = (dt.date(2012, 5, 20), dt.date(2012, 6, 12))


def _progress(rng: random.Random, track: Track, diligence: float) -> tuple[int, int]:
    """(online seconds, offline minutes) of one trainee: not started, part way, or complete
    (R8: each part to its own quota, a surplus never filling the other)."""
    online, offline = (6, 16) if track is Track.NETWORK else (4, 18)
    if rng.random() > diligence:
        return 0, 0
    if rng.random() < diligence:
        return online * 3600, offline * 60
    return rng.randrange(1, online * 3600), rng.randrange(0, offline * 2) * 30


async def _province_progress(program: Program, demo_workshop: "_Workshop") -> None:
    """Gives the province's trainees their progress in two steps, each frozen in a province
    bulletin by demo.province: by the first, some had not started, some were half-way and some
    done; by the second, everyone had their final figures."""
    rng = random.Random(PROGRESS_SEED)
    rows = (
        await Enrollment.filter(program_id=program.id)
        .exclude(workshop_id=demo_workshop.row.id)
        .order_by("id")
        .values("id", "track", "teacher__school__county_id")
    )
    counties = sorted({row["teacher__school__county_id"] for row in rows})
    # Most counties keep to the pace; one in four has a few who never start.
    diligence = {c: rng.choice((1.0, 1.0, 1.0, 0.9)) for c in counties}
    final = {
        row["id"]: _progress(rng, Track(row["track"]), diligence[row["teacher__school__county_id"]])
        for row in rows
    }
    # Halves of the way done by the first bulletin: none, half or all of it.
    early = {pk: rng.choice((0, 1, 1, 2)) for pk in final}
    admin = await load_viewer("demo.province")
    assert admin is not None
    province = await Region.get(level=RegionLevel.PROVINCE)
    for step, as_of in enumerate(PROVINCE_BULLETINS):
        await Enrollment.bulk_update(
            [
                Enrollment(
                    id=pk,
                    online_seconds=online if step else online * early[pk] // 2,
                    offline_minutes=offline if step else offline * early[pk] // 2,
                )
                for pk, (online, offline) in final.items()
            ],
            fields=["online_seconds", "offline_minutes"],
        )
        await publish_bulletin(admin, program.id, province.id, as_of, _local(as_of, 10 * 60))


async def _tutors_at_work(program: Program, demo_workshop: "_Workshop") -> None:
    """The tutors of the same classes (outside the demo workshop): most posted a study notice,
    started a class discussion and published their batch's briefing on time (R11); the others
    did not, so the award desk shows tutors who meet seed 003 §一(三) and tutors who do not."""
    rng = random.Random(PROGRESS_SEED + 1)
    classes = (
        await TrainingClass.filter(workshop__program_id=program.id)
        .exclude(workshop_id=demo_workshop.row.id)
        .order_by("id")
        .values("id", "name", "tutor_id", "workshop_id", "workshop__name")
    )
    batches = {
        (pair["stage"], pair["subject"]): b
        for b in await Batch.filter(program_id=program.id)
        for pair in b.subjects
    }
    workshops = {w.id: w for w in await Workshop.filter(program_id=program.id)}
    notices, topics, briefings = [], [], []
    for row in classes:
        if rng.random() < 0.3:
            continue
        workshop = workshops[row["workshop_id"]]
        batch = batches[(workshop.stage.value, workshop.subject)]
        window = day_window(batch.starts_on, batch.ends_on, program.time_zone)
        opened = window.opens_at + dt.timedelta(hours=9)
        notices.append(
            Announcement(
                training_class_id=row["id"],
                author_id=row["tutor_id"],
                title=f"{row['name']}学习安排",
                body="请按专题完成 6 学时在线学习与 16 学时线下研修，按时提交研修作业。",
                published_at=opened,
            )
        )
        topics.append(
            DiscussionTopic(
                workshop_id=workshop.id,
                training_class_id=row["id"],
                author_id=row["tutor_id"],
                title="班级研讨：本专题在课堂中的运用",
                body="结合自己的一节课，谈谈本专题的做法与困惑。",
                created_at=opened,
            )
        )
        due = window.closes_at - dt.timedelta(seconds=1)
        briefings.append(
            Briefing(
                training_class_id=row["id"],
                number=1,
                title=f"{row['workshop__name']}{row['name']}第1期简报",
                body="本期学员参训情况、优秀作业与研讨摘要。",
                status=BriefingStatus.PUBLISHED,
                author_id=row["tutor_id"],
                created_at=due - dt.timedelta(hours=8),
                due_at=due,
                published_at=due - dt.timedelta(hours=6),
                on_time=True,
            )
        )
    await Announcement.bulk_create(notices)
    await DiscussionTopic.bulk_create(topics)
    await Briefing.bulk_create(briefings)
