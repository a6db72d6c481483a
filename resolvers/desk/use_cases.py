"""The tutor's desk: a tutor's classes (a leader's too) and each class's roster with its figures.

A roster page is read in a constant number of statements: the page, then one grouped count
per figure for the page's trainees, whatever the page size.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from lms_plugin.resolvers.core.access import Viewer, require_viewer
from lms_plugin.storage.batch import counts_by
from lms_plugin.storage.enums import EnrollmentStatus, SubmissionStatus
from lms_plugin.storage.models import (
    DiscussionPost,
    Enrollment,
    Submission,
    TrainingClass,
    Workshop,
)


def desk_classes(viewer: Viewer | None, class_id: int | None) -> QuerySet[TrainingClass]:
    """The classes the viewer tutors, and those of the workshops they lead (optionally one)."""
    signed_in = require_viewer(viewer)
    # The led workshops as a subquery, not a join: each side of the OR then has its index.
    led = Workshop.filter(leader_id=signed_in.id).values("id")
    classes = TrainingClass.filter(Q(tutor_id=signed_in.id) | Q(workshop_id__in=Subquery(led)))
    if class_id is not None:
        classes = classes.filter(id=class_id)
    return classes.order_by("id")


def roster(class_id: int) -> QuerySet[Enrollment]:
    """The class's active trainees (for a class already on the viewer's desk)."""
    return Enrollment.filter(training_class_id=class_id, status=EnrollmentStatus.ACTIVE)


@dataclass(frozen=True)
class RosterCounts:
    """Per enrollment: submissions waiting for grading, and discussion posts."""

    submissions_waiting: dict[int, int]
    posts: dict[int, int]


async def roster_counts(enrollment_ids: Sequence[int]) -> RosterCounts:
    if not enrollment_ids:
        return RosterCounts(submissions_waiting={}, posts={})
    waiting = Submission.filter(enrollment_id__in=enrollment_ids, status=SubmissionStatus.SUBMITTED)
    posts = DiscussionPost.filter(enrollment_id__in=enrollment_ids)
    return RosterCounts(
        submissions_waiting=await counts_by(waiting, "enrollment_id"),
        posts=await counts_by(posts, "enrollment_id"),
    )
