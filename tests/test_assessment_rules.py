"""The pure rules of courses and process-based assessment (R12), at their exact edges, without
a database: counted characters, the yearly target, the elective lock, component minimums and
the pass mark."""

from dataclasses import replace

import pytest

from lms_plugin.resolvers.assessment.rules import (
    Component,
    ComponentKind,
    Evidence,
    Outcome,
    Weights,
    counted_characters,
    length_error,
    process_assessment,
)
from lms_plugin.resolvers.core.courses import (
    CourseStanding,
    Targets,
    elective_lock_error,
    yearly_target_hours,
)
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode
from lms_plugin.storage.enums import GradeLevel, Post, TitleRank

# A program that weighs research outcomes too: study 40, homework 30, discussion 20, outcome 10.
JIANGXI = Weights(
    study=40,
    homework=30,
    discussion=20,
    outcome=10,
    notes=0,
    reflection=0,
    homework_min_count=2,
    discussion_min_posts=2,
    outcome_min_count=1,
    notes_min_characters=5000,
    reflection_min_characters=1000,
    pass_mark=60,
)
# Fujian 2009: study time, two posts, notes of 5,000 and a reflection of 1,000 characters.
FUJIAN = replace(JIANGXI, study=40, homework=0, discussion=20, outcome=0, notes=25, reflection=15)

COMPLETE = Evidence(
    study_minutes=22 * 60,
    required_minutes=22 * 60,
    homework_grades=(GradeLevel.PASS, GradeLevel.GOOD),
    posts=2,
    outcome_grades=(GradeLevel.PASS,),
    notes_characters=5000,
    reflection_characters=1000,
)


def test_counted_characters_leave_out_whitespace_and_punctuation() -> None:
    assert counted_characters("学习，笔记。 \n「反思」！ABC 123") == 12
    assert counted_characters("，。、；：？！…—  \t\n") == 0


def test_notes_of_4999_characters_are_short_and_5000_are_enough() -> None:
    # Punctuation and line breaks among them do not count.
    notes = "研" * 4999 + "，。\n"
    assert length_error(notes, 5000, "学习笔记", "text") == DomainError(
        ErrorCode.TOO_SHORT, "学习笔记不少于5000字，现有4999字", ("text",)
    )
    assert length_error(notes + "修", 5000, "学习笔记", "text") is None


@pytest.mark.parametrize(
    ("post", "title_rank", "expected"),
    [
        (Post.TEACHER, TitleRank.SENIOR, 48),
        (Post.TEACHER, None, 48),
        (Post.TEACHER, TitleRank.JUNIOR, 36),
        (Post.NEW_TEACHER, TitleRank.JUNIOR, 122),
    ],
)
def test_the_yearly_target_by_post_and_title(
    post: Post, title_rank: TitleRank | None, expected: int
) -> None:
    targets = Targets(hours=48, new_teacher_hours=122, junior_title_hours=36)
    assert yearly_target_hours(targets, post, title_rank) == expected
    # Without a junior title's own target, a junior title owes the general one.
    general = Targets(hours=72, new_teacher_hours=122, junior_title_hours=None)
    assert yearly_target_hours(general, Post.TEACHER, TitleRank.JUNIOR) == 72


def test_an_elective_opens_at_exactly_the_required_hours() -> None:
    one_second_short = CourseStanding("班主任工作", 30, 30 * 3600 - 1)
    assert elective_lock_error([one_second_short]) == DomainError(
        ErrorCode.COURSE_LOCKED,
        "须先修完必修课程《班主任工作》（已学29.9997学时，需30学时），才能学习选修课程",
        ("courseId",),
    )
    assert elective_lock_error([replace(one_second_short, seconds=30 * 3600)]) is None
    assert elective_lock_error([]) is None


def test_complete_work_passes_with_every_component_scored() -> None:
    result = process_assessment(COMPLETE, JIANGXI)
    assert result.outcome is Outcome.PASSED
    # Homework (70 + 85) / 2 = 77, outcome 70: 40 + 23.1 + 20 + 7 → 90.
    assert result.score == 90
    assert result.components == [
        Component(ComponentKind.STUDY, 40, 1320, 1320, 100, None),
        Component(ComponentKind.HOMEWORK, 30, 2, 2, 77, None),
        Component(ComponentKind.DISCUSSION, 20, 2, 2, 100, None),
        Component(ComponentKind.OUTCOME, 10, 1, 1, 70, None),
    ]
    assert result.explanation == "合格：得90分，合格线60分"


def test_exactly_the_required_minutes_pass_and_one_minute_under_fails() -> None:
    exactly = process_assessment(COMPLETE, JIANGXI)
    short = process_assessment(replace(COMPLETE, study_minutes=22 * 60 - 1), JIANGXI)

    assert exactly.outcome is Outcome.PASSED
    assert (short.outcome, short.explanation) == (
        Outcome.FAILED,
        "学时未达要求：已学1319分钟，需1320分钟（差1分钟）",
    )


def test_the_pass_mark_passes_and_one_point_under_fails() -> None:
    # Homework alone weighed: (85 + 70) / 2 = 77 points, with the mark at 77 and at 78.
    homework_only = replace(JIANGXI, study=0, discussion=0, outcome=0, homework=100)
    graded = replace(COMPLETE, homework_grades=(GradeLevel.GOOD, GradeLevel.PASS))
    at_77 = process_assessment(graded, replace(homework_only, pass_mark=77))
    under = process_assessment(graded, replace(homework_only, pass_mark=78))
    assert (at_77.outcome, at_77.score) == (Outcome.PASSED, 77)
    assert (under.outcome, under.explanation) == (
        Outcome.FAILED,
        "总分未达合格：得77分，需78分（差1分）",
    )


def test_one_homework_short_explains_the_failure() -> None:
    result = process_assessment(replace(COMPLETE, homework_grades=(GradeLevel.EXCELLENT,)), JIANGXI)
    assert (result.outcome, result.explanation) == (
        Outcome.FAILED,
        "作业未达合格：已交合格1篇，需2篇",
    )
    # A failed piece is handed in but not passing.
    failing = replace(COMPLETE, homework_grades=(GradeLevel.GOOD, GradeLevel.FAIL))
    assert process_assessment(failing, JIANGXI).explanation == "作业未达合格：已交合格1篇，需2篇"


def test_fujian_one_post_short_of_two_fails_the_discussion_part() -> None:
    passed = process_assessment(COMPLETE, FUJIAN)
    short = process_assessment(replace(COMPLETE, posts=1), FUJIAN)
    notes_short = process_assessment(replace(COMPLETE, notes_characters=4999), FUJIAN)

    assert [c.kind for c in passed.components] == [
        ComponentKind.STUDY,
        ComponentKind.DISCUSSION,
        ComponentKind.NOTES,
        ComponentKind.REFLECTION,
    ]
    assert (passed.outcome, passed.score) == (Outcome.PASSED, 100)
    assert (short.outcome, short.explanation) == (
        Outcome.FAILED,
        "研讨发帖未达要求：已有1帖，需2帖",
    )
    assert short.score == 90
    assert notes_short.explanation == "学习笔记未达要求：已有4999字，需5000字"


def test_nothing_at_all_is_absent() -> None:
    nothing = Evidence(
        study_minutes=0,
        required_minutes=22 * 60,
        homework_grades=(),
        posts=0,
        outcome_grades=(),
        notes_characters=0,
        reflection_characters=0,
    )
    result = process_assessment(nothing, JIANGXI)
    assert (result.outcome, result.score, result.explanation) == (
        Outcome.ABSENT,
        0,
        "未参加研修：没有任何学习记录",
    )
    # One post is taking part: a failure, not an absence.
    assert process_assessment(replace(nothing, posts=1), JIANGXI).outcome is Outcome.FAILED
