"""API fuzzing: schemathesis generates queries and mutations for every operation of the live
schema, sent as each role against a seeded scenario (tests/fuzz_world.py). Whatever comes in, the
API never answers 5xx, never has a bug (INTERNAL_SERVER_ERROR), gives every error a code, and
never shows an unmasked ID number or mobile.

Reaching the rules: schemathesis picks the shape of each document (which optional fields, which
enum values, which payload fields); most of its values are then replaced by plausible ones of the
scenario, by argument name and role (the ids of the seeded rows a role may act on, in-window
dates, numbers in range), while a share stays as generated. The mutations run with the clock
inside batch 1's window (registrations on a registration day), a minute apart. Each mutation is
sent `EXAMPLES` times by every role that may call it and twice by every other role; the share of
mutations that succeed (no top-level error, no user error) is printed per operation and role at
the end (`pytest -s` not needed) and must be at least a third overall.

Bounded and deterministic: generation is derandomized with a seed per operation, values are
repaired with a seed per document, so every run sends the same requests. `LMS_FUZZ_EXAMPLES`
raises the number for a deeper run on a workstation; `LMS_FUZZ_DEBUG=1` (with `-s`) prints
every refusal with its message.
"""

import base64
import collections
import datetime as dt
import io
import logging
import os
import random
import zlib
from typing import Any

import graphql
import httpx
import hypothesis
import pytest
import schemathesis
from hypothesis import strategies as st
from openpyxl import Workbook
from schemathesis.graphql import nodes
from schemathesis.schemas import APIOperation
from tortoise.transactions import in_transaction

from lms_plugin.app import create_app
from lms_plugin.clock import FixedClock
from lms_plugin.identity import synthetic_id_number, synthetic_mobile
from lms_plugin.settings import Settings
from lms_plugin.storage.models import School

from .api import Api
from .databases import BACKENDS, POSTGRES_URL
from .fuzz_world import IN_WINDOW, REGISTRATION_DAY, FuzzWorld, seed_fuzz_world
from .roster_world import teacher_row, upload, xlsx_of
from .test_privacy import global_ids, leaks, personal_data

EXAMPLES = int(os.environ.get("LMS_FUZZ_EXAMPLES", "8"))
OTHER_ROLE_EXAMPLES = 2  # a role that may not call a mutation: it must be refused, cleanly
QUERY_EXAMPLES = 3
# The roles, in the order they send: the refused ones first, so they see the seeded state.
FUZZ_ROLES = (
    "anonymous",
    "vendor_staff",
    "county_admin",
    "province_admin",
    "leader",
    "tutor",
    "teacher",
    "trainee",
)
# Who may call each mutation (the "权限（who may）" line of its description). A new mutation
# must be added here: `test_every_mutation_has_its_roles` says so.
ALLOWED: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        (
            "createProgram",
            "updateProgram",
            "createBatch",
            "updateBatch",
            "updateBatchPolicy",
            "updateRegistrationPolicy",
            "updateHourPolicy",
            "updateTutorTeamPolicy",
            "updateStudyTimerPolicy",
            "updateBriefingPolicy",
            "updateFeePolicy",
            "updateReportPolicy",
            "updateAwardPolicy",
            "publishBulletin",
            "reviewNomination",
            "exportAwardTable",
            "createWorkshop",
            "updateWorkshop",
            "setProgramPhases",
            "createRegion",
            "updateRegion",
            "createVendor",
            "updateVendor",
            "setVendorCities",
            "createCourse",
            "updateAssessmentPolicy",
            "computeAssessmentResults",
        ),
        ("province_admin",),
    ),
    # Inside their region (the fuzz world's county admin has one county).
    **dict.fromkeys(
        (
            "createSchool",
            "updateSchool",
            "createPerson",
            "updatePerson",
            "grantRole",
            "revokeRole",
        ),
        ("province_admin", "county_admin"),
    ),
    # Any teacher not yet enrolled and not on a tutor team (R5, R7): the leader is one too.
    "enroll": ("teacher", "leader"),
    "enrollTeachers": ("province_admin", "county_admin"),
    "withdrawEnrollment": ("province_admin", "county_admin"),
    # Admins of the trainee's region or school (the fuzz world's admins reach every school).
    **dict.fromkeys(
        ("recordExamResult", "importExamResults", "enrollMakeUp"),
        ("province_admin", "county_admin"),
    ),
    "recordExternalHours": ("county_admin",),
    # Township sessions of the county admin's transitional trainees; distinctions by the province.
    "recordTownshipSession": ("county_admin",),
    "setTeacherDistinction": ("province_admin",),
    **dict.fromkeys(
        (
            "createTopic",
            "updateTopic",
            "addResource",
            "addTutorTeamMember",
            "removeTutorTeamMember",
            "createClass",
            "assignTrainees",
        ),
        ("province_admin", "leader"),
    ),
    **dict.fromkeys(
        (
            "startStudySession",
            "heartbeat",
            "endStudySession",
            "logOfflineStudy",
            "submitHomework",
            "submitStudyWriting",
        ),
        ("trainee",),
    ),
    **dict.fromkeys(
        (
            "reviewOfflineStudy",
            "returnSubmission",
            "gradeSubmission",
            "postAnnouncement",
            "updateAnnouncement",
            "createBriefingDraft",
            "updateBriefing",
            "publishBriefing",
        ),
        ("tutor",),
    ),
    "createAssignment": ("leader", "tutor"),
    "updateAssignment": ("leader", "tutor"),
    "recommendSubmission": ("tutor", "leader", "province_admin", "vendor_staff"),
    "withdrawRecommendation": ("tutor", "leader", "province_admin", "vendor_staff"),
    # The description also names the class's tutor and leader; the use case lets only its
    # trainees mark an announcement read (FORBIDDEN for the others).
    "markAnnouncementRead": ("trainee",),
    "openDiscussion": ("tutor", "leader"),
    "postToDiscussion": ("trainee", "tutor", "leader"),
    "importRoster": ("province_admin", "county_admin"),
    # A school's admin only (no fuzzed role is one): every fuzzed role is refused.
    "submitGroupRegistration": (),
    "returnGroupRegistration": ("county_admin",),
    "approveGroupRegistration": ("county_admin",),
    # The county admin of the trainee's county reaches them; the province admin everyone.
    "revealPersonalData": ("province_admin", "county_admin"),
    # Reports (issue 8): the city admins who also may are not among the fuzzed roles.
    "exportBulletin": ("province_admin", "county_admin"),
    "exportRates": ("province_admin", "county_admin", "vendor_staff"),
    "exportSettlement": ("province_admin", "vendor_staff"),
    "nominateAward": ("vendor_staff",),
    "nameClassStar": ("tutor",),
    # The staff assessment (issue 8).
    "updateStaffAssessmentPolicy": ("province_admin",),
}
# One document in KEEP_DOCUMENTS keeps some generated values as they are (each with the chance
# KEEP_VALUE): the rules also see out-of-range and malformed input.
KEEP_DOCUMENTS = 0.2
KEEP_VALUE = 0.3
# Optional input fields the rules need, added when schemathesis left them out.
ENSURE = {
    "startStudySession": ("topicId",),
    "updateBatch": ("startsOn", "endsOn"),
    "enroll": ("topicId",),
}


def _load_operations() -> dict[str, APIOperation]:
    """Every query and mutation, read by introspection from an app in development mode (the
    fuzzed app runs in production mode, where introspection is off)."""
    app = create_app(Settings(dev_mode=True), manage_database=False)
    schema = schemathesis.graphql.from_asgi("/graphql", app)
    return {op.label: op for op in (result.ok() for result in schema.get_all_operations())}


OPERATIONS = _load_operations()


def register_scalars() -> None:
    """Generated values: IDs and text of any kind (the repair puts seeded ids in most ID fields),
    dates mostly in the 2012 phase; text now and then longer than any column."""
    schemathesis.graphql.scalar(
        "String",
        st.one_of(*[st.text(max_size=16)] * 3, st.text(min_size=65, max_size=600)).map(
            nodes.String
        ),
    )
    phase = st.dates(dt.date(2012, 4, 1), dt.date(2012, 7, 31))
    instants = st.datetimes(dt.datetime(2012, 4, 1), dt.datetime(2012, 7, 31))
    schemathesis.graphql.scalar("ID", st.text(max_size=16).map(nodes.String))
    schemathesis.graphql.scalar(
        "Date", st.one_of(phase, phase, st.dates()).map(str).map(nodes.String)
    )
    schemathesis.graphql.scalar(
        "DateTime",
        st.one_of(instants, instants, st.datetimes())
        .map(lambda at: at.replace(tzinfo=dt.timezone(dt.timedelta(hours=8))).isoformat())
        .map(nodes.String),
    )


# --- plausible values -------------------------------------------------------------------------

# ID arguments named after a person rather than a type.
PERSON_WORDS = {"person", "teacher", "trainee", "tutor", "member", "leader"}


def fitting_ids(argument: str, operation: str, ids: dict[str, list[str]]) -> list[str]:
    """Seeded ids of the type an ID argument names: `classId` → TrainingClass, `teacherIds` →
    Person, `id` of `updateBatch` → Batch. Empty when no type fits."""
    if argument == "id":
        named = [t for t in ids if t.lower() in operation.lower()]
        return ids[max(named, key=len)] if named else []
    base = argument.removesuffix("s").removesuffix("Id").lower()
    if base in PERSON_WORDS:
        return ids.get("Person", [])
    return [i for name, group in ids.items() if name.lower().endswith(base) for i in group]


def _s(value: str) -> graphql.StringValueNode:
    return graphql.StringValueNode(value=value)


def _i(value: int) -> graphql.IntValueNode:
    return graphql.IntValueNode(value=str(value))


def _list(*values: graphql.ValueNode) -> graphql.ListValueNode:
    return graphql.ListValueNode(values=tuple(values))


MAY_DAY = ("2012-04-29", "2012-04-30", "2012-05-01")
STUDY_DAYS = (dt.date(2012, 4, 27), dt.date(2012, 4, 28), dt.date(2012, 5, 2))


# Numbers in range, by input field name (the 2012 notice's values, or near them).
def _empty_exam_sheet() -> str:
    """An XLSX sheet of exam results with its headings and no rows, base64-encoded."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(("身份证号", "姓名", "成绩"))
    buffer = io.BytesIO()
    book.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode()


NUMBERS = {
    "batchLengthDays": 10,
    "maxStudyDays": 10,
    "tutorTeamCap": 8,
    "cap": 8,
    "networkOnlineHours": 6,
    "networkOfflineHours": 16,
    "transitionalOnlineHours": 4,
    "transitionalOfflineHours": 18,
    "heartbeatMaxGapSeconds": 120,
    "offlineStepMinutes": 30,
    "offlineDayMaxMinutes": 480,
    "intervalDays": 7,
    "briefingIntervalDays": 7,
    "minutes": 40,
    # The assessment policy at its seed values (the six weights add up to 100).
    "targetHours": 72,
    "newTeacherTargetHours": 122,
    "juniorTitleTargetHours": 48,
    "studyWeight": 40,
    "homeworkWeight": 30,
    "discussionWeight": 20,
    "outcomeWeight": 10,
    "notesWeight": 0,
    "reflectionWeight": 0,
    "homeworkMinCount": 2,
    "discussionMinPosts": 2,
    "outcomeMinCount": 1,
    "notesMinCharacters": 5000,
    "reflectionMinCharacters": 1000,
    "passMark": 60,
    "examPassMark": 60,
    "hoursPerCredit": 20,
    "tutorServiceHours": 72,
    "cycleYears": 5,
    "cycleHours": 360,
    "newTeacherCycleHours": 410,
}
TEXT = {
    "year": "2012学年",
    "timeZone": "Asia/Shanghai",
    "registrationOpensAt": "09:00",
    "dailyOpensAt": "09:00",
    "registrationClosesAt": "22:00",
    "dailyClosesAt": "22:00",
    "registrationStartsOn": "2012-04-20",
    "registrationEndsOn": "2012-04-25",
    "assessmentEndsOn": "2012-06-30",
    "dueAt": "2012-05-08T20:00:00+08:00",
    "certificateIssuer": "江西省中小学教师远程培训中心",
    "sheetBase64": _empty_exam_sheet(),
}


ORGANISATION = frozenset(
    {
        "createRegion",
        "updateRegion",
        "createSchool",
        "updateSchool",
        "createPerson",
        "updatePerson",
        "grantRole",
        "setProgramPhases",
    }
)


def _enum(value: str) -> graphql.EnumValueNode:
    return graphql.EnumValueNode(value=value)


def _object(**fields: graphql.ValueNode) -> graphql.ObjectValueNode:
    return graphql.ObjectValueNode(
        fields=tuple(
            graphql.ObjectFieldNode(name=graphql.NameNode(value=k), value=v)
            for k, v in fields.items()
        )
    )


def plausible_organisation(operation: str, name: str, n: int) -> Any:
    """Values of the organisation's inputs that its rules accept: unique codes, user names and
    ID numbers, a city under the province, a school admin's grant, the 2012 phases."""
    if name == "code":
        return _s(f"F{n:07d}")
    if name == "level":
        return _enum("CITY")
    if name == "username":
        return _s(f"fuzz.person{n}")
    if name == "realName":
        return _s(f"模糊测试{n}")
    if name == "idNumber":
        return _s(synthetic_id_number("360102", "19800101", 500 + n))
    if name == "mobile":
        return _s(synthetic_mobile(500 + n))
    if name == "stage":
        return _enum("HIGH")
    if name == "subject":
        return _s("数学")
    if name == "role":
        return _enum("SCHOOL_ADMIN")
    if name == "phases":
        return _list(
            *(
                _object(kind=_enum(kind), startsOn=_s(starts), endsOn=_s(ends))
                for kind, starts, ends in (
                    ("REGISTRATION", "2012-04-20", "2012-04-25"),
                    ("STUDY", "2012-04-27", "2012-06-11"),
                    ("ASSESSMENT", "2012-06-12", "2012-06-30"),
                )
            )
        )
    return None


def plausible(operation: str, name: str, role: str, n: int) -> graphql.ValueNode | None:
    """A value of the scenario for input field `name` (not an id); None to keep the generated."""
    if operation in ORGANISATION and (value := plausible_organisation(operation, name, n)):
        return value
    if operation == "setProgramPhases":
        return None  # the phases' own dates and kinds, as plausible_organisation made them
    if name in NUMBERS:
        return _i(NUMBERS[name])
    if name in TEXT:
        return _s(TEXT[name])
    if name == "url":
        return _s(f"https://example.org/resource/{n}")
    if name == "holidays":
        return _list(*map(_s, MAY_DAY))
    if name in ("startsOn", "endsOn"):
        # Batches of a week in June, one after another (R2: at most 10 study days).
        starts = dt.date(2012, 6, 4) + dt.timedelta(days=7 * (n % 4))
        return _s(str(starts if name == "startsOn" else starts + dt.timedelta(days=4)))
    if name == "subjects":
        subject = graphql.ObjectValueNode(
            fields=(
                graphql.ObjectFieldNode(
                    name=graphql.NameNode(value="stage"), value=graphql.EnumValueNode(value="HIGH")
                ),
                graphql.ObjectFieldNode(
                    name=graphql.NameNode(value="subject"), value=_s(f"通用技术{n}")
                ),
            )
        )
        return _list(subject)
    if name == "subject" and operation in ("createWorkshop", "updateWorkshop"):
        return _s(f"模糊学科{n}")  # one workshop a stage and subject
    if name == "track" and operation in ("createBatch", "updateBatch"):
        return graphql.EnumValueNode(value="NETWORK")
    if name == "number":
        return _i(6 + n)
    if name == "position":
        return _i(n)
    if name == "score":
        return _i(60 + 5 * (n % 8))
    if name == "sequence":
        return _i(n + 1)
    if name == "text" and operation == "submitStudyWriting":
        return _s("研" * 5000)  # long enough for notes or a reflection (seed 004)
    if name == "hours" and operation in ("createCourse", "recordExternalHours"):
        return _i(2 + n % 5)
    if name == "hours" and operation == "recordTownshipSession":
        return _i(1 + n % 8)
    if name == "heldOn":
        # Township sessions on the days before the fuzz clock's 2 May 2012, one a day.
        return _s(str(dt.date(2012, 5, 2) - dt.timedelta(days=n % 20)))
    if name == "hours":
        return graphql.FloatValueNode(value=str(0.5 + 0.5 * (n % 4)))
    if name == "studiedOn":
        return _s(str(STUDY_DAYS[n % len(STUDY_DAYS)]))
    if name == "takeOver":
        return graphql.BooleanValueNode(value=True)
    if name == "level" and operation in ("recommendSubmission", "withdrawRecommendation"):
        level = {"tutor": "CLASS", "leader": "WORKSHOP"}.get(role, "HOME")
        return graphql.EnumValueNode(value=level)
    if name in ("name", "title", "body", "text", "description", "summary", "comment", "note"):
        return _s(f"模糊测试{name}{n}")
    if name in ("instructions", "researchPlan"):
        return _s(f"模糊测试{name}{n}")
    return None


class Plausible(graphql.Visitor):
    """Puts plausible values into most arguments and input fields: ids of the seeded rows the
    role may act on, or of the fitting type (schemathesis cannot know which type an ID names);
    dates, numbers and text in range."""

    def __init__(
        self, operation: str, role: str, n: int, world: FuzzWorld, rng: random.Random
    ) -> None:
        super().__init__()
        self.operation, self.role, self.n, self.world, self.rng = operation, role, n, world, rng
        self.keep = KEEP_VALUE if rng.random() < KEEP_DOCUMENTS else 0.0

    def _ensured(self, node: graphql.ArgumentNode) -> graphql.ArgumentNode:
        """The input with the fields the rules need (placeholders, made plausible below)."""
        wanted = list(ENSURE.get(self.operation, ()))
        if self.operation == "openDiscussion":
            wanted.append("workshopId" if self.role == "leader" else "classId")
        value = node.value
        if not isinstance(value, graphql.ObjectValueNode):
            return node
        present = {f.name.value for f in value.fields}
        added = tuple(
            graphql.ObjectFieldNode(name=graphql.NameNode(value=name), value=_s(""))
            for name in wanted
            if name not in present
        )
        fields = graphql.ObjectValueNode(fields=(*value.fields, *added))
        return graphql.ArgumentNode(name=node.name, value=fields)

    def _fit(self, node: graphql.ArgumentNode | graphql.ObjectFieldNode) -> Any:
        name = node.name.value
        if isinstance(node, graphql.ArgumentNode) and name == "input":
            return self._ensured(node)
        if self.keep and self.rng.random() < self.keep:
            return None
        value: graphql.ValueNode | None
        # revealPersonalData names its person by "person", importRoster its file by "upload":
        # ids all the same.
        if name in ("id", "person", "upload") or name.endswith(("Id", "Ids")):
            value = self._id(name, node.value)
            if value is graphql.REMOVE:
                return graphql.REMOVE
        else:
            value = plausible(self.operation, name, self.role, self.n)
        if value is None:
            return None
        return type(node)(name=node.name, value=value)

    def _id(self, name: str, generated: graphql.ValueNode) -> Any:
        if name == "attachmentIds":
            return _list()
        if self.operation == "openDiscussion" and name in ("classId", "workshopId"):
            # A tutor opens a class discussion, a leader one for the whole workshop.
            wanted = "workshopId" if self.role == "leader" else "classId"
            if name != wanted:
                return graphql.REMOVE
        if self.operation == "startStudySession" and name == "resourceId":
            return graphql.REMOVE
        if self.operation == "grantRole" and name in ("regionId", "vendorId"):
            return graphql.REMOVE  # a school admin's grant names a school only
        chosen = self.world.ids_for(self.operation, name, self.role, self.n)
        if chosen is None:
            fitting = fitting_ids(name, self.operation, self.world.ids_by_type)
            if not fitting:
                return None
            chosen = [self.rng.choice(fitting)]
        if isinstance(generated, graphql.ListValueNode) or name.endswith("Ids"):
            return _list(_s(chosen[0]))
        return _s(chosen[0])

    def enter_argument(self, node: graphql.ArgumentNode, *_: object) -> Any:
        return self._fit(node)

    def enter_object_field(self, node: graphql.ObjectFieldNode, *_: object) -> Any:
        return self._fit(node)


ERRORS_ALIAS = "fuzzUserErrors"


def with_user_errors(document: graphql.DocumentNode) -> graphql.DocumentNode:
    """Asks every root field of a mutation for its user errors too, under an alias, so that the
    test can tell a success from a refusal whatever payload fields were generated."""
    definitions = []
    for definition in document.definitions:
        if (
            isinstance(definition, graphql.OperationDefinitionNode)
            and definition.operation == graphql.OperationType.MUTATION
        ):
            asked = f"{{ {ERRORS_ALIAS}: userErrors {{ code field message }} }}"
            errors = graphql.parse(asked).definitions[0]
            assert isinstance(errors, graphql.OperationDefinitionNode)
            selections = []
            for root in definition.selection_set.selections:
                if isinstance(root, graphql.FieldNode) and root.selection_set is not None:
                    root = graphql.FieldNode(
                        alias=root.alias,
                        name=root.name,
                        arguments=root.arguments,
                        directives=root.directives,
                        selection_set=graphql.SelectionSetNode(
                            selections=(
                                *root.selection_set.selections,
                                *errors.selection_set.selections,
                            )
                        ),
                    )
                selections.append(root)
            definition = graphql.OperationDefinitionNode(
                operation=definition.operation,
                name=definition.name,
                variable_definitions=definition.variable_definitions,
                directives=definition.directives,
                selection_set=graphql.SelectionSetNode(selections=tuple(selections)),
            )
        definitions.append(definition)
    return graphql.DocumentNode(definitions=tuple(definitions))


def made_plausible(document: str, operation: str, role: str, n: int, world: FuzzWorld) -> str:
    rng = random.Random(zlib.crc32(f"{document}/{role}/{n}".encode()))
    tree = graphql.visit(graphql.parse(document), Plausible(operation, role, n, world, rng))
    return graphql.print_ast(with_user_errors(tree))


# Generation costs more than sending (about 20 ms a document): one set of documents per
# operation, made plausible for each role, and reused by the second backend.
_generated: dict[str, list[str]] = {}


def generated_documents(operation: APIOperation, count: int) -> list[str]:
    """The documents schemathesis generates for `operation`, the same on every run."""
    if operation.label not in _generated:
        register_scalars()
        documents: list[str] = []

        @hypothesis.seed(zlib.crc32(operation.label.encode()))
        @hypothesis.settings(
            max_examples=count,
            database=None,
            deadline=None,
            derandomize=True,
            phases=[hypothesis.Phase.generate],
            suppress_health_check=list(hypothesis.HealthCheck),
        )
        @hypothesis.given(case=operation.as_strategy())
        def collect(case: Any) -> None:
            documents.append(str(case.body))

        collect()
        _generated[operation.label] = documents
    return _generated[operation.label]


# --- checks -------------------------------------------------------------------------------------


def problems_of(response: httpx.Response, people: list[tuple[str, str]]) -> list[str]:
    if response.status_code >= 500:
        return [f"status {response.status_code}"]
    try:
        body = response.json()
    except ValueError:
        return [f"not JSON (status {response.status_code})"]
    found = []
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if code is None or code == "INTERNAL_SERVER_ERROR":
            found.append(f"error code {code}: {error.get('message')}")
    found += [f"shows {secret}" for secret in leaks(response.text, people)]
    found += [f"shows {trace!r}" for trace in ("Traceback", 'File "') if trace in response.text]
    return found


def outcome(response: httpx.Response, field: str) -> str:
    """ "ok" for a mutation that succeeded, else the first error code (top-level or user)."""
    try:
        body = response.json()
    except ValueError:
        return f"status {response.status_code}"
    for error in body.get("errors") or []:
        return str((error.get("extensions") or {}).get("code"))
    payload = (body.get("data") or {}).get(field)
    if payload is None:
        return "null payload"
    errors = payload.get(ERRORS_ALIAS) if isinstance(payload, dict) else None
    if errors and os.environ.get("LMS_FUZZ_DEBUG"):
        print("REFUSED", field, errors, payload)
    return str(errors[0]["code"]) if errors else "ok"


def bug_reports(records: list[logging.LogRecord]) -> list[str]:
    """The log of the masked errors: where each happened, and the end of its traceback."""
    formatter = logging.Formatter()
    return [
        f"{record.getMessage()}:\n{formatter.formatException(record.exc_info)[-1500:]}"
        for record in records
        if record.name == "lms_plugin.errors" and record.exc_info
    ]


# backend → operation → role → outcome → count; read by the summary test at the end.
OUTCOMES: dict[str, dict[str, dict[str, collections.Counter[str]]]] = {}


def test_every_operation_is_fuzzed() -> None:
    """The schema is read live: a new operation is fuzzed without touching this file."""
    assert {"Query.node", "Query.programs", "Mutation.createBatch"} <= set(OPERATIONS)
    assert all(label.startswith(("Query.", "Mutation.")) for label in OPERATIONS)


def test_every_mutation_has_its_roles() -> None:
    mutations = {label.partition(".")[2] for label in OPERATIONS if label.startswith("Mutation.")}
    assert mutations == set(ALLOWED), "add the roles of a new mutation to ALLOWED"
    assert all(set(roles) <= set(FUZZ_ROLES) for roles in ALLOWED.values())


@pytest.mark.parametrize("label", sorted(OPERATIONS))
async def test_fuzzed_operation_never_breaks_or_leaks(
    api: Api, backend: str, clock: FixedClock, caplog: pytest.LogCaptureFixture, label: str
) -> None:
    async with in_transaction():  # one commit: seeding is most of the time on PostgreSQL
        world = await seed_fuzz_world(label.partition(".")[2])
    if label == "Mutation.importRoster":
        await upload_rosters(api, world)
    world.ids_by_type = await global_ids()
    people = await personal_data()
    kind, _, field = label.partition(".")
    allowed = ALLOWED.get(field, ()) if kind == "Mutation" else ()
    count = EXAMPLES if kind == "Mutation" else QUERY_EXAMPLES
    documents = generated_documents(OPERATIONS[label], count)
    start = REGISTRATION_DAY if field in ("enroll", "enrollTeachers") else IN_WINDOW
    outcomes = OUTCOMES.setdefault(backend, {}).setdefault(label, {})
    failures: list[str] = []
    sent = 0
    for role in FUZZ_ROLES:
        examples = (
            documents if kind == "Query" or role in allowed else documents[:OTHER_ROLE_EXAMPLES]
        )
        counter = outcomes.setdefault(role, collections.Counter())
        for generated in examples:
            # The n-th example of the operation, whoever sends it: a minute after the one
            # before, with its own targets and names.
            n, sent = sent, sent + 1
            clock.set(start + dt.timedelta(minutes=n))
            document = made_plausible(generated, field, role, n, world)
            response = await api.post(document, as_=world.person(role, n))
            result = outcome(response, field)
            counter[result] += 1
            # Showing them in clear is what a successful reveal is for (logged, with a reason).
            shown = people if (field, result) != ("revealPersonalData", "ok") else []
            failures += [
                f"as {role} at {clock.now().isoformat()}: {problem}\n{document}\n"
                f"→ {response.text[:600]}"
                for problem in problems_of(response, shown)
            ]
    assert not failures, "\n\n".join(failures[:10] + bug_reports(caplog.records)[:5])


async def upload_rosters(api: Api, world: FuzzWorld) -> None:
    """A valid roster (报名汇总表) of the county's school, uploaded through `POST /uploads` by
    each admin who may import it (an upload is its owner's): importRoster reaches the rules."""
    school = await School.get(id=world.teachers[0].school_id)
    rows = [teacher_row(9000 + i, school.code) for i in range(3)]
    for role in ALLOWED["importRoster"]:
        admin = world.person(role, 0)
        assert admin is not None
        world.ids[f"roster_{role}"] = [await upload(api, admin, xlsx_of(rows))]


def share_table(outcomes: dict[str, dict[str, collections.Counter[str]]]) -> tuple[str, float]:
    """The printed table of mutations: per operation, the requests of the roles that may call
    it and how many succeeded, the commonest refusal, and the other roles' requests (all of
    which must be refused); the overall share of succeeded mutations."""
    lines = [
        f"{'mutation':<26} {'allowed roles':>13} {'ok':>4} {'share':>6}  "
        f"{'other roles':>11} {'ok':>3}  commonest refusal"
    ]
    total = succeeded = 0
    for label in sorted(outcomes):
        if not label.startswith("Mutation."):
            continue
        field = label.partition(".")[2]
        by_role = outcomes[label]
        mine = collections.Counter[str]()
        others = collections.Counter[str]()
        for role, counter in by_role.items():
            (mine if role in ALLOWED.get(field, ()) else others).update(counter)
        n_mine, ok_mine = sum(mine.values()), mine["ok"]
        n_others, ok_others = sum(others.values()), others["ok"]
        refusals = collections.Counter({k: v for k, v in mine.items() if k != "ok"})
        commonest = ", ".join(f"{code} ×{c}" for code, c in refusals.most_common(2))
        lines.append(
            f"{field:<26} {n_mine:>13} {ok_mine:>4} {ok_mine / max(n_mine, 1):>6.0%}  "
            f"{n_others:>11} {ok_others:>3}  {commonest}"
        )
        total += n_mine + n_others
        succeeded += ok_mine + ok_others
    share = succeeded / max(total, 1)
    lines.append(f"{'all mutations':<26} {total:>13} {succeeded:>4} {share:>6.0%}")
    roles = collections.defaultdict(collections.Counter[str])
    for label, by_role in outcomes.items():
        if label.startswith("Mutation."):
            for role, counter in by_role.items():
                roles[role].update(counter)
    lines.append(
        "by role: "
        + ", ".join(f"{role} {c['ok']}/{sum(c.values())}" for role, c in sorted(roles.items()))
    )
    return "\n".join(lines), share


@pytest.mark.parametrize("backend_name", BACKENDS)
def test_a_third_of_the_fuzzed_mutations_succeed(
    backend_name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Runs after the fuzzed operations (it comes last in the file): prints the table of
    shares and checks that the fuzzing reached the rules."""
    if backend_name == "postgres" and not POSTGRES_URL:
        pytest.skip("PostgreSQL tests need LMS_TEST_POSTGRES_URL")
    outcomes = OUTCOMES.get(backend_name)
    mutations = [label for label in OPERATIONS if label.startswith("Mutation.")]
    if not outcomes or not set(mutations) <= set(outcomes):
        pytest.skip("runs after every fuzzed mutation of this backend (the whole file)")
    table, share = share_table(outcomes)
    with capsys.disabled():
        print(f"\n\nfuzzed mutations on {backend_name}:\n{table}\n")
    assert share >= 1 / 3, table
    # Nobody may do what their role does not allow.
    for label in mutations:
        field = label.partition(".")[2]
        for role, counter in outcomes[label].items():
            if role not in ALLOWED[field]:
                assert counter["ok"] == 0, f"{role} did {field}"
