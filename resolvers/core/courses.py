"""Courses (公共 / 专业 / 地方课程) as every area reads them: the yearly hour target of a teacher
and when an elective opens (seed 002 §三, 004 §二). Pure; the study timer applies them."""

from collections.abc import Sequence
from dataclasses import dataclass

from lms_plugin.storage.enums import Post, TitleRank

from .errors import DomainError, ErrorCode


@dataclass(frozen=True)
class Targets:
    """A program's yearly hour targets (seed 002 §三, 004 §二): general, new teachers, and a
    junior title's own (None: the general one)."""

    hours: int
    new_teacher_hours: int
    junior_title_hours: int | None


def yearly_target_hours(targets: Targets, post: Post | None, title_rank: TitleRank | None) -> int:
    """The hours a teacher owes this year: new teachers theirs, a junior title its own, if the
    program sets one; everyone else the general target."""
    if post is Post.NEW_TEACHER:
        return targets.new_teacher_hours
    if title_rank is TitleRank.JUNIOR and targets.junior_title_hours is not None:
        return targets.junior_title_hours
    return targets.hours


@dataclass(frozen=True)
class CourseStanding:
    """A course's hours and the trainee's counted seconds in it."""

    name: str
    hours: int
    seconds: int

    @property
    def complete(self) -> bool:
        return self.seconds >= self.hours * 3600


def elective_lock_error(required: Sequence[CourseStanding]) -> DomainError | None:
    """Seed 004: electives open once every required course is complete; names the first one
    still open, with the hours studied and needed."""
    for course in required:
        if not course.complete:
            return DomainError(
                ErrorCode.COURSE_LOCKED,
                f"须先修完必修课程《{course.name}》（已学{course.seconds / 3600:g}学时，"
                f"需{course.hours}学时），才能学习选修课程",
                ("courseId",),
            )
    return None
