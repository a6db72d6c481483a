"""N+1 guards: the showcases and the grading queue send as many statements for a page of 5 as
for a page of 50."""

import datetime as dt
from typing import Any

import pytest

from lms_plugin.storage.enums import GradeLevel, RecommendationLevel, SubmissionStatus
from lms_plugin.storage.models import (
    Enrollment,
)

from .api import Api
from .factories import (
    enroll,
    gid,
    make_assignment,
    make_attachment,
    make_person,
    make_submission,
    recommend,
)
from .homework_world import DUE, IN_WINDOW, World, make_world
from .sql_counter import count_sql

# Every relation at once, pages of 50: far over the cost budget (test_cost.py), lifted here.
pytestmark = pytest.mark.uncosted

SIZE = 50

# Every relation of a submission, each model reached from one parent list per level: loads of
# one model from two parents at the same level coalesce or not as PostgreSQL answers, which
# would make the count vary with timing rather than with the page.
SUBMISSION = """
  status text submittedAt score level recommendedTo
  trainee { realName school { name } }
  trainingClass { name }
  assignment { title workshop { name } }
  attachments { filename }
  gradedBy { realName }
  revisions { version attachments { filename } }
  recommendations { level active }
"""

SHOWCASE = f"""
  totalCount
  pageInfo {{ hasNextPage endCursor }}
  nodes {{
    level recommendedAt active recommendedBy {{ realName }}
    submission {{ {SUBMISSION} }}
  }}
"""

QUERIES = {
    "classShowcase": (
        f"query ($id: ID!, $first: Int!) {{ classShowcase(classId: $id, first: $first) "
        f"{{ {SHOWCASE} }} }}",
        "class",
    ),
    "workshopShowcase": (
        f"query ($id: ID!, $first: Int!) {{ workshopShowcase(workshopId: $id, first: $first) "
        f"{{ {SHOWCASE} }} }}",
        "workshop",
    ),
    "homeGallery": (
        f"query ($id: ID!, $first: Int!) {{ homeGallery(programId: $id, first: $first) "
        f"{{ {SHOWCASE} }} }}",
        "program",
    ),
    "gradingQueue": (
        "query ($first: Int!) { gradingQueue(first: $first) "
        f"{{ totalCount nodes {{ {SUBMISSION} }} }} }}",
        None,
    ),
}


async def _fill(world: World) -> None:
    """SIZE trainees in 一班, each with graded work on every step of the ladder (with an
    attachment and a revision) and further work waiting in the grading queue."""
    waiting = await make_assignment(
        world.workshop, world.tutor, "课后反思", instructions="", due_at=DUE, created_at=IN_WINDOW
    )
    for n in range(SIZE):
        trainee = await make_person(f"bulk{n:03d}", school=world.org.school)
        enrollment: Enrollment = await enroll(
            trainee, world.workshop, world.batch, training_class=world.training_class
        )
        attachment = await make_attachment(
            trainee, f"设计{n}.pdf", f"bulk-{n}", at=IN_WINDOW, size=1
        )
        at = IN_WINDOW + dt.timedelta(minutes=n)
        graded = await make_submission(
            world.assignment,
            enrollment,
            "作业",
            attachments=[attachment],
            version=2,
            status=SubmissionStatus.GRADED,
            at=at,
            score=90,
            level=GradeLevel.EXCELLENT,
            graded_by=world.tutor,
        )
        await graded.revisions.create(
            version=1, text="初稿", attachment_ids=[attachment.id], submitted_at=at
        )
        for level, by in [
            (RecommendationLevel.CLASS, world.tutor),
            (RecommendationLevel.WORKSHOP, world.leader),
            (RecommendationLevel.HOME, world.province_admin),
        ]:
            await recommend(graded, world.workshop, level, by, at)
        await make_submission(waiting, enrollment, "反思", attachments=[attachment], at=at)


@pytest.mark.parametrize("query_name", list(QUERIES))
async def test_a_page_of_50_costs_the_statements_of_a_page_of_5(api: Api, query_name: str) -> None:
    world = await make_world()
    await _fill(world)
    query, scope = QUERIES[query_name]
    ids = {
        "class": gid(world.training_class),
        "workshop": gid(world.workshop),
        "program": gid(world.program),
    }
    variables: dict[str, Any] = {} if scope is None else {"id": ids[scope]}

    counts = []
    await api.sign_in(world.tutor)
    for first in (5, SIZE):
        with count_sql() as sql:
            data = await api.data(query, {**variables, "first": first}, as_=world.tutor)
        assert len(data[query_name]["nodes"]) == first
        assert data[query_name]["totalCount"] == SIZE
        counts.append(sql.count)

    assert counts[0] == counts[1]
