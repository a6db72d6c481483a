"""N+1 guard: listing workshops with leaders, topics and tutor teams costs the same SQL for 5
workshops as for 50."""

import pytest

from lms_plugin.storage.models import Person, Program, Resource, Topic

from .api import Api
from .factories import make_class, make_person, make_workshop, reference_program
from .sql_counter import count_sql

# Every relation at once, pages of 50: far over the cost budget (test_cost.py), lifted here.
pytestmark = pytest.mark.uncosted

CATALOGUE = """
{
  workshops(first: 100) {
    totalCount
    nodes {
      name placesLeft
      leader { realName school { name } }
      program { name }
      topics { title resources { title } }
      tutorTeam { person { realName } }
      classes { name }
    }
  }
}"""


async def _workshops(program: Program, count: int, start: int) -> None:
    """`count` workshops, each with its own leader, two topics with a resource, three tutors
    and a class."""
    for n in range(start, start + count):
        leader = await make_person(f"leader{n}")
        tutors = [await make_person(f"tutor{n}-{k}") for k in range(3)]
        workshop = await make_workshop(program, leader, subject=f"学科{n}", topics=2, tutors=tutors)
        for topic in await Topic.filter(workshop_id=workshop.id):
            await Resource.create(topic_id=topic.id, title="课例")
        await make_class(workshop, tutors[0])


async def _statements(api: Api, viewer: Person, expected_nodes: int) -> int:
    with count_sql() as sql:
        data = await api.data(CATALOGUE, as_=viewer)
    assert len(data["workshops"]["nodes"]) == expected_nodes
    return sql.count


async def test_listing_workshops_costs_the_same_sql_for_5_as_for_50(api: Api) -> None:
    program = await reference_program()
    viewer = await make_person("viewer")
    await _workshops(program, 5, 0)
    few = await _statements(api, viewer, 5)

    await _workshops(program, 45, 5)
    many = await _statements(api, viewer, 50)

    # viewer + grants (new people since the last request: loaded again), the page, the count,
    # then one batched query per table reached (the tutor teams with their people, the leaders
    # by a loader). Person loads from two fields at one depth (say also classes { tutor }) may
    # form one batch or two on PostgreSQL, whose pooled queries finish in any order; so this
    # query reaches persons from one field per depth.
    assert (few, many) == (10, 10)
