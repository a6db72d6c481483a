"""The audit log (issue 9): what one successful mutation writes, that a refusal writes nothing,
that the log is append-only, `auditLog` for province admins and `revealPersonalData`.

The every-mutation table is in tests/test_audit_every_mutation.py.
"""

import datetime as dt
import decimal
from dataclasses import dataclass
from typing import Any, cast

import asyncpg
import pytest
from tortoise import connections
from tortoise.models import Model

from lms_plugin.resolvers.audit.use_cases import reaches_personal_data, reason_error_message
from lms_plugin.resolvers.core.access import Viewer
from lms_plugin.resolvers.core.audit import audit_value, changed_fields, log_reveals
from lms_plugin.storage import models
from lms_plugin.storage.audit import AppendOnly
from lms_plugin.storage.enums import Role, Stage
from lms_plugin.storage.models import Announcement, AuditEntry, Person, RoleAssignment
from lms_plugin.storage.tracking import Action, Change, Scope, Tracked

from .api import Api, error_codes, refused
from .conftest import local
from .databases import asyncpg_dsn
from .factories import gid
from .fuzz_world import IN_WINDOW, seed_fuzz_world
from .sql_counter import count_sql
from .test_privacy import Scenario, seed_scenario

# --- pure: values, diffs, merging, the reveal's rules ------------------------------------------


def test_personal_data_is_masked_in_audit_values() -> None:
    assert audit_value("id_number", "36010219850615002X") == "360***********002X"
    assert audit_value("mobile", "13907911234") == "139****1234"
    assert audit_value("id_number", None) is None


def test_audit_values_are_json() -> None:
    at = dt.datetime(2012, 5, 2, 2, 0, tzinfo=dt.UTC)
    assert audit_value("stage", Stage.HIGH) == "high"
    assert type(audit_value("stage", Stage.HIGH)) is str
    assert audit_value("at", at) == "2012-05-02T02:00:00+00:00"
    assert audit_value("on", dt.date(2012, 5, 2)) == "2012-05-02"
    assert audit_value("fee", decimal.Decimal("12.50")) == "12.50"
    assert audit_value("subjects", ({"stage": Stage.HIGH},)) == [{"stage": "high"}]
    assert audit_value("n", 3) == 3
    assert audit_value("flag", False) is False


def test_the_diff_keeps_only_the_fields_that_changed() -> None:
    old = {"title": "一", "body": "正文", "pinned": False}
    new = {"title": "二", "body": "正文", "pinned": True, "note": None}
    assert changed_fields(old, new) == {"title": ("一", "二"), "pinned": (False, True)}
    assert changed_fields({}, {"title": "一"}) == {"title": (None, "一")}
    assert changed_fields(old, old) == {}


def _change(action: Action, fields: dict[str, tuple[Any, Any]], object_id: int = 1) -> Change:
    return Change(action, "Briefing", object_id, None, fields)


def test_later_changes_of_one_object_merge_into_the_first() -> None:
    scope = Scope(actor_id=7, operation="updateBriefing")
    scope.add(_change(Action.UPDATE, {"title": ("一", "二"), "body": ("甲", "乙")}))
    scope.add(_change(Action.UPDATE, {"title": ("二", "三"), "body": ("乙", "甲")}))
    scope.add(_change(Action.UPDATE, {"title": ("x", "y")}, object_id=2))
    assert scope.changes == [
        _change(Action.UPDATE, {"title": ("一", "三")}),
        _change(Action.UPDATE, {"title": ("x", "y")}, object_id=2),
    ]


def test_a_created_object_changed_again_stays_a_creation_and_a_deleted_one_a_deletion() -> None:
    scope = Scope(actor_id=7, operation="x")
    scope.add(_change(Action.CREATE, {"title": (None, "一")}))
    scope.add(_change(Action.UPDATE, {"title": ("一", None)}))
    assert scope.changes == [_change(Action.CREATE, {"title": (None, None)})]
    scope.add(_change(Action.DELETE, {"body": ("甲", None)}))
    assert [c.action for c in scope.changes] == [Action.DELETE]


def test_a_reveal_never_merges() -> None:
    scope = Scope(actor_id=7, operation="revealPersonalData")
    reveal = Change(Action.REVEAL, "Person", 1, 1, {"mobile": (None, None)}, "核对")
    scope.add(reveal)
    scope.add(reveal)
    assert len(scope.changes) == 2


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("核对报名信息", None),
        ("  核对  ", None),
        ("", "查看完整个人信息须填写理由"),
        ("   ", "查看完整个人信息须填写理由"),
        ("理" * 500, None),
        ("理" * 501, "理由不能超过 500 个字"),
    ],
)
def test_a_reveal_needs_a_reason_of_at_most_500_characters(
    reason: str, message: str | None
) -> None:
    assert reason_error_message(reason) == message


@dataclass(frozen=True)
class Where:
    city_id: int
    county_id: int


@dataclass(frozen=True)
class Grant:
    role: Role
    region_id: int | None


def _viewer(role: Role, region_id: int | None = None) -> Viewer:
    # The rule reads only the grants' role and region (no database here).
    grants = cast(list[RoleAssignment], [Grant(role, region_id)])
    return Viewer(person=Person(id=1, username="a", real_name="甲"), grants=grants)


@pytest.mark.parametrize(
    ("viewer", "reaches"),
    [
        (_viewer(Role.PROVINCE_ADMIN), True),
        (_viewer(Role.CITY_ADMIN, 10), True),
        (_viewer(Role.CITY_ADMIN, 11), False),
        (_viewer(Role.COUNTY_ADMIN, 20), True),
        (_viewer(Role.COUNTY_ADMIN, 21), False),
        (_viewer(Role.SCHOOL_ADMIN), False),
    ],
)
def test_personal_data_is_reached_by_the_province_and_the_teachers_city_and_county(
    viewer: Viewer, reaches: bool
) -> None:
    assert reaches_personal_data(viewer, Where(city_id=10, county_id=20)) is reaches


def test_a_person_of_no_school_is_reached_by_the_province_only() -> None:
    assert reaches_personal_data(_viewer(Role.PROVINCE_ADMIN), None)
    assert not reaches_personal_data(_viewer(Role.COUNTY_ADMIN, 20), None)


# --- append-only -------------------------------------------------------------------------------


async def _an_entry() -> AuditEntry:
    return await AuditEntry.create(
        at=dt.datetime(2012, 5, 2, 2, 0, tzinfo=dt.UTC),
        actor_id=1,
        operation="updateBriefing",
        action=Action.UPDATE,
        object_type="Briefing",
        object_id=1,
        changes={"title": ["一", "二"]},
    )


async def test_the_orm_refuses_to_change_or_remove_an_audit_row(db: str) -> None:
    entry = await _an_entry()
    entry.operation = "forged"
    with pytest.raises(AppendOnly):
        await entry.save()
    with pytest.raises(AppendOnly):
        await entry.delete()
    with pytest.raises(AppendOnly):
        await AuditEntry.filter(id=entry.id).update(operation="forged")
    with pytest.raises(AppendOnly):
        await AuditEntry.filter(id=entry.id).delete()
    with pytest.raises(AppendOnly):
        await AuditEntry.all().delete()
    with pytest.raises(AppendOnly):
        await AuditEntry.bulk_update([entry], fields=["operation"])
    assert await AuditEntry.all().values_list("operation", flat=True) == ["updateBriefing"]


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET operation = 'forged'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ],
)
async def test_postgres_refuses_update_and_delete_on_the_audit_log(
    db: str, backend: str, statement: str
) -> None:
    entry = await _an_entry()
    connection = await asyncpg.connect(asyncpg_dsn(db))
    try:
        with pytest.raises(asyncpg.RaiseError, match="audit_log is append-only"):
            await connection.execute(statement)
    finally:
        await connection.close()
    rows = await connections.get("default").execute_query_dict("SELECT operation FROM audit_log")
    assert rows == [{"operation": "updateBriefing"}]
    assert entry.id


# --- what a mutation writes --------------------------------------------------------------------

UPDATE_ANNOUNCEMENT = """
mutation Update($input: UpdateAnnouncementInput!) {
  updateAnnouncement(input: $input) {
    announcement { title }
    userErrors { code field message }
  }
}
"""


async def _rows() -> list[dict[str, Any]]:
    return (
        await AuditEntry.all()
        .order_by("id")
        .values(
            "at",
            "actor_id",
            "operation",
            "action",
            "object_type",
            "object_id",
            "person_id",
            "changes",
            "reason",
        )
    )


async def test_a_mutation_writes_its_changes_as_the_actor_at_the_clocks_instant(
    api: Api, clock: Any
) -> None:
    scenario = await seed_scenario()
    tutor = scenario.people["tutor"]
    assert tutor is not None
    announcement = await Announcement.filter(author_id=tutor.id).order_by("id").first()
    assert announcement is not None
    clock.set(local(2012, 5, 2, 10, 0))

    data = await api.data(
        UPDATE_ANNOUNCEMENT,
        {"input": {"id": gid(announcement), "title": "新标题", "pinned": not announcement.pinned}},
        as_=tutor,
    )

    assert data["updateAnnouncement"]["userErrors"] == []
    assert await _rows() == [
        {
            "at": local(2012, 5, 2, 10, 0),
            "actor_id": tutor.id,
            "operation": "updateAnnouncement",
            "action": Action.UPDATE,
            "object_type": "Announcement",
            "object_id": announcement.id,
            "person_id": None,
            "changes": {
                "pinned": [announcement.pinned, not announcement.pinned],
                "title": [announcement.title, "新标题"],
            },
            "reason": None,
        }
    ]


async def test_a_refused_mutation_writes_nothing(api: Api) -> None:
    scenario = await seed_scenario()
    announcement = await Announcement.all().order_by("id").first()
    assert announcement is not None

    body = await api.data(
        UPDATE_ANNOUNCEMENT,
        {"input": {"id": gid(announcement), "title": "  "}},
        as_=scenario.people["tutor"],
    )
    assert body["updateAnnouncement"]["userErrors"] != []
    forbidden = await api.gql(
        UPDATE_ANNOUNCEMENT,
        {"input": {"id": gid(announcement), "title": "新"}},
        as_=scenario.people["trainee"],
    )
    assert error_codes(forbidden) in (["FORBIDDEN"], [])
    assert await AuditEntry.all().count() == 0


# --- auditLog ----------------------------------------------------------------------------------

AUDIT_LOG = """
query Log($person: ID, $object: ID, $actor: ID, $from: DateTime, $to: DateTime, $after: String) {
  auditLog(person: $person, object: $object, actor: $actor, from: $from, to: $to, first: 2,
           after: $after) {
    nodes {
      at operation action objectType object reason
      actor { username } person { username }
      changes { field old new }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""

REVEAL = """
mutation Reveal($input: RevealPersonalDataInput!) {
  revealPersonalData(input: $input) {
    personalData { person { username } idNumber mobile }
    userErrors { code field message }
  }
}
"""


async def _reveal(api: Api, scenario: Scenario, role: str, whom: str, reason: str) -> Any:
    person = scenario.people[whom]
    assert person is not None
    return await api.gql(
        REVEAL, {"input": {"person": gid(person), "reason": reason}}, as_=scenario.people[role]
    )


async def test_a_province_admin_reads_the_log_newest_first_by_person_object_actor_period(
    api: Api, clock: Any
) -> None:
    scenario = await seed_scenario()
    trainee, teacher = scenario.people["trainee"], scenario.people["teacher"]
    assert trainee is not None
    assert teacher is not None
    for n, (role, whom) in enumerate(
        [("province_admin", "trainee"), ("county_admin", "trainee"), ("province_admin", "teacher")]
    ):
        clock.set(local(2012, 5, 2, 10, n))
        assert (await _reveal(api, scenario, role, whom, f"核对{n}"))["data"]["revealPersonalData"][
            "userErrors"
        ] == []
    admin = scenario.people["province_admin"]

    everything = await api.data(AUDIT_LOG, as_=admin)
    by_trainee = await api.data(AUDIT_LOG, {"person": gid(trainee)}, as_=admin)
    by_object = await api.data(AUDIT_LOG, {"object": gid(teacher)}, as_=admin)
    county_admin = scenario.people["county_admin"]
    assert county_admin is not None
    by_actor = await api.data(AUDIT_LOG, {"actor": gid(county_admin)}, as_=admin)
    period = await api.data(
        AUDIT_LOG,
        {"from": "2012-05-02T10:01:00+08:00", "to": "2012-05-02T10:02:00+08:00"},
        as_=admin,
    )
    second_page = await api.data(
        AUDIT_LOG, {"after": everything["auditLog"]["pageInfo"]["endCursor"]}, as_=admin
    )

    def entry(n: int, actor: str, whom: str) -> dict[str, Any]:
        person = scenario.people[whom]
        assert person is not None
        return {
            "at": f"2012-05-02T10:0{n}:00+08:00",
            "operation": "revealPersonalData",
            "action": "REVEAL",
            "objectType": "Person",
            "object": gid(person),
            "reason": f"核对{n}",
            "actor": {"username": actor},
            "person": {"username": whom},
            "changes": [
                {"field": "id_number", "old": "null", "new": "null"},
                {"field": "mobile", "old": "null", "new": "null"},
            ],
        }

    assert everything["auditLog"]["nodes"] == [
        entry(2, "province", "teacher"),
        entry(1, "county", "trainee"),
    ]
    assert everything["auditLog"]["pageInfo"]["hasNextPage"] is True
    assert second_page["auditLog"]["nodes"] == [entry(0, "province", "trainee")]
    assert by_trainee["auditLog"]["nodes"] == [
        entry(1, "county", "trainee"),
        entry(0, "province", "trainee"),
    ]
    assert by_object["auditLog"]["nodes"] == [entry(2, "province", "teacher")]
    assert by_actor["auditLog"]["nodes"] == [entry(1, "county", "trainee")]
    assert period["auditLog"]["nodes"] == [entry(1, "county", "trainee")]


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("city_admin", "FORBIDDEN"),
        ("county_admin", "FORBIDDEN"),
        ("school_admin", "FORBIDDEN"),
        ("trainee", "FORBIDDEN"),
        ("anonymous", "UNAUTHENTICATED"),
    ],
)
async def test_only_province_admins_read_the_log(api: Api, role: str, code: str) -> None:
    scenario = await seed_scenario()
    body = await api.gql(AUDIT_LOG, as_=scenario.people[role])
    assert error_codes(body) == [code]
    assert body["data"] is None


async def test_an_id_that_names_nothing_finds_no_entries(api: Api) -> None:
    scenario = await seed_scenario()
    await _reveal(api, scenario, "province_admin", "trainee", "核对")
    admin = scenario.people["province_admin"]
    assert admin is not None
    other_type = gid(admin).replace("UGVyc29u", "U2Nob29s")  # Person:… as School:…
    for variables in ({"person": "nonsense"}, {"object": "nonsense"}, {"actor": other_type}):
        data = await api.data(AUDIT_LOG, variables, as_=admin)
        assert data["auditLog"]["nodes"] == [], variables


# --- revealPersonalData ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["province_admin", "county_admin"])
async def test_an_admin_of_the_teachers_region_sees_the_data_and_the_reveal_is_logged(
    api: Api, clock: Any, role: str
) -> None:
    scenario = await seed_scenario()
    trainee = scenario.people["trainee"]
    admin = scenario.people[role]
    assert trainee is not None
    assert admin is not None

    body = await _reveal(api, scenario, role, "trainee", "  核对报名信息 ")

    assert body == {
        "data": {
            "revealPersonalData": {
                "personalData": {
                    "person": {"username": "trainee"},
                    "idNumber": "36010219850615002X",
                    "mobile": trainee.mobile,
                },
                "userErrors": [],
            }
        }
    }
    assert await _rows() == [
        {
            "at": clock.now(),
            "actor_id": admin.id,
            "operation": "revealPersonalData",
            "action": Action.REVEAL,
            "object_type": "Person",
            "object_id": trainee.id,
            "person_id": trainee.id,
            "changes": {"id_number": [None, None], "mobile": [None, None]},
            "reason": "核对报名信息",
        }
    ]


@pytest.mark.parametrize(
    ("role", "reason", "expected"),
    [
        # Another city's admin: the teacher is outside their scope and reads as not found.
        ("city_admin", "核对", refused("personalData", "NOT_FOUND", "找不到该人员", "person")),
        (
            "province_admin",
            " ",
            refused("personalData", "INVALID_INPUT", "查看完整个人信息须填写理由", "reason"),
        ),
    ],
)
async def test_a_refused_reveal_shows_nothing_and_logs_nothing(
    api: Api, role: str, reason: str, expected: dict[str, Any]
) -> None:
    scenario = await seed_scenario()
    body = await _reveal(api, scenario, role, "trainee", reason)
    assert body == {"data": {"revealPersonalData": expected}}
    assert await AuditEntry.all().count() == 0


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("school_admin", "FORBIDDEN"),
        ("vendor_staff", "FORBIDDEN"),
        ("tutor", "FORBIDDEN"),
        ("anonymous", "UNAUTHENTICATED"),
    ],
)
async def test_other_roles_may_not_reveal(api: Api, role: str, code: str) -> None:
    scenario = await seed_scenario()
    body = await _reveal(api, scenario, role, "trainee", "核对")
    assert error_codes(body) == [code]
    assert body["data"] is None
    assert await AuditEntry.all().count() == 0


# --- what the audit costs the hot path -----------------------------------------------------

HEARTBEAT = """
mutation Beat($input: HeartbeatInput!) { heartbeat(input: $input) { userErrors { code } } }
"""


@pytest.mark.parametrize("sequence", [1, 2])
async def test_a_heartbeat_writes_its_audit_rows_in_one_insert(
    api: Api, clock: Any, sequence: int
) -> None:
    world = await seed_fuzz_world("heartbeat")
    session = world.ids["sessions"][0]
    trainee = world.trainees[0]
    clock.set(IN_WINDOW)
    if sequence == 2:
        await api.data(HEARTBEAT, {"input": {"sessionId": session, "sequence": 1}}, as_=trainee)
        clock.advance(seconds=30)
    before = await AuditEntry.all().count()

    with count_sql() as sql:
        data = await api.data(
            HEARTBEAT, {"input": {"sessionId": session, "sequence": sequence}}, as_=trainee
        )

    assert data == {"heartbeat": {"userErrors": []}}
    # One statement writes the rows: an INSERT after the beat's own statements, or on
    # PostgreSQL the steady beat's one statement itself (one more CTE; storage/beats.py).
    inserts = [s for s in sql.statements if 'INSERT INTO "AUDIT_LOG"' in s.upper()]
    assert len(inserts) == 1, sql.statements
    # The session's change only (README, "The audit log": the study ledger is the record of
    # the beats; a beat that opens a run logs the run's creation too).
    assert await AuditEntry.all().count() - before == (2 if sequence == 1 else 1)


async def test_an_upload_is_audited_like_a_mutation(api: Api, clock: Any) -> None:
    scenario = await seed_scenario()
    trainee = scenario.people["trainee"]
    assert trainee is not None

    response = await api.client.post(
        "/uploads",
        files={"file": ("教学设计.pdf", b"%PDF-1.4 lesson plan", "application/pdf")},
        headers=api.headers(trainee),
    )

    assert response.status_code == 201, response.text
    [row] = await _rows()
    assert (row["actor_id"], row["operation"], row["action"], row["object_type"]) == (
        trainee.id,
        "upload",
        Action.CREATE,
        "Attachment",
    )
    assert row["changes"]["filename"] == [None, "教学设计.pdf"]
    assert row["at"] == clock.now()


def test_every_model_but_the_log_is_tracked() -> None:
    """A model of another area must inherit `Tracked`, or its saves escape the audit log."""
    untracked = [
        name
        for name in models.__all__
        if issubclass(getattr(models, name), Model)
        and not issubclass(getattr(models, name), Tracked)
    ]
    assert untracked == ["AuditEntry"]


async def test_an_export_logs_one_reveal_per_person_outside_any_mutation(db: str) -> None:
    scenario = await seed_scenario()
    admin, trainee, teacher = (scenario.people[r] for r in ("county_admin", "trainee", "teacher"))
    assert admin is not None
    assert trainee is not None
    assert teacher is not None
    at = local(2012, 5, 2, 10, 0)

    await log_reveals(admin.id, "exportRoster", at, [trainee, teacher], ["id_number"], "报表")

    assert [
        (r["actor_id"], r["operation"], r["action"], r["person_id"], r["changes"], r["reason"])
        for r in await _rows()
    ] == [
        (admin.id, "exportRoster", Action.REVEAL, person.id, {"id_number": [None, None]}, "报表")
        for person in (trainee, teacher)
    ]
