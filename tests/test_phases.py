"""Program phases (seed 001 §七): the ordering rule at its edges, setProgramPhases over HTTP, and
the rules that read the phases (registration R3, the old date fields of the API)."""

import datetime as dt
from typing import Any

import pytest

from lms_plugin.resolvers.core.errors import DomainError, ErrorCode
from lms_plugin.resolvers.programs.rules import PhaseDates, phase_errors
from lms_plugin.storage.enums import PhaseKind, Role
from lms_plugin.storage.models import Program, ProgramPhase

from .api import Api, error_codes
from .factories import gid, make_admin, make_org, make_person, reference_program

d = dt.date
K = PhaseKind
# The 2022 notice's phases (seed 001 §七).
PHASES_2022 = [
    PhaseDates(K.PREPARATION, d(2022, 7, 1), d(2022, 7, 10)),
    PhaseDates(K.REGISTRATION, d(2022, 7, 11), d(2022, 7, 22)),
    PhaseDates(K.TRAINER_TRAINING, d(2022, 7, 25), d(2022, 8, 5)),
    PhaseDates(K.STUDY, d(2022, 7, 23), d(2022, 9, 30)),
    PhaseDates(K.ASSESSMENT, d(2022, 10, 1), d(2022, 10, 15)),
    PhaseDates(K.GRADE_REGISTRATION, d(2022, 10, 16), d(2022, 11, 10)),
    PhaseDates(K.INSPECTION, d(2022, 11, 11), d(2022, 11, 30)),
]


def _with(kind: PhaseKind, starts_on: dt.date, ends_on: dt.date) -> list[PhaseDates]:
    return [PhaseDates(kind, starts_on, ends_on) if p.kind is kind else p for p in PHASES_2022]


def _refused(message: str) -> list[DomainError]:
    return [DomainError(ErrorCode.INVALID_PHASES, message, ("phases",))]


def test_the_2022_phases_are_valid_and_trainer_training_may_overlap_the_study() -> None:
    assert phase_errors(PHASES_2022) == []


def test_a_phase_may_be_one_day_but_not_end_before_it_starts() -> None:
    assert phase_errors(_with(K.ASSESSMENT, d(2022, 10, 1), d(2022, 10, 1))) == []
    assert phase_errors(_with(K.ASSESSMENT, d(2022, 10, 2), d(2022, 10, 1))) == _refused(
        "考核阶段的结束日期早于开始日期"
    )


def test_phases_of_the_sequence_start_after_the_one_before_ends() -> None:
    # Study starting the day after registration ends: yes; on the last day: no.
    assert phase_errors(_with(K.STUDY, d(2022, 7, 23), d(2022, 9, 30))) == []
    assert phase_errors(_with(K.STUDY, d(2022, 7, 22), d(2022, 9, 30))) == _refused(
        "学习阶段须在报名阶段结束之后开始"
    )
    # Absent phases are skipped: assessment then follows registration directly.
    without_study = [p for p in PHASES_2022 if p.kind is not K.STUDY]
    assert phase_errors(without_study) == []


def test_registration_is_required_and_a_kind_is_given_once() -> None:
    no_registration = [p for p in PHASES_2022 if p.kind is not K.REGISTRATION]
    assert phase_errors(no_registration) == _refused("须设报名阶段（R3）")
    twice = [*PHASES_2022, PhaseDates(K.INSPECTION, d(2022, 12, 1), d(2022, 12, 2))]
    assert phase_errors(twice) == _refused("检查阶段重复")


SET_PHASES = """
mutation ($input: SetProgramPhasesInput!) {
  setProgramPhases(input: $input) {
    program { phases { kind startsOn endsOn state } assessmentEndsOn
              registration { startsOn endsOn openNow } }
    userErrors { code field message }
  }
}"""

PHASES_INPUT = [
    {"kind": "REGISTRATION", "startsOn": "2012-04-21", "endsOn": "2012-04-25"},
    {"kind": "STUDY", "startsOn": "2012-04-27", "endsOn": "2012-06-11"},
    {"kind": "ASSESSMENT", "startsOn": "2012-06-12", "endsOn": "2012-07-15"},
    {"kind": "INSPECTION", "startsOn": "2012-07-20", "endsOn": "2012-07-31"},
]


def _input(program_id: str, phases: list[dict[str, str]]) -> dict[str, Any]:
    return {"input": {"programId": program_id, "phases": phases}}


async def test_a_province_admin_sets_the_phases_and_registration_reads_them(api: Api) -> None:
    program = await reference_program()
    admin = await make_admin("province", Role.PROVINCE_ADMIN)

    data = await api.data(SET_PHASES, _input(gid(program), PHASES_INPUT), as_=admin)

    # 4/20 10:00: registration now opens on 4/21.
    assert data == {
        "setProgramPhases": {
            "program": {
                "phases": [
                    {"kind": "REGISTRATION", "startsOn": "2012-04-21", "endsOn": "2012-04-25",
                     "state": "NOT_OPEN"},
                    {"kind": "STUDY", "startsOn": "2012-04-27", "endsOn": "2012-06-11",
                     "state": "NOT_OPEN"},
                    {"kind": "ASSESSMENT", "startsOn": "2012-06-12", "endsOn": "2012-07-15",
                     "state": "NOT_OPEN"},
                    {"kind": "INSPECTION", "startsOn": "2012-07-20", "endsOn": "2012-07-31",
                     "state": "NOT_OPEN"},
                ],
                "assessmentEndsOn": "2012-07-15",
                "registration": {"startsOn": "2012-04-21", "endsOn": "2012-04-25",
                                 "openNow": False},
            },
            "userErrors": [],
        }
    }  # fmt: skip


async def test_overlapping_phases_are_refused_and_nothing_changes(api: Api) -> None:
    program = await reference_program()
    admin = await make_admin("province", Role.PROVINCE_ADMIN)
    overlapping = [
        {"kind": "REGISTRATION", "startsOn": "2012-04-20", "endsOn": "2012-04-27"},
        {"kind": "STUDY", "startsOn": "2012-04-27", "endsOn": "2012-06-11"},
    ]

    data = await api.data(SET_PHASES, _input(gid(program), overlapping), as_=admin)
    after = await api.data(
        "query ($id: ID!) { node(id: $id) { ... on Program { phases { kind startsOn endsOn } } } }",
        {"id": gid(program)},
        as_=admin,
    )

    assert data == {
        "setProgramPhases": {
            "program": None,
            "userErrors": [
                {
                    "code": "INVALID_PHASES",
                    "field": ["input", "phases"],
                    "message": "学习阶段须在报名阶段结束之后开始",
                }
            ],
        }
    }
    assert after == {
        "node": {
            "phases": [
                {"kind": "REGISTRATION", "startsOn": "2012-04-20", "endsOn": "2012-04-25"},
                {"kind": "STUDY", "startsOn": "2012-04-27", "endsOn": "2012-06-11"},
                {"kind": "ASSESSMENT", "startsOn": "2012-06-12", "endsOn": "2012-06-30"},
            ]
        }
    }


@pytest.mark.parametrize("who", ["city", "teacher", "nobody"])
async def test_only_a_province_admin_sets_phases(api: Api, who: str) -> None:
    program = await reference_program()
    org = await make_org()
    people = {
        "city": await make_admin("city", Role.CITY_ADMIN, region=org.city),
        "teacher": await make_person("teacher", school=org.school),
        "nobody": None,
    }

    body = await api.gql(SET_PHASES, _input(gid(program), PHASES_INPUT), as_=people[who])

    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED" if who == "nobody" else "FORBIDDEN"]


UPDATE_PROGRAM = """
mutation ($input: UpdateProgramInput!) {
  updateProgram(input: $input) {
    program { assessmentEndsOn registration { startsOn endsOn } phases { kind startsOn endsOn } }
    userErrors { code field message }
  }
}"""


async def test_the_old_date_fields_of_update_program_change_the_phases(api: Api) -> None:
    program = await reference_program()
    admin = await make_admin("province", Role.PROVINCE_ADMIN)
    variables = {
        "input": {
            "id": gid(program),
            "registrationStartsOn": "2012-04-19",
            "assessmentEndsOn": "2012-06-20",
        }
    }

    data = await api.data(UPDATE_PROGRAM, variables, as_=admin)
    cleared = await api.data(
        UPDATE_PROGRAM, {"input": {"id": gid(program), "assessmentEndsOn": None}}, as_=admin
    )

    assert data["updateProgram"] == {
        "program": {
            "assessmentEndsOn": "2012-06-20",
            "registration": {"startsOn": "2012-04-19", "endsOn": "2012-04-25"},
            "phases": [
                {"kind": "REGISTRATION", "startsOn": "2012-04-19", "endsOn": "2012-04-25"},
                {"kind": "STUDY", "startsOn": "2012-04-27", "endsOn": "2012-06-11"},
                {"kind": "ASSESSMENT", "startsOn": "2012-06-12", "endsOn": "2012-06-20"},
            ],
        },
        "userErrors": [],
    }
    # Null clears the assessment end: grading no longer closes, the phase is gone.
    assert cleared["updateProgram"]["program"]["assessmentEndsOn"] is None
    assert [p["kind"] for p in cleared["updateProgram"]["program"]["phases"]] == [
        "REGISTRATION",
        "STUDY",
    ]


async def test_an_assessment_end_inside_the_study_is_refused_by_the_phase_order(api: Api) -> None:
    program = await reference_program()
    admin = await make_admin("province", Role.PROVINCE_ADMIN)

    data = await api.data(
        UPDATE_PROGRAM,
        {"input": {"id": gid(program), "assessmentEndsOn": "2012-06-01"}},
        as_=admin,
    )

    assert data["updateProgram"] == {
        "program": None,
        "userErrors": [
            {"code": "INVALID_PHASES", "field": None, "message": "考核阶段须在学习阶段结束之后开始"}
        ],
    }


async def test_update_program_refuses_a_program_loaded_without_phases(api: Api) -> None:
    # Only a program written past the API can lack its REGISTRATION phase: a coded refusal.
    program = await reference_program()
    await ProgramPhase.filter(program_id=program.id).delete()
    admin = await make_admin("province", Role.PROVINCE_ADMIN)

    data = await api.data(
        UPDATE_PROGRAM, {"input": {"id": gid(program), "name": "改名"}}, as_=admin
    )

    assert data["updateProgram"] == {
        "program": None,
        "userErrors": [
            {
                "code": "INVALID_PHASES",
                "field": ["input", "id"],
                "message": "本项目未设报名阶段：请先设定项目阶段",
            }
        ],
    }
    assert (await Program.get(id=program.id)).name == program.name
