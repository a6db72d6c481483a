"""Every mutation of the schema writes its audit row when it succeeds, and none when refused.

`SUCCESS` holds one entry per mutation, by its GraphQL name:

    "heartbeat": Success(
        role="trainee",                                       # who sends it (a FuzzWorld role)
        input=lambda ids: {"sessionId": ids["sessions"][0], "sequence": 1},
        audited=("UPDATE", "StudySession", {"last_sequence"}),  # action, object type, fields
    ),

- `role` is one of tests/fuzz_world.py's roles (province_admin, county_admin, leader, tutor,
  trainee, teacher, vendor_staff, …); the world is `seed_fuzz_world`, with the clock inside
  batch 1's window (`at="registration"`: on a registration day, for the enrollments).
- `input` builds the mutation's input from `ids`: the world's `ids` (global ids by group:
  sessions, topics, enrollments, teachers, spare_tutors, drafts, announcements, ladder0…) plus
  "program", "workshop", "batch1" and "person:<role>".
- `audited` names one row the call must write: its action (CREATE, UPDATE, DELETE, REVEAL),
  its object type (the global id's type name, which is the model's name) and fields that must
  be among its changed fields. Every row of the call must name the sender as actor, the
  mutation as operation and the clock's instant, and show no personal data in clear.
- `refused_as` (default vendor_staff) sends the same input first: it must be refused
  (FORBIDDEN or userErrors) and write no row.

`test_every_mutation_has_an_entry` walks the live schema: a new mutation fails it until its
entry is here.
"""

import base64
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import graphql
import pytest
from tortoise.transactions import in_transaction

from lms_plugin.identity import synthetic_id_number
from lms_plugin.resolvers.assessment.use_cases import EXAM_SHEET_HEADINGS
from lms_plugin.schema.build import build_schema
from lms_plugin.storage.models import AuditEntry, Batch, School

from .api import Api, error_codes
from .factories import gid
from .fuzz_world import IN_WINDOW, REGISTRATION_DAY, FuzzWorld, seed_fuzz_world
from .roster_world import teacher_row, upload, xlsx_of
from .test_privacy import leaks, personal_data

Ids = dict[str, Any]


@dataclass(frozen=True)
class Success:
    role: str
    input: Callable[[Ids], dict[str, Any]]
    audited: tuple[str, str, set[str]]
    at: str = "window"
    refused_as: str = "vendor_staff"
    # Builds more of `ids` over HTTP before the calls (an upload to import).
    prepare: Callable[[Api, FuzzWorld], Awaitable[Ids]] | None = None


async def _roster_upload(api: Api, world: FuzzWorld, role: str) -> Ids:
    """A roster of two new teachers of the world's school, uploaded by `role`."""
    school = await School.get(id=world.trainees[0].school_id)
    rows = [teacher_row(n, school.code or "", 用户名=f"audit.roster{n}") for n in (9101, 9102)]
    sender = world.person(role, 0)
    assert sender is not None
    return {"upload": await upload(api, sender, xlsx_of(rows))}


async def _exam_sheet(api: Api, world: FuzzWorld) -> Ids:
    """The formal exam's scores of two of the world's trainees, as an XLSX sheet in base64."""
    rows = [[t.id_number, t.real_name, 80 + n] for n, t in enumerate(world.trainees[:2])]
    sheet = xlsx_of(rows, headings=EXAM_SHEET_HEADINGS)
    return {"exam_sheet": base64.b64encode(sheet).decode()}


PROGRAM_SETTINGS = {
    "name": "审计测试项目",
    "year": "2012学年",
    "registrationStartsOn": "2012-09-01",
    "registrationEndsOn": "2012-09-05",
    "timeZone": "Asia/Shanghai",
    "holidays": [],
    "batchLengthDays": 10,
    "tutorTeamCap": 8,
    "registrationOpensAt": "09:00:00",
    "registrationClosesAt": "22:00:00",
    "networkOnlineHours": 6,
    "networkOfflineHours": 16,
    "transitionalOnlineHours": 4,
    "transitionalOfflineHours": 18,
    "heartbeatMaxGapSeconds": 120,
}


def _policy(name: str, field: str, value: Any, column: str) -> tuple[str, Success]:
    return name, Success(
        role="province_admin",
        input=lambda ids: {"programId": ids["program"], field: value},
        audited=("UPDATE", name.removeprefix("update"), {column}),
    )


SUCCESS: dict[str, Success] = {
    # The organisation and the roster (the use cases that write by queryset or in bulk say
    # what they changed).
    "approveGroupRegistration": Success(
        role="county_admin",
        input=lambda ids: {"registrationId": ids["group_registrations"][0]},
        audited=("UPDATE", "GroupRegistration", {"status"}),
        at="registration",
    ),
    "createPerson": Success(
        role="county_admin",
        input=lambda ids: {
            "username": "audit.new",
            "realName": "新教师",
            "schoolId": ids["school"][0],
            "idNumber": synthetic_id_number("360102", "19850615", 9001),
            "mobile": "13900009001",
        },
        audited=("CREATE", "Person", {"username", "real_name", "id_number", "mobile"}),
    ),
    "createRegion": Success(
        role="province_admin",
        input=lambda ids: {
            "code": "369900",
            "name": "审计市",
            "level": "CITY",
            "parentId": ids["province"][0],
        },
        audited=("CREATE", "Region", {"code", "name", "level", "parent_id"}),
    ),
    "createSchool": Success(
        role="county_admin",
        input=lambda ids: {"name": "审计中学", "countyId": ids["county"][0], "code": "A0001"},
        audited=("CREATE", "School", {"name", "county_id", "code"}),
    ),
    "createVendor": Success(
        role="province_admin",
        input=lambda ids: {"name": "审计培训机构"},
        audited=("CREATE", "Vendor", {"name"}),
    ),
    "grantRole": Success(
        role="county_admin",
        input=lambda ids: {
            "personId": ids["teachers"][0],
            "role": "SCHOOL_ADMIN",
            "schoolId": ids["school"][0],
        },
        audited=("CREATE", "RoleAssignment", {"person_id", "role", "school_id"}),
    ),
    "importRoster": Success(
        role="county_admin",
        input=lambda ids: {"upload": ids["upload"]},
        audited=("CREATE", "ImportJob", {"status", "total_rows", "created_count"}),
        prepare=lambda api, world: _roster_upload(api, world, "county_admin"),
    ),
    "returnGroupRegistration": Success(
        role="county_admin",
        input=lambda ids: {"registrationId": ids["group_registrations"][0], "reason": "名单有误"},
        audited=("UPDATE", "GroupRegistration", {"status", "return_reason"}),
    ),
    "revokeRole": Success(
        role="county_admin",
        input=lambda ids: {"roleGrantId": ids["school_grants"][0]},
        audited=("DELETE", "RoleAssignment", {"person_id", "role"}),
    ),
    "setProgramPhases": Success(
        role="province_admin",
        input=lambda ids: {
            "programId": ids["program"],
            "phases": [
                {"kind": "PREPARATION", "startsOn": "2012-03-01", "endsOn": "2012-03-31"},
                {"kind": "REGISTRATION", "startsOn": "2012-04-20", "endsOn": "2012-04-25"},
            ],
        },
        audited=("DELETE", "ProgramPhase", {"kind", "starts_on", "ends_on"}),
    ),
    "setVendorCities": Success(
        role="province_admin",
        input=lambda ids: {
            "vendorId": ids["vendor"][0],
            "programId": ids["program"],
            "cityIds": [],
        },
        audited=("DELETE", "VendorCity", {"city_id", "vendor_id", "program_id"}),
    ),
    "submitGroupRegistration": Success(
        role="school_admin",
        input=lambda ids: {"programId": ids["program"], "schoolId": ids["school"][0]},
        audited=("CREATE", "GroupRegistrationEntry", {"registration_id", "teacher_id"}),
    ),
    "updatePerson": Success(
        role="county_admin",
        input=lambda ids: {"id": ids["teachers"][0], "realName": "改名", "mobile": "13900009002"},
        audited=("UPDATE", "Person", {"real_name", "mobile"}),
    ),
    "updateRegion": Success(
        role="province_admin",
        input=lambda ids: {"id": ids["county"][0], "name": "审计县"},
        audited=("UPDATE", "Region", {"name"}),
    ),
    "updateSchool": Success(
        role="county_admin",
        input=lambda ids: {"id": ids["school"][0], "name": "审计学校（改）"},
        audited=("UPDATE", "School", {"name"}),
    ),
    "updateVendor": Success(
        role="province_admin",
        input=lambda ids: {"id": ids["vendor"][0], "name": "审计培训机构（改）"},
        audited=("UPDATE", "Vendor", {"name"}),
    ),
    "createProgram": Success(
        role="province_admin",
        input=lambda ids: PROGRAM_SETTINGS,
        audited=("CREATE", "Program", {"name", "year"}),
    ),
    "updateProgram": Success(
        role="province_admin",
        input=lambda ids: {"id": ids["program"], "name": "江西2012（改）"},
        audited=("UPDATE", "Program", {"name"}),
    ),
    "createBatch": Success(
        role="province_admin",
        input=lambda ids: {
            "programId": ids["program"],
            "number": 9,
            "name": "第九批",
            "startsOn": "2012-06-04",
            "endsOn": "2012-06-08",
            "track": "NETWORK",
            "subjects": [],
        },
        audited=("CREATE", "Batch", {"number", "name"}),
    ),
    "updateBatch": Success(
        role="province_admin",
        input=lambda ids: {"id": ids["batch1"], "name": "第一批（改）"},
        audited=("UPDATE", "Batch", {"name"}),
    ),
    **dict(
        [
            _policy("updateBatchPolicy", "maxStudyDays", 11, "max_study_days"),
            _policy("updateRegistrationPolicy", "dailyOpensAt", "08:30:00", "daily_opens_minute"),
            _policy("updateHourPolicy", "networkOnlineHours", 7, "network_online_hours"),
            _policy("updateTutorTeamPolicy", "cap", 9, "cap"),
            _policy(
                "updateStudyTimerPolicy",
                "heartbeatMaxGapSeconds",
                150,
                "heartbeat_max_gap_seconds",
            ),
            _policy("updateBriefingPolicy", "intervalDays", 5, "interval_days"),
        ]
    ),
    "enroll": Success(
        role="teacher",
        input=lambda ids: {"programId": ids["program"], "workshopId": ids["workshop"]},
        audited=("CREATE", "Enrollment", {"teacher_id", "workshop_id", "status"}),
        at="registration",
    ),
    "enrollTeachers": Success(
        role="province_admin",
        input=lambda ids: {
            "programId": ids["program"],
            "teacherIds": ids["teachers"][1:3],
            "workshopId": ids["workshop"],
        },
        audited=("CREATE", "Enrollment", {"teacher_id", "registered_by_id"}),
        at="registration",
    ),
    "withdrawEnrollment": Success(
        role="county_admin",
        input=lambda ids: {"enrollmentId": ids["enrollments"][1]},
        audited=("UPDATE", "Enrollment", {"status"}),
    ),
    "createWorkshop": Success(
        role="province_admin",
        input=lambda ids: {
            "programId": ids["program"],
            "name": "初中语文工作室",
            "stage": "JUNIOR",
            "subject": "语文",
            "leaderId": ids["teachers"][0],
            "description": "简介",
            "researchPlan": "计划",
        },
        audited=("CREATE", "Workshop", {"name", "stage", "subject", "leader_id"}),
    ),
    "updateWorkshop": Success(
        role="province_admin",
        input=lambda ids: {"id": ids["workshop"], "name": "高中数学工作室（改）"},
        audited=("UPDATE", "Workshop", {"name"}),
    ),
    "createTopic": Success(
        role="leader",
        input=lambda ids: {"workshopId": ids["workshop"], "title": "新专题", "summary": "摘要"},
        audited=("CREATE", "Topic", {"title", "workshop_id"}),
    ),
    "updateTopic": Success(
        role="leader",
        input=lambda ids: {"id": ids["topics"][0], "title": "专题（改）"},
        audited=("UPDATE", "Topic", {"title"}),
    ),
    "addResource": Success(
        role="leader",
        input=lambda ids: {
            "topicId": ids["topics"][0],
            "title": "课例视频",
            "url": "https://example.org/lesson.mp4",
            "minutes": 20,
        },
        audited=("CREATE", "Resource", {"title", "url", "minutes"}),
    ),
    "addTutorTeamMember": Success(
        role="leader",
        input=lambda ids: {"workshopId": ids["workshop"], "personId": ids["teachers"][0]},
        audited=("CREATE", "TutorTeamMember", {"person_id", "workshop_id"}),
    ),
    "removeTutorTeamMember": Success(
        role="leader",
        input=lambda ids: {"workshopId": ids["workshop"], "personId": ids["spare_tutors"][0]},
        audited=("DELETE", "TutorTeamMember", {"person_id", "workshop_id"}),
    ),
    "createClass": Success(
        role="leader",
        input=lambda ids: {
            "workshopId": ids["workshop"],
            "name": "二班",
            "tutorId": ids["spare_tutors"][0],
        },
        audited=("CREATE", "TrainingClass", {"name", "tutor_id"}),
    ),
    "assignTrainees": Success(
        role="leader",
        input=lambda ids: {"classId": ids["classes"][0], "enrollmentIds": ids["enrollments"][:2]},
        audited=("UPDATE", "Enrollment", {"training_class_id"}),
    ),
    "startStudySession": Success(
        role="trainee",
        input=lambda ids: {"topicId": ids["topics"][0], "takeOver": True},
        audited=("CREATE", "StudySession", {"enrollment_id", "topic_id", "started_at"}),
    ),
    "heartbeat": Success(
        role="trainee",
        input=lambda ids: {"sessionId": ids["sessions"][0], "sequence": 1},
        audited=("UPDATE", "StudySession", {"last_sequence", "last_beat_at", "counted_seconds"}),
    ),
    "endStudySession": Success(
        role="trainee",
        input=lambda ids: {"sessionId": ids["sessions"][0]},
        audited=("UPDATE", "StudySession", {"ended_at", "end_reason"}),
    ),
    "logOfflineStudy": Success(
        role="trainee",
        input=lambda ids: {
            "kind": "LESSON_OBSERVATION",
            "studiedOn": "2012-04-30",
            "hours": 1.5,
            "description": "听课评课",
        },
        audited=("CREATE", "OfflineStudyLog", {"minutes", "studied_on", "kind"}),
    ),
    "reviewOfflineStudy": Success(
        role="tutor",
        input=lambda ids: {"logId": ids["pending_logs"][0], "confirm": True, "note": ""},
        audited=("UPDATE", "OfflineStudyLog", {"status", "reviewed_by_id", "reviewed_at"}),
    ),
    "createAssignment": Success(
        role="tutor",
        input=lambda ids: {
            "workshopId": ids["workshop"],
            "title": "新作业",
            "dueAt": "2012-05-08T23:00:00+08:00",
            "instructions": "写一份反思",
        },
        audited=("CREATE", "Assignment", {"title", "due_at"}),
    ),
    "updateAssignment": Success(
        role="tutor",
        input=lambda ids: {"id": ids["open_assignment"][0], "title": "开放作业（改）"},
        audited=("UPDATE", "Assignment", {"title"}),
    ),
    "submitHomework": Success(
        role="trainee",
        input=lambda ids: {
            "assignmentId": ids["open_assignment"][0],
            "text": "我的反思",
            "attachmentIds": [],
        },
        audited=("CREATE", "Submission", {"text", "status", "enrollment_id"}),
    ),
    "returnSubmission": Success(
        role="tutor",
        input=lambda ids: {"submissionId": ids["ladder0"][0], "comment": "请补充"},
        audited=("UPDATE", "Submission", {"status", "comment"}),
    ),
    "gradeSubmission": Success(
        role="tutor",
        input=lambda ids: {
            "submissionId": ids["ladder0"][0],
            "score": 88,
            "level": "GOOD",
            "comment": "不错",
        },
        audited=("UPDATE", "Submission", {"score", "level", "status"}),
    ),
    "recommendSubmission": Success(
        role="tutor",
        input=lambda ids: {"submissionId": ids["ladder1"][0], "level": "CLASS"},
        audited=("CREATE", "Recommendation", {"level", "submission_id"}),
    ),
    "withdrawRecommendation": Success(
        role="tutor",
        input=lambda ids: {"submissionId": ids["ladder2"][0], "level": "CLASS"},
        audited=("UPDATE", "Recommendation", {"withdrawn_at", "withdrawn_by_id"}),
    ),
    "postAnnouncement": Success(
        role="tutor",
        input=lambda ids: {
            "classId": ids["classes"][0],
            "title": "通知",
            "body": "周五集中研讨",
            "pinned": False,
        },
        audited=("CREATE", "Announcement", {"title", "body"}),
    ),
    "updateAnnouncement": Success(
        role="tutor",
        input=lambda ids: {"id": ids["announcements"][0], "title": "通知（改）"},
        audited=("UPDATE", "Announcement", {"title"}),
    ),
    "markAnnouncementRead": Success(
        role="trainee",
        input=lambda ids: {"announcementId": ids["announcements"][0]},
        audited=("CREATE", "AnnouncementRead", {"person_id", "read_at"}),
    ),
    "createBriefingDraft": Success(
        role="tutor",
        input=lambda ids: {"classId": ids["classes"][0]},
        audited=("CREATE", "Briefing", {"number", "status"}),
    ),
    "updateBriefing": Success(
        role="tutor",
        input=lambda ids: {"id": ids["drafts"][-1], "title": "简报（改）"},
        audited=("UPDATE", "Briefing", {"title"}),
    ),
    "publishBriefing": Success(
        role="tutor",
        input=lambda ids: {"id": ids["drafts"][-1]},
        audited=("UPDATE", "Briefing", {"status", "published_at"}),
    ),
    "openDiscussion": Success(
        role="tutor",
        input=lambda ids: {"title": "研讨", "body": "请发言", "classId": ids["classes"][0]},
        audited=("CREATE", "DiscussionTopic", {"title"}),
    ),
    "postToDiscussion": Success(
        role="trainee",
        input=lambda ids: {"topicId": ids["discussions"][0], "body": "我的看法"},
        audited=("CREATE", "DiscussionPost", {"body", "author_id"}),
    ),
    "revealPersonalData": Success(
        role="province_admin",
        input=lambda ids: {"person": ids["person:trainee"], "reason": "核对报名信息"},
        audited=("REVEAL", "Person", {"id_number", "mobile"}),
    ),
    # The assessment and reports areas.
    **dict(
        [
            _policy("updateAssessmentPolicy", "targetHours", 80, "target_hours"),
            _policy("updateFeePolicy", "hourlyFeeFen", 150, "hourly_fee_fen"),
            _policy("updateReportPolicy", "thresholdBasisPoints", 9500, "threshold_basis_points"),
            _policy("updateAwardPolicy", "traineeScore", 90, "trainee_score"),
        ]
    ),
    # The staff assessment (issue 8).
    **dict([_policy("updateStaffAssessmentPolicy", "tutorPassMark", 70, "tutor_pass_mark")]),
    "createCourse": Success(
        role="province_admin",
        input=lambda ids: {
            "programId": ids["program"],
            "name": "师德修养",
            "category": "PUBLIC",
            "hours": 10,
            "required": True,
        },
        audited=("CREATE", "Course", {"name", "category", "hours", "required"}),
    ),
    "submitStudyWriting": Success(
        role="trainee",
        input=lambda ids: {"kind": "REFLECTION", "text": "研修心得" * 300},
        audited=("CREATE", "StudyWriting", {"text", "characters", "kind"}),
    ),
    "recordExamResult": Success(
        role="county_admin",
        input=lambda ids: {"enrollmentId": ids["enrollments"][0], "kind": "FORMAL", "score": 86},
        audited=("CREATE", "ExamResult", {"score", "kind", "recorded_by_id"}),
    ),
    "publishBulletin": Success(
        role="province_admin",
        input=lambda ids: {
            "programId": ids["program"],
            "regionId": ids["province"][0],
            "asOf": "2012-05-02",
        },
        audited=("CREATE", "Bulletin", {"number", "as_of", "published_by_id", "entries"}),
    ),
    "exportBulletin": Success(
        role="province_admin",
        input=lambda ids: {"bulletinId": ids["bulletins"][0]},
        audited=("CREATE", "ExportJob", {"kind", "requested_by_id", "filename"}),
    ),
    # Table 1 names no one in clear: the reveals of tables 2–4 are tested in test_exports.py.
    "exportAwardTable": Success(
        role="province_admin",
        input=lambda ids: {"programId": ids["program"], "category": "ADVANCED_COLLECTIVE"},
        audited=("CREATE", "ExportJob", {"kind", "requested_by_id", "filename"}),
    ),
    "exportRates": Success(
        role="province_admin",
        # A vendor's staff export their own vendor's rates and settlement: a teacher may not.
        refused_as="trainee",
        input=lambda ids: {"programId": ids["program"], "level": "CITY"},
        audited=("CREATE", "ExportJob", {"kind", "requested_by_id", "filename"}),
    ),
    "exportSettlement": Success(
        role="province_admin",
        refused_as="trainee",
        input=lambda ids: {"programId": ids["program"], "vendorId": ids["vendor"][0]},
        audited=("CREATE", "ExportJob", {"kind", "requested_by_id", "filename"}),
    ),
    "computeAssessmentResults": Success(
        role="province_admin",
        input=lambda ids: {"programId": ids["program"]},
        audited=("UPDATE", "Program", {"results", "changed", "certificates"}),
    ),
    "reviewNomination": Success(
        role="province_admin",
        input=lambda ids: {"nominationId": ids["nominations"][0], "approve": True},
        audited=("CREATE", "TrainingGrade", {"grade", "person_id", "nomination_id"}),
    ),
    "nameClassStar": Success(
        role="tutor",
        input=lambda ids: {"classId": ids["classes"][0], "kind": "CLASS_STAR"},
        audited=("CREATE", "ClassStar", {"kind", "training_class_id"}),
    ),
    "recordExternalHours": Success(
        role="county_admin",
        input=lambda ids: {
            "teacherId": ids["teachers"][0],
            "year": "2012学年",
            "title": "县级统筹培训",
            "hours": 12,
            "evidenceId": ids["evidence"][0],
        },
        audited=("CREATE", "ExternalHours", {"teacher_id", "hours", "evidence_id"}),
    ),
    "importExamResults": Success(
        role="county_admin",
        input=lambda ids: {
            "programId": ids["program"],
            "kind": "FORMAL",
            "filename": "成绩.xlsx",
            "sheetBase64": ids["exam_sheet"],
        },
        audited=("CREATE", "ExamResult", {"score", "kind", "enrollment_id"}),
        prepare=_exam_sheet,
    ),
    "recordTownshipSession": Success(
        role="county_admin",
        input=lambda ids: {
            "enrollmentId": ids["transitional"][0],
            "heldOn": "2012-05-02",
            "hours": 4,
            "evidenceId": ids["evidence"][0],
        },
        audited=("CREATE", "TownshipSession", {"enrollment_id", "held_on", "hours", "evidence_id"}),
    ),
    "setTeacherDistinction": Success(
        role="province_admin",
        input=lambda ids: {"personId": ids["teachers"][0], "distinction": "SPECIAL_GRADE"},
        audited=("UPDATE", "Person", {"distinction"}),
    ),
    "enrollMakeUp": Success(
        role="county_admin",
        input=lambda ids: {"enrollmentId": ids["make_ups"][0], "makeUpOfId": ids["failed"][0]},
        audited=("UPDATE", "Enrollment", {"make_up_of_id"}),
    ),
    "nominateAward": Success(
        role="vendor_staff",
        refused_as="trainee",
        input=lambda ids: {
            "programId": ids["program"],
            "cityId": ids["vendor_city"][0],
            "category": "EXCELLENT_TRAINEE",
            "candidateId": ids["person:trainee"],
        },
        audited=("CREATE", "Nomination", {"category", "person_id", "city_id"}),
    ),
}


def _mutations() -> dict[str, graphql.GraphQLField]:
    schema = build_schema()._schema
    assert schema.mutation_type is not None
    return dict(schema.mutation_type.fields)


MUTATIONS = _mutations()


def test_every_mutation_has_an_entry() -> None:
    missing = sorted(set(MUTATIONS) - set(SUCCESS))
    assert missing == [], f"add how each succeeds to SUCCESS: {missing}"
    assert sorted(set(SUCCESS) - set(MUTATIONS)) == []


def _document(name: str) -> str:
    input_type = graphql.get_named_type(MUTATIONS[name].args["input"].type)
    return (
        f"mutation M($input: {input_type.name}!) {{"
        f" {name}(input: $input) {{ userErrors {{ code field message }} }} }}"
    )


async def _ids(world: FuzzWorld) -> Ids:
    program = world.scenario.program
    return {
        **world.ids,
        "program": gid(program),
        "workshop": gid(world.scenario.workshop),
        "batch1": gid(await Batch.get(program_id=program.id, number=1)),
        **{f"person:{role}": gid(p) for role, p in world.scenario.people.items() if p},
    }


@pytest.mark.uncosted
@pytest.mark.parametrize("name", sorted(SUCCESS))
async def test_a_successful_mutation_is_audited_and_a_refused_one_is_not(
    api: Api, clock: Any, name: str
) -> None:
    entry = SUCCESS[name]
    async with in_transaction():
        world = await seed_fuzz_world(name)
    ids = await _ids(world)
    if entry.prepare is not None:
        ids |= await entry.prepare(api, world)
    # The rows of the calls below (a preparation over HTTP may be audited itself).
    last = await AuditEntry.all().order_by("-id").first()
    logged = AuditEntry.filter(id__gt=0 if last is None else last.id)
    variables = {"input": entry.input(ids)}
    at: dt.datetime = REGISTRATION_DAY if entry.at == "registration" else IN_WINDOW
    clock.set(at)
    document = _document(name)

    refused = await api.gql(document, variables, as_=world.person(entry.refused_as, 0))
    assert error_codes(refused) == ["FORBIDDEN"] or refused["data"][name]["userErrors"], refused
    assert await logged.count() == 0

    sender = world.person(entry.role, 0)
    assert sender is not None
    body = await api.gql(document, variables, as_=sender)
    assert body == {"data": {name: {"userErrors": []}}}

    rows = await logged.order_by("id")
    assert rows, f"{name} wrote no audit row"
    assert {(r.actor_id, r.operation, r.at) for r in rows} == {(sender.id, name, at)}
    action, object_type, fields = entry.audited
    matching = [r for r in rows if (r.action.value, r.object_type) == (action, object_type)]
    assert matching, [(r.action, r.object_type) for r in rows]
    assert any(fields <= set(r.changes) for r in matching), [r.changes for r in matching]
    text = str([(r.changes, r.reason) for r in rows])
    assert leaks(text, await personal_data()) == []
