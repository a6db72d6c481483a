"""The fuzz tests' scenario: `seed_scenario` (shared with the privacy crawl) and, beside it, a
target for every example of every mutation, so that generated requests reach the rules instead
of stopping at a wrong id: eight trainees of 一班 each with an active study session, a pending
offline log and a submission at every step of the homework ladder; unenrolled teachers to enroll
or add to the tutor team; spare tutor-team members to remove; briefing drafts to publish.

`FuzzWorld.person` and `FuzzWorld.ids_for` say who sends the n-th example as a role and which
seeded ids fit an argument for that role."""

import datetime as dt
from dataclasses import dataclass, field

from lms_plugin.schema.core.ids import encode_id
from lms_plugin.storage.enums import (
    AwardCategory,
    GradeLevel,
    GroupRegistrationStatus,
    OfflineKind,
    Outcome,
    PhaseKind,
    RateLevel,
    RecommendationLevel,
    Role,
    SubmissionStatus,
    Track,
)
from lms_plugin.storage.models import (
    Announcement,
    AwardPolicy,
    Batch,
    Briefing,
    Bulletin,
    DiscussionPost,
    DiscussionTopic,
    Enrollment,
    GroupRegistration,
    GroupRegistrationEntry,
    Nomination,
    OfflineStudyLog,
    Person,
    Program,
    ProgramPhase,
    Region,
    Resource,
    School,
    StudySession,
    Topic,
    TrainingClass,
    Vendor,
)
from lms_plugin.storage.policies import create_policies

from .conftest import local
from .factories import (
    add_tutor,
    batch_number,
    enroll,
    gid,
    grant,
    make_assignment,
    make_attachment,
    make_briefing,
    make_person,
    make_result,
    make_school,
    make_submission,
    recommend,
    studied,
)
from .test_privacy import Scenario, seed_scenario

TRAINEES = 8
TEACHERS = 8
# The mutations run on 2 May 2012 (inside batch 1's window, 4/27–5/8), a minute apart; the
# registrations on a registration day (R3: 4/20–4/25, 9:00–22:00).
IN_WINDOW = local(2012, 5, 2, 10, 0)
REGISTRATION_DAY = local(2012, 4, 21, 10, 0)
LADDER = (
    RecommendationLevel.CLASS,
    RecommendationLevel.WORKSHOP,
    RecommendationLevel.HOME,
)


@dataclass
class FuzzWorld:
    scenario: Scenario
    trainees: list[Person]
    teachers: list[Person]
    ids: dict[str, list[str]] = field(default_factory=dict)
    # Every seeded row's global id by model name, for the arguments without a rule here.
    ids_by_type: dict[str, list[str]] = field(default_factory=dict)

    def person(self, role: str, n: int) -> Person | None:
        """Who sends the n-th example as `role`: trainees and teachers take turns."""
        if role == "trainee":
            return self.trainees[n % len(self.trainees)]
        if role == "teacher":
            return self.teachers[n % len(self.teachers)]
        return self.scenario.people[role]

    def ids_for(self, operation: str, argument: str, role: str, n: int) -> list[str] | None:
        """The seeded ids that fit `argument` of `operation` sent as `role` in the n-th example
        (the first is the one to use); None when the generic fitting by type name should do."""
        k = n % TRAINEES
        pick = self._pick
        if (operation, argument) == ("importRoster", "upload"):
            # The roster the admin uploaded (tests/test_fuzz.py, `upload_rosters`); none for
            # the other roles.
            return self.ids.get(f"roster_{role}")
        if argument == "programId" or (operation, argument) == ("updateProgram", "id"):
            # The world's program (the later one holds only the make-ups).
            return [gid(self.scenario.program)]
        table: dict[tuple[str, str], list[str]] = {
            # Each make-up in the later program, of its teacher's failed enrollment.
            ("enrollMakeUp", "enrollmentId"): pick("make_ups", k),
            ("enrollMakeUp", "makeUpOfId"): pick("failed", k),
            ("heartbeat", "sessionId"): pick("sessions", k),
            ("endStudySession", "sessionId"): pick("sessions", k),
            ("startStudySession", "topicId"): pick("topics", n),
            ("postToDiscussion", "topicId"): pick("discussions", n),
            ("postToDiscussion", "parentId"): pick("posts", n),
            ("enroll", "topicId"): pick("topics", n),
            ("markAnnouncementRead", "announcementId"): pick("announcements", n),
            ("updateAnnouncement", "id"): pick("announcements", n),
            ("reviewOfflineStudy", "logId"): pick("pending_logs", n),
            ("gradeSubmission", "submissionId"): pick("ladder0", n),
            ("returnSubmission", "submissionId"): pick("ladder0", n),
            ("submitHomework", "assignmentId"): pick("open_assignment", 0),
            ("withdrawEnrollment", "enrollmentId"): pick("enrollments", n),
            ("assignTrainees", "enrollmentIds"): pick("enrollments", n),
            ("assignTrainees", "classId"): pick("classes", n),
            ("enrollTeachers", "teacherIds"): pick("teachers", n),
            ("addTutorTeamMember", "personId"): pick("teachers", n),
            ("removeTutorTeamMember", "personId"): pick("spare_tutors", n),
            ("createWorkshop", "leaderId"): pick("teachers", n),
            ("createClass", "tutorId"): pick("spare_tutors", n),
            ("publishBriefing", "id"): pick("drafts", n),
            ("updateBriefing", "id"): pick("drafts", n),
            ("returnGroupRegistration", "registrationId"): pick("group_registrations", n),
            ("approveGroupRegistration", "registrationId"): pick("group_registrations", n),
            # The organisation: the county admin's county and school, the province's cities.
            ("createRegion", "parentId"): pick("province", 0),
            ("updateRegion", "id"): pick("county", 0),
            ("createSchool", "countyId"): pick("county", 0),
            ("updateSchool", "id"): pick("school", 0),
            ("updateSchool", "countyId"): pick("county", 0),
            ("createPerson", "schoolId"): pick("school", 0),
            ("updatePerson", "id"): pick("teachers", n),
            ("updatePerson", "schoolId"): pick("school", 0),
            ("grantRole", "personId"): pick("teachers", n),
            ("grantRole", "schoolId"): pick("school", 0),
            ("revokeRole", "roleGrantId"): pick("school_grants", n),
            ("setVendorCities", "vendorId"): pick("vendor", 0),
            ("setVendorCities", "cityIds"): pick("vendor_city", 0),
            # Teachers of the county the county admin administers.
            ("revealPersonalData", "person"): pick("teachers", n),
            ("reviewNomination", "nominationId"): pick("nominations", n),
            ("recordExternalHours", "teacherId"): pick("teachers", n),
            ("exportAwardTable", "cityId"): pick("vendor_city", 0),
            ("nominateAward", "cityId"): pick("vendor_city", 0),
            ("nominateAward", "candidateId"): [
                gid(t) for t in self.trainees[k:] + self.trainees[:k]
            ],
            ("recordExternalHours", "evidenceId"): pick("evidence", 0),
            ("nameClassStar", "classId"): pick("classes", 0),
            ("nameClassStar", "enrollmentId"): pick("enrollments", n),
            # Township sessions: transitional-track trainees of the county admin's county.
            ("recordTownshipSession", "enrollmentId"): pick("transitional", n),
            ("recordTownshipSession", "evidenceId"): pick("evidence", 0),
            ("setTeacherDistinction", "personId"): pick("teachers", n),
        }
        # The recommendation ladder: each role recommends to its own level what is one step
        # below, and withdraws its own level.
        step = {"tutor": 0, "leader": 1, "province_admin": 2, "vendor_staff": 2}.get(role, 0)
        table["recommendSubmission", "submissionId"] = pick(f"ladder{step + 1}", n)
        table["withdrawRecommendation", "submissionId"] = pick(f"ladder{step + 2}", n)
        return table.get((operation, argument))

    def _pick(self, name: str, n: int) -> list[str]:
        group = self.ids[name]
        i = n % len(group)
        return group[i:] + group[:i]


async def seed_fuzz_world(operation: str = "") -> FuzzWorld:
    """The scenario for fuzzing `operation` (its name only sizes the tutor team: full for
    removals, with room for additions otherwise)."""
    scenario = await seed_scenario()
    workshop = scenario.workshop
    tutor = scenario.people["tutor"]
    leader = scenario.people["leader"]
    first = scenario.people["trainee"]
    assert tutor is not None
    assert leader is not None
    assert first is not None
    training_class = await TrainingClass.get(workshop_id=workshop.id, tutor_id=tutor.id)
    batch: Batch = await batch_number(scenario.program, 1)
    school = await School.get(id=first.school_id)
    trainees = [first] + [
        await make_person(f"fuzz.trainee{i}", school=school) for i in range(1, TRAINEES)
    ]
    enrollments = [await Enrollment.get(teacher_id=first.id)] + [
        await enroll(t, workshop, batch, training_class=training_class) for t in trainees[1:]
    ]
    teachers = [await make_person(f"fuzz.teacher{i}", school=school) for i in range(TEACHERS)]
    spares = 7 if operation == "removeTutorTeamMember" else 1
    spare_tutors = [await make_person(f"fuzz.tutor{i}", school=school) for i in range(spares)]
    for spare in spare_tutors:
        await add_tutor(workshop, spare)

    # The assessment window is open in the study window, so that computing results reaches the
    # rules: it follows registration (no STUDY phase between them, the phases stay in order).
    phases = ProgramPhase.filter(program_id=scenario.program.id)
    await phases.filter(kind=PhaseKind.STUDY).delete()
    await phases.filter(kind=PhaseKind.ASSESSMENT).update(starts_on=dt.date(2012, 4, 26))
    topics = await Topic.filter(workshop_id=workshop.id).order_by("position")
    started = IN_WINDOW - dt.timedelta(seconds=30)
    sessions = [
        await StudySession.create(
            enrollment_id=e.id, topic_id=topics[0].id, started_at=started, last_beat_at=started
        )
        for e in enrollments
    ]
    logs = [
        await OfflineStudyLog.create(
            enrollment_id=e.id,
            kind=OfflineKind.LESSON_OBSERVATION,
            studied_on=dt.date(2012, 4, 28),
            minutes=60,
            description="听课",
            logged_at=local(2012, 4, 28, 12, 0),
        )
        for e in enrollments
    ]
    # ladder0: submitted; ladder1: graded; ladder2..4: recommended up to CLASS, WORKSHOP, HOME.
    ladders: dict[str, list[str]] = {}
    at = local(2012, 4, 29, 10, 0)
    for step in range(5):
        assignment = await make_assignment(
            workshop,
            tutor,
            f"作业{step}",
            instructions="提交一份教学设计",
            due_at=local(2012, 5, 8, 23, 0),
            created_at=at,
        )
        ladders[f"ladder{step}"] = []
        for enrollment in enrollments:
            graded = step >= 1
            submission = await make_submission(
                assignment,
                enrollment,
                "我的教学设计",
                status=SubmissionStatus.GRADED if graded else SubmissionStatus.SUBMITTED,
                at=at,
                score=90 if graded else None,
                level=GradeLevel.EXCELLENT if graded else None,
                graded_by=tutor if graded else None,
            )
            for level in LADDER[: max(step - 1, 0)]:
                by = leader if level != RecommendationLevel.CLASS else tutor
                await recommend(submission, workshop, level, by, at)
            ladders[f"ladder{step}"].append(gid(submission))
    open_assignment = await make_assignment(
        workshop,
        tutor,
        "开放作业",
        instructions="提交一份反思",
        due_at=local(2012, 5, 8, 23, 0),
        created_at=at,
    )
    existing = await Briefing.filter(training_class_id=training_class.id).count()
    for number in range(existing + 1, existing + 8):
        await make_briefing(
            training_class,
            tutor,
            number,
            f"第{number}期简报",
            created_at=at,
            due_at=at + dt.timedelta(days=10),
        )
    drafts = [
        *await Briefing.filter(training_class_id=training_class.id).order_by("number"),
    ]
    # 集体报名 waiting for the county: one pending list per school of the trainees' county.
    county = await Region.get(id=school.county_id)
    registrations = []
    for i in range(TEACHERS):
        other = await make_school(f"fuzz学校{i}", f"F{i:04d}", county)
        registration = await GroupRegistration.create(
            program_id=scenario.program.id,
            school_id=other.id,
            status=GroupRegistrationStatus.PENDING,
            updated_at=IN_WINDOW,
        )
        teacher = await make_person(f"fuzz.listed{i}", school=other)
        await GroupRegistrationEntry.create(registration_id=registration.id, teacher_id=teacher.id)
        registrations.append(registration)
    world = FuzzWorld(scenario=scenario, trainees=trainees, teachers=teachers)
    world.ids = {
        "group_registrations": [gid(r) for r in registrations],
        "sessions": [gid(s) for s in sessions],
        "topics": [gid(t) for t in topics],
        "discussions": [gid(d) for d in await DiscussionTopic.filter(workshop_id=workshop.id)],
        "posts": [gid(p) for p in await DiscussionPost.all().order_by("id")],
        "pending_logs": [gid(log) for log in logs],
        "open_assignment": [gid(open_assignment)],
        "enrollments": [gid(e) for e in enrollments],
        "classes": [gid(c) for c in await TrainingClass.filter(workshop_id=workshop.id)],
        "teachers": [gid(t) for t in teachers],
        "spare_tutors": [gid(t) for t in spare_tutors],
        "drafts": [gid(b) for b in drafts],
        "announcements": [gid(a) for a in await Announcement.all().order_by("id")],
        "resources": [gid(r) for r in await Resource.all().order_by("id")],
        **ladders,
    }
    # The organisation's targets: school-admin grants to revoke, one per example of the roles
    # that may, held by people of their own (the teachers are granted theirs by grantRole).
    org_school = await School.get(id=school.id)
    city = await Region.get(id=org_school.city_id)
    grantees = [await make_person(f"fuzz.grantee{i}", school=school) for i in range(2 * TRAINEES)]
    grants = [await grant(p, Role.SCHOOL_ADMIN, school=school) for p in grantees]
    province = await Region.get(id=city.parent_id)
    # A bulletin of the province's cities, already published, to export.
    province_admin = scenario.people["province_admin"]
    assert province_admin is not None
    bulletin = await Bulletin.create(
        program_id=scenario.program.id,
        region_id=province.id,
        number=1,
        unit_level=RateLevel.CITY,
        as_of=dt.date(2012, 5, 1),
        threshold_basis_points=9600,
        expected=TRAINEES,
        exempt=0,
        participants=TRAINEES,
        complete=0,
        passed=0,
        passed_is_forecast=True,
        published_by_id=province_admin.id,
        published_at=at,
    )
    # Nominations of the teachers as 先进工作者 waiting for the province's review.
    nominations = [
        await Nomination.create(
            program_id=scenario.program.id,
            city_id=city.id,
            category=AwardCategory.ADVANCED_WORKER,
            person_id=t.id,
            nominated_by_id=province_admin.id,
            nominated_at=at,
        )
        for t in teachers
    ]
    # The trainees (featured on the home page by the ladder) studied and passed with full
    # marks: 优秀学员 candidates, with places for them.
    for e in enrollments:
        await make_result(
            scenario.program, e, Outcome.PASSED, 100, explanation="合格", at=at, by=province_admin
        )
        await studied(e, online_hours=1)
    await AwardPolicy.filter(program_id=scenario.program.id).update(trainee_basis_points=10000)
    # An evidence file of external hours, uploaded by the county admin who records them.
    county_admin = scenario.people["county_admin"]
    assert county_admin is not None
    evidence = await make_attachment(county_admin, "统筹培训证明.pdf", "fuzz-evidence", at=at)
    # Teachers who failed the program and enrolled again in a later one, to make it up (not
    # the trainees: a trainee stays in one program for the other mutations).
    repeaters = [await make_person(f"fuzz.makeup{i}", school=school) for i in range(TRAINEES)]
    failed = [await enroll(t, workshop, batch) for t in repeaters]
    for e in failed:
        await make_result(
            scenario.program,
            e,
            Outcome.FAILED,
            40,
            explanation="学时不足",
            at=at,
            by=province_admin,
        )
    later = await Program.create(name="补修项目", year="2012学年")
    await create_policies(later.id)
    for phase in await ProgramPhase.filter(program_id=scenario.program.id):
        await ProgramPhase.create(
            program_id=later.id, kind=phase.kind, starts_on=phase.starts_on, ends_on=phase.ends_on
        )
    make_ups = [await enroll(t, workshop, batch, program=later, at=at) for t in repeaters]
    # Transitional-track trainees (not the world's trainees, who stay on the network track),
    # for the county admin to record township sessions of.
    transitional = [
        await enroll(
            await make_person(f"fuzz.transitional{i}", school=school),
            workshop,
            batch,
            track=Track.TRANSITIONAL,
        )
        for i in range(TRAINEES)
    ]
    world.ids |= {
        "transitional": [gid(e) for e in transitional],
        "failed": [gid(e) for e in failed],
        "make_ups": [gid(e) for e in make_ups],
        "evidence": [gid(evidence)],
        "nominations": [gid(n) for n in nominations],
        "bulletins": [gid(bulletin)],
        "province": [gid(province)],
        "county": [gid(county)],
        "school": [gid(org_school)],
        "vendor": [gid(await Vendor.get(name="承训网络培训机构"))],
        "vendor_city": [gid(city)],
        "school_grants": [str(encode_id("RoleGrant", g.id)) for g in grants],
    }
    return world
