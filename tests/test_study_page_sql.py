"""The study page (the README's `StudyPage`) reads in a fixed number of statements, whatever
the size of the tutor team and the number of topics: the enrollment with its batch, program,
hour policy, workshop, leader, class and tutor in one; the viewer's school; the team with its
people; the topics (the signed-in viewer itself comes from the viewer cache)."""

import pytest

from lms_plugin.storage.models import Topic

from .api import Api
from .factories import add_tutor, make_person
from .sql_counter import count_sql
from .study_world import make_world

STUDY_PAGE = """query StudyPage {
  viewer {
    person { realName school { name } }
    enrollment {
      batch { name studyDays window { opensAt closesAt state } }
      workshop { name leader { realName } tutorTeam { person { realName } } topics { id title } }
      trainingClass { id name }
      tutor { realName }
      hourProgress { required { onlineHours offlineHours } onlineHours offlineHours complete }
    }
  }
}"""


@pytest.mark.parametrize("more", [0, 6], ids=["team-of-2", "team-of-8"])
async def test_the_study_page_takes_four_statements(api: Api, more: int) -> None:
    world = await make_world()
    for n in range(more):
        await add_tutor(world.workshop, await make_person(f"extra{n}", real_name=f"团队{n}"))
        await Topic.create(workshop_id=world.workshop.id, title=f"加题{n}", position=10 + n)
    await api.sign_in(world.trainee)

    with count_sql() as sql:
        data = await api.data(STUDY_PAGE, as_=world.trainee)

    enrollment = data["viewer"]["enrollment"]
    assert [m["person"]["realName"] for m in enrollment["workshop"]["tutorTeam"]] == [
        "李辅导",
        "赵辅导",
        *(f"团队{n}" for n in range(more)),
    ]
    assert len(enrollment["workshop"]["topics"]) == 2 + more
    assert (enrollment["trainingClass"]["name"], enrollment["tutor"]["realName"]) == (
        "一班",
        "李辅导",
    )
    assert [s.split()[0] for s in sql.statements] == ["SELECT"] * 4
