"""A program's policies over HTTP (issue 6): read through Program.policies, changed one
policy at a time by a province admin, and the program's old fields reading the same rows."""

from typing import Any

import pytest

from lms_plugin.clock import FixedClock
from lms_plugin.storage.enums import Role
from lms_plugin.storage.models import BatchPolicy, HourPolicy, Person, Program, Workshop

from .api import Api, error_codes, refused
from .conftest import local
from .factories import gid, make_admin, make_person, make_workshop, reference_program
from .sql_counter import count_sql
from .study_world import make_world

POLICIES = """
query {
  programs(first: 10) {
    nodes {
      name batchLengthDays tutorTeamCap heartbeatMaxGapSeconds briefingIntervalDays
      registration { dailyOpensAt dailyClosesAt }
      network: hourSplit(track: NETWORK) { onlineHours offlineHours }
      transitional: hourSplit(track: TRANSITIONAL) { onlineHours offlineHours }
      policies {
        batch { maxStudyDays }
        registration { dailyOpensAt dailyClosesAt }
        hours { networkOnlineHours networkOfflineHours transitionalOnlineHours
                transitionalOfflineHours }
        tutorTeam { cap }
        studyTimer { heartbeatMaxGapSeconds offlineStepMinutes offlineDayMaxMinutes }
        briefing { intervalDays }
      }
    }
  }
}"""

DEFAULT_POLICIES = {
    "batch": {"maxStudyDays": 10},
    "registration": {"dailyOpensAt": "09:00:00", "dailyClosesAt": "22:00:00"},
    "hours": {
        "networkOnlineHours": 6,
        "networkOfflineHours": 16,
        "transitionalOnlineHours": 4,
        "transitionalOfflineHours": 18,
    },
    "tutorTeam": {"cap": 8},
    "studyTimer": {
        "heartbeatMaxGapSeconds": 120,
        "offlineStepMinutes": 30,
        "offlineDayMaxMinutes": 480,
    },
    "briefing": {"intervalDays": None},
}


def _update(name: str, fields: str) -> str:
    type_name = name[0].upper() + name[1:]
    return f"""
mutation ($input: Update{type_name}Input!) {{
  update{type_name}(input: $input) {{
    policy {{ programId {fields} }}
    userErrors {{ code field message }}
  }}
}}"""


UPDATE_HOURS = _update(
    "hourPolicy",
    "networkOnlineHours networkOfflineHours transitionalOnlineHours transitionalOfflineHours",
)
UPDATE_BATCH = _update("batchPolicy", "maxStudyDays")
UPDATE_REGISTRATION = _update("registrationPolicy", "dailyOpensAt dailyClosesAt")
UPDATE_TUTOR_TEAM = _update("tutorTeamPolicy", "cap")
UPDATE_TIMER = _update(
    "studyTimerPolicy", "heartbeatMaxGapSeconds offlineStepMinutes offlineDayMaxMinutes"
)
UPDATE_BRIEFING = _update("briefingPolicy", "intervalDays")


async def _admin() -> Person:
    return await make_admin("province", Role.PROVINCE_ADMIN)


def _payload(data: dict[str, Any]) -> dict[str, Any]:
    [payload] = data.values()
    result: dict[str, Any] = payload
    return result


async def test_every_program_reads_its_policies_with_the_seed_defaults(api: Api) -> None:
    await reference_program()
    admin = await _admin()

    data = await api.data(POLICIES, as_=admin)

    [program] = data["programs"]["nodes"]
    assert program["policies"] == DEFAULT_POLICIES
    assert program | {"policies": None, "name": None} == {
        "name": None,
        "batchLengthDays": 10,
        "tutorTeamCap": 8,
        "heartbeatMaxGapSeconds": 120,
        "briefingIntervalDays": None,
        "registration": {"dailyOpensAt": "09:00:00", "dailyClosesAt": "22:00:00"},
        "network": {"onlineHours": 6, "offlineHours": 16},
        "transitional": {"onlineHours": 4, "offlineHours": 18},
        "policies": None,
    }


async def test_a_province_admin_changes_the_hour_policy_and_omitted_fields_stay(api: Api) -> None:
    program = await reference_program()
    admin = await _admin()

    data = await api.data(
        UPDATE_HOURS,
        {
            "input": {
                "programId": gid(program),
                "networkOnlineHours": 8,
                "networkOfflineHours": None,
            }
        },
        as_=admin,
    )
    after = await api.data(POLICIES, as_=admin)

    assert _payload(data) == {
        "policy": {
            "programId": gid(program),
            "networkOnlineHours": 8,
            "networkOfflineHours": 16,
            "transitionalOnlineHours": 4,
            "transitionalOfflineHours": 18,
        },
        "userErrors": [],
    }
    [read] = after["programs"]["nodes"]
    assert read["network"] == {"onlineHours": 8, "offlineHours": 16}
    assert read["policies"]["hours"]["networkOnlineHours"] == 8


async def test_the_hour_policy_refuses_negative_hours_and_writes_nothing(api: Api) -> None:
    program = await reference_program()
    admin = await _admin()

    data = await api.data(
        UPDATE_HOURS,
        {
            "input": {
                "programId": gid(program),
                "networkOnlineHours": 7,
                "transitionalOfflineHours": -1,
            }
        },
        as_=admin,
    )

    assert _payload(data) == refused(
        "policy", "INVALID_INPUT", "不能为负数", "transitionalOfflineHours"
    )
    policy = await HourPolicy.get(program_id=program.id)
    assert (policy.network_online_hours, policy.transitional_offline_hours) == (6, 18)


@pytest.mark.parametrize("caller", [None, "trainee", "county"])
async def test_only_a_province_admin_changes_a_policy(api: Api, caller: str | None) -> None:
    program = await reference_program()
    who: Person | None = None
    if caller == "trainee":
        who = await make_person("trainee")
    elif caller == "county":
        who = await make_admin("county", Role.COUNTY_ADMIN)

    body = await api.gql(
        UPDATE_TUTOR_TEAM, {"input": {"programId": gid(program), "cap": 3}}, as_=who
    )

    assert error_codes(body) == ["UNAUTHENTICATED" if who is None else "FORBIDDEN"]
    assert (await BatchPolicy.get(program_id=program.id)).max_study_days == 10


async def test_an_unknown_program_reads_as_not_found(api: Api) -> None:
    await reference_program()
    admin = await _admin()

    data = await api.data(
        UPDATE_BRIEFING, {"input": {"programId": gid(admin), "intervalDays": 3}}, as_=admin
    )

    assert _payload(data) == refused("policy", "NOT_FOUND", "找不到该项目", "programId")


async def test_shrinking_the_batch_length_rechecks_every_batch_r2(api: Api) -> None:
    program = await reference_program()
    admin = await _admin()

    # Batch 1 (4/27–5/8 minus May Day) has 9 study days, the others 10.
    too_short = await api.data(
        UPDATE_BATCH, {"input": {"programId": gid(program), "maxStudyDays": 9}}, as_=admin
    )
    zero = await api.data(
        UPDATE_BATCH, {"input": {"programId": gid(program), "maxStudyDays": 0}}, as_=admin
    )
    longer = await api.data(
        UPDATE_BATCH, {"input": {"programId": gid(program), "maxStudyDays": 12}}, as_=admin
    )

    errors = _payload(too_short)["userErrors"]
    assert _payload(too_short)["policy"] is None
    assert {e["code"] for e in errors} == {"BATCH_TOO_LONG"}
    assert [e["message"][:4] for e in errors] == ["第2批：", "第3批：", "第4批：", "第5批："]
    assert {tuple(e["field"]) for e in errors} == {("input", "maxStudyDays")}
    assert _payload(zero) == refused("policy", "INVALID_INPUT", "须为正整数", "maxStudyDays")
    assert _payload(longer)["policy"] == {"programId": gid(program), "maxStudyDays": 12}
    assert (await BatchPolicy.get(program_id=program.id)).max_study_days == 12


async def test_registration_hours_are_whole_local_minutes_and_close_after_they_open(
    api: Api, clock: FixedClock
) -> None:
    program = await reference_program()
    admin = await _admin()
    clock.set(local(2012, 4, 20, 8, 30))

    closing_first = await api.data(
        UPDATE_REGISTRATION,
        {"input": {"programId": gid(program), "dailyOpensAt": "23:00"}},
        as_=admin,
    )
    with_seconds = await api.data(
        UPDATE_REGISTRATION,
        {"input": {"programId": gid(program), "dailyClosesAt": "21:00:30"}},
        as_=admin,
    )
    earlier = await api.data(
        UPDATE_REGISTRATION,
        {"input": {"programId": gid(program), "dailyOpensAt": "08:00"}},
        as_=admin,
    )
    read = await api.data(
        "{ programs { nodes { registration { openNow dailyOpensAt } } } }", as_=admin
    )

    assert _payload(closing_first) == refused(
        "policy", "INVALID_WINDOW", "每日注册结束时间须晚于开始时间", "dailyClosesAt"
    )
    assert _payload(with_seconds) == refused(
        "policy", "INVALID_INPUT", "请填写当地时间（时:分），不带时区和秒", "dailyClosesAt"
    )
    assert _payload(earlier)["policy"] == {
        "programId": gid(program),
        "dailyOpensAt": "08:00:00",
        "dailyClosesAt": "22:00:00",
    }
    # R3: 8:30 is inside the new daily hours.
    assert read["programs"]["nodes"] == [
        {"registration": {"openNow": True, "dailyOpensAt": "08:00:00"}}
    ]


async def test_a_new_workshop_takes_the_tutor_team_cap_and_existing_ones_keep_theirs(
    api: Api,
) -> None:
    program = await reference_program()
    admin = await _admin()
    existing = await make_workshop(program, await make_person("leader"))

    data = await api.data(
        UPDATE_TUTOR_TEAM, {"input": {"programId": gid(program), "cap": 3}}, as_=admin
    )
    created = await api.data(
        """mutation ($input: CreateWorkshopInput!) {
             createWorkshop(input: $input) { workshop { tutorCap placesLeft } userErrors { code } }
           }""",
        {
            "input": {
                "programId": gid(program),
                "name": "初中数学名师工作室",
                "stage": "JUNIOR",
                "subject": "数学",
                "leaderId": gid(await make_person("leader2", subject="数学")),
            }
        },
        as_=admin,
    )

    assert _payload(data)["policy"] == {"programId": gid(program), "cap": 3}
    assert created["createWorkshop"] == {
        "workshop": {"tutorCap": 3, "placesLeft": 3},
        "userErrors": [],
    }
    assert (await Workshop.get(id=existing.id)).tutor_cap == 8


async def test_the_study_timer_policy_sets_the_offline_steps_and_daily_limit(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    admin = await _admin()
    clock.set(local(2012, 5, 2, 20, 0))

    bad_step = await api.data(
        UPDATE_TIMER,
        {"input": {"programId": gid(world.program), "offlineStepMinutes": 20}},
        as_=admin,
    )
    bad_day = await api.data(
        UPDATE_TIMER,
        {"input": {"programId": gid(world.program), "offlineDayMaxMinutes": 500}},
        as_=admin,
    )
    changed = await api.data(
        UPDATE_TIMER,
        {
            "input": {
                "programId": gid(world.program),
                "offlineStepMinutes": 15,
                "offlineDayMaxMinutes": 4 * 60,
            }
        },
        as_=admin,
    )
    log = """mutation ($input: LogOfflineStudyInput!) {
               logOfflineStudy(input: $input) { log { minutes } userErrors { message } }
             }"""

    def entry(hours: float) -> dict[str, Any]:
        return {
            "input": {
                "kind": "LESSON_OBSERVATION",
                "studiedOn": "2012-05-02",
                "hours": hours,
                "description": "听课",
            }
        }

    quarter = await api.data(log, entry(1.25), as_=world.trainee)
    too_much = await api.data(log, entry(3.0), as_=world.trainee)

    assert _payload(bad_step) == refused(
        "policy", "INVALID_INPUT", "步长须为3分钟的整数倍", "offlineStepMinutes"
    )
    assert _payload(bad_day) == refused(
        "policy",
        "INVALID_INPUT",
        "每日上限须为步长的整数倍，且不超过24小时",
        "offlineDayMaxMinutes",
    )
    assert _payload(changed)["policy"] == {
        "programId": gid(world.program),
        "heartbeatMaxGapSeconds": 120,
        "offlineStepMinutes": 15,
        "offlineDayMaxMinutes": 240,
    }
    assert quarter["logOfflineStudy"] == {"log": {"minutes": 75}, "userErrors": []}
    assert too_much["logOfflineStudy"]["userErrors"] == [
        {"message": "每天登记的线下研修不超过4小时，当天还可登记2.75小时"}
    ]


async def test_the_briefing_interval_is_cleared_with_null_and_must_be_positive(api: Api) -> None:
    program = await reference_program()
    admin = await _admin()

    weekly = await api.data(
        UPDATE_BRIEFING, {"input": {"programId": gid(program), "intervalDays": 7}}, as_=admin
    )
    zero = await api.data(
        UPDATE_BRIEFING, {"input": {"programId": gid(program), "intervalDays": 0}}, as_=admin
    )
    untouched = await api.data(UPDATE_BRIEFING, {"input": {"programId": gid(program)}}, as_=admin)
    cleared = await api.data(
        UPDATE_BRIEFING, {"input": {"programId": gid(program), "intervalDays": None}}, as_=admin
    )

    assert _payload(weekly)["policy"]["intervalDays"] == 7
    assert _payload(zero) == refused("policy", "INVALID_INPUT", "须为正整数", "intervalDays")
    assert _payload(untouched)["policy"]["intervalDays"] == 7
    assert _payload(cleared)["policy"]["intervalDays"] is None


async def test_update_program_still_writes_the_settings_into_the_policies(api: Api) -> None:
    program = await reference_program()
    admin = await _admin()

    data = await api.data(
        """mutation ($input: UpdateProgramInput!) {
             updateProgram(input: $input) {
               program { tutorTeamCap heartbeatMaxGapSeconds briefingIntervalDays
                         policies { tutorTeam { cap } studyTimer { heartbeatMaxGapSeconds }
                                    registration { dailyClosesAt } } }
               userErrors { code }
             }
           }""",
        {
            "input": {
                "id": gid(program),
                "tutorTeamCap": 5,
                "heartbeatMaxGapSeconds": 90,
                "briefingIntervalDays": 3,
                "registrationClosesAt": "21:30",
            }
        },
        as_=admin,
    )

    assert data["updateProgram"] == {
        "program": {
            "tutorTeamCap": 5,
            "heartbeatMaxGapSeconds": 90,
            "briefingIntervalDays": 3,
            "policies": {
                "tutorTeam": {"cap": 5},
                "studyTimer": {"heartbeatMaxGapSeconds": 90},
                "registration": {"dailyClosesAt": "21:30:00"},
            },
        },
        "userErrors": [],
    }


# The seeds' three programs as data (DOMAIN.md): the settings of this issue's policies.
SEED_PROGRAMS: tuple[tuple[dict[str, Any], dict[str, dict[str, Any]]], ...] = (
    (
        {
            "name": "江西省2012第二阶段选学名师网络研修专题",
            "year": "2011学年",
            "registrationStartsOn": "2012-04-20",
            "registrationEndsOn": "2012-04-25",
            "holidays": ["2012-04-29", "2012-04-30", "2012-05-01"],
        },
        {},
    ),
    (
        {
            "name": "江西省2022年中小学教师全员培训",
            "year": "2021—2022学年度",
            "registrationStartsOn": "2022-07-11",
            "registrationEndsOn": "2022-07-22",
            "assessmentEndsOn": "2022-10-15",
        },
        {
            # Study 7/23–9/30 in one window, registration all day, a briefing a fortnight.
            "batchPolicy": {"maxStudyDays": 70},
            "registrationPolicy": {"dailyOpensAt": "00:00", "dailyClosesAt": "23:59"},
            "briefingPolicy": {"intervalDays": 14},
        },
    ),
    (
        {
            "name": "福建省2009年中小学教师远程培训",
            "year": "2009",
            "registrationStartsOn": "2009-09-01",
            "registrationEndsOn": "2009-09-15",
        },
        {
            # 48 hours of courses online for middle and senior titles, no workshop offline part.
            "hourPolicy": {
                "networkOnlineHours": 48,
                "networkOfflineHours": 0,
                "transitionalOnlineHours": 36,
                "transitionalOfflineHours": 0,
            },
            "batchPolicy": {"maxStudyDays": 60},
            "studyTimerPolicy": {"heartbeatMaxGapSeconds": 300},
            "tutorTeamPolicy": {"cap": 20},
        },
    ),
)


async def test_the_seeds_three_programs_are_expressible_as_data(api: Api) -> None:
    admin = await _admin()

    for program_input, policies in SEED_PROGRAMS:
        created = await api.data(
            """mutation ($input: CreateProgramInput!) {
                 createProgram(input: $input) { program { id } userErrors { code } }
               }""",
            {"input": program_input},
            as_=admin,
        )
        program_id = created["createProgram"]["program"]["id"]
        for name, values in policies.items():
            mutation = _update(name, " ".join(values))
            data = await api.data(
                mutation, {"input": {"programId": program_id, **values}}, as_=admin
            )
            assert _payload(data)["userErrors"] == [], name

    read = await api.data(POLICIES, as_=admin)

    by_name = {p["name"]: p["policies"] for p in read["programs"]["nodes"]}
    assert by_name["江西省2012第二阶段选学名师网络研修专题"] == DEFAULT_POLICIES
    assert by_name["江西省2022年中小学教师全员培训"]["batch"] == {"maxStudyDays": 70}
    assert by_name["江西省2022年中小学教师全员培训"]["registration"] == {
        "dailyOpensAt": "00:00:00",
        "dailyClosesAt": "23:59:00",
    }
    assert by_name["福建省2009年中小学教师远程培训"]["hours"]["networkOfflineHours"] == 0
    assert by_name["福建省2009年中小学教师远程培训"]["tutorTeam"] == {"cap": 20}
    assert await Program.all().count() == 3


async def test_reading_the_policies_of_a_list_of_programs_takes_the_same_statements(
    api: Api,
) -> None:
    admin = await _admin()
    await reference_program()
    await api.sign_in(admin)
    with count_sql() as one:
        await api.data(POLICIES, as_=admin)
    for _ in range(4):
        await reference_program()
    with count_sql() as five:
        data = await api.data(POLICIES, as_=admin)

    assert len(data["programs"]["nodes"]) == 5
    assert five.count == one.count
