"""Research outcomes (研修成果, seed 001 §七(四), 002 §四(四)①): asked for as an assignment of
kind OUTCOME, submitted by the trainee inside their window (R1) and graded by their class tutor
(R10) through the homework mutations, and assessed as their own component (R12): a missing
outcome fails it with its explanation, one graded outcome passes it."""

from typing import Any

from lms_plugin.clock import FixedClock
from lms_plugin.resolvers.assessment.rules import (
    ComponentKind,
    Evidence,
    Weights,
    components,
    process_assessment,
)
from lms_plugin.storage.enums import AssignmentKind, GradeLevel, Outcome
from lms_plugin.storage.models import Assignment, Enrollment

from .api import Api, error_codes
from .conftest import local
from .factories import gid, studied
from .homework_world import CLOSED, GRADE, IN_WINDOW, LAST_SECOND, SUBMIT, World, make_world

# Study, homework, discussion and research outcomes, one outcome needed.
WEIGHTS = Weights(
    study=40,
    homework=20,
    discussion=20,
    outcome=20,
    notes=0,
    reflection=0,
    homework_min_count=0,
    discussion_min_posts=0,
    outcome_min_count=1,
    notes_min_characters=0,
    reflection_min_characters=0,
    pass_mark=60,
)
STUDIED = Evidence(
    study_minutes=60,
    required_minutes=60,
    homework_grades=(),
    posts=0,
    outcome_grades=(),
    notes_characters=0,
    reflection_characters=0,
)


def _outcome_part(*grades: GradeLevel, minimum: int = 1) -> dict[str, Any]:
    evidence = Evidence(**{**vars(STUDIED), "outcome_grades": grades})
    weights = Weights(**{**vars(WEIGHTS), "outcome_min_count": minimum})
    [part] = [c for c in components(evidence, weights) if c.kind is ComponentKind.OUTCOME]
    return {"has": part.has, "score": part.score, "missing": part.missing}


def test_the_outcome_component_counts_passing_graded_outcomes_against_the_minimum() -> None:
    assert _outcome_part() == {
        "has": 0,
        "score": 0,
        "missing": "研修成果未达合格：已交合格0篇，需1篇",
    }
    # A failed outcome is graded but not passing: still short.
    assert _outcome_part(GradeLevel.FAIL) == {
        "has": 0,
        "score": 0,
        "missing": "研修成果未达合格：已交合格0篇，需1篇",
    }
    assert _outcome_part(GradeLevel.PASS) == {"has": 1, "score": 70, "missing": None}
    # Exactly the minimum of two, and one under it.
    assert _outcome_part(GradeLevel.GOOD, GradeLevel.PASS, minimum=2)["missing"] is None
    assert _outcome_part(GradeLevel.GOOD, GradeLevel.FAIL, minimum=2) == {
        "has": 1,
        "score": 42,
        "missing": "研修成果未达合格：已交合格1篇，需2篇",
    }


def test_a_missing_outcome_decides_the_result_and_a_weight_of_zero_assesses_none() -> None:
    short = process_assessment(STUDIED, WEIGHTS)
    assert (short.outcome, short.explanation) == (
        Outcome.FAILED,
        "研修成果未达合格：已交合格0篇，需1篇",
    )
    passed = process_assessment(
        Evidence(**{**vars(STUDIED), "outcome_grades": (GradeLevel.PASS,)}), WEIGHTS
    )
    assert (passed.outcome, passed.score) == (Outcome.PASSED, 74)
    unweighed = Weights(**{**vars(WEIGHTS), "outcome": 0, "study": 60})
    assert ComponentKind.OUTCOME not in {c.kind for c in components(STUDIED, unweighed)}
    assert process_assessment(STUDIED, unweighed).outcome is Outcome.PASSED


# --- through HTTP ----------------------------------------------------------------------------

CREATE = """
mutation ($input: CreateAssignmentInput!) {
  createAssignment(input: $input) {
    assignment { id kind title }
    userErrors { code field message }
  }
}"""
UPDATE_ASSESSMENT = """
mutation ($input: UpdateAssessmentPolicyInput!) {
  updateAssessmentPolicy(input: $input) {
    policy { outcomeWeight outcomeMinCount }
    userErrors { code field message }
  }
}"""
COMPUTE = """
mutation ($input: ComputeAssessmentResultsInput!) {
  computeAssessmentResults(input: $input) {
    summary { counts { outcome count } }
    userErrors { code field message }
  }
}"""
OUTCOME_PARTS = """
query ($id: ID!) { node(id: $id) { ... on Enrollment {
  assessmentForecast { outcome explanation components { kind required has score missing } }
  result { outcome explanation components { kind required has score missing } } } } }"""


async def _outcome_assignment(api: Api, world: World) -> str:
    """A research outcome asked for by the class tutor, due at the window's last second."""
    data = await api.data(
        CREATE,
        {
            "input": {
                "workshopId": gid(world.workshop),
                "title": "研修成果：单元教学案例",
                "dueAt": LAST_SECOND.isoformat(),
                "kind": "OUTCOME",
            }
        },
        as_=world.tutor,
    )
    payload = data["createAssignment"]
    assert payload["userErrors"] == []
    assert {k: v for k, v in payload["assignment"].items() if k != "id"} == {
        "kind": "OUTCOME",
        "title": "研修成果：单元教学案例",
    }
    assignment_id: str = payload["assignment"]["id"]
    return assignment_id


def _submit(assignment_id: str) -> dict[str, Any]:
    return {"input": {"assignmentId": assignment_id, "text": "单元教学案例与反思"}}


async def test_a_trainee_submits_an_outcome_in_the_window_and_only_their_tutor_grades_it(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    clock.set(IN_WINDOW)
    assignment_id = await _outcome_assignment(api, world)
    assert (await Assignment.get(title="研修成果：单元教学案例")).kind is AssignmentKind.OUTCOME

    # Without a token; a teacher of another workshop (outside its scope).
    anonymous = await api.gql(SUBMIT, _submit(assignment_id), as_=None)
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]
    outsider = await api.data(SUBMIT, _submit(assignment_id), as_=world.outsider)
    assert outsider["submitHomework"]["userErrors"] == [
        {"code": "NOT_FOUND", "field": ["input", "assignmentId"], "message": "找不到该作业"}
    ]

    # R1: after the window's last second, refused; inside it, accepted.
    clock.set(CLOSED)
    late = await api.data(SUBMIT, _submit(assignment_id), as_=world.trainee)
    assert [e["code"] for e in late["submitHomework"]["userErrors"]] == ["WINDOW_CLOSED"]
    clock.set(IN_WINDOW)
    submitted = await api.data(SUBMIT, _submit(assignment_id), as_=world.trainee)
    assert submitted["submitHomework"]["userErrors"] == []
    submission = submitted["submitHomework"]["submission"]
    assert (submission["status"], submission["assignment"]) == (
        "SUBMITTED",
        {"title": "研修成果：单元教学案例"},
    )

    # R10: the other class's tutor may not grade it; no token is refused; the class tutor may.
    grade = {
        "input": {
            "submissionId": submission["id"],
            "score": 80,
            "level": "GOOD",
            "comment": "案例完整",
        }
    }
    other_tutor = await api.data(GRADE, grade, as_=world.other_tutor)
    assert [e["code"] for e in other_tutor["gradeSubmission"]["userErrors"]] == ["NOT_YOUR_CLASS"]
    assert error_codes(await api.gql(GRADE, grade, as_=None)) == ["UNAUTHENTICATED"]
    graded = await api.data(GRADE, grade, as_=world.tutor)
    assert graded["gradeSubmission"]["userErrors"] == []
    assert (graded["gradeSubmission"]["submission"]["level"]) == "GOOD"


async def test_results_fail_a_missing_outcome_with_its_explanation_and_pass_a_graded_one(
    api: Api, clock: FixedClock
) -> None:
    world = await make_world()
    clock.set(IN_WINDOW)
    policy = await api.data(
        UPDATE_ASSESSMENT,
        {
            "input": {
                "programId": gid(world.program),
                "targetHours": 1,
                "newTeacherTargetHours": 1,
                "studyWeight": 80,
                "homeworkWeight": 0,
                "discussionWeight": 0,
                "outcomeWeight": 20,
            }
        },
        as_=world.province_admin,
    )
    assert policy["updateAssessmentPolicy"] == {
        "policy": {"outcomeWeight": 20, "outcomeMinCount": 1},
        "userErrors": [],
    }
    assignment_id = await _outcome_assignment(api, world)
    with_outcome = await Enrollment.get(teacher_id=world.trainee.id)
    without = await Enrollment.get(teacher_id=world.classmate.id)
    # Both studied the hour; only the trainee hands in an outcome, which the tutor grades.
    for enrollment in (with_outcome, without):
        await studied(enrollment, online_hours=1)
    submitted = await api.data(SUBMIT, _submit(assignment_id), as_=world.trainee)
    submission_id = submitted["submitHomework"]["submission"]["id"]
    grade = {"submissionId": submission_id, "score": 75, "level": "PASS", "comment": "合格"}
    assert (await api.data(GRADE, {"input": grade}, as_=world.tutor))["gradeSubmission"][
        "userErrors"
    ] == []

    outcome_part = {"kind": "OUTCOME", "required": 1, "has": 1, "score": 70, "missing": None}
    missing_part = {
        "kind": "OUTCOME",
        "required": 1,
        "has": 0,
        "score": 0,
        "missing": "研修成果未达合格：已交合格0篇，需1篇",
    }
    # The trainee's forecast explains the component before the end.
    forecast = await api.data(OUTCOME_PARTS, {"id": gid(without)}, as_=world.classmate)
    assert forecast["node"]["assessmentForecast"] == {
        "outcome": "FAILED",
        "explanation": "研修成果未达合格：已交合格0篇，需1篇",
        "components": [
            {"kind": "STUDY", "required": 60, "has": 60, "score": 100, "missing": None},
            missing_part,
        ],
    }

    clock.set(local(2012, 6, 12, 9, 0))  # the assessment window opens (reference program)
    computed = await api.data(
        COMPUTE, {"input": {"programId": gid(world.program)}}, as_=world.province_admin
    )
    assert computed["computeAssessmentResults"]["userErrors"] == []
    passed = (await api.data(OUTCOME_PARTS, {"id": gid(with_outcome)}, as_=world.trainee))["node"]
    assert passed["result"] == {
        "outcome": "PASSED",
        "explanation": "合格：得94分，合格线60分（过程性考核合格，免考）",
        "components": [
            {"kind": "STUDY", "required": 60, "has": 60, "score": 100, "missing": None},
            outcome_part,
        ],
    }
    failed = (await api.data(OUTCOME_PARTS, {"id": gid(without)}, as_=world.classmate))["node"]
    assert failed["result"] == {
        "outcome": "ABSENT",
        "explanation": "缺考：未参加正考和补考",
        "components": [
            {"kind": "STUDY", "required": 60, "has": 60, "score": 100, "missing": None},
            missing_part,
        ],
    }
