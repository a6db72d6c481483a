"""The tutor's desk: a tutor's classes (a leader's too) and each class's roster with its figures.

Two statements whatever the number of classes and trainees: the classes with their workshops,
then every class's roster page with its trainees, hour policy, figures and total
(`storage/desk.py`).
"""

from collections.abc import Sequence

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from lms_plugin.resolvers.core.access import Viewer, require_viewer
from lms_plugin.storage import desk
from lms_plugin.storage.models import TrainingClass, Workshop


def desk_classes(viewer: Viewer | None, class_id: int | None) -> QuerySet[TrainingClass]:
    """The classes the viewer tutors, and those of the workshops they lead (optionally one)."""
    signed_in = require_viewer(viewer)
    # The led workshops as a subquery, not a join: each side of the OR then has its index.
    led = Workshop.filter(leader_id=signed_in.id).values("id")
    classes = TrainingClass.filter(Q(tutor_id=signed_in.id) | Q(workshop_id__in=Subquery(led)))
    if class_id is not None:
        classes = classes.filter(id=class_id)
    # The workshops come in the same statement (the desk shows their names).
    return classes.select_related("workshop").order_by("id")


async def roster_pages(
    class_ids: Sequence[int], first: int, after: int | None, *, evidence: bool
) -> list[desk.RosterPage]:
    """The classes' active trainees (classes already on the viewer's desk), a page of each,
    with their figures (and, with `evidence`, what their forecasts need): one statement for
    all the classes."""
    return await desk.roster_pages(class_ids, first, after, evidence=evidence)
